"""The session store: Django's database sessions, read with a query written out once.

A session is read on every signed-in request. Compiling `Session.objects.get(...)`
each time cost about a quarter of a millisecond of Python, a noticeable share of a
small page; the query below is the same one. Writing, expiring and deleting
sessions are Django's own (`django.contrib.sessions.backends.db`).
"""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    _sql = None

    def _get_session_from_db(self):
        model = self.model
        if SessionStore._sql is None:
            table = model._meta.db_table
            SessionStore._sql = (
                f"SELECT session_key, session_data, expire_date FROM {table}"  # noqa: S608
                " WHERE session_key = %s AND expire_date > %s"
            )
        connection = connections[router.db_for_read(model)]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        found = list(model.objects.raw(SessionStore._sql, [self.session_key, now]))
        if found:
            return found[0]
        self._session_key = None
        return None

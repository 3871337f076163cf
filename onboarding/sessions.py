"""The session store: Django's database sessions, read with a query written out once.

A session is read on every signed-in request. Compiling `Session.objects.get(...)`
each time cost about a quarter of a millisecond of Python, a noticeable share of a
small page; the query below is the same one. Writing, expiring and deleting
sessions are Django's own (`django.contrib.sessions.backends.db`).
"""

from functools import cache

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


@cache
def _session_sql(table: str) -> str:
    return (
        f"SELECT session_key, session_data, expire_date FROM {table}"  # noqa: S608
        " WHERE session_key = %s AND expire_date > %s"
    )


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        model = self.model
        connection = connections[router.db_for_read(model)]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        sql = _session_sql(model._meta.db_table)
        found = list(model.objects.raw(sql, [self.session_key, now]))
        if found:
            return found[0]
        self._session_key = None
        return None

"""Two app servers against one database: a person signed in on one is signed in
on the other, and signing out on either ends the session on both.

Sessions live in the database (SESSION_ENGINE db), the CSRF secret in a cookie,
sign-in lockouts (axes) in the database: nothing depends on one process.
"""

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from bench import common
from tests import factories as f
from tests.helpers import requires_postgres

pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_servers(tmp_path):
    settings_dict = connection.settings_dict
    database_url = (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or '127.0.0.1'}:"
        f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    )
    # DEBUG on: static files from the finders, so no collectstatic (which compresses
    # 27 MB for half a minute); sessions and sign-in work as in production.
    env = common.production_env(database_url, str(tmp_path / "static"), DEBUG="true")
    servers = [
        common.Server(env, common.free_port(), workers=1, log_dir=str(tmp_path)) for _ in range(2)
    ]
    try:
        for server in servers:
            server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()


def test_a_person_signed_in_on_one_server_is_signed_in_on_the_other(two_servers):
    one, other = two_servers
    # The servers hash with the production hashers, not the tests' fast one.
    user = f.UserFactory(full_name="Dana Twoservers")
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(f.PASSWORD, hasher.salt())
    user.save()
    f.MembershipFactory(user=user)

    cookie = common.sign_in(one.port, user.email, f.PASSWORD)

    status, body = common.get(other.port, "/", cookie)
    assert status == 200
    assert b"Dana Twoservers" in body
    assert common.get(one.port, "/", cookie)[0] == 200

    # Signing out on the second server ends the session on the first.
    assert common.post(other.port, "/accounts/logout/", cookie) == 302
    status, _ = common.get(one.port, "/", cookie)
    assert status == 302

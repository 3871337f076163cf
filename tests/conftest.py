import os

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls made
# beside it in browser tests are safe because the test owns the thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    from tests.world import build_world

    return build_world()


@pytest.fixture
def own_client_for(db):
    """A client of its own for each person, each signed in (the shared `client_for`
    signs the last one in): for tests that go back and forth between people."""
    from django.test import Client

    def sign_in(user):
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in


@pytest.fixture
def client_for(client):
    """A test client signed in as the given user (or anonymous for None)."""

    def sign_in(user):
        client.logout()
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in


@pytest.fixture
def mail_server(settings):
    """A real SMTP server on 127.0.0.1 that the outbox delivers to (tests/mailserver.py)."""
    from tests.mailserver import MailServer, running

    with running(MailServer()) as server:
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 5},
            }
        }
        yield server

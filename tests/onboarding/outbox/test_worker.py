"""The real worker (`manage.py db_worker`, the django-tasks-db backend) against a
database of its own (PostgreSQL or SQLite, as the run) and a real SMTP server:
emails queued by a change are delivered by the worker, and a worker killed in the
middle of a batch, then started again, delivers every email and none twice."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.mailserver import MailServer, running

ROOT = Path(__file__).resolve().parents[3]
COUNT = 30

QUEUE = """
from django.db import transaction
from onboarding.outbox.workflows import email_queue
context = {{"person": None, "role_label": "Staff", "place": "Riverside High School",
            "added_by": None, "home_path": "/"}}
with transaction.atomic():
    for i in range({count}):
        email_queue("role_granted", to=None, address=f"person{{i}}@worker.example.org",
                    context=context)
"""

STATES = """
from onboarding.outbox.models import Email
print(sorted(set(Email.objects.values_list("state", flat=True))))
"""


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """A database of the run's kind, migrated, that the worker's processes share."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        base, _, _ = url.rpartition("/")
        name = f"sro_worker_{uuid.uuid4().hex[:8]}"
        admin = base.replace("postgres://", "postgresql://", 1) + "/postgres"
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        scratch = f"{base}/{name}"
    else:
        name, admin = None, None
        scratch = f"sqlite:///{tmp_path_factory.mktemp('worker') / 'worker.sqlite3'}"
    _manage(scratch, "", "migrate", "--no-input", "-v0")
    yield scratch
    if name:
        import psycopg

        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _env(database: str, mail_url: str, **more) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sro_portal.settings",
        "DEBUG": "true",
        "DATABASE_URL": database,
        "EMAIL_URL": mail_url or "smtp://127.0.0.1:9",
        "EMAIL_RETRY_SECONDS": "0",
        **more,
    }


def _manage(database: str, mail_url: str, *args, **env) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_env(database, mail_url, **env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _worker(database: str, mail_url: str, *args) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", *args],
        cwd=ROOT,
        env=_env(database, mail_url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait_for(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def _reset(database: str) -> None:
    _manage(database, "", "shell", "-c", "from onboarding.outbox.models import Email; "
            "Email.objects.all().delete()")  # fmt: skip


def test_the_worker_delivers_what_a_change_queued(database):
    _reset(database)
    with running(MailServer()) as server:
        _manage(database, server.url, "shell", "-c", QUEUE.format(count=5))
        assert server.received == []  # nothing is sent by the change itself
        worker = _worker(database, server.url, "--batch")
        assert worker.wait(timeout=60) == 0
        expected = [f"person{i}@worker.example.org" for i in range(5)]
        assert sorted(server.addresses()) == sorted(expected)
    assert "['sent']" in _manage(database, "", "shell", "-c", STATES)


def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(database):
    _reset(database)
    addresses = [f"person{i}@worker.example.org" for i in range(COUNT)]
    with running(MailServer()) as server:
        # The server is slow to answer for the tenth: the worker is killed there.
        server.slow[addresses[9]] = 4.0
        _manage(database, server.url, "shell", "-c", QUEUE.format(count=COUNT))
        worker = _worker(database, server.url, "--interval", "0.1")
        try:
            _wait_for(lambda: len(server.received) >= 9)
            time.sleep(0.5)
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)
        finally:
            if worker.poll() is None:
                worker.kill()
        sent_before = server.addresses()
        assert 9 <= len(sent_before) < COUNT
        server.slow.clear()

        # What the dead worker had claimed is due again once its claim is stale; the
        # sweep (cron, every minute) starts the delivery, a new worker runs it.
        _manage(database, server.url, "outbox_sweep", EMAIL_CLAIM_TIMEOUT="0")
        worker = _worker(database, server.url, "--batch")
        assert worker.wait(timeout=60) == 0

        received = server.addresses()
        assert sorted(received) == sorted(addresses)
        assert len(received) == len(set(received)), "an email went out twice"
    assert "['sent']" in _manage(database, "", "shell", "-c", STATES)

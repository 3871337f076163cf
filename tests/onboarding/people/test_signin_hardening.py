"""Sign-in that cannot be sidestepped: the lockout counts every spelling of an
address as one, password reset emails are limited per address and per client, and
a session ends after SESSION_IDLE_MINUTES without activity as well as after
SESSION_COOKIE_AGE; nothing of a signed-in person stays in a cache; cookies carry
the `__Host-` prefix in production."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.schedule.models import OfficerFeed
from onboarding.audit.models import AuditEvent
from onboarding.outbox.models import Email
from onboarding.schools.models import Role
from tests import factories as f
from tests.permissions import all_routes
from tests.test_project import PRODUCTION_ENV, _run

SPELLINGS = [
    "Ana@School.org",
    "ANA@SCHOOL.ORG",
    " ana@school.org ",
    "ana@School.ORG",
    "ana@school.org",
]


def _sign_in(client, email, password, ip="203.0.113.7"):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


@pytest.fixture(autouse=True)
def _mid_hour(monkeypatch):
    """The limits count per clock hour: a test run across the hour's turn would
    count in two windows. Each test runs at half past the current hour."""
    now = timezone.now().replace(minute=30, second=0, microsecond=0)
    monkeypatch.setattr(timezone, "now", lambda: now)


@pytest.fixture
def ana(db):
    return f.MembershipFactory(role=Role.STAFF, user__email="ana@school.org").user


# --- Lockout ------------------------------------------------------------------


def test_five_wrong_passwords_in_any_spelling_lock_every_spelling(client, ana):
    statuses = [_sign_in(client, spelling, "wrong-password").status_code for spelling in SPELLINGS]
    # The fifth failure, in the fifth spelling, is the one that locks.
    assert statuses == [200, 200, 200, 200, 429]
    # One account, one count of failures.
    assert list(AccessAttempt.objects.values_list("username", "failures_since_start")) == [
        ("ana@school.org", 5)
    ]
    for spelling in SPELLINGS:
        response = _sign_in(client, spelling, f.PASSWORD)
        assert response.status_code == 429, spelling
        assert "Too many sign-in attempts" in response.content.decode()
    # From another network the account still signs in (the lock is per address).
    assert _sign_in(client, "ANA@SCHOOL.ORG", f.PASSWORD, ip="198.51.100.20")[
        "Location"
    ] == reverse("home")


def test_four_wrong_passwords_in_several_spellings_do_not_lock(client, ana):
    for spelling in SPELLINGS[:4]:
        _sign_in(client, spelling, "wrong-password")
    assert _sign_in(client, " Ana@School.Org", f.PASSWORD)["Location"] == reverse("home")


def test_an_invited_address_typed_in_capitals_is_one_account_for_the_lockout(
    world, client_for, client
):
    client = client_for(world.principal)
    client.post(
        reverse("person_invite", args=[world.school.pk]),
        {"full_name": "Ben Ortiz", "email": "  Ben.Ortiz@School.ORG ", "role": "staff"},
    )
    invitation = world.school.invitations.get(full_name="Ben Ortiz")
    assert invitation.email == "ben.ortiz@school.org"
    # Accepted (the token is only in the email: set a known one).
    from onboarding.people.models import Invitation

    token, invitation.token_hash = Invitation.new_token()
    invitation.save()
    client.logout()
    response = client.post(
        reverse("invitation_accept", args=[token]),
        {
            "full_name": "Ben Ortiz",
            "password1": "a-long-pass-2026",
            "password2": "a-long-pass-2026",
        },
    )
    assert response["Location"] == reverse("home")
    client.post(reverse("logout"))
    for spelling in ("BEN.ORTIZ@school.org", "Ben.Ortiz@School.Org", " ben.ortiz@SCHOOL.org"):
        assert _sign_in(client, spelling, "a-long-pass-2026")["Location"] == reverse("home")
        client.post(reverse("logout"))
    for spelling in ("BEN.ORTIZ@school.org", "Ben.Ortiz@School.Org", "ben.ortiz@school.org") * 2:
        _sign_in(client, spelling, "wrong-password")
    assert _sign_in(client, "ben.ortiz@school.org", "a-long-pass-2026").status_code == 429


# --- Password reset limits --------------------------------------------------------


def _reset(client, address, capture, ip="203.0.113.7"):
    with capture(execute=True):
        return client.post(reverse("password_reset"), {"email": address}, REMOTE_ADDR=ip)


def test_password_reset_emails_are_limited_per_address_whatever_the_spelling(
    client, ana, settings, django_capture_on_commit_callbacks
):
    settings.PASSWORD_RESET_ADDRESS_LIMIT = 3
    answers = [
        _reset(client, spelling, django_capture_on_commit_callbacks, ip=f"198.51.100.{n}")
        for n, spelling in enumerate(SPELLINGS)
    ]
    # Every request gets the usual answer: the page tells nothing...
    assert {(r.status_code, r["Location"]) for r in answers} == {
        (302, reverse("password_reset_done"))
    }
    # ...but only three emails went, to the account's address.
    assert [m.to for m in mail.outbox] == [["ana@school.org"]] * 3
    assert Email.objects.filter(kind="password_reset").count() == 3
    # Recorded once, not once per refused request.
    [event] = AuditEvent.objects.filter(action="account.password_reset_limited")
    assert event.data["limits"] == ["address"]
    assert event.data["address"] == "ana@school.org"


def test_password_reset_emails_are_limited_per_client(
    client, db, settings, django_capture_on_commit_callbacks
):
    settings.PASSWORD_RESET_CLIENT_LIMIT = 2
    people = [f.UserFactory(email=f"person{n}@school.example.org") for n in range(4)]
    for person in people[:3]:
        response = _reset(client, person.email, django_capture_on_commit_callbacks)
        assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 2
    # Another client asking for the third person is not held back by the first one.
    _reset(client, people[2].email, django_capture_on_commit_callbacks, ip="192.0.2.99")
    assert [m.to for m in mail.outbox][-1] == [people[2].email]
    assert AuditEvent.objects.get(action="account.password_reset_limited").data["limits"] == [
        "client"
    ]


def test_unknown_addresses_count_towards_the_client_limit_too(
    client, ana, settings, django_capture_on_commit_callbacks
):
    settings.PASSWORD_RESET_CLIENT_LIMIT = 3
    for n in range(3):
        _reset(client, f"nobody{n}@school.example.org", django_capture_on_commit_callbacks)
    response = _reset(client, "ana@school.org", django_capture_on_commit_callbacks)
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_the_reset_limit_opens_again_in_the_next_hour(
    client, ana, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.PASSWORD_RESET_ADDRESS_LIMIT = 1
    for _ in range(2):
        _reset(client, "ana@school.org", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    later = timezone.now() + timedelta(hours=1, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    _reset(client, "ana@school.org", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2


# --- No-store -----------------------------------------------------------------------

SIGNED_IN_GETS = [
    route
    for route in all_routes()
    if route.method == "get" and not route.public and any(k != "anonymous" for k in route.ok)
]


@pytest.mark.parametrize(
    "route", SIGNED_IN_GETS, ids=[f"{r.name}-{n}" for n, r in enumerate(SIGNED_IN_GETS)]
)
def test_every_signed_in_page_and_file_is_no_store(world, client_for, route):
    kind = next(k for k in route.ok if k != "anonymous")
    client = client_for(world.user(kind))
    response = client.get(reverse(route.name, kwargs=route.kwargs(world)), route.data(world))
    assert response.status_code in route.ok_status
    assert "no-store" in response["Cache-Control"], (route.name, response["Cache-Control"])


def test_a_file_download_and_a_csv_are_no_store(world, client_for):
    export = f.ExportFactory(school=world.school)
    response = client_for(world.principal).get(reverse("export_download", args=[export.pk]))
    cache_control = set(response["Cache-Control"].replace(" ", "").split(","))
    assert {"no-cache", "no-store", "must-revalidate", "private"} <= cache_control


def test_the_feed_keeps_its_own_cache_control_even_for_a_signed_in_officer(world, client_for):
    client = client_for(world.sro)
    response = client.get(reverse("officer_feed", args=[OfficerFeed.for_officer(world.sro).token]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"


def test_public_pages_and_static_files_keep_their_caching(world, client, client_for, settings):
    # WhiteNoise serves the files from the source folders, as in development.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    event = f.EventFactory(school=world.school, open_to_families=True)
    public = client.get(reverse("event_public", args=[event.public_token]))
    assert public.status_code == 200
    assert "no-store" not in public.get("Cache-Control", "")
    signed_in = client_for(world.principal)
    static = signed_in.get("/static/js/portal.js")
    assert static.status_code == 200
    assert "no-store" not in static["Cache-Control"] and "public" in static["Cache-Control"]


# --- Idle timeout and the absolute end --------------------------------------------------


class Clock:
    def __init__(self, monkeypatch):
        self.now = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, **delta):
        self.now += timedelta(**delta)


def test_two_hours_without_activity_sign_a_person_out(client, ana, monkeypatch, settings):
    settings.SESSION_IDLE_MINUTES = 120
    clock = Clock(monkeypatch)
    _sign_in(client, "ana@school.org", f.PASSWORD)
    clock.advance(minutes=119)
    assert client.get(reverse("home")).status_code == 200
    # Activity moves the clock: another 119 minutes after that request is fine.
    clock.advance(minutes=119)
    assert client.get(reverse("home")).status_code == 200
    clock.advance(minutes=121)
    response = client.get(reverse("home"), follow=True)
    login_url, _ = response.redirect_chain[-1]
    assert login_url.startswith(reverse("login"))
    assert "You were signed out after 2 hours without activity" in response.content.decode()
    # The session is over for good: signing in again is needed.
    assert client.get(reverse("home")).status_code == 302


def test_the_idle_time_is_a_setting(client, ana, monkeypatch, settings):
    settings.SESSION_IDLE_MINUTES = 30
    clock = Clock(monkeypatch)
    _sign_in(client, "ana@school.org", f.PASSWORD)
    clock.advance(minutes=31)
    response = client.get(reverse("home"), follow=True)
    assert "signed out after 30 minutes without activity" in response.content.decode()


def test_the_activity_is_written_at_most_once_a_minute(client, ana, monkeypatch):
    clock = Clock(monkeypatch)
    _sign_in(client, "ana@school.org", f.PASSWORD)

    def session_writes() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("home")).status_code == 200
        return sum(
            q["sql"].startswith("UPDATE") and "django_session" in q["sql"]
            for q in queries.captured_queries
        )

    clock.advance(seconds=20)
    assert session_writes() == 0
    clock.advance(seconds=30)
    assert session_writes() == 0
    clock.advance(seconds=15)  # over a minute since sign-in
    assert session_writes() == 1


def test_a_session_ends_after_twelve_hours_however_active(client, ana, monkeypatch, settings):
    settings.SESSION_IDLE_MINUTES = 120
    clock = Clock(monkeypatch)
    _sign_in(client, "ana@school.org", f.PASSWORD)
    for _ in range(11):
        clock.advance(hours=1)
        assert client.get(reverse("home")).status_code == 200
    clock.advance(minutes=59)
    assert client.get(reverse("home")).status_code == 200
    clock.advance(minutes=2)  # twelve hours and a minute after signing in
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not Session.objects.filter(expire_date__gt=clock.now).exists()


# --- Cookie names -----------------------------------------------------------------------

COOKIE_NAMES = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)"
)


def _cookie_names(**env) -> list[str]:
    result = _run(
        ["-c", COOKIE_NAMES],
        {**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "sro_portal.settings", **env},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_production_cookies_carry_the_host_prefix():
    assert _cookie_names() == ["__Host-sessionid", "__Host-csrftoken"]
    # Over plain HTTP with secure cookies turned off, a browser would drop a
    # `__Host-` cookie: the usual names then.
    assert _cookie_names(SESSION_COOKIE_SECURE="false", CSRF_COOKIE_SECURE="false") == [
        "sessionid",
        "csrftoken",
    ]
    assert _cookie_names(DEBUG="true") == ["sessionid", "csrftoken"]


def test_the_bench_reads_either_cookie_name():
    from http.cookies import SimpleCookie

    from bench.common import _named

    assert _named(SimpleCookie("__Host-sessionid=abc; csrftoken=x"), "sessionid") == (
        "__Host-sessionid"
    )
    assert _named(SimpleCookie("sessionid=abc"), "sessionid") == "sessionid"
    assert _named(SimpleCookie("other=abc"), "sessionid") is None


def test_a_password_reset_link_still_works_after_normalization(
    client, ana, django_capture_on_commit_callbacks
):
    _reset(client, "  ANA@School.org ", django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.to == ["ana@school.org"]
    assert re.search(r"/accounts/reset/\S+/", message.body)


# --- Across servers ---------------------------------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Needs PostgreSQL: SQLite serializes writers by locking the whole file, "
    "so the race cannot be shown there.",
)
@pytest.mark.django_db(transaction=True)
def test_thirty_simultaneous_reset_requests_send_no_more_than_the_limit(settings):
    import threading

    from django.test import Client

    settings.PASSWORD_RESET_ADDRESS_LIMIT = 3
    f.UserFactory(email="ana@school.org")
    start = threading.Barrier(30)

    def ask(n: int) -> None:
        try:
            start.wait()
            Client().post(
                reverse("password_reset"),
                {"email": SPELLINGS[n % len(SPELLINGS)]},
                REMOTE_ADDR=f"10.2.0.{n + 1}",
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Email.objects.filter(kind="password_reset").count() == 3

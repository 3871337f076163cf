"""Families' public sign-up page: capacity, confirmation with .ics, cancelling,
rate limiting, and deleting contact data after the event."""

import threading
from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.families.models import FamilySignup
from events.invitations.models import hash_token
from onboarding.outbox.models import Email
from tests import factories as f


def _signup(
    client, event, *, name="Ana Silva", email="ana@home.example.org", party=1, ip="10.0.0.1"
):
    return client.post(
        reverse("event_public", args=[event.public_token]),
        {"name": name, "email": email, "party_size": str(party)},
        REMOTE_ADDR=ip,
    )


@pytest.fixture
def coffee(world):
    return f.EventFactory(
        school=world.school,
        organizer=world.principal,
        title="Family coffee hour",
        description="Coffee and questions with our school's officer.",
        open_to_families=True,
        capacity=10,
    )


def test_public_page_shows_the_event_and_nothing_else_of_the_school(world, client, coffee):
    f.EventFactory(school=world.school, title="Staff meeting about budgets")
    response = client.get(reverse("event_public", args=[coffee.public_token]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Family coffee hour" in page and "Coffee and questions" in page
    assert "10 places left" in page
    for secret in (
        world.school.name,
        world.principal.full_name,
        world.principal.email,
        "Staff meeting",
    ):
        assert secret not in page
    assert 'href="/schools/' not in page


def test_an_event_closed_to_families_has_no_public_page(world, client):
    event = f.EventFactory(school=world.school, open_to_families=False)
    assert client.get(reverse("event_public", args=[event.public_token])).status_code == 404


def test_family_signs_up_and_gets_a_confirmation_with_ics_and_cancel_link(
    world, client, coffee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client, coffee, party=3)
    assert response.status_code == 200
    assert "You are signed up" in response.content.decode()
    signup = FamilySignup.objects.get()
    assert (signup.name, signup.email, signup.party_size) == (
        "Ana Silva",
        "ana@home.example.org",
        3,
    )
    (message,) = mail.outbox
    assert message.to == ["ana@home.example.org"]
    (ics,) = [a for a in message.attachments if a[0].endswith(".ics")]
    (entry,) = icalendar.Calendar.from_ical(ics[1]).walk("VEVENT")
    assert entry.decoded("dtstart") == coffee.starts_at.replace(microsecond=0)
    content = ics[1] if isinstance(ics[1], str) else ics[1].decode()
    assert world.principal.email not in content
    cancel_prefix = f"/e/{coffee.public_token}/cancel/"
    assert cancel_prefix in message.body
    cancel_path = message.body.split("http://127.0.0.1:8000", 2)[-1].split()[0]
    assert cancel_path.startswith(cancel_prefix)
    # Our copy of the email, which held the cancel link, is erased once sent.
    (sent,) = Email.objects.filter(address="ana@home.example.org")
    assert (sent.state, sent.text, sent.html) == (Email.State.SENT, "", "")

    # The link lets the family free their places.
    assert client.get(cancel_path).status_code == 200
    client.post(cancel_path)
    signup.refresh_from_db()
    assert signup.cancelled_at is not None
    assert coffee.places_left() == 10


def test_a_wrong_cancel_token_is_a_404(client, coffee):
    f.FamilySignupFactory(event=coffee, cancel_token_hash=hash_token("right"))
    url = reverse("event_public_cancel", args=[coffee.public_token, "wrong"])
    assert client.post(url).status_code == 404
    assert FamilySignup.objects.get().cancelled_at is None


def test_sign_ups_stop_at_capacity_and_the_next_family_is_told_it_is_full(client, coffee):
    assert _signup(client, coffee, party=6, ip="10.0.0.1").status_code == 200
    too_big = _signup(client, coffee, party=5, ip="10.0.0.2")
    assert too_big.status_code == 400
    assert "only 4 places are left" in too_big.content.decode()
    assert _signup(client, coffee, party=4, ip="10.0.0.3").status_code == 200
    full = _signup(client, coffee, party=1, ip="10.0.0.4")
    assert full.status_code == 400
    assert "This event is full" in full.content.decode()
    assert sum(FamilySignup.objects.values_list("party_size", flat=True)) == 10
    page = client.get(reverse("event_public", args=[coffee.public_token]), REMOTE_ADDR="10.0.0.5")
    assert "This event is full" in page.content.decode()


def test_sign_ups_close_when_the_event_is_cancelled_or_past(world, client, coffee):
    coffee.cancelled_at = timezone.now()
    coffee.save()
    assert _signup(client, coffee).status_code == 400
    past = f.EventFactory(
        school=world.school,
        open_to_families=True,
        starts_at=timezone.now() - timedelta(hours=2),
        ends_at=timezone.now() - timedelta(hours=1),
    )
    assert _signup(client, past).status_code == 400
    assert not FamilySignup.objects.exists()


def test_the_public_page_is_rate_limited_per_address_and_event(client, coffee, settings):
    settings.PUBLIC_SIGNUP_RATE_LIMIT = 2
    for n in range(2):
        assert _signup(client, coffee, email=f"f{n}@home.example.org").status_code == 200
    third = _signup(client, coffee, email="f3@home.example.org")
    assert third.status_code == 429
    assert third["Retry-After"] == "600"
    assert FamilySignup.objects.count() == 2
    # Another address is not affected.
    assert _signup(client, coffee, email="f4@home.example.org", ip="10.9.9.9").status_code == 200

    settings.PUBLIC_PAGE_RATE_LIMIT = 3
    url = reverse("event_public", args=[coffee.public_token])
    statuses = [client.get(url, REMOTE_ADDR="10.7.7.7").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_family_contact_data_is_deleted_after_the_retention_period(world, settings):
    settings.FAMILY_DATA_RETENTION_DAYS = 30
    now = timezone.now()
    old = f.EventFactory(
        school=world.school,
        open_to_families=True,
        starts_at=now - timedelta(days=31, hours=2),
        ends_at=now - timedelta(days=31),
    )
    recent = f.EventFactory(
        school=world.school,
        open_to_families=True,
        starts_at=now - timedelta(days=10, hours=2),
        ends_at=now - timedelta(days=10),
    )
    gone = f.FamilySignupFactory(event=old, party_size=3)
    kept = f.FamilySignupFactory(event=recent)
    call_command("purge_family_contacts", stdout=None)
    gone.refresh_from_db()
    kept.refresh_from_db()
    assert (gone.name, gone.email, gone.purged_at is not None) == ("", "", True)
    assert gone.party_size == 3  # the count of places stays
    assert kept.name and kept.email and kept.purged_at is None
    old.refresh_from_db()
    assert old.families_purged_at is not None


def test_organizer_sees_sign_ups_and_the_link_to_share(world, client_for, coffee):
    signup = f.FamilySignupFactory(event=coffee, party_size=2)
    page = (
        client_for(world.principal)
        .get(reverse("event_detail", args=[world.school.pk, coffee.pk]))
        .content.decode()
    )
    assert signup.email in page and f"/e/{coffee.public_token}/" in page
    teacher_page = (
        client_for(world.staff)
        .get(reverse("event_detail", args=[world.school.pk, coffee.pk]))
        .content.decode()
    )
    assert signup.email not in teacher_page


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Needs PostgreSQL: SQLite has no row locks (SELECT ... FOR UPDATE) and "
    "serializes writers by locking the whole file, so the race cannot be shown there.",
)
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_sign_ups_for_ten_places_never_overbook():
    event = f.EventFactory(open_to_families=True, capacity=10)
    url = reverse("event_public", args=[event.public_token])
    start = threading.Barrier(50)
    statuses: list[int] = []
    lock = threading.Lock()

    def sign_up(n: int) -> None:
        try:
            start.wait()
            response = Client().post(
                url,
                {"name": f"Family {n}", "email": f"f{n}@home.example.org", "party_size": "1"},
                REMOTE_ADDR=f"10.1.{n // 200}.{n % 200 + 1}",
            )
            with lock:
                statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200] * 10 + [400] * 40
    assert FamilySignup.objects.filter(event=event).count() == 10
    assert len(mail.outbox) == 10


def test_the_purge_deletes_the_families_emails_from_the_outbox_too(
    world, client, settings, mail_server, django_capture_on_commit_callbacks
):
    from events.invitations.workflows import event_cancel
    from onboarding.audit.models import AuditEvent
    from onboarding.outbox.models import Email

    settings.FAMILY_DATA_RETENTION_DAYS = 30
    old, recent = (
        f.EventFactory(school=world.school, organizer=world.principal, open_to_families=True)
        for _ in range(2)
    )
    f.EventInvitationFactory(event=old, user=world.sro)
    mail_server.refuse["ben@home.example.org"] = ["451 4.7.1 Try again later"] * 9
    with django_capture_on_commit_callbacks(execute=True):
        _signup(client, old, email="ana@home.example.org")
        _signup(client, old, email="Ben@Home.example.org", ip="10.0.0.3")
        _signup(client, recent, email="ana@home.example.org", ip="10.0.0.2")
        event_cancel(event=old, by=world.principal)  # the families and the officer are told
    to_ana = Email.objects.filter(address="ana@home.example.org")
    assert sorted(to_ana.values_list("kind", "state")) == [
        ("event_family_cancelled", "sent"),
        ("event_family_confirmation", "sent"),
        ("event_family_confirmation", "sent"),
    ]
    to_ben = Email.objects.filter(address="Ben@Home.example.org")
    assert set(to_ben.values_list("state", flat=True)) == {"retry"}  # still waiting

    long_ago = timezone.now() - timedelta(days=31)
    type(old).objects.filter(pk=old.pk).update(
        starts_at=long_ago - timedelta(hours=1), ends_at=long_ago
    )
    call_command("purge_family_contacts", stdout=open("/dev/null", "w"))  # noqa: SIM115

    # Nothing of the families of the old event is left, sent or waiting...
    assert not Email.objects.filter(target_id=str(old.pk), recipient__isnull=True).exists()
    assert not Email.objects.filter(address__iexact="ben@home.example.org").exists()
    # ... but Ana's confirmation for the coming event stays, and the officer's email.
    assert list(to_ana.values_list("target_id", flat=True)) == [str(recent.pk)]
    assert Email.objects.filter(recipient=world.sro, target_id=str(old.pk)).exists()
    summary = AuditEvent.objects.get(action="event.family_contacts_purged").summary
    assert summary == "Deleted the contact data of 2 family sign-ups and 4 emails to them"

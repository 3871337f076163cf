"""Events' emails through the outbox: written in the transaction of the change, the
fan-out to many people expanded by the worker (the request answers in the same
number of queries for 10 invitees or 300), each email with its .ics, and a mail
server that refuses one person costs nobody else their email."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.families.workflows import family_sign_up
from events.invitations import workflows
from events.invitations.models import Event
from onboarding.outbox.models import Email, Mailing
from onboarding.schools.models import Role
from tests import factories as f

CHICAGO = ZoneInfo("America/Chicago")


def _next_week_at(hour: int) -> datetime:
    day = (timezone.now() + timedelta(days=7)).astimezone(CHICAGO).date()
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=CHICAGO)


def _local(moment: datetime) -> str:
    return moment.astimezone(CHICAGO).strftime("%Y-%m-%dT%H:%M")


def _entry(message) -> icalendar.Event:
    (attachment,) = [a for a in message.attachments if a[0] == "event.ics"]
    assert attachment[2] == "text/calendar"
    (entry,) = icalendar.Calendar.from_ical(attachment[1]).walk("VEVENT")
    return entry


def _event(world, **fields) -> Event:
    start = _next_week_at(8)
    defaults = {
        "school": world.school,
        "organizer": world.principal,
        "title": "Family night",
        "starts_at": start,
        "ends_at": start + timedelta(hours=1),
        "open_to_families": True,
    }
    return f.EventFactory(**{**defaults, **fields})


def _invite_staff(client, world, event):
    return client.post(
        reverse("event_invite", args=[world.school.pk, event.pk]), {"roles": ["staff"]}
    )


def _invite_and_count(client, world, event, django_capture_on_commit_callbacks):
    """The queries of the invite request alone; the mailing then runs as the worker
    would once the request's transaction commits."""
    # The invite page first, as a person would: the session's first save is not
    # the invitation's cost.
    assert client.get(reverse("event_invite", args=[world.school.pk, event.pk])).status_code == 200
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        CaptureQueriesContext(connection) as queries,
    ):
        response = _invite_staff(client, world, event)
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    return len(queries)


def test_inviting_300_people_costs_the_request_the_queries_of_inviting_10(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for(world.principal)
    f.MembershipFactory.create_batch(9, school=world.school, role=Role.STAFF)  # 10 with world's
    few = _event(world, title="Staff breakfast")
    queries_for_10 = _invite_and_count(client, world, few, django_capture_on_commit_callbacks)
    assert few.invitations.count() == 10
    assert len(mail.outbox) == 10

    mail.outbox.clear()
    f.MembershipFactory.create_batch(290, school=world.school, role=Role.STAFF)
    many = _event(world, title="All-staff assembly")
    queries_for_300 = _invite_and_count(client, world, many, django_capture_on_commit_callbacks)
    assert queries_for_300 == queries_for_10, (queries_for_10, queries_for_300)
    # Session, user, their memberships (school, agency, district), the event, the
    # staff chosen; in the transaction (savepoint, release): who is already invited,
    # the invitations (one insert), the audit event (the hash of the one before it,
    # and on PostgreSQL the lock that orders the chain), the mailing.
    assert queries_for_300 == (15 if connection.vendor == "postgresql" else 14)

    staff = set(many.invitations.values_list("user__email", flat=True))
    assert len(staff) == 300
    assert sorted(m.to[0] for m in mail.outbox) == sorted(staff)  # one each
    for message in mail.outbox:
        entry = _entry(message)
        assert str(entry["uid"]) == f"event-{many.pk}@sro-portal"
        assert str(entry["attendee"]) == f"mailto:{message.to[0]}"
        assert entry.decoded("dtstart") == many.starts_at
    mailing = Mailing.objects.get(target_id=str(many.pk), kind="event_invitation")
    delivery = mailing.delivery()
    assert (mailing.recipients, delivery.sent, delivery.failed) == (300, 300, 0)


def test_a_change_rolled_back_sends_nothing(world, django_capture_on_commit_callbacks):
    event = _event(world)
    f.EventInvitationFactory(event=event, user=world.sro)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        family_sign_up(event=event, name="Ana", email="ana@home.example.org", party_size=2)
        workflows.event_cancel(event=event, by=world.principal)
        # Written with the change, in its transaction...
        assert Mailing.objects.filter(kind="event_cancelled").exists()
        assert Email.objects.filter(address="ana@home.example.org").exists()
        raise RuntimeError("the change fails after its emails were planned")
    # ... and gone with it.
    assert not Mailing.objects.exists() and not Email.objects.exists()
    assert mail.outbox == []
    event.refresh_from_db()
    assert not event.is_cancelled


def test_an_event_moved_sends_each_invitee_one_changed_email_with_the_new_time(
    world, client_for, django_capture_on_commit_callbacks
):
    event = _event(world)
    invitees = [world.sro, world.staff, world.counselor]
    for person in invitees:
        f.EventInvitationFactory(event=event, user=person, answer="going")
    f.EventInvitationFactory(event=event, user=world.principal, answer="going")  # the organizer
    proposal = f.TimeProposalFactory(
        invitation=event.invitations.get(user=world.sro),
        starts_at=_next_week_at(18),
        ends_at=_next_week_at(19),
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.principal).post(
            reverse("proposal_accept", args=[world.school.pk, event.pk, proposal.pk])
        )
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in invitees)
    for message in mail.outbox:
        assert message.subject.startswith("New time")
        assert "6:00 PM" in message.body
        entry = _entry(message)
        assert entry.decoded("dtstart") == _next_week_at(18)
        assert entry["sequence"] == 1
    assert set(Email.objects.values_list("kind", "target_id")) == {("event_changed", str(event.pk))}


def test_a_change_superseded_before_the_worker_runs_tells_only_the_latest_time(
    world, client_for, django_capture_on_commit_callbacks
):
    event = _event(world)
    f.EventInvitationFactory(event=event, user=world.sro)
    client = client_for(world.principal)

    def edit(hour):
        return client.post(
            reverse("event_edit", args=[world.school.pk, event.pk]),
            {
                "kind": "coffee_hour",
                "title": event.title,
                "starts_at": _local(_next_week_at(hour)),
                "ends_at": _local(_next_week_at(hour + 1)),
                "place": "Gym",
            },
        )

    with django_capture_on_commit_callbacks(execute=False) as first:
        edit(10)  # the worker is slow: its mailing waits
    with django_capture_on_commit_callbacks(execute=True):
        edit(14)
        for callback in first:
            callback()
    (message,) = mail.outbox
    assert _entry(message).decoded("dtstart") == _next_week_at(14)
    assert Mailing.objects.filter(kind="event_changed").count() == 2


def test_a_refused_invitee_costs_the_others_nothing(
    world, client_for, mail_server, django_capture_on_commit_callbacks
):
    f.MembershipFactory.create_batch(4, school=world.school, role=Role.STAFF)
    event = _event(world)
    mail_server.refuse[world.staff.email] = ["550 5.1.1 No such user here"]
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite_staff(client_for(world.principal), world, event)
    assert response.status_code == 302
    staff = set(event.invitations.values_list("user__email", flat=True))
    assert len(staff) == 5
    assert sorted(mail_server.addresses()) == sorted(staff - {world.staff.email})
    failed = Email.objects.get(state=Email.State.FAILED)
    assert (failed.address, failed.last_error) == (world.staff.email, "550 5.1.1 No such user here")
    assert Email.objects.filter(state=Email.State.SENT).count() == 4
    world.staff.refresh_from_db()
    assert world.staff.email_bounce == "550 5.1.1 No such user here"

"""Creating events, inviting people, answers, proposals of another time, cancelling,
reminders and attendance."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from events.invitations.models import Event, EventInvitation, TimeProposal
from onboarding.audit.models import AuditEvent
from onboarding.schools.models import Role
from tests import factories as f

CHICAGO = ZoneInfo("America/Chicago")


def _local(moment: datetime) -> str:
    return moment.astimezone(CHICAGO).strftime("%Y-%m-%dT%H:%M")


def _next_week_at(hour: int) -> datetime:
    day = (timezone.now() + timedelta(days=7)).astimezone(CHICAGO).date()
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=CHICAGO)


def _ics(message) -> icalendar.Event:
    attachments = [a for a in message.attachments if a[0].endswith(".ics")]
    assert len(attachments) == 1, message.attachments
    filename, content, mimetype = attachments[0]
    assert mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    return events[0]


def _to(email):
    return [m for m in mail.outbox if m.to == [email]]


@pytest.fixture
def coffee(world):
    start = _next_week_at(8)
    event = f.EventFactory(
        school=world.school,
        organizer=world.principal,
        title="Coffee with the principal",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        open_to_families=True,
        capacity=10,
    )
    invitation = f.EventInvitationFactory(event=event, user=world.sro)
    return event, invitation


def test_principal_creates_an_event_and_the_officer_gets_an_ics_invitation(
    world, client_for, django_capture_on_commit_callbacks
):
    f.MembershipFactory(school=world.other_school, role=Role.SRO)  # not invited
    client = client_for(world.principal)
    start = _next_week_at(8)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("event_create", args=[world.school.pk]),
            {
                "kind": "coffee_hour",
                "title": "Coffee with the principal",
                "description": "Meet Officer and Principal over coffee.",
                "starts_at": _local(start),
                "ends_at": _local(start + timedelta(minutes=90)),
                "place": "Library",
                "open_to_families": "on",
                "capacity": "30",
                "invite_officers": "on",
            },
        )
    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("event_detail", args=[world.school.pk, event.pk])
    assert event.starts_at == start and event.organizer == world.principal
    assert list(event.invitations.values_list("user", flat=True)) == [world.sro.pk]
    assert AuditEvent.objects.filter(action="event.created", target_id=str(event.pk)).exists()

    (message,) = mail.outbox
    assert message.to == [world.sro.email]
    assert "Coffee with the principal" in message.subject
    assert reverse("event_answer", args=[world.school.pk, event.pk]) in message.body
    assert "8:00 AM" in message.body  # in the school's zone, not UTC
    entry = _ics(message)
    assert entry.decoded("dtstart") == start
    assert entry.decoded("dtend") == start + timedelta(minutes=90)
    assert str(entry["organizer"]) == f"mailto:{world.principal.email}"
    assert entry["organizer"].params["CN"] == world.principal.full_name
    assert str(entry["attendee"]) == f"mailto:{world.sro.email}"
    assert str(entry["summary"]) == "Coffee with the principal"
    assert str(entry["location"]) == "Library"


def test_event_end_must_follow_its_start(world, client_for):
    start = _next_week_at(8)
    response = client_for(world.principal).post(
        reverse("event_create", args=[world.school.pk]),
        {
            "kind": "other",
            "title": "Backwards",
            "starts_at": _local(start),
            "ends_at": _local(start),
        },
    )
    assert response.status_code == 200
    assert "The end must be after the start." in response.content.decode()
    assert not Event.objects.exists()


def test_invite_by_role_and_by_name_skips_people_already_invited(
    world, client_for, coffee, django_capture_on_commit_callbacks
):
    event, _ = coffee
    second_teacher = f.MembershipFactory(school=world.school, role=Role.STAFF).user
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.principal).post(
            reverse("event_invite", args=[world.school.pk, event.pk]),
            {"roles": ["staff"], "people": [world.counselor.pk], "officers": "on"},
        )
    assert response.status_code == 302
    invited = set(event.invitations.values_list("user", flat=True))
    assert invited == {world.sro.pk, world.staff.pk, second_teacher.pk, world.counselor.pk}
    # The officer was already invited: only the three newcomers get an email.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.staff.email, second_teacher.email, world.counselor.email]
    )
    assert all(_ics(m)["uid"] == f"event-{event.pk}@sro-portal" for m in mail.outbox)


def test_invite_form_cannot_reach_people_of_another_school(world, client_for, coffee):
    event, _ = coffee
    stranger = f.MembershipFactory(school=world.other_school, role=Role.STAFF).user
    response = client_for(world.principal).post(
        reverse("event_invite", args=[world.school.pk, event.pk]), {"people": [stranger.pk]}
    )
    assert response.status_code == 200
    assert not event.invitations.filter(user=stranger).exists()


def test_officer_answers_with_a_note(world, client_for, coffee):
    event, invitation = coffee
    response = client_for(world.sro).post(
        reverse("event_answer", args=[world.school.pk, event.pk]),
        {"answer": "maybe", "note": "Court date that morning"},
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.answer == "maybe" and invitation.note == "Court date that morning"
    page = client_for(world.principal).get(
        reverse("event_detail", args=[world.school.pk, event.pk])
    )
    assert "Court date that morning" in page.content.decode()


def test_officer_proposes_a_time_and_the_organizer_accepts_it(
    world, client_for, coffee, django_capture_on_commit_callbacks
):
    event, invitation = coffee
    teacher = f.EventInvitationFactory(event=event, user=world.staff, answer="going")
    family = f.FamilySignupFactory(event=event)
    new_start = _next_week_at(15)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.sro).post(
            reverse("event_propose", args=[world.school.pk, event.pk]),
            {
                "proposal-starts_at": _local(new_start),
                "proposal-ends_at": _local(new_start + timedelta(hours=1)),
                "proposal-note": "I am on patrol in the morning",
            },
        )
    assert response.status_code == 302
    proposal = TimeProposal.objects.get()
    (to_organizer,) = mail.outbox
    assert to_organizer.to == [world.principal.email]
    assert "I am on patrol in the morning" in to_organizer.body
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.principal).post(
            reverse("proposal_accept", args=[world.school.pk, event.pk, proposal.pk])
        )
    assert response.status_code == 302
    event.refresh_from_db()
    proposal.refresh_from_db()
    invitation.refresh_from_db()
    teacher.refresh_from_db()
    assert (event.starts_at, event.ends_at) == (new_start, new_start + timedelta(hours=1))
    assert event.sequence == 1
    assert proposal.status == "accepted"
    assert invitation.answer == "going"
    assert teacher.answer == "pending"  # asked to answer again for the new time
    # Everyone is told: both invitees and the family, each with the new time.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.sro.email, world.staff.email, family.email]
    )
    for message in mail.outbox:
        entry = _ics(message)
        assert entry.decoded("dtstart") == new_start
        assert entry["sequence"] == 1
    family_entry = _ics(_to(family.email)[0])
    assert world.principal.email not in str(family_entry["organizer"])


def test_organizer_declines_a_proposal_and_the_time_stays(
    world, client_for, coffee, django_capture_on_commit_callbacks
):
    event, invitation = coffee
    proposal = f.TimeProposalFactory(invitation=invitation)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.principal).post(
            reverse("proposal_decline", args=[world.school.pk, event.pk, proposal.pk])
        )
    proposal.refresh_from_db()
    assert proposal.status == "declined"
    assert Event.objects.get().starts_at == event.starts_at
    (message,) = mail.outbox
    assert message.to == [world.sro.email]


def test_a_decided_proposal_cannot_be_accepted_again(world, client_for, coffee):
    event, invitation = coffee
    proposal = f.TimeProposalFactory(invitation=invitation, status="declined")
    client_for(world.principal).post(
        reverse("proposal_accept", args=[world.school.pk, event.pk, proposal.pk])
    )
    event.refresh_from_db()
    assert event.sequence == 0


def test_cancelling_tells_invitees_and_families(
    world, client_for, coffee, django_capture_on_commit_callbacks
):
    event, _ = coffee
    family = f.FamilySignupFactory(event=event)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.principal).post(reverse("event_cancel", args=[world.school.pk, event.pk]))
    event.refresh_from_db()
    assert event.is_cancelled
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.sro.email, family.email])
    for message in mail.outbox:
        assert str(_ics(message)["status"]) == "CANCELLED"


def test_editing_the_time_tells_invitees(
    world, client_for, coffee, django_capture_on_commit_callbacks
):
    event, _ = coffee
    later = event.starts_at + timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.principal).post(
            reverse("event_edit", args=[world.school.pk, event.pk]),
            {
                "kind": "coffee_hour",
                "title": event.title,
                "starts_at": _local(later),
                "ends_at": _local(later + timedelta(hours=1)),
                "place": "Cafeteria",
                "open_to_families": "on",
                "capacity": "10",
            },
        )
    event.refresh_from_db()
    assert event.starts_at == later and event.sequence == 1
    (message,) = mail.outbox
    assert message.to == [world.sro.email]
    assert _ics(message).decoded("dtstart") == later


def test_editing_only_the_description_sends_nothing(world, client_for, coffee):
    event, _ = coffee
    client_for(world.principal).post(
        reverse("event_edit", args=[world.school.pk, event.pk]),
        {
            "kind": "coffee_hour",
            "title": event.title,
            "description": "Now with pastries",
            "starts_at": _local(event.starts_at),
            "ends_at": _local(event.ends_at),
            "place": event.place,
            "open_to_families": "on",
            "capacity": "10",
        },
    )
    event.refresh_from_db()
    assert event.description == "Now with pastries" and event.sequence == 0
    assert mail.outbox == []


def test_reminders_go_to_going_maybe_and_unanswered_once(world, django_capture_on_commit_callbacks):
    soon = (timezone.now() + timedelta(days=1)).replace(microsecond=0)
    event = f.EventFactory(school=world.school, organizer=world.principal, starts_at=soon)
    going = f.EventInvitationFactory(event=event, answer="going")
    maybe = f.EventInvitationFactory(event=event, answer="maybe")
    silent = f.EventInvitationFactory(event=event)
    f.EventInvitationFactory(event=event, answer="declined")
    far = f.EventFactory(school=world.school, starts_at=timezone.now() + timedelta(days=10))
    f.EventInvitationFactory(event=far)
    cancelled = f.EventFactory(school=world.school, starts_at=soon, cancelled_at=timezone.now())
    f.EventInvitationFactory(event=cancelled)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_event_reminders", days=2, stdout=None)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [going.user.email, maybe.user.email, silent.user.email]
    )
    assert all(m.subject.startswith("Reminder:") for m in mail.outbox)
    assert all(_ics(m).decoded("dtstart") == event.starts_at for m in mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_event_reminders", days=2, stdout=None)
    assert len(mail.outbox) == 3


def test_attendance_is_recorded_after_the_event(world, client_for):
    now = timezone.now()
    event = f.EventFactory(
        school=world.school,
        organizer=world.principal,
        starts_at=now - timedelta(hours=3),
        ends_at=now - timedelta(hours=2),
    )
    came = f.EventInvitationFactory(event=event, user=world.sro, answer="going")
    absent = f.EventInvitationFactory(event=event, user=world.staff, answer="going")
    client = client_for(world.principal)
    page = client.get(reverse("event_attendance", args=[world.school.pk, event.pk]))
    assert world.sro.full_name in page.content.decode()
    response = client.post(
        reverse("event_attendance", args=[world.school.pk, event.pk]), {"attended": [came.pk]}
    )
    assert response.status_code == 302
    assert EventInvitation.objects.get(pk=came.pk).attended is True
    assert EventInvitation.objects.get(pk=absent.pk).attended is False
    event.refresh_from_db()
    assert event.attendance_recorded_at is not None


def test_attendance_waits_for_the_event_to_start(world, client_for, coffee):
    event, invitation = coffee
    response = client_for(world.principal).post(
        reverse("event_attendance", args=[world.school.pk, event.pk]), {"attended": [invitation.pk]}
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.attended is None


def test_another_schools_event_is_a_404(world, client_for):
    event = f.EventFactory(school=world.other_school)
    response = client_for(world.principal).get(
        reverse("event_detail", args=[world.school.pk, event.pk])
    )
    assert response.status_code == 404


def test_teacher_who_organizes_a_class_talk_may_record_its_attendance(world, client_for):
    now = timezone.now()
    event = f.EventFactory(
        school=world.school,
        organizer=world.staff,
        kind="class_talk",
        starts_at=now - timedelta(hours=2),
        ends_at=now - timedelta(hours=1),
    )
    f.EventInvitationFactory(event=event, user=world.sro)
    client = client_for(world.staff)
    assert (
        client.get(reverse("event_attendance", args=[world.school.pk, event.pk])).status_code == 200
    )
    other = f.EventFactory(school=world.school, organizer=world.principal)
    assert client.get(reverse("event_edit", args=[world.school.pk, other.pk])).status_code == 403


def test_accepted_by_lists_the_officers_going_events_only(world):
    going = f.EventInvitationFactory(event__school=world.school, user=world.sro, answer="going")
    f.EventInvitationFactory(event__school=world.school, user=world.sro, answer="maybe")
    f.EventInvitationFactory(
        event__school=world.school,
        event__cancelled_at=timezone.now(),
        user=world.sro,
        answer="going",
    )
    assert list(Event.objects.accepted_by(world.sro)) == [going.event]


def test_a_cancelled_event_takes_no_answers(world, client_for, coffee):
    event, invitation = coffee
    event.cancelled_at = timezone.now()
    event.save()
    response = client_for(world.sro).post(
        reverse("event_answer", args=[world.school.pk, event.pk]), {"answer": "going"}
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.answer == "pending"

"""Calendar files read back as what people typed: a control character in a name, a
title, a place or a note adds no line and no component, in the officer's feed and in
every email's .ics. Control characters are removed; in a description or the class's
questions a line break stays a line break (inside the one property)."""

import re
from datetime import timedelta
from io import StringIO

import icalendar
import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from events.schedule.models import OfficerFeed
from onboarding.schools.models import Role
from tests import factories as f

INJECTED = "Marcus\rEND:VEVENT\rBEGIN:VEVENT\rSUMMARY:Injected"
INJECTED_TYPED = "MarcusEND:VEVENTBEGIN:VEVENTSUMMARY:Injected"

TITLE = "Coffee\r\nEND:VEVENT\nBEGIN:VALARM\x1f hour"
TITLE_TYPED = "CoffeeEND:VEVENTBEGIN:VALARM hour"
PLACE = "Gym\x07\x1b B\x7f\x85"
PLACE_TYPED = "Gym B"
ABOUT = "Bring\rID\x01\r\nplease\x0b"
ABOUT_TYPED = "Bring\nID\nplease"


def _read(content: bytes | str) -> icalendar.Calendar:
    raw = content.encode() if isinstance(content, str) else content
    # Every line ends with CRLF; no lone CR or LF, nor any other control character
    # (PostgreSQL stores no NUL, and forms refuse it, so the tests type none).
    lines = raw.decode().split("\r\n")
    assert not any(re.search(r"[\x00-\x1f\x7f-\x9f]", line) for line in lines), raw
    return icalendar.Calendar.from_ical(raw)


def _components(calendar: icalendar.Calendar) -> list[str]:
    return [component.name for component in calendar.walk()]


@pytest.fixture
def marcus(world):
    """The officer and the principal, named with carriage returns; the officer's
    class and the school's event with control characters in what was typed."""
    world.sro.full_name = INJECTED
    world.sro.save(update_fields=["full_name"])
    world.principal.full_name = "Dana\rEND:VCALENDAR"
    world.principal.save(update_fields=["full_name"])
    event = f.EventFactory(
        school=world.school,
        organizer=world.principal,
        title=TITLE,
        place=PLACE,
        description=ABOUT,
        open_to_families=True,
    )
    return event


def test_the_feed_holds_one_entry_a_visit_and_an_event_whatever_was_typed(world, client, marcus):
    teacher = f.MembershipFactory(school=world.school, role=Role.STAFF).user
    teacher.full_name = "Lee\r\nORGANIZER:mailto:evil@example.org"
    teacher.save(update_fields=["full_name"])
    visit = f.VisitFactory(
        section=f.ClassSectionFactory(
            school=world.school,
            name="Civics\rEND:VEVENT",
            room="2\x0c14",
            teacher=teacher,
            size=25,
            period=f.PeriodFactory(school=world.school, name="Period\x0b 2"),
        ),
        officer=world.sro,
        student_questions="Why?\rDo you\x07 drive fast?",
    )
    f.EventInvitationFactory(event=marcus, user=world.sro, answer="going")

    response = client.get(reverse("officer_feed", args=[OfficerFeed.for_officer(world.sro).token]))
    calendar = _read(response.content)

    assert _components(calendar) == ["VCALENDAR", "VEVENT", "VEVENT"]
    assert str(calendar["x-wr-calname"]) == f"{INJECTED_TYPED}: SRO schedule"
    entries = {str(entry["uid"]): entry for entry in calendar.walk("VEVENT")}
    class_visit = entries[f"introduction-visit-{visit.pk}@sro-portal"]
    assert str(class_visit["summary"]) == "Class introduction: CivicsEND:VEVENT"
    assert str(class_visit["location"]) == "Room 214, Oak Ridge High School"
    assert str(class_visit["description"]) == (
        "Period 2 at Oak Ridge High School\n"
        "Teacher: LeeORGANIZER:mailto:evil@example.org\n"
        "25 students\n"
        "Questions from the class:\n"
        "Why?\nDo you drive fast?"
    )
    event = entries[f"event-{marcus.pk}@sro-portal"]
    assert str(event["summary"]) == TITLE_TYPED
    assert str(event["location"]) == PLACE_TYPED
    assert str(event["description"]) == ABOUT_TYPED
    assert event["organizer"].params["CN"] == "DanaEND:VCALENDAR"
    assert str(event["organizer"]) == f"mailto:{world.principal.email}"


def _ics_to(email: str) -> list[icalendar.Calendar]:
    calendars = []
    for message in mail.outbox:
        if message.to == [email]:
            (ics,) = [a for a in message.attachments if a[0].endswith(".ics")]
            calendars.append(_read(ics[1]))
    return calendars


def _assert_typed(entry, *, attendee: str | None, organizer: str) -> None:
    assert str(entry["summary"]) == TITLE_TYPED
    assert str(entry["location"]) == PLACE_TYPED
    assert str(entry["description"]) == ABOUT_TYPED
    assert entry["organizer"].params["CN"] == organizer
    if attendee is None:
        assert "attendee" not in entry
    else:
        assert entry["attendee"].params["CN"] == attendee


def test_the_invitation_and_the_reminder_hold_one_event(
    world, client_for, marcus, django_capture_on_commit_callbacks
):
    url = reverse("event_invite", args=[world.school.pk, marcus.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(world.principal).post(url, {"officers": "on"}).status_code == 302
        call_command("send_event_reminders", days=8, stdout=StringIO())

    invitation, reminder = _ics_to(world.sro.email)
    for calendar in (invitation, reminder):
        assert _components(calendar) == ["VCALENDAR", "VEVENT"]
        assert str(calendar["method"]) == "PUBLISH"
        (entry,) = calendar.walk("VEVENT")
        assert str(entry["uid"]) == f"event-{marcus.pk}@sro-portal"
        _assert_typed(entry, attendee=INJECTED_TYPED, organizer="DanaEND:VCALENDAR")


def test_a_move_and_a_cancellation_hold_one_event_for_staff_and_families(
    world, client_for, marcus, django_capture_on_commit_callbacks
):
    invitation = f.EventInvitationFactory(event=marcus, user=world.sro)
    f.FamilySignupFactory(event=marcus, name="Ana\rEND:VEVENT", email="ana@home.example.org")
    proposal = f.TimeProposalFactory(invitation=invitation)
    client = client_for(world.principal)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("proposal_accept", args=[world.school.pk, marcus.pk, proposal.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("event_cancel", args=[world.school.pk, marcus.pk]))

    moved, cancelled = _ics_to(world.sro.email)
    family_moved, family_cancelled = _ics_to("ana@home.example.org")
    for calendar, method, status, sequence in [
        (moved, "PUBLISH", "CONFIRMED", 1),
        (cancelled, "CANCEL", "CANCELLED", 2),
        (family_moved, "PUBLISH", "CONFIRMED", 1),
        (family_cancelled, "CANCEL", "CANCELLED", 2),
    ]:
        assert _components(calendar) == ["VCALENDAR", "VEVENT"]
        assert str(calendar["method"]) == method
        (entry,) = calendar.walk("VEVENT")
        assert str(entry["uid"]) == f"event-{marcus.pk}@sro-portal"
        assert (str(entry["status"]), entry["sequence"]) == (status, sequence)
    _assert_typed(moved.walk("VEVENT")[0], attendee=INJECTED_TYPED, organizer="DanaEND:VCALENDAR")
    for calendar in (family_moved, family_cancelled):
        # Families see the portal as organizer, and nothing of the school's staff.
        (entry,) = calendar.walk("VEVENT")
        _assert_typed(entry, attendee=None, organizer="SRO Portal")
        assert "url" not in entry


def test_a_familys_confirmation_holds_one_event(
    world, client, marcus, django_capture_on_commit_callbacks
):
    marcus.starts_at += timedelta(days=1)
    marcus.ends_at += timedelta(days=1)
    marcus.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("event_public", args=[marcus.public_token]),
            {"name": "Ana\rEND:VEVENT", "email": "ana@home.example.org", "party_size": "2"},
        )
    (calendar,) = _ics_to("ana@home.example.org")
    assert _components(calendar) == ["VCALENDAR", "VEVENT"]
    (entry,) = calendar.walk("VEVENT")
    _assert_typed(entry, attendee=None, organizer="SRO Portal")

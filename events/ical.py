"""Events as iCalendar data, written by the icalendar library: the .ics files of the
emails and the school events of the officer's feed.

What people typed (names, titles, places, notes) goes into calendar files that
other programs read, so control characters are removed from it first: a carriage
return or a NUL has no meaning in a title and only confuses calendar programs. Text
written on several lines (a description, the class's questions) keeps its line
breaks, which the library escapes inside the one property.
"""

import re
from datetime import UTC, datetime
from email.utils import parseaddr

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from events.invitations.models import Event
from onboarding.outbox.compose import Attachment
from onboarding.people.models import User

PRODID = "-//SRO Portal//Events//EN"

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_BUT_LINE_FEED = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def one_line(value: str) -> str:
    """A value of one line (a name, a title, a place), control characters removed."""
    return _CONTROL.sub("", value)


def lines(value: str) -> str:
    """Text of several lines: each line break (CRLF, CR or LF) is one line feed, and
    every other control character is removed."""
    return _CONTROL_BUT_LINE_FEED.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def utc(moment: datetime) -> datetime:
    """Times go out in UTC ("Z"), which every calendar shows in its own zone."""
    return moment.astimezone(UTC)


def address(email: str, name: str, **params) -> icalendar.vCalAddress:
    return icalendar.vCalAddress.new(email, cn=one_line(name), **params)


def event_uid(event: Event) -> str:
    """The same for every file and feed entry of the event, so that calendar programs
    update their copy rather than add another."""
    return f"event-{event.pk}@sro-portal"


def event_entry(
    event: Event,
    *,
    stamp: datetime,
    attendee: User | None = None,
    for_family: bool = False,
) -> icalendar.Event:
    """One event as a VEVENT. Families get the portal's address as organizer and no
    link (the public page shows nothing of the school's staff); staff get the
    organizer and the event's page."""
    organizer = event.organizer
    if organizer is None or for_family:
        organizer_address = address(_portal_address(), "SRO Portal")
    else:
        organizer_address = address(organizer.email, organizer.full_name)
    attendees = []
    if attendee is not None:
        attendees = [address(attendee.email, attendee.full_name, role="REQ-PARTICIPANT")]
    url = None
    if not for_family:
        url = settings.SITE_URL + reverse("event_detail", args=[event.school_id, event.pk])
    return icalendar.Event.new(
        uid=event_uid(event),
        summary=one_line(event.title),
        start=utc(event.starts_at),
        end=utc(event.ends_at),
        stamp=utc(stamp),
        sequence=event.sequence,
        attendees=attendees or None,
        description=lines(event.description) or None,
        location=one_line(event.place) or None,
        organizer=organizer_address,
        status="CANCELLED" if event.is_cancelled else "CONFIRMED",
        url=url,
    )


def event_ics(event: Event, *, attendee: User | None = None, for_family: bool = False) -> bytes:
    """A whole calendar file holding one event, for an email attachment. A cancelled
    event goes out as a CANCEL, which calendar programs apply to their copy."""
    calendar = icalendar.Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("method", "CANCEL" if event.is_cancelled else "PUBLISH")
    calendar.add_component(
        event_entry(event, stamp=timezone.now(), attendee=attendee, for_family=for_family)
    )
    return calendar.to_ical()


def ics_attachment(
    event: Event, *, attendee: User | None = None, for_family: bool = False
) -> list[Attachment]:
    """The attachments of an email that carries the event (iCalendar is text: the
    outbox keeps it as such)."""
    content = event_ics(event, attendee=attendee, for_family=for_family).decode()
    return [Attachment("event.ics", content, "text/calendar")]


def _portal_address() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "noreply@example.org"

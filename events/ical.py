"""Events as iCalendar data: attachments for emails and entries for the officer's feed."""

from datetime import UTC

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from .models import Event

PRODID = "-//SRO Portal//Events//EN"


def event_uid(event: Event) -> str:
    return f"event-{event.pk}@sro-portal"


def event_to_ical(
    event: Event, *, for_family: bool = False, attendee=None, url: str | None = None
) -> icalendar.Event:
    """One event as a VEVENT. Families get the portal's address as organizer (the
    public page shows nothing of the school's staff); staff get the organizer."""
    entry = icalendar.Event()
    entry.add("uid", event_uid(event))
    entry.add("dtstamp", timezone.now().astimezone(UTC))
    entry.add("dtstart", event.starts_at.astimezone(UTC))
    entry.add("dtend", event.ends_at.astimezone(UTC))
    entry.add("summary", event.title)
    if event.description:
        entry.add("description", event.description)
    if event.place:
        entry.add("location", event.place)
    entry.add("sequence", event.sequence)
    entry.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    if url is None and not for_family:
        url = settings.SITE_URL + reverse("event_detail", args=[event.school_id, event.pk])
    if url:
        entry.add("url", url)
    organizer = event.organizer
    if organizer is not None and not for_family:
        entry.add(
            "organizer",
            icalendar.vCalAddress(f"mailto:{organizer.email}"),
            parameters={"cn": organizer.full_name},
        )
    else:
        entry.add(
            "organizer",
            icalendar.vCalAddress(f"mailto:{_portal_address()}"),
            parameters={"cn": "SRO Portal"},
        )
    if attendee is not None:
        entry.add(
            "attendee",
            icalendar.vCalAddress(f"mailto:{attendee.email}"),
            parameters={"cn": attendee.full_name, "role": "REQ-PARTICIPANT"},
        )
    return entry


def event_ics(event: Event, *, for_family: bool = False, attendee=None, url=None) -> bytes:
    """A whole calendar file holding one event, for an email attachment."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if event.is_cancelled else "PUBLISH")
    calendar.add_component(event_to_ical(event, for_family=for_family, attendee=attendee, url=url))
    return calendar.to_ical()


def _portal_address() -> str:
    from email.utils import parseaddr

    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "noreply@example.org"

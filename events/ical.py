"""Events as iCalendar data: attachments for emails and entries for the officer's feed.

We write the RFC 5545 text ourselves rather than build icalendar objects: an
officer's feed holds hundreds of entries and is polled by calendar apps, and the
library's per-property objects cost most of the request. What we write is small
(TEXT values, UTC times, two addresses), so the rules we need are few: TEXT
escaping, quoted parameters, lines folded at 75 octets, CRLF line ends. The tests
read our output back with the icalendar library.
"""

from collections.abc import Iterable
from datetime import UTC, datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from events.invitations.models import Event

PRODID = "-//SRO Portal//Events//EN"


def ical_text(value: str) -> str:
    """TEXT escaping (RFC 5545 3.3.11): backslash first, then ; and , and line breaks.
    Chained `str.replace` calls: `str.translate` with a mapping cost twenty times as
    much, and a feed escapes hundreds of values."""
    return (
        value.replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\n", "\\n")
    )


def ical_utc(moment: datetime) -> str:
    """A DATE-TIME in UTC ("Z"), whole seconds (an f-string: cheaper than strftime)."""
    utc = moment.astimezone(UTC)
    return (
        f"{utc.year:04d}{utc.month:02d}{utc.day:02d}"
        f"T{utc.hour:02d}{utc.minute:02d}{utc.second:02d}Z"
    )


def ical_param(value: str) -> str:
    """A quoted parameter value; RFC 6868 escapes the characters a quote cannot hold."""
    escaped = value.replace("^", "^^").replace("\r\n", "\n").replace("\n", "^n")
    return '"' + escaped.replace('"', "^'") + '"'


def ical_line(line: str) -> str:
    """One content line folded so that no line is longer than 75 octets (RFC 5545 3.1),
    the continuation's leading space included. A fold never follows a backslash or a
    caret, so that no escape (TEXT or RFC 6868) is split across lines."""
    if line.isascii():  # one octet a character: fold by slicing
        parts = []
        while len(line) > 74:
            cut = 73 if line[73] in "\\^" else 74
            parts.append(line[:cut])
            line = line[cut:]
        parts.append(line)
        return "\r\n ".join(parts)
    parts, current, size = [], [], 0
    for char in line:
        width = len(char.encode())
        if current and size + width >= 75:
            if len(current) > 1 and current[-1] in "\\^":
                escaped = current.pop()
                parts.append("".join(current))
                current, size = [escaped], 1
            else:
                parts.append("".join(current))
                current, size = [], 0
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def ical_component(name: str, lines: Iterable[str], children: Iterable[str] = ()) -> str:
    """BEGIN/END around content lines (unfolded: each is folded and ended with CRLF
    here) and components already written."""
    body = "".join(ical_line(line) + "\r\n" for line in lines)
    return f"BEGIN:{name}\r\n{body}{''.join(children)}END:{name}\r\n"


def event_uid(event: Event) -> str:
    return f"event-{event.pk}@sro-portal"


def event_to_ical(
    event: Event,
    *,
    for_family: bool = False,
    attendee=None,
    url: str | None = None,
    stamp: str | None = None,
) -> str:
    """One event as a VEVENT. Families get the portal's address as organizer (the
    public page shows nothing of the school's staff); staff get the organizer.
    `stamp` is the DTSTAMP already written, to format the time once for many events."""
    lines = [
        f"SUMMARY:{ical_text(event.title)}",
        f"DTSTART:{ical_utc(event.starts_at)}",
        f"DTEND:{ical_utc(event.ends_at)}",
        f"DTSTAMP:{stamp or ical_utc(timezone.now())}",
        f"UID:{event_uid(event)}",
        f"SEQUENCE:{event.sequence}",
    ]
    if attendee is not None:
        lines.append(
            f"ATTENDEE;CN={ical_param(attendee.full_name)};ROLE=REQ-PARTICIPANT"
            f":mailto:{attendee.email}"
        )
    if event.description:
        lines.append(f"DESCRIPTION:{ical_text(event.description)}")
    if event.place:
        lines.append(f"LOCATION:{ical_text(event.place)}")
    organizer = event.organizer
    if organizer is not None and not for_family:
        lines.append(f"ORGANIZER;CN={ical_param(organizer.full_name)}:mailto:{organizer.email}")
    else:
        lines.append(f'ORGANIZER;CN="SRO Portal":mailto:{_portal_address()}')
    lines.append(f"STATUS:{'CANCELLED' if event.is_cancelled else 'CONFIRMED'}")
    if url is None and not for_family:
        url = settings.SITE_URL + reverse("event_detail", args=[event.school_id, event.pk])
    if url:
        lines.append(f"URL:{url}")
    return ical_component("VEVENT", lines)


def event_ics(event: Event, *, for_family: bool = False, attendee=None, url=None) -> bytes:
    """A whole calendar file holding one event, for an email attachment."""
    entry = event_to_ical(event, for_family=for_family, attendee=attendee, url=url)
    method = "CANCEL" if event.is_cancelled else "PUBLISH"
    lines = ["VERSION:2.0", f"PRODID:{PRODID}", f"METHOD:{method}"]
    return ical_component("VCALENDAR", lines, [entry]).encode()


def _portal_address() -> str:
    from email.utils import parseaddr

    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "noreply@example.org"

"""An officer's iCalendar feed: everything on their calendar, from several sources.

`officer_calendar(officer)` gathers entries from each function in FEED_SOURCES; a
source takes the officer and returns VEVENTs already written as iCalendar text (see
events/ical.py). Times are written in UTC (a "Z" suffix), which every calendar shows
correctly in its own zone.
"""

from collections.abc import Callable, Iterable

from django.conf import settings
from django.utils import timezone

from .ical import event_to_ical, ical_component, ical_text, ical_utc
from .models import Event, Visit

FeedSource = Callable[[object], Iterable[str]]


def introduction_visits(officer) -> list[str]:
    """The officer's class introductions (planned, confirmed and done), one query of
    plain rows (a feed holds hundreds of them)."""
    visits = (
        Visit.objects.active()
        .filter(officer=officer)
        .values_list(
            "pk",
            "updated_at",
            "starts_at",
            "ends_at",
            "status",
            "student_questions",
            "section__name",
            "section__room",
            "section__size",
            "section__teacher__full_name",
            "school__name",
            "period__name",
        )
    )
    entries = []
    for (
        pk,
        updated_at,
        starts_at,
        ends_at,
        status,
        questions,
        section,
        room,
        size,
        teacher,
        school,
        period,
    ) in visits:
        lines = [
            f"{period} at {school}",
            f"Teacher: {teacher}" if teacher else "",
            f"{size} students" if size else "",
            f"Questions from the class:\n{questions}" if questions else "",
        ]
        location = ", ".join(p for p in (f"Room {room}" if room else "", school) if p)
        entries.append(
            ical_component(
                "VEVENT",
                [
                    f"SUMMARY:{ical_text(f'Class introduction: {section}')}",
                    f"DTSTART:{ical_utc(starts_at)}",
                    f"DTEND:{ical_utc(ends_at)}",
                    f"DTSTAMP:{ical_utc(updated_at)}",
                    f"UID:introduction-visit-{pk}@sro-portal",
                    f"DESCRIPTION:{ical_text(chr(10).join(line for line in lines if line))}",
                    f"LOCATION:{ical_text(location)}",
                    f"STATUS:{'TENTATIVE' if status == Visit.Status.PLANNED else 'CONFIRMED'}",
                ],
            )
        )
    return entries


def accepted_events(officer) -> list[str]:
    """School events the officer said they are going to, at any of their schools."""
    events = Event.objects.accepted_by(officer).select_related("organizer")
    stamp = ical_utc(timezone.now())
    return [event_to_ical(event, stamp=stamp) for event in events]


FEED_SOURCES: list[FeedSource] = [introduction_visits, accepted_events]


def officer_calendar(officer, sources: Iterable[FeedSource] | None = None) -> str:
    """The whole feed as iCalendar text."""
    lines = [
        "VERSION:2.0",
        "PRODID:-//SRO Portal//Officer schedule//EN",
        f"X-WR-CALNAME:{ical_text(f'{officer.full_name}: SRO schedule')}",
        f"URL:{settings.SITE_URL}",
        "X-PUBLISHED-TTL:PT1H",
    ]
    entries = [
        entry
        for source in (FEED_SOURCES if sources is None else sources)
        for entry in source(officer)
    ]
    return ical_component("VCALENDAR", lines, entries)

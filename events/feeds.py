"""An officer's iCalendar feed: everything on their calendar, from several sources.

`officer_calendar(officer)` gathers events from each function in FEED_SOURCES; a
source takes the officer and returns icalendar Events. Times are written in UTC
(a "Z" suffix), which every calendar shows correctly in its own zone.
"""

from collections.abc import Callable, Iterable
from datetime import UTC

import icalendar
from django.conf import settings

from .ical import event_to_ical
from .models import Event, Visit

FeedSource = Callable[[object], Iterable[icalendar.Event]]


def introduction_visits(officer) -> list[icalendar.Event]:
    """The officer's class introductions (planned, confirmed and done), one query."""
    visits = Visit.objects.active().with_details().filter(officer=officer)
    events = []
    for visit in visits:
        section = visit.section
        event = icalendar.Event()
        event.add("uid", f"introduction-visit-{visit.pk}@sro-portal")
        event.add("dtstamp", visit.updated_at)
        event.add("dtstart", visit.starts_at.astimezone(UTC))
        event.add("dtend", visit.ends_at.astimezone(UTC))
        event.add("summary", f"Class introduction: {section.name}")
        event.add(
            "location",
            ", ".join(
                p for p in (f"Room {section.room}" if section.room else "", visit.school.name) if p
            ),
        )
        lines = [
            f"{visit.period.name} at {visit.school.name}",
            f"Teacher: {section.teacher.full_name}" if section.teacher else "",
            f"{section.size} students" if section.size else "",
            f"Questions from the class:\n{visit.student_questions}"
            if visit.student_questions
            else "",
        ]
        event.add("description", "\n".join(line for line in lines if line))
        event.add("status", "CONFIRMED" if visit.status != Visit.Status.PLANNED else "TENTATIVE")
        events.append(event)
    return events


def accepted_events(officer) -> list[icalendar.Event]:
    """School events the officer said they are going to, at any of their schools."""
    events = Event.objects.accepted_by(officer).select_related("organizer", "school")
    return [event_to_ical(event) for event in events]


FEED_SOURCES: list[FeedSource] = [introduction_visits, accepted_events]


def officer_calendar(officer, sources: Iterable[FeedSource] | None = None) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//SRO Portal//Officer schedule//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{officer.full_name}: SRO schedule")
    calendar.add("x-published-ttl", "PT1H")
    calendar.add("url", settings.SITE_URL)
    for source in FEED_SOURCES if sources is None else sources:
        for component in source(officer):
            calendar.add_component(component)
    return calendar

"""An officer's iCalendar feed: everything on their calendar, from several sources.

`officer_calendar(officer)` gathers entries from each function in FEED_SOURCES; a
source takes the officer and returns icalendar VEVENTs (see events/ical.py).
"""

from collections.abc import Callable, Iterable
from datetime import timedelta

import icalendar
from django.conf import settings
from django.utils import timezone

from events.ical import event_entry, lines, one_line, utc
from events.introductions.models import Visit
from events.invitations.models import Event
from onboarding.access import current_schools
from onboarding.people.models import User
from onboarding.schools.models import Role

FeedSource = Callable[[User], Iterable[icalendar.Event]]


def feed_officer(token: str) -> User | None:
    """The active officer whose feed link holds `token`, or None."""
    return User.objects.filter(introduction_feed__token=token, is_active=True).first()


def visit_entry(visit: Visit) -> icalendar.Event:
    section, school = visit.section, visit.school
    about = [
        f"{visit.period.name} at {school.name}",
        f"Teacher: {section.teacher.full_name}" if section.teacher else "",
        f"{section.size} students" if section.size else "",
    ]
    description = "\n".join(one_line(line) for line in about if line)
    if visit.student_questions:
        description += f"\nQuestions from the class:\n{lines(visit.student_questions)}"
    room = f"Room {section.room}" if section.room else ""
    return icalendar.Event.new(
        uid=f"introduction-visit-{visit.pk}@sro-portal",
        summary=one_line(f"Class introduction: {section.name}"),
        start=utc(visit.starts_at),
        end=utc(visit.ends_at),
        stamp=utc(visit.updated_at),
        description=description,
        location=one_line(", ".join(part for part in (room, school.name) if part)),
        status="TENTATIVE" if visit.status == Visit.Status.PLANNED else "CONFIRMED",
    )


def introduction_visits(officer: User) -> list[icalendar.Event]:
    """The officer's class introductions (planned, confirmed and done) at the schools
    they serve now, one query."""
    visits = (
        Visit.objects.active()
        .filter(officer=officer, school__in=current_schools(officer, Role.SRO))
        .select_related("section__teacher", "school", "period")
        .order_by("starts_at")
    )
    return [visit_entry(visit) for visit in visits]


def accepted_events(officer: User) -> list[icalendar.Event]:
    """School events the officer said they are going to, at any of their schools."""
    events = Event.objects.accepted_by(officer).select_related("organizer")
    stamp = timezone.now()
    return [event_entry(event, stamp=stamp) for event in events.order_by("starts_at", "pk")]


FEED_SOURCES: list[FeedSource] = [introduction_visits, accepted_events]


def officer_calendar(officer: User) -> bytes:
    """The whole feed as an iCalendar file."""
    calendar = icalendar.Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", "-//SRO Portal//Officer schedule//EN")
    calendar.add("x-wr-calname", icalendar.vText(one_line(f"{officer.full_name}: SRO schedule")))
    calendar.add("url", settings.SITE_URL)
    calendar.add("x-published-ttl", icalendar.vDuration(timedelta(hours=1)))
    for source in FEED_SOURCES:
        for entry in source(officer):
            calendar.add_component(entry)
    return calendar.to_ical()

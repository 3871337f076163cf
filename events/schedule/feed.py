"""An officer's iCalendar feed: everything on their calendar, from several sources.

`officer_calendar(officer)` gathers entries from each function in FEED_SOURCES; a
source takes the officer and returns VEVENTs already written as iCalendar text (see
events/ical.py). Times are written in UTC (a "Z" suffix), which every calendar shows
correctly in its own zone.
"""

from collections.abc import Callable, Iterable
from functools import cache

from django.conf import settings
from django.utils import timezone

from events.ical import event_to_ical, ical_component, ical_text, ical_utc
from events.introductions.models import ACTIVE_VISIT, Visit
from events.invitations.models import Event, EventInvitation
from events.schedule.models import OfficerFeed
from events.timetable.models import ClassSection, Period
from onboarding.people.models import User
from onboarding.schools.models import School
from sro_portal.reversing import cached_reverse

FeedSource = Callable[[object], Iterable[str]]


@cache
def _officer_sql() -> str:
    return (
        "SELECT person.id, person.full_name"  # noqa: S608
        f" FROM {OfficerFeed._meta.db_table} feed"
        f" JOIN {User._meta.db_table} person ON person.id = feed.officer_id"
        " WHERE feed.token = %s AND person.is_active"
    )


def feed_officer(token: str) -> User | None:
    """The active officer whose feed link holds `token` (with their id and name only),
    or None: the rows of `OfficerFeed.objects.filter(token=token,
    officer__is_active=True)`, from a query written out once per process."""
    return next(iter(User.objects.raw(_officer_sql(), [token])), None)


@cache
def _visits_sql() -> str:
    """The rows of

        Visit.objects.active().filter(officer=officer).values_list(
            "pk", "updated_at", "starts_at", "ends_at", "status", "student_questions",
            "section__name", "section__room", "section__size",
            "section__teacher__full_name", "school__name", "period__name")

    written out once per process: compiling that queryset on every poll of the feed
    cost most of a millisecond of Python. Table names from the models' metadata;
    every value is a parameter."""
    statuses = ", ".join(["%s"] * len(ACTIVE_VISIT))
    return (
        "SELECT visit.id, visit.updated_at, visit.starts_at, visit.ends_at,"  # noqa: S608
        " visit.status, visit.student_questions,"
        " section.name AS section_name, section.room AS section_room,"
        " section.size AS section_size, teacher.full_name AS teacher_name,"
        " school.name AS school_name, period.name AS period_name"
        f" FROM {Visit._meta.db_table} visit"
        f" JOIN {ClassSection._meta.db_table} section ON section.id = visit.section_id"
        f" LEFT JOIN {User._meta.db_table} teacher ON teacher.id = section.teacher_id"
        f" JOIN {School._meta.db_table} school ON school.id = visit.school_id"
        f" JOIN {Period._meta.db_table} period ON period.id = visit.period_id"
        f" WHERE visit.officer_id = %s AND visit.status IN ({statuses})"
        " ORDER BY visit.starts_at"
    )


def introduction_visits(officer) -> list[str]:
    """The officer's class introductions (planned, confirmed and done), one query
    (a feed holds hundreds of them)."""
    entries = []
    for visit in Visit.objects.raw(_visits_sql(), [officer.pk, *ACTIVE_VISIT]):
        school, room, questions = visit.school_name, visit.section_room, visit.student_questions
        lines = [
            f"{visit.period_name} at {school}",
            f"Teacher: {visit.teacher_name}" if visit.teacher_name else "",
            f"{visit.section_size} students" if visit.section_size else "",
            f"Questions from the class:\n{questions}" if questions else "",
        ]
        location = ", ".join(p for p in (f"Room {room}" if room else "", school) if p)
        entries.append(
            ical_component(
                "VEVENT",
                [
                    f"SUMMARY:{ical_text(f'Class introduction: {visit.section_name}')}",
                    f"DTSTART:{ical_utc(visit.starts_at)}",
                    f"DTEND:{ical_utc(visit.ends_at)}",
                    f"DTSTAMP:{ical_utc(visit.updated_at)}",
                    f"UID:introduction-visit-{visit.pk}@sro-portal",
                    f"DESCRIPTION:{ical_text(chr(10).join(line for line in lines if line))}",
                    f"LOCATION:{ical_text(location)}",
                    f"STATUS:{'TENTATIVE' if visit.status == Visit.Status.PLANNED else 'CONFIRMED'}",
                ],
            )
        )
    return entries


# from_db() takes the values of a partial instance in the model's field order.
_ORGANIZER_FIELDS = [
    f.attname for f in User._meta.concrete_fields if f.attname in ("id", "full_name", "email")
]


@cache
def _events_sql() -> str:
    return (
        "SELECT event.*, organizer.full_name AS organizer_name,"  # noqa: S608
        " organizer.email AS organizer_email"
        f" FROM {Event._meta.db_table} event"
        f" JOIN {EventInvitation._meta.db_table} invitation"
        " ON invitation.event_id = event.id"
        f" LEFT JOIN {User._meta.db_table} organizer ON organizer.id = event.organizer_id"
        " WHERE invitation.user_id = %s AND invitation.answer = %s"
        " AND event.cancelled_at IS NULL"
        " ORDER BY event.starts_at, event.id"
    )


def accepted_events(officer) -> list[str]:
    """School events the officer said they are going to, at any of their schools: the
    rows of `Event.objects.accepted_by(officer).select_related("organizer")` (the
    organizer's name and address only), from a query written out once per process."""
    events = Event.objects.raw(_events_sql(), [officer.pk, EventInvitation.Answer.GOING])
    stamp = ical_utc(timezone.now())
    entries = []
    for event in events:
        if event.organizer_id is not None:
            organizer = {
                "id": event.organizer_id,
                "full_name": event.organizer_name,
                "email": event.organizer_email,
            }
            event.organizer = User.from_db(
                "default", _ORGANIZER_FIELDS, [organizer[name] for name in _ORGANIZER_FIELDS]
            )
        else:
            event.organizer = None
        # The path of an event never changes: reversed once per process.
        url = settings.SITE_URL + cached_reverse("event_detail", event.school_id, event.pk)
        entries.append(event_to_ical(event, stamp=stamp, url=url))
    return entries


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

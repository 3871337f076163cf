"""Scale step of events: bell schedules, 3,000 class sections, officers'
availability, each school's introduction plan over a term (about 12,000 visit
rows), and 1,200 events with invitations. Built in bulk.

The visits are placed directly, not by the solver (which plans one school at a
time): each section gets its one active visit (the database allows one active
visit per section, and one per officer and start time), on a day of the term
when its period runs and the school's officer is there, at most DAILY_LIMIT a
day. Earlier attempts are kept as history, as the app keeps them: a visit moved
to another day is cancelled and a missed one stays "missed". So 3,000 active
visits and about 9,000 cancelled or missed ones make the term's 12,000 rows.
"""

from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone

from events.introductions.models import Availability, IntroductionPlan, Visit
from events.invitations.models import Event, EventInvitation, EventKind
from events.schedule.models import OfficerFeed
from events.timetable.models import ClassSection, Period
from onboarding.scale import ScaleSizes

BATCH = 2000
DEFAULT_STAFF = ScaleSizes().staff
DEFAULT_SCHOOLS = ScaleSizes().schools
SECTIONS = 3000
HISTORY_PER_SECTION = 3  # cancelled or missed visits before the active one
EVENTS = 1200
INVITED_PER_EVENT = 10
DAILY_LIMIT = 4
TERM_WEEKS_BEFORE, TERM_WEEKS_AFTER = 8, 8
PERIODS = [
    ("Period 1", time(8, 0), time(8, 50)),
    ("Period 2", time(9, 0), time(9, 50)),
    ("Period 3", time(10, 0), time(10, 50)),
    ("Period 4", time(11, 0), time(11, 50)),
    ("Period 5", time(12, 30), time(13, 20)),
    ("Period 6", time(13, 30), time(14, 20)),
    ("Period 7", time(14, 30), time(15, 20)),
]
COURSES = ["English", "Algebra", "Biology", "History", "Art", "Music", "Health", "Spanish"]
EVENT_TITLES = {
    EventKind.COFFEE_HOUR: "Coffee with the officer",
    EventKind.STUDENT_LUNCH: "Lunch with students",
    EventKind.ASSEMBLY: "Safety assembly",
    EventKind.ATHLETICS: "Home game",
    EventKind.FAMILY_NIGHT: "Family night",
    EventKind.STAFF_MEETING: "Staff meeting with the SRO",
}


def _bounds(day: date, start: time, end: time, zone) -> tuple[datetime, datetime]:
    return (
        datetime.combine(day, start, tzinfo=zone).astimezone(UTC),
        datetime.combine(day, end, tzinfo=zone).astimezone(UTC),
    )


def seed(world) -> None:
    rng = world.rng
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    term_start = monday - timedelta(weeks=TERM_WEEKS_BEFORE)
    term_end = monday + timedelta(weeks=TERM_WEEKS_AFTER) - timedelta(days=3)
    term_days = [
        term_start + timedelta(days=n)
        for n in range((term_end - term_start).days + 1)
        if (term_start + timedelta(days=n)).weekday() < 5
    ]

    with world.step("bell schedules, sections"):
        periods = Period.objects.bulk_create(
            [
                Period(school=school, name=name, position=n, start_time=start, end_time=end)
                for school in world.schools
                for n, (name, start, end) in enumerate(PERIODS, start=1)
            ],
            batch_size=BATCH,
        )
        periods_of = {}
        for period in periods:
            periods_of.setdefault(period.school_id, []).append(period)
        sections = []
        for school in world.schools:
            teachers = world.staff[school.pk] or world.principals[school.pk]
            # 3,000 sections at the default 6,000 staff: one for every two staff.
            share = SECTIONS * len(world.staff_of(school)) / DEFAULT_STAFF
            count = max(1, round(share))
            for n in range(count):
                course = COURSES[n % len(COURSES)]
                sections.append(
                    ClassSection(
                        school=school,
                        code=f"SEC-{school.pk}-{n + 1}",
                        name=f"{course} {n // len(COURSES) + 1}",
                        course=course,
                        grade=str(6 + n % 7),
                        period=periods_of[school.pk][n % len(PERIODS)],
                        room=f"Room {100 + n}",
                        teacher=teachers[n % len(teachers)],
                        size=rng.randint(15, 32),
                    )
                )
        sections = ClassSection.objects.bulk_create(sections, batch_size=BATCH)

    with world.step("availability, plans"):
        # Each officer splits the week between the schools they serve.
        days_of = {}  # (officer id, school id) -> weekdays
        availability = []
        for officer in world.officers:
            served = world.schools_of_officer[officer.pk]
            for k, school in enumerate(served):
                weekdays = [d for d in range(5) if d % len(served) == k]
                days_of[(officer.pk, school.pk)] = weekdays
                availability += [
                    Availability(
                        officer=officer,
                        school=school,
                        weekday=d,
                        start_time=time(7, 45),
                        end_time=time(15, 30),
                    )
                    for d in weekdays
                ]
        Availability.objects.bulk_create(availability, batch_size=BATCH)
        IntroductionPlan.objects.bulk_create(
            [
                IntroductionPlan(
                    school=school,
                    start_date=term_start,
                    end_date=term_end,
                    daily_limit=DAILY_LIMIT,
                    last_run_at=timezone.now() - timedelta(weeks=TERM_WEEKS_BEFORE + 1),
                )
                for school in world.schools
            ],
            batch_size=BATCH,
        )
        OfficerFeed.objects.bulk_create(
            [OfficerFeed(officer=o, token=f"scale-feed-{o.pk}") for o in world.officers],
            batch_size=BATCH,
        )

    with world.step("introduction visits"):
        zone = world.schools[0].zone
        taken = set()  # (officer id, starts_at) of active visits
        per_day = {}  # (officer id, school id, day) -> visits
        visits = []
        by_school = {}
        for section in sections:
            by_school.setdefault(section.school_id, []).append(section)
        for school in world.schools:
            # The school's officers share its sections, round robin.
            officers = world.officers_of_school[school.pk]
            mine = by_school.get(school.pk, [])
            for n, section in enumerate(mine):
                officer = officers[n % len(officers)]
                key = (officer.pk, school.pk)
                weekdays = days_of[key]
                days = [d for d in term_days if d.weekday() in weekdays]
                placed = None
                # Spread over the term: start looking at this section's share of it.
                first = n * len(days) // len(mine)
                for i in range(len(days)):
                    day = days[(first + i) % len(days)]
                    if per_day.get((*key, day), 0) < DAILY_LIMIT:
                        start, end = _bounds(
                            day, section.period.start_time, section.period.end_time, zone
                        )
                        if (officer.pk, start) not in taken:
                            placed = day, start, end
                            break
                if placed is None:
                    continue  # the term is full: the section stays unplaced
                day, start, end = placed
                taken.add((officer.pk, start))
                per_day[(*key, day)] = per_day.get((*key, day), 0) + 1
                past = day < today
                status = (
                    Visit.Status.DONE
                    if past
                    else rng.choice([Visit.Status.PLANNED, Visit.Status.CONFIRMED])
                )
                common = {"school": school, "section": section, "officer": officer}
                common["period"] = section.period
                visits.append(
                    Visit(**common, date=day, starts_at=start, ends_at=end, status=status)
                )
                # History: earlier slots given up (cancelled when moved, or missed).
                for h in range(HISTORY_PER_SECTION):
                    old_day = term_days[(n + 3 * h) % len(term_days)]
                    old_start, old_end = _bounds(
                        old_day, section.period.start_time, section.period.end_time, zone
                    )
                    visits.append(
                        Visit(
                            **common,
                            date=old_day,
                            starts_at=old_start,
                            ends_at=old_end,
                            status=Visit.Status.MISSED
                            if old_day < today and h == 0
                            else Visit.Status.CANCELLED,
                        )
                    )
        Visit.objects.bulk_create(visits, batch_size=BATCH)
        world.extra["visits"] = len(visits)

    with world.step("events, invitations"):
        # 1,200 events at the default 60 schools: 20 a school.
        per_school = EVENTS // DEFAULT_SCHOOLS
        extra = 0
        events, invited = [], []
        kinds = list(EVENT_TITLES)
        for s, school in enumerate(world.schools):
            organizer = world.principals[school.pk][0]
            people = (
                world.officers_of_school[school.pk]
                + world.principals[school.pk]
                + world.mental_health[school.pk]
                + world.staff[school.pk]
            )
            for n in range(per_school + (1 if s < extra else 0)):
                kind = kinds[n % len(kinds)]
                # Spread over the term, a few a week, in school hours or evenings.
                day = term_days[(n * 7 + s) % len(term_days)]
                hour = 18 if kind == EventKind.FAMILY_NIGHT else 9 + n % 6
                start, end = _bounds(day, time(hour, 0), time(hour + 1, 0), zone)
                events.append(
                    Event(
                        school=school,
                        kind=kind,
                        title=EVENT_TITLES[kind],
                        description="Come and meet the school's officer.",
                        starts_at=start,
                        ends_at=end,
                        place=rng.choice(["Library", "Gym", "Cafeteria", "Room 101"]),
                        organizer=organizer,
                        open_to_families=kind == EventKind.FAMILY_NIGHT,
                        cancelled_at=timezone.now() if n % 17 == 16 else None,
                    )
                )
                guests = people[: 2 + len(world.officers_of_school[school.pk])]
                guests += rng.sample(people, min(INVITED_PER_EVENT, len(people)))
                invited.append(list(dict.fromkeys(guests))[:INVITED_PER_EVENT])
        events = Event.objects.bulk_create(events, batch_size=BATCH)
        answers = list(EventInvitation.Answer.values)
        invitations = [
            EventInvitation(
                event=event,
                user=user,
                answer=(answer := rng.choice(answers)),
                answered_at=None if answer == EventInvitation.Answer.PENDING else event.created_at,
                invited_by=event.organizer,
            )
            for event, guests in zip(events, invited, strict=True)
            for user in guests
        ]
        EventInvitation.objects.bulk_create(invitations, batch_size=BATCH)

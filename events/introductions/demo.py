"""Demo data of class introductions: bell schedules of the three schools, about 120
class sections, both officers' availability, and a plan that ran two weeks ago,
with the past visits done (one missed), a teacher's pick, and students' questions
on a coming visit. Idempotent: a second run finds everything in place."""

from datetime import time, timedelta

from django.utils import timezone

from events.introductions.models import Availability, IntroductionPlan, SlotPick, Visit
from events.introductions.workflows import SlotBook, plan_run
from events.timetable.models import BlackoutDate, ClassSection, Period
from onboarding.demo import TEACHERS, _email_for
from onboarding.people.models import User


def _t(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


BELLS = {
    "high": [
        ("Period 1", "7:45", "8:35"),
        ("Period 2", "8:40", "9:30"),
        ("Period 3", "9:35", "10:25"),
        ("Period 4", "10:30", "11:20"),
        ("Period 5", "12:00", "12:50"),
        ("Period 6", "12:55", "13:45"),
        ("Period 7", "13:50", "14:40"),
    ],
    "middle": [
        ("Period 1", "8:00", "8:50"),
        ("Period 2", "8:55", "9:45"),
        ("Period 3", "9:50", "10:40"),
        ("Period 4", "10:45", "11:35"),
        ("Period 5", "12:15", "13:05"),
        ("Period 6", "13:10", "14:00"),
        ("Period 7", "14:05", "14:55"),
    ],
    "elementary": [
        ("Block A", "9:00", "9:45"),
        ("Block B", "10:00", "10:45"),
        ("Block C", "13:00", "13:45"),
        ("Block D", "14:00", "14:45"),
    ],
}

# (officer email, school key, weekdays, start, end). Officer Reyes splits his day
# between the high and the middle school, with time to drive between them.
AVAILABILITY = [
    ("sro@example.org", "high", (0, 2, 4), "7:30", "11:30"),
    ("sro@example.org", "middle", (0, 2, 4), "12:00", "15:00"),
    ("sro@example.org", "middle", (1, 3), "7:45", "11:40"),
    ("sro@example.org", "high", (1, 3), "12:00", "15:00"),
    ("sro2@example.org", "elementary", (0, 1, 2, 3, 4), "8:30", "15:00"),
]

GRADES = {
    "high": ["9", "10", "11", "12"],
    "middle": ["6", "7", "8"],
    "elementary": ["K", "1", "2", "3", "4", "5"],
}
DAILY_LIMITS = {"high": 4, "middle": 3, "elementary": 2}
SECTIONS_PER_TEACHER = {"high": 4, "middle": 5, "elementary": 3}
PRIYA = [
    ("ENG9-P1", "English 9", "9", "Period 1"),
    ("ENG9-P3", "English 9", "9", "Period 3"),
    ("ENG10-P5", "English 10", "10", "Period 5"),
    ("ENG10-P6", "English 10", "10", "Period 6"),
]


def _sections(key: str, school, periods: dict[str, Period], teachers: dict[str, User]) -> None:
    names = list(periods)
    rows = []
    if key == "high":
        teacher = teachers["teacher@example.org"]
        rows += [
            (code, f"{course} ({period})", course, grade, period, teacher)
            for code, course, grade, period in PRIYA
        ]
    for t_index, (name, subject) in enumerate(TEACHERS[key]):
        teacher = teachers[_email_for(name)]
        for n in range(SECTIONS_PER_TEACHER[key]):
            period = names[(t_index + n * 2) % len(names)]
            grade = GRADES[key][(t_index + n) % len(GRADES[key])]
            course = subject if key != "elementary" else f"{subject} class"
            code = f"{key[:1].upper()}-{t_index:02d}-{n}"
            rows.append((code, f"{course} ({period})", course, grade, period, teacher))
    existing = set(ClassSection.objects.filter(school=school).values_list("code", flat=True))
    ClassSection.objects.bulk_create(
        [
            ClassSection(
                school=school,
                code=code,
                name=name,
                course=course,
                grade=grade,
                period=periods[period],
                room=f"{100 + (i * 7) % 140}",
                teacher=teacher,
                size=18 + (i * 5) % 14,
            )
            for i, (code, name, course, grade, period, teacher) in enumerate(rows)
            if code not in existing
        ]
    )


def seed(world) -> None:
    """Bell schedules, sections, availability and a plan (class introductions)."""
    today = timezone.localdate()
    # The window began the Monday before last and runs four weeks.
    start = today - timedelta(days=today.weekday() + 7)
    emails = {_email_for(n) for names in TEACHERS.values() for n, _ in names} | {
        "teacher@example.org"
    }
    teachers = {u.email: u for u in User.objects.filter(email__in=emails)}
    officers = {
        u.email: u for u in User.objects.filter(email__in=["sro@example.org", "sro2@example.org"])
    }
    for key, bell in BELLS.items():
        school = world.schools[key]
        periods = {}
        for position, (name, begins, ends) in enumerate(bell, start=1):
            periods[name], _ = Period.objects.get_or_create(
                school=school,
                name=name,
                defaults={"position": position, "start_time": _t(begins), "end_time": _t(ends)},
            )
        _sections(key, school, periods, teachers)
    for email, key, weekdays, begins, ends in AVAILABILITY:
        if email not in officers:
            continue
        for weekday in weekdays:
            Availability.objects.get_or_create(
                officer=officers[email],
                school=world.schools[key],
                weekday=weekday,
                start_time=_t(begins),
                end_time=_t(ends),
            )
    BlackoutDate.objects.get_or_create(
        school=world.schools["high"],
        date=start + timedelta(days=10),
        defaults={"reason": "State testing day"},
    )
    for key in BELLS:
        school = world.schools[key]
        plan, created = IntroductionPlan.objects.get_or_create(
            school=school,
            defaults={
                "start_date": start,
                "end_date": start + timedelta(days=25),
                "daily_limit": DAILY_LIMITS[key],
            },
        )
        if plan.last_run_at is not None:
            continue  # already seeded
        if key == "high":
            _teacher_pick(plan, teachers.get("teacher@example.org"), today)
        plan_run(plan=plan, actor=None, notify=False, from_day=start)
        _visits_so_far(school, today)
        if key == "high":
            _questions(school, teachers.get("teacher@example.org"), today)


def _teacher_pick(plan: IntroductionPlan, teacher: User | None, today) -> None:
    """Priya Patel picked a slot next week for her Period 6 class."""
    section = (
        ClassSection.objects.filter(school=plan.school, code="ENG10-P6")
        .select_related("period")
        .first()
    )
    if teacher is None or section is None:
        return
    book = SlotBook.for_plan(plan, keep_planned=False, from_day=today + timedelta(days=7))
    options = book.candidates(section)
    if options:
        slot = options[0]
        SlotPick.objects.update_or_create(
            section=section,
            defaults={"officer_id": slot.officer, "date": slot.day, "picked_by": teacher},
        )


def _visits_so_far(school, today) -> None:
    past = list(Visit.objects.filter(school=school, date__lt=today).order_by("starts_at"))
    for i, visit in enumerate(past):
        visit.status = Visit.Status.MISSED if i == 3 else Visit.Status.DONE
    Visit.objects.bulk_update(past, ["status"])


def _questions(school, teacher: User | None, today) -> None:
    visit = (
        Visit.objects.filter(school=school, section__teacher=teacher, date__gte=today)
        .order_by("starts_at")
        .first()
    )
    if visit is not None:
        visit.student_questions = (
            "What does a school resource officer do on a normal day?\n"
            "Can we come to you if something online worries us?\n"
            "Why did you decide to become a police officer?"
        )
        visit.save(update_fields=["student_questions"])

"""Events' part of each school's readiness (see onboarding/contributions.py): class
introductions, a family coffee hour, the officer invited to upcoming events, and the
class-talk requests waiting; and the district table's introduction coverage and
engagement of the month.

Every figure is counted in the database for all the schools at once: three queries
whatever their number.
"""

from collections import defaultdict
from datetime import date

from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from events.engagement.figures import MonthFigures, month_figures_for_schools
from events.introductions.models import ACTIVE_VISIT, IntroductionPlan, Visit
from events.invitations.models import Event, EventInvitation, EventKind
from events.talks.models import ClassTalkRequest
from events.timetable.models import ClassSection
from onboarding.readiness.dates import school_year
from onboarding.readiness.lines import (
    DONE,
    IN_PROGRESS,
    MISSING,
    Cell,
    Column,
    Line,
    line_of,
    long_date,
    percent,
    plural,
)
from onboarding.schools.models import Membership, Role, School

NO_SECTIONS = {"total": 0, "scheduled": 0, "done": 0, "missed": 0, "placed_since": 0, "unplaced": 0}


def lines_for(schools, *, name_overdue: bool = True) -> dict[int, list[Line]]:
    """Each school's "introductions", "coffee_hour", "events" and "talks" lines."""
    schools = list(schools)
    ids = [s.pk for s in schools]
    year_start, _ = school_year(timezone.localdate())
    figures = _school_figures(ids, year_start)
    sections = coverage_for(figures)
    answers = _officer_answers(ids)
    return {
        s.pk: [
            _introduction_line(s, sections.get(s.pk, NO_SECTIONS)),
            *_event_lines(s, figures[s.pk], answers[s.pk]),
            _talks_line(s, figures[s.pk]["talks"]),
        ]
        for s in schools
    }


def columns_for(schools, lines, *, month: date) -> list[Column]:
    """The district table's "Introductions" (coverage, from the introductions lines)
    and "Engagement this month" (the school's officers' figures of `month`)."""
    coverage = {}
    for school in schools:
        facts = line_of(lines[school.pk], "introductions").facts
        scheduled, total = facts["scheduled"], facts["total"]
        share = percent(scheduled, total)
        coverage[school.pk] = Cell(
            {"scheduled": scheduled, "total": total, "percent": share},
            share,
            (scheduled, total, share),
        )
    by_school = defaultdict(list)
    for (school_id, _), figures in month_figures_for_schools(schools, month).items():
        by_school[school_id].append(figures)
    engagement = {}
    for school in schools:
        # The school's figures: the sum of its officers'.
        total = MonthFigures.total(month, by_school[school.pk])
        engagement[school.pk] = Cell(
            {"introductions": total.introductions, "attended": total.attended},
            total.introductions + total.attended,
            (total.introductions, total.attended),
        )
    template = "events/_readiness.html"
    return [
        Column(
            "coverage",
            "Introductions",
            f"{template}#coverage",
            coverage,
            ("Sections with a visit", "Sections", "Coverage %"),
        ),
        Column(
            "engagement",
            "Engagement this month",
            f"{template}#engagement",
            engagement,
            ("Introductions done this month", "Events attended this month"),
        ),
    ]


def _per_school(queryset) -> Coalesce:
    """How many rows of `queryset` belong to the outer school: a correlated count,
    so that counts of several tables fit in one query without the row
    multiplication of joining them all."""
    counted = (
        queryset.filter(school=OuterRef("pk"))
        .order_by()
        .values("school")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


def _school_figures(school_ids, year_start) -> dict[int, dict]:
    """{school_id: {...}}: upcoming events, the last family coffee hour of the school
    year, class-talk requests waiting and the introduction plan ("plan_selection"...;
    None without a plan). One query, one row per school."""
    now = timezone.now()
    events = Event.objects.active()
    coffee = (
        events.filter(school=OuterRef("pk"), kind=EventKind.COFFEE_HOUR)
        .filter(Q(starts_at__gt=now) | Q(starts_at__date__gte=year_start))
        .order_by("-starts_at", "-pk")
    )
    rows = (
        School.objects.filter(pk__in=school_ids)
        .values("pk")
        .annotate(
            upcoming=_per_school(events.filter(starts_at__gt=now)),
            talks=_per_school(
                ClassTalkRequest.objects.filter(status=ClassTalkRequest.Status.PENDING)
            ),
            coffee_title=Subquery(coffee.values("title")[:1]),
            coffee_at=Subquery(coffee.values("starts_at")[:1]),
            plan_selection=F("introduction_plan__selection"),
            plan_grades=F("introduction_plan__grades"),
            plan_unplaced=F("introduction_plan__unplaced"),
        )
        .order_by()
    )
    return {row.pop("pk"): row for row in rows}


def _officer_answers(school_ids) -> dict[int, dict[str, int]]:
    """{school_id: {answer: count}}: the answers of the school's officers to their
    invitations to its upcoming events. One query. The officers of each event's own
    school, so that a school's figures do not depend on the other schools asked with
    it (the district table and the dashboard show the same)."""
    officer = Membership.objects.active().filter(
        school_id=OuterRef("event__school_id"), user_id=OuterRef("user_id"), role=Role.SRO
    )
    answers = defaultdict(dict)
    for school_id, answer, n in (
        EventInvitation.objects.filter(
            Exists(officer),
            event__school_id__in=school_ids,
            event__cancelled_at__isnull=True,
            event__starts_at__gt=timezone.now(),
        )
        .values("event__school_id", "answer")
        .annotate(n=Count("pk"))
        .values_list("event__school_id", "answer", "n")
        .order_by()
    ):
        answers[school_id][answer] = n
    return answers


def coverage_for(figures: dict[int, dict]) -> dict[int, dict]:
    """{school_id: {"total", "scheduled", "done", "missed", "unplaced"}}: the class
    sections taking part in each school's introductions (by the plan in `figures`,
    as _school_figures reads it) and where their visits stand, counted in the
    database. One query."""
    school_ids = list(figures)
    plans = {
        school_id: {
            "selection": row["plan_selection"],
            "grades": row["plan_grades"],
            "unplaced": row["plan_unplaced"],
        }
        for school_id, row in figures.items()
        if row["plan_selection"] is not None
    }
    # The choice of IntroductionPlan.takes_part, as a condition on the sections.
    Selection = IntroductionPlan.Selection
    takes_part = Q(school_id__in=[i for i in school_ids if i not in plans]) | Q(
        school_id__in=[i for i, p in plans.items() if p["selection"] == Selection.ALL]
    )
    for school_id, plan in plans.items():
        if plan["selection"] == Selection.GRADES:
            grades = IntroductionPlan(grades=plan["grades"]).grade_list
            takes_part |= Q(school_id=school_id, grade__in=grades)
    by_period = [i for i, p in plans.items() if p["selection"] == Selection.PERIODS]
    by_hand = [i for i, p in plans.items() if p["selection"] == Selection.HAND]
    if by_period:
        periods = IntroductionPlan.periods.through.objects.filter(
            introductionplan__school_id=OuterRef("school_id"), period_id=OuterRef("period_id")
        )
        takes_part |= Q(school_id__in=by_period) & Q(Exists(periods))
    if by_hand:
        chosen = IntroductionPlan.sections.through.objects.filter(
            introductionplan__school_id=OuterRef("school_id"), classsection_id=OuterRef("pk")
        )
        takes_part |= Q(school_id__in=by_hand) & Q(Exists(chosen))
    # A section has at most one active visit (a constraint of Visit): joined, it
    # says whether the section is placed and whether the visit is done.
    placed = Q(active_visit__isnull=False)
    done = Q(active_visit__status=Visit.Status.DONE)
    missed_visits = Visit.objects.filter(
        school_id=OuterRef("school_id"), section_id=OuterRef("pk"), status=Visit.Status.MISSED
    )
    missed = Q(Exists(missed_visits))
    # Sections the last run could not place, which got a visit since.
    listed = [item.get("section") for plan in plans.values() for item in plan["unplaced"]]
    rows = (
        ClassSection.objects.filter(school_id__in=school_ids)
        .alias(
            active_visit=FilteredRelation(
                "visits",
                condition=Q(visits__status__in=ACTIVE_VISIT, visits__school_id=F("school_id")),
            )
        )
        .values("school_id")
        .annotate(
            total=Count("pk", filter=takes_part),
            scheduled=Count("pk", filter=takes_part & placed),
            done=Count("pk", filter=takes_part & done),
            missed=Count("pk", filter=takes_part & ~placed & missed),
            placed_since=Count("pk", filter=Q(pk__in=[i for i in listed if i]) & placed),
        )
        .order_by()
    )
    coverage = {row["school_id"]: {**row, "unplaced": 0} for row in rows}
    for school_id, plan in plans.items():
        row = coverage.setdefault(school_id, {**NO_SECTIONS})
        row["unplaced"] = len(plan["unplaced"]) - row["placed_since"]
    return coverage


def school_coverage(school) -> dict:
    """One school's coverage, as coverage_for counts it (for the evidence binder)."""
    year_start, _ = school_year(timezone.localdate())
    figures = _school_figures([school.pk], year_start)
    return coverage_for(figures).get(school.pk, NO_SECTIONS)


def _introduction_line(school, sections: dict) -> Line:
    total, scheduled = sections["total"], sections["scheduled"]
    summary = (
        f"{scheduled} of {total} class sections have a visit ({sections['done']} done, "
        f"{sections['missed']} missed, {sections['unplaced']} not placed)."
    )
    if not total:
        state, missing = MISSING, "Add the class sections and run the plan."
        summary = "No class sections."
    elif scheduled == total:
        state, missing = DONE, ""
    elif not scheduled:
        state, missing = MISSING, "Run the plan to place every section."
    else:
        state = IN_PROGRESS
        missing = f"{plural(total - scheduled, 'section')} without a visit."
    return Line(
        "introductions",
        "Class introductions planned for every class",
        state,
        summary,
        missing,
        reverse("introductions", args=[school.pk]),
        "Plan the introductions",
        facts={key: sections[key] for key in ("total", "scheduled", "done", "missed", "unplaced")},
    )


def _event_lines(school, row: dict, answers: dict) -> list[Line]:
    calendar = reverse("events", args=[school.pk])
    if row["coffee_at"] is not None:
        local = timezone.localtime(row["coffee_at"], school.zone)
        coffee = Line(
            "coffee_hour",
            "A family coffee hour planned",
            DONE,
            f"{row['coffee_title']}, {long_date(local)}.",
            "",
            calendar,
            "The school's events",
        )
    else:
        coffee = Line(
            "coffee_hour",
            "A family coffee hour planned",
            MISSING,
            "No family coffee hour this school year.",
            "Plan one and invite the officer.",
            reverse("event_create", args=[school.pk]),
            "Plan a coffee hour",
        )
    invited = sum(answers.values())
    if invited:
        parts = [
            f"{n} {EventInvitation.Answer(a).label.lower()}" for a, n in sorted(answers.items())
        ]
        state = DONE
        summary = f"{plural(invited, 'invitation')} to upcoming events: " + ", ".join(parts) + "."
        missing = (
            "Some invitations are not answered yet."
            if answers.get(EventInvitation.Answer.PENDING)
            else ""
        )
    else:
        state = MISSING
        summary = f"{plural(row['upcoming'], 'upcoming event')}; the officer is invited to none."
        missing = "Invite the officer to an upcoming event."
    officer = Line(
        "events",
        "The officer invited to upcoming events",
        state,
        summary,
        missing,
        calendar,
        "Invite the officer to events",
    )
    return [coffee, officer]


def _talks_line(school, waiting: int) -> Line:
    return Line(
        "talks",
        "Class-talk requests answered by the officer",
        IN_PROGRESS if waiting else DONE,
        f"{waiting} waiting for the officer" if waiting else "No request is waiting.",
        f"{plural(waiting, 'request')} still to answer" if waiting else "",
        reverse("talks", args=[school.pk]),
        "Class talks",
        required=False,
    )

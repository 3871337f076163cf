"""Is a school ready for its School Resource Officer? Computed from the real data.

`readiness_for(schools)` answers for any number of schools in a constant number of
queries: the figures are counted in the database for all the schools at once (rows
per school, per role and guideline, never a row per person), then the lines are
worded in Python. Only the people a line names are read: whose signature an
agreement waits for, and who is overdue. The principal's dashboard, the district
table and its CSV all read the same `SchoolReadiness` objects.
"""

import dataclasses
import functools
import hashlib
import pickle
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.timezone import get_default_timezone

from events.engagement.figures import MonthFigures, month_figures_for_schools
from events.introductions.models import ACTIVE_VISIT, IntroductionPlan, Visit
from events.invitations.models import Event, EventInvitation, EventKind
from events.talks.models import ClassTalkRequest
from events.timetable.models import ClassSection
from expectations.models import Acknowledgment, Guideline
from expectations.status import OVERDUE, status_of
from onboarding.agreements.models import Agreement, Signature, SigningParty
from onboarding.people.models import User
from onboarding.readiness.models import ReadinessSnapshot
from onboarding.schools.models import SCHOOL_STAFF_ROLES, Membership, Role, School
from sro_portal.reversing import cached_reverse

DONE = "done"
IN_PROGRESS = "in_progress"
MISSING = "missing"
STATE_LABELS = {DONE: "Done", IN_PROGRESS: "In progress", MISSING: "Missing"}
STATE_BADGES = {DONE: "text-bg-success", IN_PROGRESS: "text-bg-warning", MISSING: "text-bg-danger"}

READY = "ready"
NOT_STARTED = "not_started"
OVERALL_LABELS = {READY: "Ready", IN_PROGRESS: "In progress", NOT_STARTED: "Not started"}
OVERALL_BADGES = {
    READY: "text-bg-success",
    IN_PROGRESS: "text-bg-warning",
    NOT_STARTED: "text-bg-secondary",
}
OVERALL_ORDER = {NOT_STARTED: 0, IN_PROGRESS: 1, READY: 2}

RULE = (
    "A school is ready when every required line is done. It is not started while every "
    "required line is still missing, and in progress in between. Class-talk requests "
    "waiting are shown for follow-up but do not decide the state."
)


def school_year(today: date, year: int | None = None) -> tuple[date, date]:
    """The school year (July 1 to June 30) that starts in `year`, or the one `today`
    falls in."""
    if year is None:
        year = today.year if today.month >= 7 else today.year - 1
    return date(year, 7, 1), date(year + 1, 6, 30)


def school_year_label(start: date) -> str:
    return f"{start.year}–{str(start.year + 1)[-2:]}"


@dataclass
class Line:
    key: str
    title: str  # what it checks
    state: str
    summary: str  # where it stands, in words
    missing: str  # what is missing ("" when done)
    url: str
    link_text: str
    required: bool = True

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def badge(self) -> str:
        return STATE_BADGES[self.state]


@dataclass
class GuidelineShare:
    guideline: Guideline
    acknowledged: int = 0
    total: int = 0
    overdue: list = field(default_factory=list)  # users
    url: str = ""

    @property
    def percent(self) -> int:
        return round(100 * self.acknowledged / self.total) if self.total else 0


@dataclass
class RoleShare:
    role: str
    acknowledged: int = 0
    total: int = 0

    @property
    def label(self) -> str:
        return Role(self.role).label

    @property
    def percent(self) -> int:
        return round(100 * self.acknowledged / self.total) if self.total else 0


class _Summary:
    """What SchoolReadiness and ReadinessRow show alike, from their `state`,
    counts and school."""

    @property
    def state_label(self) -> str:
        return OVERALL_LABELS[self.state]

    @property
    def badge(self) -> str:
        return OVERALL_BADGES[self.state]

    @property
    def acknowledged_percent(self) -> int:
        total = self.to_acknowledge
        return round(100 * self.acknowledged / total) if total else 0

    @property
    def coverage_percent(self) -> int:
        if not self.sections_total:
            return 0
        return round(100 * self.sections_scheduled / self.sections_total)

    @property
    def school_url(self) -> str:
        return cached_reverse("school_home", self.school.pk)


@dataclass
class SchoolReadiness(_Summary):
    school: object
    lines: list[Line] = field(default_factory=list)
    agreement: Agreement | None = None
    waiting_for: object = None  # the signing party whose turn it is
    guidelines: list[GuidelineShare] = field(default_factory=list)
    roles: list[RoleShare] = field(default_factory=list)
    sections_total: int = 0
    sections_scheduled: int = 0
    visits_done: int = 0
    visits_missed: int = 0
    unplaced: int = 0
    officer_invitations: dict = field(default_factory=dict)  # answer -> count
    upcoming_events: int = 0
    talk_requests_waiting: int = 0

    @property
    def state(self) -> str:
        required = [line for line in self.lines if line.required]
        if all(line.state == DONE for line in required):
            return READY
        if all(line.state == MISSING for line in required):
            return NOT_STARTED
        return IN_PROGRESS

    @property
    def done_count(self) -> int:
        return sum(1 for line in self.lines if line.required and line.state == DONE)

    @property
    def required_count(self) -> int:
        return sum(1 for line in self.lines if line.required)

    @property
    def acknowledged(self) -> int:
        return sum(r.acknowledged for r in self.roles)

    @property
    def to_acknowledge(self) -> int:
        return sum(r.total for r in self.roles)

    def line(self, key: str) -> Line:
        return next(line for line in self.lines if line.key == key)


@dataclass
class ReadinessRow(_Summary):
    """A school's readiness as the lists show it (the district table and its CSV,
    the supervisor's home): SchoolReadiness's figures without the lines' text, kept
    apart from it so that a list of every school reads and unpickles little. With
    the month's engagement figures of each officer serving the school."""

    school: object
    state: str
    done_count: int
    required_count: int
    agreement: Agreement | None
    waiting_for: object  # the signing party whose turn it is (with the person's name)
    acknowledged: int
    to_acknowledge: int
    sections_total: int
    sections_scheduled: int
    month: date  # of the figures
    month_figures: dict[int, MonthFigures]  # {officer_id: figures} at this school
    # The school's total (its officers'), filled in by the district table.
    engagement: MonthFigures | None = None
    engagement_total: int = 0


def readiness_row(r: SchoolReadiness, month: date, month_figures: dict) -> ReadinessRow:
    return ReadinessRow(
        school=r.school,
        state=r.state,
        done_count=r.done_count,
        required_count=r.required_count,
        agreement=r.agreement,
        waiting_for=r.waiting_for,
        acknowledged=r.acknowledged,
        to_acknowledge=r.to_acknowledge,
        sections_total=r.sections_total,
        sections_scheduled=r.sections_scheduled,
        month=month,
        month_figures=month_figures,
    )


def _people(names: list[str], limit: int = 3) -> str:
    if len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:limit]) + f" and {len(names) - limit} more"


# --- Bulk fetching: one query per kind of data, for every school at once ---------


def whose_turn(agreements) -> dict[int, SigningParty | None]:
    """{agreement_id: the signing party whose turn it is} for agreements in signing,
    as agreements.next_party decides it (the first party in order who has not
    signed the current version): one query whatever their number."""
    if not agreements:
        return {}
    signed = Signature.objects.filter(
        party=OuterRef("pk"), version=OuterRef("agreement__current_version")
    )
    parties = defaultdict(list)
    for party in (
        SigningParty.objects.filter(agreement__in=agreements)
        .annotate(signed=Exists(signed))
        .select_related("user")
        .order_by("order", "pk")
    ):
        parties[party.agreement_id].append(party)
    return {a.pk: next((p for p in parties[a.pk] if not p.signed), None) for a in agreements}


def current_agreements(school_ids) -> tuple[dict, dict]:
    """{school_id: the agreement that counts}, {agreement_id: party whose turn it is}."""
    chosen: dict[int, Agreement] = {}
    rank = {
        Agreement.Status.ACTIVE: 0,
        Agreement.Status.SIGNING: 1,
        Agreement.Status.REVIEW: 2,
        Agreement.Status.DRAFT: 3,
    }
    rows = (
        Agreement.objects.filter(school_id__in=school_ids)
        .exclude(status=Agreement.Status.SUPERSEDED)
        .order_by("-created_at", "-pk")
    )
    for agreement in rows:
        best = chosen.get(agreement.school_id)
        if best is None or rank[agreement.status] < rank[best.status]:
            chosen[agreement.school_id] = agreement
    signing = [a for a in chosen.values() if a.status == Agreement.Status.SIGNING]
    waiting = whose_turn(signing)
    return chosen, waiting


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
    it (its kept readiness is shared by the dashboard and the district table)."""
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


def _guidelines(schools) -> list[Guideline]:
    return list(
        Guideline.objects.filter(
            Q(school__in=[s.pk for s in schools])
            | Q(district__in={s.district_id for s in schools}),
            current_version__isnull=False,
        )
        .select_related("required_version")
        .order_by("title")
    )


def _staff(school_ids, guidelines) -> dict[tuple[int, str, int | None], int]:
    """{(school_id, role, None): the school's staff of that role} and
    {(school_id, role, guideline_id): those whose acknowledgment counts for the
    guideline}. One query, counted in the database.

    Where the required version is the current one (most guidelines), one version
    counts and a person acknowledges it once: counting the joined acknowledgments is
    exact. Where later versions count too, a person may have acknowledged several:
    those guidelines count the people who have one (a semi-join, no double count)."""
    members = (
        Membership.objects.active()
        .filter(school_id__in=school_ids, role__in=SCHOOL_STAFF_ROLES)
        .values("school_id", "role")
        .order_by()
    )
    parts = [members.annotate(guideline_id=Value(None, IntegerField()), n=Count("pk"))]
    one = [
        g.current_version_id for g in guidelines if g.required_version_id == g.current_version_id
    ]
    if one:
        parts.append(
            members.filter(user__acknowledgments__version__in=one).annotate(
                guideline_id=F("user__acknowledgments__version__guideline"), n=Count("pk")
            )
        )
    for guideline in guidelines:
        if guideline.required_version_id == guideline.current_version_id:
            continue
        counting = Acknowledgment.objects.filter(
            person=OuterRef("user_id"),
            version__guideline=guideline,
            version__number__gte=guideline.required_version.number,
        )
        parts.append(
            members.filter(Exists(counting)).annotate(
                guideline_id=Value(guideline.pk), n=Count("pk")
            )
        )
    rows = (
        parts[0].union(*parts[1:], all=True).values_list("school_id", "role", "guideline_id", "n")
    )
    return {(school_id, role, guideline_id): n for school_id, role, guideline_id, n in rows}


def _overdue(schools, guidelines, today: date | None) -> dict[tuple[int, int], list[User]]:
    """{(school_id, guideline_id): the people overdue, by name}. One query for the
    people who have not acknowledged and whose due date may be past (with a margin
    for every time zone); status_of decides exactly, in each school's zone."""
    days = {s.pk: today or timezone.localdate(timezone=s.zone) for s in schools}
    latest = max(days.values())
    by_district = defaultdict(list)
    for school in schools:
        by_district[school.district_id].append(school.pk)
    parts = []
    for guideline in guidelines:
        required = guideline.required_version
        if required is None or required.due_date >= latest:
            continue
        roles = [r for r in guideline.target_roles if r in SCHOOL_STAFF_ROLES]
        school_ids = (
            [guideline.school_id]
            if guideline.school_id in days
            else by_district.get(guideline.district_id, [])
        )
        if not roles or not school_ids:
            continue
        counting = Acknowledgment.objects.filter(
            person=OuterRef("user_id"),
            version__guideline=guideline,
            version__number__gte=required.number,
        )
        # Someone who joined later is still within their own window in every zone
        # (a local midnight falls at most 12 hours after UTC midnight).
        window_start = datetime.combine(
            latest - timedelta(days=required.join_window_days), time.min, tzinfo=UTC
        ) + timedelta(hours=14)
        parts.append(
            Membership.objects.active()
            .filter(school_id__in=school_ids, role__in=roles)
            .filter(Q(created_at__lte=required.published_at) | Q(created_at__lt=window_start))
            .exclude(Exists(counting))
            .values_list(
                "school_id", "user_id", "created_at", "user__full_name", Value(guideline.pk)
            )
            .order_by()
        )
    if not parts:
        return {}
    zones = {s.pk: s.zone for s in schools}
    required = {g.pk: g.required_version for g in guidelines}
    overdue = defaultdict(list)
    for school_id, user_id, joined_at, full_name, guideline_id in sorted(
        parts[0].union(*parts[1:], all=True), key=lambda row: (row[3], row[1])
    ):
        status = status_of(
            required[guideline_id],
            joined_at=joined_at,
            acknowledged_number=None,
            today=days[school_id],
            zone=zones[school_id],
        )
        if status == OVERDUE:
            overdue[(school_id, guideline_id)].append(User(pk=user_id, full_name=full_name))
    return overdue


def _introductions(figures: dict[int, dict]) -> dict[int, dict]:
    """{school_id: {"total", "scheduled", "done", "missed", "unplaced"}}: the class
    sections taking part in each school's introductions (by the plan in `figures`)
    and where their visits stand, counted in the database. One query."""
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
    figures = {row["school_id"]: {**row, "unplaced": 0} for row in rows}
    for school_id, plan in plans.items():
        row = figures.setdefault(school_id, {**NO_SECTIONS})
        row["unplaced"] = len(plan["unplaced"]) - row["placed_since"]
    return figures


NO_SECTIONS = {"total": 0, "scheduled": 0, "done": 0, "missed": 0, "placed_since": 0, "unplaced": 0}


# --- Assembling ----------------------------------------------------------------


def readiness_for(
    schools, *, today: date | None = None, name_overdue: bool = True
) -> dict[int, SchoolReadiness]:
    """{school_id: SchoolReadiness} for these schools, in a constant number of
    queries whatever their number (seven; two more when an agreement waits for
    signatures, one less without names): every figure is counted in the database.
    `name_overdue=False` leaves out who is overdue (the district table shows no
    names), which saves reading those people."""
    schools = list(schools)
    if not schools:
        return {}
    ids = [s.pk for s in schools]
    agreements, waiting = current_agreements(ids)
    guidelines = _guidelines(schools)
    staff = _staff(ids, guidelines)
    overdue = _overdue(schools, guidelines, today) if name_overdue else {}
    year_start, _ = school_year(today or timezone.localdate())
    figures = _school_figures(ids, year_start)
    introductions = _introductions(figures)
    answers = _officer_answers(ids)
    # Each school's guidelines (its own and its district's), in title order.
    in_district = defaultdict(list)
    for school in schools:
        in_district[school.district_id].append(school.pk)
    applying = defaultdict(list)
    for guideline in guidelines:
        for school_id in (
            [guideline.school_id] if guideline.school_id else in_district[guideline.district_id]
        ):
            applying[school_id].append(guideline)
    result = {}
    for school in schools:
        r = SchoolReadiness(school=school)
        row = figures[school.pk]
        _agreement_line(r, agreements.get(school.pk), waiting)
        _guideline_lines(r, staff, applying[school.pk], overdue)
        _introduction_line(r, introductions.get(school.pk, NO_SECTIONS))
        _event_lines(r, row, answers[school.pk])
        r.talk_requests_waiting = row["talks"]
        r.lines.append(
            Line(
                "talks",
                "Class-talk requests answered by the officer",
                DONE if not r.talk_requests_waiting else IN_PROGRESS,
                f"{r.talk_requests_waiting} waiting for the officer"
                if r.talk_requests_waiting
                else "No request is waiting.",
                f"{r.talk_requests_waiting} request(s) still to answer"
                if r.talk_requests_waiting
                else "",
                cached_reverse("talks", school.pk),
                "Class talks",
                required=False,
            )
        )
        result[school.pk] = r
    return result


# --- Kept readiness: read in one query, computed again only when something changed


# How long a kept readiness may be read at most. What time alone changes (an event
# that started is no longer upcoming) is never older than that; every change of
# data bumps the school's readiness version at once (AuditEvent.record).
KEPT_FOR = timedelta(minutes=5)


@functools.cache
def _kept_shape() -> str:
    """The shape of what is kept (the classes' fields and the models' columns), as a
    digest: a snapshot pickled by code of another shape (before a deploy) is
    computed again rather than read."""
    shape = [
        (cls.__name__, [f.name for f in dataclasses.fields(cls)])
        for cls in (SchoolReadiness, ReadinessRow, Line, GuidelineShare, RoleShare, MonthFigures)
    ] + [
        (model.__name__, [f.attname for f in model._meta.concrete_fields])
        for model in (Agreement, Guideline, SigningParty, User)
    ]
    return hashlib.sha256(repr(shape).encode()).hexdigest()[:16]


def this_month() -> date:
    """The first day of this month, as the home pages count their engagement
    figures (in the site's zone)."""
    return timezone.localdate(timezone=get_default_timezone()).replace(day=1)


def kept_readiness_for(schools, *, name_overdue: bool = True) -> dict[int, SchoolReadiness]:
    """readiness_for(schools), read from each school's kept `ReadinessSnapshot`: one
    query when they are all valid; the others are computed by readiness_for (the one
    source of truth) and written back in one upsert. For the pages that show a
    school's whole readiness on every request: the principal's home, the school page.

    A snapshot is valid when it was computed at the school's current
    `readiness_version`, for the school's local today, within KEPT_FOR, and names
    who is overdue if names are wanted. The version is the one of the school rows
    passed in (whole rows, as the pages load them), read before the figures are
    computed: a change committed during the computation bumps the version, so the
    snapshot written under the older one is never read again. The snapshot lives in
    the database, so every app server reads the same one and every change, made on
    any server, invalidates it."""
    schools = list(schools)
    kept = _read_kept(schools, "data", lambda with_names, month: with_names or not name_overdue)
    missing = [s for s in schools if s.pk not in kept]
    if missing:
        kept.update(_keep(missing, name_overdue=name_overdue, month=this_month())[0])
    return {s.pk: kept[s.pk] for s in schools}


def kept_rows_for(schools, *, month: date) -> dict[int, ReadinessRow]:
    """Each school's ReadinessRow, with the engagement figures of `month`, read
    from its kept snapshot as kept_readiness_for reads the readiness (a snapshot
    kept for another month is computed again): for the district table and the
    supervisor's home. Their figures change only through audited actions (visits,
    events, invitations, attendance, who serves the school), as the readiness does."""
    schools = list(schools)
    kept = _read_kept(schools, "row", lambda with_names, kept_month: kept_month == month)
    missing = [s for s in schools if s.pk not in kept]
    if missing:
        kept.update(_keep(missing, name_overdue=False, month=month)[1])
    return {s.pk: kept[s.pk] for s in schools}


def _read_kept(schools, column: str, wanted) -> dict:
    """{school_id: the object kept in `column`} of the schools whose snapshot is
    valid (see kept_readiness_for) and `wanted(with_names, month)`."""
    if not schools:
        return {}
    now = timezone.now()
    by_id = {s.pk: s for s in schools}
    kept = {}
    for school_id, version, day, with_names, month, data in ReadinessSnapshot.objects.filter(
        school_id__in=list(by_id), computed_at__gt=now - KEPT_FOR
    ).values_list("school_id", "version", "day", "with_names", "month", column):
        school = by_id[school_id]
        if version != school.readiness_version or not wanted(with_names, month):
            continue
        if day != timezone.localdate(now, timezone=school.zone):
            continue
        try:
            # Written only by _keep below, in our own database (as Django's
            # database cache keeps its values).
            shape, r = pickle.loads(data)  # noqa: S301
        except (pickle.UnpicklingError, AttributeError, ImportError, EOFError, TypeError):
            continue  # kept by code that this code cannot read: computed again
        if shape == _kept_shape():
            r.school = school
            kept[school_id] = r
    return kept


def _keep(schools, *, name_overdue: bool, month: date) -> tuple[dict, dict]:
    """Compute these schools' readiness (readiness_for) and their engagement figures
    of `month` (month_figures_for_schools, the officers serving each school), keep
    them in their snapshots (one upsert), and return both: {school_id:
    SchoolReadiness}, {school_id: ReadinessRow}. Both are kept whichever a page
    reads, so that the pages reading one do not undo the snapshots of the others."""
    now = timezone.now()
    readiness = readiness_for(schools, name_overdue=name_overdue)
    figures = defaultdict(dict)
    for (school_id, officer_id), cell in month_figures_for_schools(schools, month).items():
        figures[school_id][officer_id] = cell
    rows = {pk: readiness_row(r, month, figures[pk]) for pk, r in readiness.items()}
    shape = _kept_shape()
    ReadinessSnapshot.objects.bulk_create(
        [
            ReadinessSnapshot(
                school_id=school.pk,
                version=school.readiness_version,
                day=timezone.localdate(now, timezone=school.zone),
                computed_at=now,
                with_names=name_overdue,
                month=month,
                data=pickle.dumps((shape, _to_keep(readiness[school.pk]))),
                row=pickle.dumps((shape, _to_keep(rows[school.pk]))),
            )
            # In the order of their keys, as every upsert locks its rows.
            for school in sorted(schools, key=lambda s: s.pk)
        ],
        update_conflicts=True,
        unique_fields=["school"],
        update_fields=["version", "day", "computed_at", "with_names", "month", "data", "row"],
    )
    return readiness, rows


def _to_keep(r):
    """What is kept of a school's readiness or row: without the school (the caller's
    row is put back), and with the columns only of the agreement, the guidelines
    (not their required version and its text) and of the person an agreement waits
    for (name and address, not the password hash)."""
    party = r.waiting_for
    if party is not None:
        user = party.user
        party = _columns(party)
        party.user = User(pk=user.pk, full_name=user.full_name, email=user.email)
    changes = {"school": None, "waiting_for": party}
    if r.agreement is not None:
        changes["agreement"] = _columns(r.agreement)
    if isinstance(r, SchoolReadiness):
        changes["guidelines"] = [
            dataclasses.replace(g, guideline=_columns(g.guideline)) for g in r.guidelines
        ]
    return dataclasses.replace(r, **changes)


def _columns(instance):
    """A copy of a model instance with its columns only, not the rows fetched with it."""
    meta = instance._meta
    return type(instance).from_db(
        instance._state.db,
        [f.attname for f in meta.concrete_fields],
        [getattr(instance, f.attname) for f in meta.concrete_fields],
    )


def _agreement_line(r: SchoolReadiness, agreement, waiting) -> None:
    school = r.school
    r.agreement = agreement
    url = cached_reverse("agreement_list", school.pk)
    if agreement is None:
        r.lines.append(
            Line(
                "agreement",
                "Role agreement signed by every party",
                MISSING,
                "No agreement yet.",
                "Start an agreement from the district's template.",
                url,
                "Start the role agreement",
            )
        )
        return
    status = agreement.get_status_display()
    if agreement.status == Agreement.Status.ACTIVE:
        summary = (
            f"Active since {agreement.activated_at:%B %-d, %Y}. "
            if agreement.activated_at
            else "Active. "
        )
        r.lines.append(
            Line(
                "agreement",
                "Role agreement signed by every party",
                DONE,
                summary + f"Annual review on {agreement.review_date:%B %-d, %Y}.",
                "",
                url,
                "See the agreement",
            )
        )
        return
    if agreement.status == Agreement.Status.SIGNING:
        party = waiting.get(agreement.pk)
        r.waiting_for = party
        who = f"{party.user.full_name} ({party.role})" if party else "nobody"
        missing = f"Waiting for the signature of {who}."
    elif agreement.status == Agreement.Status.REVIEW:
        missing = "In review with the officer and the agency; then send it for signing."
    else:
        missing = "A draft: finish it and send it for review."
    r.lines.append(
        Line(
            "agreement",
            "Role agreement signed by every party",
            IN_PROGRESS,
            f"{status}. Review date {agreement.review_date:%B %-d, %Y}.",
            missing,
            cached_reverse("agreement_detail", school.pk, agreement.pk),
            "Open the agreement",
        )
    )


def _guideline_lines(r: SchoolReadiness, counts, guidelines, overdue) -> None:
    school = r.school
    staff = {role: counts.get((school.pk, role, None), 0) for role in SCHOOL_STAFF_ROLES}
    roles = {role: RoleShare(role) for role in SCHOOL_STAFF_ROLES}
    mental_health = RoleShare(Role.MENTAL_HEALTH)
    mental_health_guidelines = 0
    for guideline in guidelines:
        share = GuidelineShare(
            guideline,
            overdue=overdue.get((school.pk, guideline.pk), []),
            url=cached_reverse("guideline_compliance", school.pk, guideline.pk),
        )
        targets_mh = guideline.targets(Role.MENTAL_HEALTH) and Role.STAFF not in (
            guideline.target_roles
        )
        mental_health_guidelines += targets_mh
        for role in SCHOOL_STAFF_ROLES:
            if role not in guideline.target_roles:
                continue
            done = counts.get((school.pk, role, guideline.pk), 0)
            share.total += staff[role]
            share.acknowledged += done
            roles[role].total += staff[role]
            roles[role].acknowledged += done
        if targets_mh:
            # Everyone the guideline targets, as it targets mental-health staff.
            mental_health.total += share.total
            mental_health.acknowledged += share.acknowledged
        r.guidelines.append(share)
    r.roles = [share for share in roles.values() if share.total]
    url = cached_reverse("guidelines", school.pk)
    if not r.guidelines:
        state, summary, missing = MISSING, "No guideline published.", "Publish the starters."
    else:
        overdue = sorted({u.full_name for g in r.guidelines for u in g.overdue})
        summary = (
            f"{len(r.guidelines)} published; {r.acknowledged} of {r.to_acknowledge} "
            f"acknowledgments done ({r.acknowledged_percent}%)."
        )
        if r.to_acknowledge and r.acknowledged == r.to_acknowledge:
            state, missing = DONE, ""
        else:
            state = IN_PROGRESS
            missing = f"{r.to_acknowledge - r.acknowledged} acknowledgment(s) to come" + (
                f"; overdue: {_people(overdue)}." if overdue else "."
            )
    r.lines.append(
        Line(
            "expectations",
            "Staff expectations published and acknowledged",
            state,
            summary,
            missing,
            url,
            "Guidelines and who acknowledged",
        )
    )
    if not mental_health_guidelines:
        state, summary = MISSING, "No guideline for mental-health staff is published."
        missing = "Publish the mental-health holds starter."
    elif not mental_health.total:
        state, summary, missing = MISSING, "No mental-health staff at the school.", "Add them."
    elif mental_health.acknowledged == mental_health.total:
        state, missing = DONE, ""
        summary = f"All {mental_health.total} acknowledged."
    else:
        state = IN_PROGRESS
        summary = f"{mental_health.acknowledged} of {mental_health.total} acknowledged."
        missing = f"{mental_health.total - mental_health.acknowledged} still to acknowledge."
    r.lines.append(
        Line(
            "mental_health",
            "Mental-health staff acknowledged their guideline",
            state,
            summary,
            missing,
            url,
            "Guidelines",
        )
    )


def _introduction_line(r: SchoolReadiness, sections: dict) -> None:
    school = r.school
    r.sections_total = sections["total"]
    r.sections_scheduled = sections["scheduled"]
    r.visits_done = sections["done"]
    r.visits_missed = sections["missed"]
    r.unplaced = sections["unplaced"]
    summary = (
        f"{r.sections_scheduled} of {r.sections_total} class sections have a visit "
        f"({r.visits_done} done, {r.visits_missed} missed, {r.unplaced} not placed)."
    )
    if not r.sections_total:
        state, missing, summary = (
            MISSING,
            "Add the class sections and run the plan.",
            "No class sections.",
        )
    elif r.sections_scheduled == r.sections_total:
        state, missing = DONE, ""
    elif not r.sections_scheduled:
        state, missing = MISSING, "Run the plan to place every section."
    else:
        state = IN_PROGRESS
        missing = f"{r.sections_total - r.sections_scheduled} section(s) without a visit."
    r.lines.append(
        Line(
            "introductions",
            "Class introductions planned for every class",
            state,
            summary,
            missing,
            cached_reverse("introductions", school.pk),
            "Plan the introductions",
        )
    )


def _event_lines(r: SchoolReadiness, row: dict, answers: dict) -> None:
    school = r.school
    calendar = cached_reverse("events", school.pk)
    coffee = row["coffee_at"] is not None
    if coffee:
        local = timezone.localtime(row["coffee_at"], school.zone)
        state, summary, missing = DONE, f"{row['coffee_title']}, {local:%B %-d, %Y}.", ""
    else:
        state, summary = MISSING, "No family coffee hour this school year."
        missing = "Plan one and invite the officer."
    r.lines.append(
        Line(
            "coffee_hour",
            "A family coffee hour planned",
            state,
            summary,
            missing,
            cached_reverse("event_create", school.pk) if not coffee else calendar,
            "Plan a coffee hour" if not coffee else "The school's events",
        )
    )
    r.upcoming_events = row["upcoming"]
    r.officer_invitations = answers
    invited = sum(answers.values())
    if invited:
        parts = [
            f"{n} {EventInvitation.Answer(a).label.lower()}" for a, n in sorted(answers.items())
        ]
        state, missing = DONE, ""
        summary = f"{invited} invitation(s) to upcoming events: " + ", ".join(parts) + "."
        if answers.get(EventInvitation.Answer.PENDING):
            missing = "Some invitations are not answered yet."
    else:
        state = MISSING
        summary = f"{r.upcoming_events} upcoming event(s); the officer is invited to none."
        missing = "Invite the officer to an upcoming event."
    r.lines.append(
        Line(
            "events",
            "The officer invited to upcoming events",
            state,
            summary,
            missing,
            calendar,
            "Invite the officer to events",
        )
    )


def valid_sort(key: str) -> str:
    return key if key.lstrip("-") in SORT_KEYS else "name"


def sort_rows(rows: list[SchoolReadiness], key: str) -> list[SchoolReadiness]:
    """Sort the district table by one column (`-name` for descending)."""
    descending = key.startswith("-")
    column = SORT_KEYS.get(key.lstrip("-"), SORT_KEYS["name"])
    return sorted(rows, key=column, reverse=descending)


def _review_key(r: SchoolReadiness):
    return r.agreement.review_date if r.agreement else date.max


SORT_KEYS = {
    "name": lambda r: r.school.name.lower(),
    "state": lambda r: (OVERALL_ORDER[r.state], r.done_count),
    "agreement": lambda r: r.agreement.status if r.agreement else "",
    "review": _review_key,
    "acknowledged": lambda r: r.acknowledged_percent,
    "coverage": lambda r: r.coverage_percent,
    "engagement": lambda r: r.engagement_total,
}

"""Expectations' part of each school's readiness (see onboarding/contributions.py):
the guidelines published and acknowledged, and the mental-health staff's.

Counted in the database for all the schools at once (rows per school, role and
guideline, never a row per person); only the people a line names are read (who is
overdue).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Value
from django.urls import reverse
from django.utils import timezone

from expectations.models import Acknowledgment, Guideline
from expectations.status import OVERDUE, status_of
from onboarding.readiness.lines import (
    DONE,
    IN_PROGRESS,
    MISSING,
    Cell,
    Column,
    Line,
    Part,
    line_of,
    percent,
    plural,
)
from onboarding.schools.models import SCHOOL_STAFF_ROLES, Membership, Role


@dataclass
class GuidelineShare:
    guideline: Guideline
    acknowledged: int = 0
    total: int = 0
    overdue: list[str] = field(default_factory=list)  # names

    @property
    def percent(self) -> int:
        return percent(self.acknowledged, self.total)


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
        return percent(self.acknowledged, self.total)


@dataclass
class Shares:
    """A school's acknowledgments by guideline and by role (the roles with staff)."""

    guidelines: list[GuidelineShare]
    roles: list[RoleShare]
    mental_health: RoleShare  # everyone the mental-health guidelines target
    mental_health_guidelines: int

    @property
    def acknowledged(self) -> int:
        return sum(r.acknowledged for r in self.roles)

    @property
    def to_acknowledge(self) -> int:
        return sum(r.total for r in self.roles)


def lines_for(schools, *, name_overdue: bool = True) -> dict[int, list[Line]]:
    """Each school's "expectations" and "mental_health" lines: four queries whatever
    the number of schools (three without the names of who is overdue)."""
    shares = shares_for(schools, name_overdue=name_overdue)
    return {s.pk: _lines(s, shares[s.pk]) for s in schools}


def columns_for(schools, lines, *, month: date) -> list[Column]:
    """The district table's "Acknowledged", from the expectations lines."""
    cells = {}
    for school in schools:
        facts = line_of(lines[school.pk], "expectations").facts
        done, total = facts["acknowledged"], facts["to_acknowledge"]
        share = percent(done, total)
        cells[school.pk] = Cell(
            {"acknowledged": done, "total": total, "percent": share},
            share,
            (done, total, share),
        )
    return [
        Column(
            "acknowledged",
            "Acknowledged",
            "expectations/_readiness.html#acknowledged",
            cells,
            ("Acknowledged", "To acknowledge", "Acknowledged %"),
        )
    ]


def shares_for(schools, *, name_overdue: bool = True) -> dict[int, Shares]:
    """{school_id: Shares} of these schools' guidelines (their own and their
    district's, in title order)."""
    schools = list(schools)
    guidelines = _guidelines(schools)
    counts = _counts([s.pk for s in schools], guidelines)
    overdue = _overdue(schools, guidelines) if name_overdue else {}
    in_district = defaultdict(list)
    for school in schools:
        in_district[school.district_id].append(school.pk)
    applying = defaultdict(list)
    for guideline in guidelines:
        for school_id in (
            [guideline.school_id] if guideline.school_id else in_district[guideline.district_id]
        ):
            applying[school_id].append(guideline)
    return {s.pk: _shares(s.pk, counts, applying[s.pk], overdue) for s in schools}


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


def _counts(school_ids, guidelines) -> dict[tuple[int, str, int | None], int]:
    """{(school_id, role, None): the school's staff of that role} and
    {(school_id, role, guideline_id): those whose acknowledgment counts for the
    guideline (of its required version or a later one)}. One query, counted in the
    database; a person who acknowledged two versions that count is counted once."""
    staff = (
        Membership.objects.active()
        .filter(school_id__in=school_ids, role__in=SCHOOL_STAFF_ROLES)
        .values("school_id", "role")
        .annotate(guideline_id=Value(None, IntegerField()), n=Count("pk"))
        .values_list("school_id", "role", "guideline_id", "n")
        .order_by()
    )
    acknowledged = (
        Acknowledgment.objects.filter(
            version__guideline__in=guidelines,
            version__number__gte=F("version__guideline__required_version__number"),
            person__is_active=True,
            person__memberships__is_active=True,
            person__memberships__school_id__in=school_ids,
            person__memberships__role__in=SCHOOL_STAFF_ROLES,
        )
        .values("person__memberships__school_id", "person__memberships__role")
        .annotate(guideline_id=F("version__guideline_id"), n=Count("person", distinct=True))
        .values_list(
            "person__memberships__school_id", "person__memberships__role", "guideline_id", "n"
        )
        .order_by()
    )
    rows = staff.union(acknowledged, all=True) if guidelines else staff
    return {(school_id, role, guideline_id): n for school_id, role, guideline_id, n in rows}


def _overdue(schools, guidelines) -> dict[tuple[int, int], list[str]]:
    """{(school_id, guideline_id): the names of the people overdue, in order}. One
    query for the people who have not acknowledged and whose due date may be past
    (with a margin for every time zone); status_of decides exactly, in each
    school's zone."""
    days = {s.pk: timezone.localdate(timezone=s.zone) for s in schools}
    latest = max(days.values(), default=None)
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
    for school_id, _, joined_at, full_name, guideline_id in sorted(
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
            overdue[(school_id, guideline_id)].append(full_name)
    return overdue


def _shares(school_id: int, counts, guidelines, overdue) -> Shares:
    staff = {role: counts.get((school_id, role, None), 0) for role in SCHOOL_STAFF_ROLES}
    roles = {role: RoleShare(role) for role in SCHOOL_STAFF_ROLES}
    mental_health = RoleShare(Role.MENTAL_HEALTH)
    mental_health_guidelines = 0
    shares = []
    for guideline in guidelines:
        share = GuidelineShare(guideline, overdue=overdue.get((school_id, guideline.pk), []))
        targets_mh = guideline.targets(Role.MENTAL_HEALTH) and Role.STAFF not in (
            guideline.target_roles
        )
        mental_health_guidelines += targets_mh
        for role in SCHOOL_STAFF_ROLES:
            if role not in guideline.target_roles:
                continue
            done = counts.get((school_id, role, guideline.pk), 0)
            share.total += staff[role]
            share.acknowledged += done
            roles[role].total += staff[role]
            roles[role].acknowledged += done
        if targets_mh:
            # Everyone the guideline targets, as it targets mental-health staff.
            mental_health.total += share.total
            mental_health.acknowledged += share.acknowledged
        shares.append(share)
    return Shares(
        guidelines=shares,
        roles=[share for share in roles.values() if share.total],
        mental_health=mental_health,
        mental_health_guidelines=mental_health_guidelines,
    )


def _people(names: list[str], limit: int = 3) -> str:
    if len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:limit]) + f" and {len(names) - limit} more"


def _lines(school, shares: Shares) -> list[Line]:
    url = reverse("guidelines", args=[school.pk])
    done, total = shares.acknowledged, shares.to_acknowledge
    if not shares.guidelines:
        state, summary, missing = MISSING, "No guideline published.", "Publish the starters."
    else:
        overdue = sorted({name for g in shares.guidelines for name in g.overdue})
        summary = (
            f"{len(shares.guidelines)} published; {done} of {total} "
            f"acknowledgments done ({percent(done, total)}%)."
        )
        if total and done == total:
            state, missing = DONE, ""
        else:
            state = IN_PROGRESS
            missing = f"{plural(total - done, 'acknowledgment')} to come" + (
                f"; overdue: {_people(overdue)}." if overdue else "."
            )
    expectations = Line(
        "expectations",
        "Staff expectations published and acknowledged",
        state,
        summary,
        missing,
        url,
        "Guidelines and who acknowledged",
        facts={"acknowledged": done, "to_acknowledge": total},
        detail=Part(
            "expectations/_readiness.html#shares",
            {"acknowledgment_shares": shares},
        ),
    )
    mh = shares.mental_health
    if not shares.mental_health_guidelines:
        state, summary = MISSING, "No guideline for mental-health staff is published."
        missing = "Publish the mental-health holds starter."
    elif not mh.total:
        state, summary, missing = MISSING, "No mental-health staff at the school.", "Add them."
    elif mh.acknowledged == mh.total:
        state, missing = DONE, ""
        summary = f"All {mh.total} acknowledged."
    else:
        state = IN_PROGRESS
        summary = f"{mh.acknowledged} of {mh.total} acknowledged."
        missing = f"{mh.total - mh.acknowledged} still to acknowledge."
    mental_health = Line(
        "mental_health",
        "Mental-health staff acknowledged their guideline",
        state,
        summary,
        missing,
        url,
        "Guidelines",
        facts={"acknowledged": mh.acknowledged, "to_acknowledge": mh.total},
    )
    return [expectations, mental_health]

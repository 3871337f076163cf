"""Engagement figures: what each officer did with the school, month by month."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth

from events.introductions.models import Visit
from events.invitations.models import EventInvitation, EventKind
from onboarding.people.models import User
from onboarding.schools.models import School


@dataclass
class MonthFigures:
    month: date
    introductions: int = 0
    class_talks: int = 0
    invited: int = 0
    attended: int = 0
    minutes: int = 0

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)

    @classmethod
    def total(cls, month: date, figures) -> "MonthFigures":
        """The sum of several months' or officers' figures, under `month`."""
        total = cls(month=month)
        for f in figures:
            total.introductions += f.introductions
            total.class_talks += f.class_talks
            total.invited += f.invited
            total.attended += f.attended
            total.minutes += f.minutes
        return total


@dataclass
class OfficerFigures:
    officer: User
    months: list[MonthFigures] = field(default_factory=list)

    @property
    def totals(self) -> MonthFigures:
        month = self.months[0].month if self.months else date.today()
        return MonthFigures.total(month, self.months)


def month_starts(last: date, count: int) -> list[date]:
    months, year, month = [], last.year, last.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(months))


def introductions_done(school: School, officer_ids: list[int], start, end) -> dict:
    """{(officer_id, month_start): class introductions done}, months in the school's
    zone. One query."""
    rows = (
        Visit.objects.filter(
            school=school,
            officer_id__in=officer_ids,
            status=Visit.Status.DONE,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .annotate(month=TruncMonth("starts_at", tzinfo=school.zone))
        .values("officer_id", "month")
        .annotate(done=Count("pk"))
    )
    return {(row["officer_id"], _as_date(row["month"])): row["done"] for row in rows}


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def _count_invitation(cell: MonthFigures, attended, kind, starts_at, ends_at) -> None:
    cell.invited += 1
    if attended:
        cell.attended += 1
        cell.minutes += int((ends_at - starts_at).total_seconds() // 60)
        if kind == EventKind.CLASS_TALK:
            cell.class_talks += 1


def month_figures_for_schools(
    schools: list[School], month: date, officers: set[tuple[int, int]] | None = None
) -> dict[tuple[int, int], MonthFigures]:
    """{(school_id, officer_id): figures} for one month (in each school's zone), for
    the officers serving these schools, or the (school_id, officer_id) pairs
    `officers` when the caller has them: two or three queries whatever the number of
    schools (for the supervisor's home and the district table), counted in the
    database.

    Only those pairs: what an officer did at a school they do not serve is not
    counted, so that a school's figures do not depend on the other schools asked
    with it (they are kept with the school's readiness, onboarding/readiness.py)."""
    from onboarding.schools.models import Membership, Role

    if not schools:
        return {}
    if officers is None:
        officers = set(
            Membership.objects.active()
            .filter(school__in=schools, role=Role.SRO)
            .values_list("school_id", "user_id")
        )
    officer_ids = {user_id for _, user_id in officers}
    cells: dict[tuple[int, int], MonthFigures] = {
        key: MonthFigures(month=month) for key in officers
    }
    # The month's bounds differ by zone: one condition per zone of these schools.
    after = month + timedelta(days=32)
    next_month = date(after.year, after.month, 1)
    by_zone = defaultdict(list)
    for school in schools:
        by_zone[school.zone].append(school.pk)
    invited_in_month, done_in_month = Q(), Q()
    for zone, school_ids in by_zone.items():
        start = datetime.combine(month, datetime.min.time(), tzinfo=zone)
        end = datetime.combine(next_month, datetime.min.time(), tzinfo=zone)
        invited_in_month |= Q(
            event__school_id__in=school_ids, event__starts_at__gte=start, event__starts_at__lt=end
        )
        done_in_month |= Q(school_id__in=school_ids, starts_at__gte=start, starts_at__lt=end)
    # Counted per kind of event, answer and length: a few rows per officer and school.
    rows = (
        EventInvitation.objects.filter(
            invited_in_month, user_id__in=officer_ids, event__cancelled_at__isnull=True
        )
        .values(
            "event__school_id",
            "user_id",
            "attended",
            "event__kind",
            length=F("event__ends_at") - F("event__starts_at"),
        )
        .annotate(n=Count("pk"))
        .values_list("event__school_id", "user_id", "attended", "event__kind", "length", "n")
        .order_by()
    )
    for school_id, user_id, attended, kind, length, n in rows:
        cell = cells.get((school_id, user_id))
        if cell is None:
            continue
        cell.invited += n
        if attended:
            cell.attended += n
            cell.minutes += n * int(length.total_seconds() // 60)
            if kind == EventKind.CLASS_TALK:
                cell.class_talks += n
    done = (
        Visit.objects.filter(done_in_month, officer_id__in=officer_ids, status=Visit.Status.DONE)
        .values("school_id", "officer_id")
        .annotate(n=Count("pk"))
        .values_list("school_id", "officer_id", "n")
        .order_by()
    )
    for school_id, user_id, n in done:
        if (school_id, user_id) in cells:
            cells[school_id, user_id].introductions = n
    return cells


def engagement_figures(
    school: School, officers: list[User], *, last_month: date, count: int = 6
) -> list[OfficerFigures]:
    """Per officer and month (in the school's zone), at this school: introductions,
    class talks given, events invited to and attended, and hours at events attended.
    One query for the invitations, whatever their number."""
    zone = school.zone
    months = month_starts(last_month, count)
    start = datetime.combine(months[0], datetime.min.time(), tzinfo=zone)
    after = months[-1] + timedelta(days=32)
    end = datetime.combine(date(after.year, after.month, 1), datetime.min.time(), tzinfo=zone)
    officer_ids = [o.pk for o in officers]
    rows = (
        EventInvitation.objects.filter(
            user_id__in=officer_ids,
            event__school=school,
            event__cancelled_at__isnull=True,
            event__starts_at__gte=start,
            event__starts_at__lt=end,
        )
        .values_list("user_id", "attended", "event__kind", "event__starts_at", "event__ends_at")
        .order_by()
    )
    cells: dict[tuple[int, date], MonthFigures] = defaultdict(lambda: MonthFigures(month=None))
    for user_id, attended, kind, starts_at, ends_at in rows:
        local = starts_at.astimezone(zone)
        key = (user_id, date(local.year, local.month, 1))
        _count_invitation(cells[key], attended, kind, starts_at, ends_at)
    intros = introductions_done(school, officer_ids, start, end)
    result = []
    for officer in officers:
        figures = OfficerFigures(officer=officer)
        for month in months:
            cell = cells.get((officer.pk, month)) or MonthFigures(month=month)
            cell.month = month
            cell.introductions = intros.get((officer.pk, month), 0)
            figures.months.append(cell)
        result.append(figures)
    return result


def chart_scale(figures: list[OfficerFigures]) -> float:
    """The largest number any bar shows, so bars share one scale."""
    biggest = 1.0
    for officer in figures:
        for m in officer.months:
            biggest = max(biggest, m.attended, m.invited, m.class_talks, m.hours, m.introductions)
    return biggest

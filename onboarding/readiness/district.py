"""The district table: every school of the districts a person administers, its
readiness and each part's columns (summary.py), sorted on the server; and its CSV.

Counting every school's acknowledgments, sections and visits takes a district's
worth of rows, so the figures are kept in Django's cache (the database cache: every
app server reads the same). The key is derived from the data they are counted from:
each school's newest audit event (every change that matters writes one, for each
school it concerns), each school's local date (the school year, who is overdue) and
the month of the engagement figures. A change made through the site therefore shows
at the next request; what only time or a change made outside the site changes (an
event that started is no longer upcoming) shows within KEPT_FOR, as does a change
whose transaction commits after a later event of the same school was read (two
writes to one school at the same moment, the earlier one finishing last).
"""

import hashlib
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from onboarding.audit.models import AuditEvent
from onboarding.readiness.dates import this_month
from onboarding.readiness.lines import Cell, Column, Overall
from onboarding.readiness.summary import lines_for, parts
from onboarding.schools.models import School

KEPT_FOR = 60  # seconds

FIXED = [("name", "School"), ("state", "Readiness")]


@dataclass(frozen=True)
class Row:
    school: School
    overall: Overall
    cells: list[tuple[str, Cell]]  # (the column's template, the school's cell)


@dataclass(frozen=True)
class Table:
    rows: list[Row]
    headings: list[tuple[str, str]]  # (sort key, label)
    sort: str
    csv_headers: list[str]


def district_table(district_ids, sort: str) -> Table:
    """The table of these districts' schools, sorted by `sort` (a heading's key,
    `-` first for descending; by name when it is no heading's)."""
    schools = list(
        School.objects.filter(district__in=list(district_ids))
        .annotate(
            last_change=Subquery(
                AuditEvent.objects.filter(school=OuterRef("pk"))
                .order_by("-created_at", "-pk")
                .values("pk")[:1]
            )
        )
        .order_by("name", "pk")
    )
    month = this_month()
    overall, columns = cache.get_or_set(
        _key(schools, month), lambda: _figures(schools, month), KEPT_FOR
    )
    headings = FIXED + [(c.key, c.label) for c in columns]
    if sort.lstrip("-") not in {key for key, _ in headings}:
        sort = "name"
    rows = [Row(s, overall[s.pk], [(c.template, c.cells[s.pk]) for c in columns]) for s in schools]
    return Table(
        rows=_sorted(rows, sort, [c.key for c in columns]),
        headings=headings,
        sort=sort,
        csv_headers=[header for c in columns for header in c.csv_headers],
    )


def _key(schools, month: date) -> str:
    version = [
        (s.pk, s.last_change, timezone.localdate(timezone=s.zone).isoformat()) for s in schools
    ]
    digest = hashlib.sha256(repr((version, month.isoformat())).encode()).hexdigest()
    return f"readiness-district:{digest}"


def _figures(schools, month: date) -> tuple[dict[int, Overall], list[Column]]:
    """Each school's overall state and every part's columns: plain values, kept."""
    lines = lines_for(schools, name_overdue=False)
    overall = {s.pk: Overall.of(lines[s.pk]) for s in schools}
    columns = [c for part in parts() for c in part.columns_for(schools, lines, month=month)]
    return overall, columns


def _sorted(rows: list[Row], sort: str, column_keys: list[str]) -> list[Row]:
    key = sort.lstrip("-")

    def value(row: Row):
        if key == "name":
            return row.school.name.lower()
        if key == "state":
            return row.overall.sort_value
        return row.cells[column_keys.index(key)][1].sort_value

    return sorted(rows, key=value, reverse=sort.startswith("-"))

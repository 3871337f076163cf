"""The district table: every school of the districts a person administers, its
readiness and each part's columns (summary.py), sorted on the server; and its CSV.

Counting every school's acknowledgments, sections and visits takes a district's
worth of rows, so the figures are kept in Django's cache, under a key derived from
each school's newest audit event and local date and the month of the engagement
figures (kept.py says what shows when).
"""

from dataclasses import dataclass
from datetime import date

from django.core.cache import cache

from onboarding.readiness import kept
from onboarding.readiness.dates import this_month
from onboarding.readiness.lines import Cell, Column, Overall
from onboarding.readiness.summary import lines_for, parts
from onboarding.schools.models import School

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
        .annotate(last_change=kept.newest_event())
        .order_by("name", "pk")
    )
    month = this_month()
    overall, columns = cache.get_or_set(
        _key(schools, month), lambda: _figures(schools, month), kept.KEPT_FOR
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
    versions = [kept.school_version(s, s.last_change) for s in schools]
    return f"readiness-district:{kept.key(versions, month.isoformat())}"


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

"""Is a school ready for its School Resource Officer? Gathered from every capability.

Each part of a school's readiness comes from the app that knows it: the role
agreement from the foundation (`onboarding.readiness.agreement`), then each feature
app's `readiness` module (onboarding/contributions.py), in the order of
`LOCAL_APPS`. A part provides:

- `lines_for(schools, *, name_overdue=True) -> {school_id: [Line]}`: each school's
  lines, for any number of schools in a constant number of queries.
  `name_overdue=False` leaves out who is overdue (the district table names nobody).
- `columns_for(schools, lines, *, month) -> [Column]`: what it adds to the district
  table and its CSV, a cell for every school, worded from the `facts` of its own
  lines in `lines` (every part's lines, by school) and from figures of `month`.
"""

from onboarding.contributions import contributions
from onboarding.readiness import agreement
from onboarding.readiness.lines import Line, SchoolReadiness


def parts() -> list:
    return [agreement, *contributions("readiness")]


def lines_for(schools, *, name_overdue: bool = True) -> dict[int, list[Line]]:
    """{school_id: every part's lines}, in the order of the parts."""
    schools = list(schools)
    lines = {s.pk: [] for s in schools}
    if not schools:
        return lines
    for part in parts():
        for school_id, found in part.lines_for(schools, name_overdue=name_overdue).items():
            lines[school_id].extend(found)
    return lines


def readiness_for(schools, *, name_overdue: bool = True) -> dict[int, SchoolReadiness]:
    """{school_id: SchoolReadiness} for these schools, computed from their data now."""
    schools = list(schools)
    lines = lines_for(schools, name_overdue=name_overdue)
    return {
        s.pk: SchoolReadiness.of(lines[s.pk], school=s, lines=tuple(lines[s.pk])) for s in schools
    }

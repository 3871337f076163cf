"""The principal's readiness dashboard, on the school's page: kept rendered in the
cache until the school's data changes (kept.py)."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from onboarding.readiness import kept
from onboarding.readiness.dates import school_year, school_year_label
from onboarding.readiness.lines import RULE, Part, SchoolReadiness
from onboarding.readiness.summary import readiness_for


@dataclass(frozen=True)
class Dashboard:
    """What `templates/onboarding/readiness/_dashboard.html` shows: the school's
    readiness, the details its lines add under the table, and the school years the
    evidence binder can be made for."""

    readiness: SchoolReadiness
    details: list[Part]
    binder_years: list[tuple[int, str]]
    rule: str = RULE


def dashboard(school) -> kept.Fragment:
    """The dashboard of `school` (annotated with `last_change`, kept.newest_event),
    counted when it is not kept."""
    return kept.fragment(
        lambda: _dashboard(school), kept.school_version(school, school.last_change)
    )


def _dashboard(school) -> Dashboard:
    readiness = readiness_for([school])[school.pk]
    start, _ = school_year(timezone.localdate(timezone=school.zone))
    return Dashboard(
        readiness=readiness,
        details=[line.detail for line in readiness.lines if line.detail],
        binder_years=[
            (y, school_year_label(date(y, 7, 1))) for y in range(start.year, start.year - 4, -1)
        ],
    )

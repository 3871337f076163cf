"""The principal's readiness dashboard, on the school's page: computed on each
request from the school's data (one school's figures are quick to count)."""

from datetime import date

from django.utils import timezone

from onboarding.readiness.dates import school_year, school_year_label
from onboarding.readiness.lines import RULE, merged
from onboarding.readiness.summary import readiness_for


def dashboard_context(school) -> dict:
    """What `templates/onboarding/readiness/_dashboard.html` reads: the school's
    readiness, the details its lines add under the table, and the school years the
    evidence binder can be made for."""
    readiness = readiness_for([school])[school.pk]
    details = [line.detail for line in readiness.lines if line.detail]
    start, _ = school_year(timezone.localdate(timezone=school.zone))
    return {
        "readiness": readiness,
        "readiness_rule": RULE,
        "readiness_details": [detail.template for detail in details],
        "binder_years": [
            (y, school_year_label(date(y, 7, 1))) for y in range(start.year, start.year - 4, -1)
        ],
        **merged(details),
    }

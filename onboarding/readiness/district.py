from events.engagement.figures import MonthFigures
from onboarding.readiness.summary import kept_rows_for, sort_rows, this_month, valid_sort
from onboarding.schools.models import School
from sro_portal.reversing import url_for_each

SORTABLE = [
    ("name", "School"),
    ("state", "Readiness"),
    ("agreement", "Agreement"),
    ("review", "Review date"),
    ("acknowledged", "Acknowledged"),
    ("coverage", "Introductions"),
    ("engagement", "Engagement this month"),
]


def district_table(district_ids, sort: str) -> dict:
    sort = valid_sort(sort)
    schools = list(School.objects.filter(district__in=district_ids).select_related("district"))
    month = this_month()
    readiness = kept_rows_for(schools, month=month)
    rows = []
    for r in readiness.values():
        # The school's figures: the sum of its officers'.
        total = MonthFigures.total(month, r.month_figures.values())
        r.engagement = total
        r.engagement_total = total.introductions + total.attended
        rows.append(r)
    rows = sort_rows(rows, sort)
    return {
        "district_rows": rows,  # for the CSV
        "district_cells": _district_cells(rows),
        "district_sort": sort,
        "sortable": SORTABLE,
    }


def _district_cells(rows) -> list[dict]:
    """The text of each row of the district table, built here (sixty rows) rather
    than by the template."""
    school_url = url_for_each("school_home")  # one reverse() for every row
    cells = []
    for r in rows:
        agreement = r.agreement
        if agreement is None:
            agreement_text, review = "None", "—"
        else:
            agreement_text = agreement.get_status_display()
            if r.waiting_for:
                agreement_text += f", waiting for {r.waiting_for.user.full_name}"
            review = agreement.review_date.isoformat()
        cells.append(
            {
                "url": school_url(r.school.pk),
                "school": r.school.name,
                "badge": r.badge,
                "state": r.state_label,
                "done": f"{r.done_count}/{r.required_count}",
                "agreement": agreement_text,
                "review": review,
                "acknowledged": (
                    f"{r.acknowledged_percent}% ({r.acknowledged} of {r.to_acknowledge})"
                ),
                "coverage": (
                    f"{r.coverage_percent}% ({r.sections_scheduled} of {r.sections_total})"
                ),
                "engagement": (
                    f"{r.engagement.introductions} introductions, {r.engagement.attended} events"
                ),
            }
        )
    return cells

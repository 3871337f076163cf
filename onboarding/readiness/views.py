"""The district's readiness table as a CSV file."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.text import slugify

from onboarding import access
from onboarding.readiness.district import district_table
from sro_portal.text import csv_cell


@login_required
def district_readiness_csv(request, district_id: int):
    district = access.get_district_for_admin(request, district_id)
    table = district_table([district.pk], request.GET.get("sort", "name"))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="readiness-{slugify(district.name)}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(
        [
            "School",
            "Readiness",
            "Required lines done",
            "Agreement",
            "Waiting for",
            "Review date",
            "Acknowledged",
            "To acknowledge",
            "Acknowledged %",
            "Sections with a visit",
            "Sections",
            "Coverage %",
            "Introductions done this month",
            "Events attended this month",
        ]
    )
    for r in table["district_rows"]:
        agreement = r.agreement
        writer.writerow(
            [
                csv_cell(value)
                for value in (
                    r.school.name,
                    r.state_label,
                    f"{r.done_count}/{r.required_count}",
                    agreement.get_status_display() if agreement else "None",
                    r.waiting_for.user.full_name if r.waiting_for else "",
                    agreement.review_date.isoformat() if agreement else "",
                    r.acknowledged,
                    r.to_acknowledge,
                    r.acknowledged_percent,
                    r.sections_scheduled,
                    r.sections_total,
                    r.coverage_percent,
                    r.engagement.introductions,
                    r.engagement.attended,
                )
            ]
        )
    return response

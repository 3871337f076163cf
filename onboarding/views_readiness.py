"""Readiness: the district table as CSV and the evidence binder PDF. The principal's
dashboard itself is part of the school page (views.school_home)."""

import csv

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from expectations.text import csv_cell

from . import access
from .binder import YearRange, binder_context
from .homes import district_table
from .readiness import school_year


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


def _year(request, school) -> YearRange:
    today = timezone.localdate(timezone=school.zone)
    raw = request.GET.get("year", "")
    if raw:
        if not raw.isdigit() or not 2000 <= int(raw) <= today.year + 1:
            raise Http404
        start, end = school_year(today, int(raw))
    else:
        start, end = school_year(today)
    return YearRange(start, end)


@login_required
def evidence_binder(request, school_id: int):
    from weasyprint import CSS, HTML

    school_access = access.get_school_access(request, school_id)
    school_access.require(school_access.can_manage)
    school = school_access.school
    year = _year(request, school)
    html = render_to_string(
        "onboarding/readiness/binder.html", binder_context(school, year), request=request
    )
    stylesheet = CSS(filename=finders.find("css/binder-print.css"))
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        stylesheets=[stylesheet]
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"evidence-binder-{slugify(school.name)}-{year.start.year}-{year.end.year}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from onboarding import access
from onboarding.binder.chapters import binder_context
from onboarding.readiness.dates import YearRange, school_year


def _year(request, school) -> YearRange:
    today = timezone.localdate(timezone=school.zone)
    raw = request.GET.get("year", "")
    if raw:
        if not (raw.isascii() and raw.isdigit()) or not 2000 <= int(raw) <= today.year + 1:
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
        "onboarding/binder/binder.html", binder_context(school, year), request=request
    )
    stylesheet = CSS(filename=finders.find("css/binder-print.css"))
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        stylesheets=[stylesheet]
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"evidence-binder-{slugify(school.name)}-{year.start.year}-{year.end.year}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

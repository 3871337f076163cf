"""The evidence binder as a PDF file, built by the worker (onboarding/exports)."""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from onboarding.binder.chapters import binder_context
from onboarding.readiness.dates import YearRange, school_year


def binder_year(school, raw: str | int | None) -> YearRange | None:
    """The school year starting July 1 of `raw` (default: the one today falls in),
    or None for a year that is no number or too far off."""
    today = timezone.localdate(timezone=school.zone)
    if raw in (None, ""):
        return YearRange(*school_year(today))
    raw = str(raw)
    if not (raw.isascii() and raw.isdigit()) or not 2000 <= int(raw) <= today.year + 1:
        return None
    return YearRange(*school_year(today, int(raw)))


def binder_filename(school, year: YearRange) -> str:
    return f"evidence-binder-{slugify(school.name)}-{year.start.year}-{year.end.year}.pdf"


def binder_pdf(school, year: YearRange) -> bytes:
    from weasyprint import CSS, HTML  # slow to import: only where a binder is made

    html = render_to_string("onboarding/binder/binder.html", binder_context(school, year))
    stylesheet = CSS(filename=finders.find("css/binder-print.css"))
    # Links in the PDF (the verification pages) point at the site.
    return HTML(string=html, base_url=settings.SITE_URL + "/").write_pdf(stylesheets=[stylesheet])

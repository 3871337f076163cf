"""Exports' pages: ask for a file, follow its build, download it. The file is built
by the worker; no request waits on it."""

import re

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods, require_POST

from onboarding import access
from onboarding.binder.pdf import binder_year
from onboarding.exports.models import Export
from onboarding.exports.workflows import export_prepare

SORT = re.compile(r"-?[a-z_]{1,30}")


def _get_export(request, export_id: int) -> Export:
    """The export, for the people who may have made it: a school's binder for its
    principals and district admins (staff get a 403), a district's files for its
    admins; anybody else a 404."""
    export = get_object_or_404(
        Export.objects.select_related("school__district", "district", "requested_by"),
        pk=export_id,
    )
    if export.school_id is not None:
        school_access = access.get_school_access(request, export.school_id)
        school_access.require(school_access.can_manage)
    else:
        access.get_district_for_admin(request, export.district_id)
    return export


@login_required
@require_http_methods(["GET", "POST"])
def evidence_binder(request, school_id: int):
    """The binder of a school year: the page offers to prepare it (or shows the one
    of today); the POST queues its build."""
    school_access = access.get_school_access(request, school_id)
    school_access.require(school_access.can_manage)
    school = school_access.school
    year = binder_year(school, request.POST.get("year") or request.GET.get("year"))
    if year is None:
        raise Http404
    if request.method == "POST":
        export = export_prepare(
            Export.Kind.BINDER, school=school, year=year.start.year, requested_by=request.user
        )
        return redirect(export)
    key = Export.key_for(Export.Kind.BINDER, school=school, year=year.start.year)
    if kept := Export.objects.kept(key, Export.today_for(school)).first():
        return redirect(kept)
    return render(request, "onboarding/exports/binder.html", {"school": school, "year": year})


@login_required
@require_POST
def district_export(request, district_id: int):
    """Queue the district's readiness CSV (in the table's order) or every school's
    binder as a ZIP; then follow it on its page."""
    district = access.get_district_for_admin(request, district_id)
    kind = request.POST.get("kind")
    if kind not in (Export.Kind.READINESS_CSV, Export.Kind.BINDERS_ZIP):
        raise Http404
    sort = ""
    if kind == Export.Kind.READINESS_CSV:
        sort = request.POST.get("sort", "")
        sort = sort if SORT.fullmatch(sort) else "name"
    export = export_prepare(kind, district=district, sort=sort, requested_by=request.user)
    return redirect(export)


@login_required
def export_detail(request, export_id: int):
    export = _get_export(request, export_id)
    return render(request, "onboarding/exports/export.html", _context(export))


@login_required
def export_status(request, export_id: int):
    """Where the build stands, for the page's script; once it ended, the page's new
    state to show in place."""
    export = _get_export(request, export_id)
    status = {
        "state": export.state,
        "building": export.is_building,
        "done": export.done,
        "total": export.total,
        "text": export.progress_text,
    }
    if not export.is_building:
        status["html"] = render_to_string(
            "onboarding/exports/_state.html", _context(export), request=request
        )
    return JsonResponse(status, headers={"Cache-Control": "no-store"})


@login_required
def export_download(request, export_id: int):
    export = _get_export(request, export_id)
    if export.state != Export.State.READY:
        raise Http404
    try:
        handle = export.file.open("rb")
    except (FileNotFoundError, ValueError) as missing:
        # Deleted by the sweep, or built by a worker that does not share MEDIA_ROOT.
        raise Http404 from missing
    return FileResponse(handle, as_attachment=True, filename=export.filename)


@login_required
@require_POST
def export_again(request, export_id: int):
    """Build the same thing again, with today's data."""
    export = _get_export(request, export_id)
    again = export_prepare(
        export.kind, school=export.school, district=export.district, year=export.year,
        sort=export.sort, requested_by=request.user, again=True,
    )  # fmt: skip
    return redirect(again)


def _context(export: Export) -> dict:
    year = binder_year(export.school, export.year) if export.school_id else None
    return {"export": export, "school": export.school, "year": year}

"""An agreement as a document: versions compared, a version verified, the print
view and the PDF with its signature certificate."""

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse

from onboarding.agreements.access import AgreementAccess, get_agreement
from onboarding.agreements.comparison import compare_versions
from onboarding.agreements.integrity import check_current
from onboarding.agreements.models import sha256_hex, with_html


@login_required
def agreement_compare(request, school_id: int, agreement_id: int):
    a = get_agreement(request, school_id, agreement_id)
    a.school.require(a.sees_review)
    versions = list(a.agreement.history())
    by_number = {v.number: v for v in versions}
    latest = versions[-1].number
    try:
        old = by_number[int(request.GET.get("from", max(latest - 1, 1)))]
        new = by_number[int(request.GET.get("to", latest))]
    except (KeyError, ValueError) as error:
        raise Http404 from error
    rows = compare_versions(old.pk, new.pk, words=True)
    return render(
        request,
        "onboarding/agreements/compare.html",
        {
            "access": a.school,
            "school": a.school.school,
            "agreement": a.agreement,
            "versions": versions,
            "old": old,
            "new": new,
            "rows": rows,
            "changed": sum(1 for r in rows if r.change != "unchanged"),
            "unchanged": [r for r in rows if r.change == "unchanged"],
        },
    )


@login_required
def agreement_verify(request, school_id: int, agreement_id: int, number: int):
    a = get_agreement(request, school_id, agreement_id)
    version = get_object_or_404(a.agreement.versions.select_related("author"), number=number)
    if not a.sees_review and version.pk != a.agreement.current_version_id:
        raise Http404
    signatures = list(version.signatures.select_related("user"))
    checks = version.checks(version.sections.all(), signatures)
    return render(
        request,
        "onboarding/agreements/verify.html",
        {
            "access": a.school,
            "school": a.school.school,
            "agreement": a.agreement,
            "version": version,
            "signatures": signatures,
            "recomputed": sha256_hex(version.text),
            "checks": checks,
            "intact": all(ok for _, ok in checks),
        },
    )


def _signed_context(a: AgreementAccess) -> dict:
    """What the print view and the PDF show: the current text and its certificate."""
    version = a.agreement.current_version
    sections = with_html(version.sections.all())
    check_current(a.agreement, sections, a.parties)
    return {
        "school": a.school.school,
        "agreement": a.agreement,
        "version": version,
        "sections": sections,
        "signatures": version.signatures.select_related("user"),
        "verify_path": reverse(
            "agreement_verify", args=[a.agreement.school_id, a.agreement.pk, version.number]
        ),
    }


@login_required
def agreement_print(request, school_id: int, agreement_id: int):
    a = get_agreement(request, school_id, agreement_id)
    return render(request, "onboarding/agreements/print.html", {**_signed_context(a), "pdf": False})


@login_required
def agreement_pdf(request, school_id: int, agreement_id: int):
    from weasyprint import CSS, HTML  # a heavy import, needed by this view alone

    a = get_agreement(request, school_id, agreement_id)
    html = render_to_string(
        "onboarding/agreements/print.html", {**_signed_context(a), "pdf": True}, request=request
    )
    stylesheet = CSS(filename=finders.find("css/agreement-print.css"))
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        stylesheets=[stylesheet]
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"agreement-{a.agreement.pk}-v{a.agreement.current_version.number}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

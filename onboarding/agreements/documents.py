from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse

from onboarding.agreements import models
from onboarding.agreements.models import AgreementSection, AgreementVersion, Signature
from onboarding.agreements.text import compare_sections, render_markdown
from onboarding.agreements.views import AgreementAccess, _get_agreement


@login_required
def agreement_compare(request, school_id: int, agreement_id: int):
    a = _get_agreement(request, school_id, agreement_id)
    a.school.require(a.sees_review)
    agreement = a.agreement
    versions = list(
        AgreementVersion.objects.filter(agreement=agreement)
        .select_related("author")
        .defer("text")  # the comparison reads the sections, not the whole text
        .order_by("number")
    )
    by_number = {v.number: v for v in versions}
    latest = versions[-1].number

    def pick(name: str, default: int) -> AgreementVersion:
        try:
            return by_number[int(request.GET.get(name, default))]
        except (KeyError, ValueError) as error:
            raise Http404 from error

    old = pick("from", max(latest - 1, 1))
    new = pick("to", latest)
    sections = {version.pk: [] for version in (old, new)}
    for section in AgreementSection.objects.filter(version__in=[old, new]):
        sections[section.version_id].append(section)
    rows = compare_sections(sections[old.pk], sections[new.pk])
    return render(
        request,
        "onboarding/agreements/compare.html",
        {
            "access": a.school,
            "school": a.school.school,
            "agreement": agreement,
            "versions": versions,
            "old": old,
            "new": new,
            "rows": rows,
            "changed": sum(1 for r in rows if r.change != "unchanged"),
            "unchanged": [r for r in rows if r.change == "unchanged"],
        },
    )


def _signed_context(a: AgreementAccess, version: AgreementVersion) -> dict:
    sections = list(AgreementSection.objects.filter(version=version))
    for section in sections:
        section.html = render_markdown(section.body)
    signatures = list(Signature.objects.filter(version=version).select_related("user"))
    return {
        "school": a.school.school,
        "agreement": a.agreement,
        "version": version,
        "sections": sections,
        "signatures": signatures,
        "parties": a.parties,
        "verify_path": reverse(
            "agreement_verify", args=[a.agreement.school_id, a.agreement.pk, version.number]
        ),
    }


@login_required
def agreement_verify(request, school_id: int, agreement_id: int, number: int):
    a = _get_agreement(request, school_id, agreement_id)
    version = get_object_or_404(
        AgreementVersion.objects.select_related("author"), agreement=a.agreement, number=number
    )
    if not a.sees_review and version.pk != a.agreement.current_version_id:
        raise Http404
    sections = list(AgreementSection.objects.filter(version=version))
    signatures = list(Signature.objects.filter(version=version).select_related("user"))
    recomputed = models.sha256_hex(version.text)
    rebuilt = version.rebuilt_text(sections)
    checks = [
        (
            "The stored text matches the hash recorded when this version was saved",
            recomputed == version.sha256,
        ),
        ("The sections match the stored text", rebuilt == version.text),
        *[
            (f"{s.typed_name}'s signature covers exactly this text", s.sha256 == recomputed)
            for s in signatures
        ],
    ]
    intact = all(ok for _, ok in checks) and models.sha256_hex(rebuilt) == recomputed
    return render(
        request,
        "onboarding/agreements/verify.html",
        {
            "access": a.school,
            "school": a.school.school,
            "agreement": a.agreement,
            "version": version,
            "signatures": signatures,
            "recomputed": recomputed,
            "checks": checks,
            "intact": intact,
        },
    )


@login_required
def agreement_print(request, school_id: int, agreement_id: int):
    a = _get_agreement(request, school_id, agreement_id)
    context = _signed_context(a, a.agreement.current_version)
    return render(request, "onboarding/agreements/print.html", {**context, "pdf": False})


@login_required
def agreement_pdf(request, school_id: int, agreement_id: int):
    from weasyprint import CSS, HTML

    a = _get_agreement(request, school_id, agreement_id)
    context = _signed_context(a, a.agreement.current_version)
    html = render_to_string(
        "onboarding/agreements/print.html", {**context, "pdf": True}, request=request
    )
    stylesheet = CSS(filename=finders.find("css/agreement-print.css"))
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        stylesheets=[stylesheet]
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"agreement-{a.agreement.pk}-v{a.agreement.current_version.number}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

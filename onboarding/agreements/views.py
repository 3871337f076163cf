"""Role agreement pages: list, start, read, edit, review, parties, sign and amend.
Every view fetches the agreement through `onboarding.agreements.access`, which
returns only what this person may read (anything else is a 404).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from onboarding import access
from onboarding.agreements import signing, workflows
from onboarding.agreements.access import get_agreement, get_editable_agreement
from onboarding.agreements.amendments import amendment_parts
from onboarding.agreements.forms import (
    AgreementStartForm,
    CommentForm,
    PartyForm,
    ReviewDateForm,
    SectionEditForm,
    SectionForm,
    SignForm,
)
from onboarding.agreements.integrity import check_current, mark_altered
from onboarding.agreements.models import (
    Agreement,
    AgreementSection,
    SectionComment,
    section_html,
    with_html,
)
from onboarding.audit.models import client_ip
from sro_portal.text import word_diff


def _at_section(agreement: Agreement, key: str) -> str:
    return f"{agreement.get_absolute_url()}#section-{key}"


@login_required
def agreement_list(request, school_id: int):
    school_access = access.get_school_access(request, school_id)
    agreements = list(
        Agreement.objects.readable_by(school_access, request.user)
        .select_related("current_version", "amends", "officer", "agency")
        .order_by("-created_at", "-pk")
    )
    mark_altered(agreements)
    return render(
        request,
        "onboarding/agreements/list.html",
        {"access": school_access, "school": school_access.school, "agreements": agreements},
    )


@login_required
def agreement_start(request, school_id: int):
    school_access = access.get_school_access(request, school_id)
    school_access.require(school_access.can_manage)
    school = school_access.school
    form = AgreementStartForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        agreement = workflows.agreement_start(
            **form.cleaned_data, school=school, actor=request.user, request=request
        )
        messages.success(request, "The draft is ready: edit its sections, then send it for review.")
        return redirect(agreement)
    return render(
        request,
        "onboarding/agreements/start.html",
        {"access": school_access, "school": school, "form": form},
    )


@login_required
def agreement_detail(request, school_id: int, agreement_id: int):
    a = get_agreement(request, school_id, agreement_id)
    agreement, version = a.agreement, a.agreement.current_version
    sections = with_html(version.sections.all())
    check_current(agreement, sections, a.parties)
    context = {
        "access": a.school,
        "a": a,
        "school": a.school.school,
        "agreement": agreement,
        "version": version,
        "sections": sections,
        "parties": a.parties,
        "next_party": a.next_party if agreement.status == Agreement.Status.SIGNING else None,
    }
    if a.sees_review:
        context["versions"] = list(
            agreement.history().annotate(author_name=F("author__full_name")).order_by("-number")
        )
        threads = SectionComment.objects.threads_for(agreement, context["versions"])
        for section in sections:
            section.threads = threads.get(section.key, [])
        context["amendments"] = agreement.amendment_list() if agreement.is_amended else []
    if agreement.amends_id and a.school.can_manage:
        context["amendment_parts"] = amendment_parts(agreement)
    return render(request, "onboarding/agreements/detail.html", context)


def _section_context(a, form, **extra) -> dict:
    return {
        "access": a.school,
        "school": a.school.school,
        "agreement": a.agreement,
        "form": form,
        **extra,
    }


@login_required
def agreement_section_edit(request, school_id: int, agreement_id: int, key: str):
    a = get_editable_agreement(request, school_id, agreement_id)
    agreement = a.agreement
    section = AgreementSection.objects.last_saved(agreement, key)
    removed = section is not None and section.version_id != agreement.current_version_id
    # Removed since the editor opened it: on a save, show the conflict (their text
    # kept) rather than a 404 that would lose it.
    if section is None or (removed and request.method != "POST"):
        raise Http404
    form = SectionEditForm(
        request.POST or None,
        initial={
            "title": section.title,
            "body": section.body,
            "base_version": agreement.current_version.number,
        },
    )
    context = _section_context(a, form, section=section)
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            context["preview"] = section_html(form.cleaned_data["body"])
            return render(request, "onboarding/agreements/section_edit.html", context)
        try:
            version = workflows.agreement_save_section(
                agreement=agreement,
                key=key,
                **form.cleaned_data,
                actor=request.user,
                request=request,
            )
        except workflows.SectionConflict as conflict:
            return _conflict(request, context, conflict, form.cleaned_data)
        if version is None:
            messages.info(request, "Nothing changed.")
        else:
            messages.success(request, f"Saved as version {version.number}.")
        return redirect(_at_section(agreement, key))
    return render(request, "onboarding/agreements/section_edit.html", context)


def _conflict(request, context, conflict: workflows.SectionConflict, data: dict):
    """Show both texts; the form keeps the visitor's text, now based on the
    latest version, so saving again is a deliberate choice."""
    theirs = conflict.current
    context.update(
        form=SectionEditForm(initial={**data, "base_version": conflict.version.number}),
        conflict=conflict,
        theirs=theirs,
        theirs_author=conflict.version.author,
        # The saved text plainly; the visitor's text marked against it.
        mine_diff=word_diff(theirs.body if theirs else "", data["body"]),
    )
    return render(request, "onboarding/agreements/section_edit.html", context, status=409)


@login_required
def agreement_section_add(request, school_id: int, agreement_id: int):
    a = get_editable_agreement(request, school_id, agreement_id)
    form = SectionForm(request.POST or None)
    context = _section_context(a, form)
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            context["preview"] = section_html(form.cleaned_data["body"])
        else:
            version = workflows.agreement_add_section(
                agreement=a.agreement, **form.cleaned_data, actor=request.user, request=request
            )
            messages.success(request, f"Section added (version {version.number}).")
            return redirect(a.agreement)
    return render(request, "onboarding/agreements/section_add.html", context)


@login_required
@require_POST
def agreement_section_remove(request, school_id: int, agreement_id: int, key: str):
    a = get_editable_agreement(request, school_id, agreement_id)
    version = workflows.agreement_remove_section(
        agreement=a.agreement, key=key, actor=request.user, request=request
    )
    if version:
        messages.success(request, f"Section removed (version {version.number}).")
    return redirect(a.agreement)


@login_required
@require_POST
def agreement_section_move(request, school_id: int, agreement_id: int, key: str):
    a = get_editable_agreement(request, school_id, agreement_id)
    workflows.agreement_move_section(
        agreement=a.agreement,
        key=key,
        up=request.POST.get("direction") == "up",
        actor=request.user,
        request=request,
    )
    return redirect(_at_section(a.agreement, key))


@login_required
@require_POST
def agreement_send_for_review(request, school_id: int, agreement_id: int):
    a = get_editable_agreement(request, school_id, agreement_id)
    try:
        workflows.agreement_send_for_review(
            agreement=a.agreement, actor=request.user, request=request
        )
        messages.success(request, "Sent for review: the other parties have been emailed.")
    except ValueError as error:
        messages.error(request, str(error))
    return redirect(a.agreement)


@login_required
@require_POST
def agreement_comment(request, school_id: int, agreement_id: int, key: str):
    a = get_agreement(request, school_id, agreement_id)
    a.school.require(a.can_comment)
    if not a.agreement.current_version.sections.filter(key=key).exists():
        raise Http404
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write a comment before sending it.")
        return redirect(_at_section(a.agreement, key))
    parent = None
    if form.cleaned_data["parent"]:
        parent = get_object_or_404(
            SectionComment, pk=form.cleaned_data["parent"], agreement=a.agreement, section_key=key
        )
    workflows.agreement_comment(
        agreement=a.agreement,
        key=key,
        body=form.cleaned_data["body"],
        parent=parent,
        actor=request.user,
        request=request,
    )
    messages.success(request, "Comment added.")
    return redirect(_at_section(a.agreement, key))


@login_required
@require_POST
def agreement_comment_resolve(request, school_id: int, agreement_id: int, comment_id: int):
    a = get_agreement(request, school_id, agreement_id)
    a.school.require(a.can_comment)
    comment = get_object_or_404(SectionComment, pk=comment_id, agreement=a.agreement)
    reopen = request.POST.get("reopen") == "1"
    workflows.agreement_resolve_comment(
        comment=comment, actor=request.user, reopen=reopen, request=request
    )
    messages.success(request, "Thread reopened." if reopen else "Thread resolved.")
    return redirect(_at_section(a.agreement, comment.section_key))


@login_required
def agreement_parties(request, school_id: int, agreement_id: int):
    a = get_editable_agreement(request, school_id, agreement_id)
    form = PartyForm(request.POST or None, candidates=workflows.party_candidates(a.agreement))
    if request.method == "POST" and form.is_valid():
        try:
            signing.agreement_add_party(
                agreement=a.agreement, **form.cleaned_data, actor=request.user, request=request
            )
            messages.success(request, f"{form.cleaned_data['user']} will sign too.")
        except ValueError as error:
            messages.error(request, str(error))
        return redirect("agreement_parties", school_id, agreement_id)
    return render(
        request,
        "onboarding/agreements/parties.html",
        {
            "access": a.school,
            "school": a.school.school,
            "agreement": a.agreement,
            "parties": a.parties,
            "form": form,
            "order_fixed": a.agreement.status == Agreement.Status.SIGNING,
        },
    )


def _party(a, party_id: int):
    party = next((p for p in a.parties if p.pk == party_id), None)
    if party is None:
        raise Http404
    return party


@login_required
@require_POST
def agreement_party_move(request, school_id: int, agreement_id: int, party_id: int):
    a = get_editable_agreement(request, school_id, agreement_id)
    try:
        signing.agreement_move_party(
            party=_party(a, party_id),
            up=request.POST.get("direction") == "up",
            actor=request.user,
            request=request,
        )
    except ValueError as error:
        messages.error(request, str(error))
    return redirect("agreement_parties", school_id, agreement_id)


@login_required
@require_POST
def agreement_party_remove(request, school_id: int, agreement_id: int, party_id: int):
    a = get_editable_agreement(request, school_id, agreement_id)
    try:
        signing.agreement_remove_party(
            party=_party(a, party_id), actor=request.user, request=request
        )
        messages.success(request, "Removed from the signing parties.")
    except ValueError as error:
        messages.error(request, str(error))
    return redirect("agreement_parties", school_id, agreement_id)


@login_required
@require_POST
def agreement_review_date(request, school_id: int, agreement_id: int):
    a = get_agreement(request, school_id, agreement_id)
    a.school.require(a.school.can_manage)
    if a.agreement.status == Agreement.Status.SUPERSEDED:
        raise Http404
    form = ReviewDateForm(request.POST)
    if form.is_valid():
        workflows.agreement_set_review_date(
            agreement=a.agreement, **form.cleaned_data, actor=request.user, request=request
        )
        messages.success(request, "Review date saved.")
    else:
        messages.error(request, "Enter a valid date.")
    return redirect(a.agreement)


@login_required
@require_POST
def agreement_send_for_signing(request, school_id: int, agreement_id: int):
    a = get_editable_agreement(request, school_id, agreement_id)
    try:
        signing.agreement_send_for_signing(
            agreement=a.agreement, actor=request.user, request=request
        )
        messages.success(request, "Out for signing: the first signer has been emailed.")
    except ValueError as error:
        messages.error(request, str(error))
    return redirect(a.agreement)


@login_required
def agreement_sign(request, school_id: int, agreement_id: int):
    a = get_agreement(request, school_id, agreement_id)
    a.school.require(a.party is not None)
    # A party whose turn it is not yet may read this page, not sign.
    a.school.require(a.my_turn or request.method != "POST")
    agreement, version = a.agreement, a.agreement.current_version
    form = SignForm(request.POST or None, initial={"version": version.number})
    if request.method == "POST" and form.is_valid():
        try:
            signing.agreement_sign(
                agreement=agreement,
                user=request.user,
                typed_name=form.cleaned_data["typed_name"],
                version_number=form.cleaned_data["version"],
                ip_address=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
                request=request,
            )
        except signing.SigningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Signed. Thank you.")
            return redirect(agreement)
    return render(
        request,
        "onboarding/agreements/sign.html",
        {
            "access": a.school,
            "school": a.school.school,
            "agreement": agreement,
            "version": version,
            "sections": with_html(version.sections.all()),
            "form": form,
            "my_turn": a.my_turn,
            "already_signed": a.party.signature is not None,
            "next_party": a.next_party,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def agreement_amend(request, school_id: int, agreement_id: int):
    a = get_agreement(request, school_id, agreement_id)
    a.school.require(a.school.can_manage)
    try:
        amendment = workflows.agreement_amend(
            agreement=a.agreement, actor=request.user, request=request
        )
    except ValueError as error:
        messages.error(request, str(error))
        return redirect(a.agreement)
    messages.success(
        request, "Amendment started. The current agreement stays active until it is signed."
    )
    return redirect(amendment)

"""Role agreement pages: list, start, read, edit, review, parties, sign and amend.
Every view fetches the agreement through `_get_agreement`, which returns only what
this person may read (anything else is a 404).
"""

from dataclasses import dataclass
from functools import cached_property

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import FilteredRelation, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from expectations.links.review import statements_to_review
from onboarding import access
from onboarding.agreements import signing, workflows
from onboarding.agreements.forms import (
    AgreementStartForm,
    CommentForm,
    PartyForm,
    ReviewDateForm,
    SectionForm,
    SignForm,
)
from onboarding.agreements.models import (
    Agreement,
    AgreementSection,
    AgreementVersion,
    SectionComment,
    Signature,
    SigningParty,
)
from onboarding.agreements.text import render_markdown
from onboarding.audit.models import client_ip


@dataclass
class AgreementAccess:
    school: access.SchoolAccess
    agreement: Agreement
    user_id: int

    # Read on first use: a principal's comparison or print view needs no parties.
    @cached_property
    def parties(self) -> list[SigningParty]:
        return list(self.agreement.parties.select_related("user"))

    @cached_property
    def party(self) -> SigningParty | None:
        """The visitor's own signing party, if any."""
        return next((p for p in self.parties if p.user_id == self.user_id), None)

    @property
    def can_edit(self) -> bool:
        return self.school.can_manage and self.agreement.is_editable

    @property
    def can_comment(self) -> bool:
        return (self.school.can_manage or self.party is not None) and self.agreement.is_editable

    @property
    def sees_review(self) -> bool:
        """Comments and history are for the people who write and sign."""
        return self.school.can_manage or self.party is not None


def _get_agreement(request, school_id: int, agreement_id: int) -> AgreementAccess:
    school_access = access.get_school_access(request, school_id)
    agreement = get_object_or_404(
        Agreement.objects.readable_by(school_access, request.user).select_related(
            "agency",
            "officer",
            "current_version",
            "current_version__author",
            "amends",
        ),  # fmt: skip
        pk=agreement_id,
    )
    # readable_by keeps the agreements of this school: reuse the school (and its
    # district) fetched with the access rather than join them again.
    agreement.school = school_access.school
    return AgreementAccess(school_access, agreement, request.user.pk)


def _editable(request, school_id: int, agreement_id: int) -> AgreementAccess:
    a = _get_agreement(request, school_id, agreement_id)
    a.school.require(a.school.can_manage)
    if not a.agreement.is_editable:
        raise Http404
    return a


def _detail(agreement: Agreement, anchor: str = "") -> str:
    url = reverse("agreement_detail", args=[agreement.school_id, agreement.pk])
    return f"{url}#{anchor}" if anchor else url


@login_required
def agreement_list(request, school_id: int):
    school_access = access.get_school_access(request, school_id)
    agreements = (
        Agreement.objects.readable_by(school_access, request.user)
        .select_related("current_version", "amends", "officer", "agency")
        .order_by("-created_at", "-pk")
    )
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
        data = form.cleaned_data
        agreement = workflows.agreement_start(
            school=school,
            agency=data["agency"],
            officer=data["officer"],
            start_date=data["start_date"],
            review_date=data["review_date"],
            actor=request.user,
            request=request,
        )
        messages.success(request, "The draft is ready: edit its sections, then send it for review.")
        return redirect(_detail(agreement))
    return render(
        request,
        "onboarding/agreements/start.html",
        {"access": school_access, "school": school, "form": form},
    )


@login_required
def agreement_detail(request, school_id: int, agreement_id: int):
    a = _get_agreement(request, school_id, agreement_id)
    agreement = a.agreement
    version = agreement.current_version
    sections = list(AgreementSection.objects.filter(version=version))
    # The parties, each with its signature of this version joined (at most one).
    a.parties = list(
        agreement.parties.annotate(
            version_signature=FilteredRelation(
                "signatures", condition=Q(signatures__version=version)
            )
        ).select_related("user", "version_signature")
    )
    for party in a.parties:
        # Not set at all when the party has not signed this version.
        party.signature = getattr(party, "version_signature", None)
    signatures = [party.signature for party in a.parties if party.signature is not None]
    next_up = workflows.next_party(a.parties, signatures)
    threads: dict[str, list[SectionComment]] = {}
    versions = []
    amendments = []
    if a.sees_review:
        # The history without each version's full text (the page shows its hash).
        versions = list(
            AgreementVersion.objects.filter(agreement=agreement)
            .select_related("author")
            .defer("text")
            .order_by("-number")
        )
        version_by_id = {v.pk: v for v in versions}
        # Threads and their replies in one query (a reply answers a thread, never a
        # reply); each comment's version is one of the history's.
        comments = list(
            SectionComment.objects.filter(agreement=agreement).select_related(
                "author", "resolved_by"
            )
        )
        replies: dict[int, list[SectionComment]] = {}
        for comment in comments:
            if comment.version_id in version_by_id:
                comment.version = version_by_id[comment.version_id]
            if comment.parent_id is None:
                threads.setdefault(comment.section_key, []).append(comment)
            else:
                replies.setdefault(comment.parent_id, []).append(comment)
        for thread_list in threads.values():
            for thread in thread_list:
                thread.reply_list = replies.get(thread.pk, [])
        amendments = list(agreement.amendments.select_related("current_version"))
    for section in sections:
        section.html = render_markdown(section.body)
        section.threads = threads.get(section.key, [])
        section.open_threads = sum(1 for t in section.threads if not t.resolved_at)
    return render(
        request,
        "onboarding/agreements/detail.html",
        {
            "access": a.school,
            "a": a,
            "school": a.school.school,
            "agreement": agreement,
            "version": version,
            "sections": sections,
            "parties": a.parties,
            "next_party": next_up if agreement.status == Agreement.Status.SIGNING else None,
            "versions": versions,
            "amendments": amendments,
            "items_to_review": (
                statements_to_review(agreement)
                if agreement.amends_id and a.school.can_manage
                else []
            ),
        },
    )


@login_required
def agreement_section_edit(request, school_id: int, agreement_id: int, key: str):
    a = _editable(request, school_id, agreement_id)
    agreement = a.agreement
    section = AgreementSection.objects.filter(version=agreement.current_version, key=key).first()
    if section is None:
        # Removed since the editor opened it: on a save, show the conflict (their
        # text kept) rather than a 404 that would lose it.
        section = (
            AgreementSection.objects.filter(version__agreement=agreement, key=key)
            .order_by("-version__number")
            .first()
        )
        if section is None or request.method != "POST":
            raise Http404
    form = SectionForm(
        request.POST or None,
        initial={
            "title": section.title,
            "body": section.body,
            "base_version": agreement.current_version.number,
        },
    )
    context = {
        "access": a.school,
        "school": a.school.school,
        "agreement": agreement,
        "section": section,
        "form": form,
    }
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "preview" in request.POST:
            context["preview"] = render_markdown(data["body"])
            return render(request, "onboarding/agreements/section_edit.html", context)
        try:
            version = workflows.agreement_save_section(
                agreement=agreement,
                key=key,
                title=data["title"],
                body=data["body"],
                base_version=data["base_version"] or agreement.current_version.number,
                actor=request.user,
                request=request,
            )
        except workflows.SectionConflict as conflict:
            return _conflict(request, context, conflict, data)
        if version is None:
            messages.info(request, "Nothing changed.")
        else:
            messages.success(request, f"Saved as version {version.number}.")
        return redirect(_detail(agreement, f"section-{key}"))
    return render(request, "onboarding/agreements/section_edit.html", context)


def _conflict(request, context, conflict: workflows.SectionConflict, data: dict):
    """Show both texts; the form keeps the visitor's text, now based on the
    latest version, so saving again is a deliberate choice."""
    from onboarding.agreements.text import word_diff

    theirs = conflict.current
    mine_title, mine_body = data["title"], data["body"]
    form = SectionForm(
        initial={
            "title": mine_title,
            "body": mine_body,
            "base_version": conflict.version.number,
        }
    )
    # The saved text plainly; the visitor's text marked against it.
    _, mine_diff = word_diff(theirs.body if theirs else "", mine_body)
    context.update(
        form=form,
        conflict=conflict,
        theirs=theirs,
        theirs_author=conflict.version.author,
        mine_diff=mine_diff,
    )
    return render(request, "onboarding/agreements/section_edit.html", context, status=409)


@login_required
def agreement_section_add(request, school_id: int, agreement_id: int):
    a = _editable(request, school_id, agreement_id)
    form = SectionForm(request.POST or None)
    context = {
        "access": a.school,
        "school": a.school.school,
        "agreement": a.agreement,
        "form": form,
    }
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "preview" in request.POST:
            context["preview"] = render_markdown(data["body"])
        else:
            version = workflows.agreement_add_section(
                agreement=a.agreement,
                title=data["title"],
                body=data["body"],
                actor=request.user,
                request=request,
            )
            messages.success(request, f"Section added (version {version.number}).")
            return redirect(_detail(a.agreement))
    return render(request, "onboarding/agreements/section_add.html", context)


@login_required
@require_POST
def agreement_section_remove(request, school_id: int, agreement_id: int, key: str):
    a = _editable(request, school_id, agreement_id)
    version = workflows.agreement_remove_section(
        agreement=a.agreement, key=key, actor=request.user, request=request
    )
    if version:
        messages.success(request, f"Section removed (version {version.number}).")
    return redirect(_detail(a.agreement))


@login_required
@require_POST
def agreement_section_move(request, school_id: int, agreement_id: int, key: str):
    a = _editable(request, school_id, agreement_id)
    workflows.agreement_move_section(
        agreement=a.agreement,
        key=key,
        up=request.POST.get("direction") == "up",
        actor=request.user,
        request=request,
    )
    return redirect(_detail(a.agreement, f"section-{key}"))


@login_required
@require_POST
def agreement_send_for_review(request, school_id: int, agreement_id: int):
    a = _editable(request, school_id, agreement_id)
    try:
        workflows.agreement_send_for_review(
            agreement=a.agreement, actor=request.user, request=request
        )
        messages.success(request, "Sent for review: the other parties have been emailed.")
    except ValueError as error:
        messages.error(request, str(error))
    return redirect(_detail(a.agreement))


@login_required
@require_POST
def agreement_comment(request, school_id: int, agreement_id: int, key: str):
    a = _get_agreement(request, school_id, agreement_id)
    a.school.require(a.can_comment)
    form = CommentForm(request.POST)
    if not AgreementSection.objects.filter(version=a.agreement.current_version, key=key).exists():
        raise Http404
    if not form.is_valid():
        messages.error(request, "Write a comment before sending it.")
        return redirect(_detail(a.agreement, f"section-{key}"))
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
    return redirect(_detail(a.agreement, f"section-{key}"))


@login_required
@require_POST
def agreement_comment_resolve(request, school_id: int, agreement_id: int, comment_id: int):
    a = _get_agreement(request, school_id, agreement_id)
    a.school.require(a.can_comment)
    comment = get_object_or_404(SectionComment, pk=comment_id, agreement=a.agreement)
    reopen = request.POST.get("reopen") == "1"
    workflows.agreement_resolve_comment(
        comment=comment, actor=request.user, reopen=reopen, request=request
    )
    messages.success(request, "Thread reopened." if reopen else "Thread resolved.")
    return redirect(_detail(a.agreement, f"section-{comment.section_key}"))


@login_required
def agreement_parties(request, school_id: int, agreement_id: int):
    a = _editable(request, school_id, agreement_id)
    form = PartyForm(request.POST or None, candidates=workflows.party_candidates(a.agreement))
    if request.method == "POST" and form.is_valid():
        try:
            signing.agreement_add_party(
                agreement=a.agreement,
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
                actor=request.user,
                request=request,
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


def _party(a: AgreementAccess, party_id: int) -> SigningParty:
    party = next((p for p in a.parties if p.pk == party_id), None)
    if party is None:
        raise Http404
    return party


@login_required
@require_POST
def agreement_party_move(request, school_id: int, agreement_id: int, party_id: int):
    a = _editable(request, school_id, agreement_id)
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
    a = _editable(request, school_id, agreement_id)
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
    a = _get_agreement(request, school_id, agreement_id)
    a.school.require(a.school.can_manage)
    if a.agreement.status == Agreement.Status.SUPERSEDED:
        raise Http404
    form = ReviewDateForm(request.POST)
    if form.is_valid():
        workflows.agreement_set_review_date(
            agreement=a.agreement,
            review_date=form.cleaned_data["review_date"],
            actor=request.user,
            request=request,
        )
        messages.success(request, "Review date saved.")
    else:
        messages.error(request, "Enter a valid date.")
    return redirect(_detail(a.agreement))


@login_required
@require_POST
def agreement_send_for_signing(request, school_id: int, agreement_id: int):
    a = _editable(request, school_id, agreement_id)
    try:
        signing.agreement_send_for_signing(
            agreement=a.agreement, actor=request.user, request=request
        )
        messages.success(request, "Out for signing: the first signer has been emailed.")
    except ValueError as error:
        messages.error(request, str(error))
    return redirect(_detail(a.agreement))


@login_required
def agreement_sign(request, school_id: int, agreement_id: int):
    a = _get_agreement(request, school_id, agreement_id)
    a.school.require(a.party is not None)
    agreement = a.agreement
    version = agreement.current_version
    signatures = list(Signature.objects.filter(version=version))
    next_up = workflows.next_party(a.parties, signatures)
    my_turn = (
        agreement.status == Agreement.Status.SIGNING
        and next_up is not None
        and next_up.pk == a.party.pk
    )
    # A party whose turn it is not yet may read this page, not sign.
    a.school.require(my_turn or request.method != "POST")
    form = SignForm(request.POST or None, initial={"version": version.number})
    if request.method == "POST" and form.is_valid():
        try:
            signing.agreement_sign(
                agreement=agreement,
                user=request.user,
                typed_name=form.cleaned_data["typed_name"],
                ip_address=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
                version_number=form.cleaned_data["version"],
                request=request,
            )
        except workflows.SigningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Signed. Thank you.")
            return redirect(_detail(agreement))
    sections = list(AgreementSection.objects.filter(version=version))
    for section in sections:
        section.html = render_markdown(section.body)
    return render(
        request,
        "onboarding/agreements/sign.html",
        {
            "access": a.school,
            "school": a.school.school,
            "agreement": agreement,
            "version": version,
            "sections": sections,
            "form": form,
            "my_turn": my_turn,
            "already_signed": any(s.party_id == a.party.pk for s in signatures),
            "next_party": next_up,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def agreement_amend(request, school_id: int, agreement_id: int):
    a = _get_agreement(request, school_id, agreement_id)
    a.school.require(a.school.can_manage)
    try:
        amendment = workflows.agreement_amend(
            agreement=a.agreement, actor=request.user, request=request
        )
    except ValueError as error:
        messages.error(request, str(error))
        return redirect(_detail(a.agreement))
    messages.success(
        request, "Amendment started. The current agreement stays active until it is signed."
    )
    return redirect(_detail(amendment))

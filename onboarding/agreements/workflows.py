"""Role agreement workflows: start, edit, review, amend.

Each change to the text makes a new numbered version (copy on write): a version,
once created, is never edited, so a signed version stays exactly as signed.
"""

import re
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from onboarding.agreement_template.builtin import fill_placeholders
from onboarding.agreement_template.workflows import SectionText, new_section_key, template_sections
from onboarding.agreements import emails
from onboarding.agreements.models import (
    Agreement,
    AgreementLocked,
    AgreementSection,
    AgreementVersion,
    SectionComment,
    SigningParty,
    canonical_text,
    sha256_hex,
)
from onboarding.audit.models import AuditEvent
from onboarding.people.models import User
from onboarding.schools.models import (
    Agency,
    AgencyMembership,
    DistrictMembership,
    Membership,
    Role,
    School,
)


class SectionConflict(Exception):
    """The section changed since the version the editor started from."""

    def __init__(self, current: SectionText | None, version: AgreementVersion):
        super().__init__("The section changed since you started editing.")
        self.current = current
        self.version = version


def current_sections(agreement: Agreement) -> list[SectionText]:
    if agreement.current_version_id is None:
        return []
    return [
        SectionText(s.key, s.title, s.body)
        for s in AgreementSection.objects.filter(version_id=agreement.current_version_id)
    ]


def party_candidates(agreement: Agreement):
    """People who may be added as signing parties: the school's principals and
    officers, the agency's supervisors, the district's admins."""
    school = agreement.school
    ids = set(
        Membership.objects.active()
        .filter(school=school, role__in=[Role.PRINCIPAL, Role.SRO])
        .values_list("user_id", flat=True)
    )
    ids |= set(
        AgencyMembership.objects.filter(
            agency=agreement.agency,
            role=AgencyMembership.AgencyRole.SUPERVISOR,
            is_active=True,
        ).values_list("user_id", flat=True)
    )
    ids |= set(
        DistrictMembership.objects.filter(district=school.district, is_active=True).values_list(
            "user_id", flat=True
        )
    )
    return (
        User.objects.filter(pk__in=ids, is_active=True)
        .exclude(signing_parties__agreement=agreement)
        .order_by("full_name")
    )


def _new_version(
    *, agreement: Agreement, sections: list[SectionText], author: User | None, note: str
) -> AgreementVersion:
    """Save the sections as the next version. Editing during signing voids the
    signatures collected so far (they stay, on the old version) and returns the
    agreement to review."""
    if not agreement.is_editable:
        raise AgreementLocked("An active or superseded agreement cannot be edited; amend it.")
    number = (
        AgreementVersion.objects.filter(agreement=agreement).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    text = canonical_text(agreement.title, sections)
    version = AgreementVersion.objects.create(
        agreement=agreement,
        number=number,
        author=author,
        note=note[:200],
        text=text,
        sha256=sha256_hex(text),
    )
    AgreementSection.objects.bulk_create(
        AgreementSection(version=version, key=s.key, position=i, title=s.title.strip(), body=s.body)
        for i, s in enumerate(sections, start=1)
    )
    previous = agreement.current_version
    agreement.current_version = version
    fields = ["current_version"]
    if agreement.status == Agreement.Status.SIGNING:
        agreement.status = Agreement.Status.REVIEW
        agreement.sent_for_signing_at = None
        fields += ["status", "sent_for_signing_at"]
        if previous is not None and previous.signatures.exists():
            AuditEvent.record(
                action="agreement.signatures_voided",
                summary=f"Edited “{agreement}” during signing: the signatures on "
                f"version {previous.number} no longer count",
                school=agreement.school,
                target=agreement,
                actor=author,
            )
    agreement.save(update_fields=fields)
    return version


def locked(agreement: Agreement) -> Agreement:
    """Re-read the agreement under a row lock, so concurrent edits queue up."""
    # No join here: PostgreSQL cannot lock the nullable side of an outer join.
    return Agreement.objects.select_for_update().get(pk=agreement.pk)


def agreement_start(
    *,
    school: School,
    agency: Agency,
    officer: User | None,
    start_date: date,
    review_date: date | None = None,
    title: str = "",
    actor: User,
    request=None,
) -> Agreement:
    """Start a draft from the district's template, placeholders filled, with the
    default signing parties: principal, officer, agency supervisor."""
    review_date = review_date or start_date + timedelta(days=365)
    values = {
        "school": school.name,
        "district": school.district.name,
        "agency": agency.name,
        "officer": officer.full_name if officer else "the officer the agency assigns",
        "start_date": f"{start_date:%B} {start_date.day}, {start_date.year}",
        "review_date": f"{review_date:%B} {review_date.day}, {review_date.year}",
    }
    with transaction.atomic():
        agreement = Agreement.objects.create(
            school=school,
            agency=agency,
            officer=officer,
            title=title or f"School Resource Officer agreement: {school.name}",
            start_date=start_date,
            review_date=review_date,
            created_by=actor,
        )
        sections = [
            SectionText(
                s.key, fill_placeholders(s.title, values), fill_placeholders(s.body, values)
            )
            for s in template_sections(school.district)
        ]
        _new_version(agreement=agreement, sections=sections, author=actor, note="Started")
        _add_default_parties(agreement, actor)
        AuditEvent.record(
            action="agreement.started",
            summary=f"Started “{agreement}”",
            school=school,
            target=agreement,
            actor=actor,
            request=request,
        )
    return agreement


def _add_default_parties(agreement: Agreement, actor: User) -> None:
    school = agreement.school
    principals = Membership.objects.active().filter(school=school, role=Role.PRINCIPAL)
    principal = (
        actor
        if principals.filter(user=actor).exists()
        else getattr(principals.select_related("user").order_by("created_at").first(), "user", None)
    )
    supervisor = (
        AgencyMembership.objects.filter(
            agency=agreement.agency,
            role=AgencyMembership.AgencyRole.SUPERVISOR,
            is_active=True,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    people = [
        (principal, "Principal"),
        (agreement.officer, "School Resource Officer"),
        (supervisor.user if supervisor else None, "Agency supervisor"),
    ]
    order = 0
    seen = set()
    for user, role in people:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        order += 1
        SigningParty.objects.create(agreement=agreement, order=order, role=role, user=user)


def agreement_save_section(
    *,
    agreement: Agreement,
    key: str,
    title: str,
    body: str,
    base_version: int | None,
    actor: User,
    request=None,
) -> AgreementVersion | None:
    """Save one section as a new version. `base_version` is the version number the
    editor started from (None: the current one): if this section changed since
    then, raise SectionConflict (nothing is saved, and the caller shows both texts).
    Edits to other sections in the meantime are kept. Returns None when nothing
    changed."""
    with transaction.atomic():
        agreement = locked(agreement)
        sections = current_sections(agreement)
        current = next((s for s in sections if s.key == key), None)
        if base_version is not None and agreement.current_version.number != base_version:
            base = AgreementSection.objects.filter(
                version__agreement=agreement, version__number=base_version, key=key
            ).first()
            changed = (
                current is None
                or base is None
                or (base.title, base.body) != (current.title, current.body)
            )
            if changed:
                raise SectionConflict(current, agreement.current_version)
        if current is None:
            raise SectionConflict(None, agreement.current_version)
        body = body.replace("\r\n", "\n")
        if (current.title, current.body) == (title.strip(), body):
            return None
        current.title, current.body = title.strip(), body
        version = _new_version(
            agreement=agreement, sections=sections, author=actor, note=f"Edited “{current.title}”"
        )
        AuditEvent.record(
            action="agreement.section_saved",
            summary=f"Edited section “{current.title}” of “{agreement}” (version {version.number})",
            school=agreement.school,
            target=agreement,
            actor=actor,
            request=request,
            section=key,
            version=version.number,
        )
    return version


def agreement_add_section(
    *, agreement: Agreement, title: str, body: str, actor: User, request=None
) -> AgreementVersion:
    with transaction.atomic():
        agreement = locked(agreement)
        sections = current_sections(agreement)
        taken = set(
            AgreementSection.objects.filter(version__agreement=agreement).values_list(
                "key", flat=True
            )
        )
        sections.append(
            SectionText(new_section_key(title, taken), title, body.replace("\r\n", "\n"))
        )
        version = _new_version(
            agreement=agreement, sections=sections, author=actor, note=f"Added “{title}”"
        )
        AuditEvent.record(
            action="agreement.section_added",
            summary=f"Added section “{title}” to “{agreement}”",
            school=agreement.school,
            target=agreement,
            actor=actor,
            request=request,
        )
    return version


def agreement_remove_section(
    *, agreement: Agreement, key: str, actor: User, request=None
) -> AgreementVersion | None:
    with transaction.atomic():
        agreement = locked(agreement)
        sections = current_sections(agreement)
        removed = next((s for s in sections if s.key == key), None)
        if removed is None:
            return None
        sections.remove(removed)
        version = _new_version(
            agreement=agreement, sections=sections, author=actor, note=f"Removed “{removed.title}”"
        )
        AuditEvent.record(
            action="agreement.section_removed",
            summary=f"Removed section “{removed.title}” from “{agreement}”",
            school=agreement.school,
            target=agreement,
            actor=actor,
            request=request,
        )
    return version


def agreement_move_section(
    *, agreement: Agreement, key: str, up: bool, actor: User, request=None
) -> AgreementVersion | None:
    with transaction.atomic():
        agreement = locked(agreement)
        sections = current_sections(agreement)
        index = next((i for i, s in enumerate(sections) if s.key == key), None)
        target = None if index is None else index + (-1 if up else 1)
        if target is None or not 0 <= target < len(sections):
            return None
        sections[index], sections[target] = sections[target], sections[index]
        moved = sections[target]
        version = _new_version(
            agreement=agreement,
            sections=sections,
            author=actor,
            note=f"Moved “{moved.title}” {'up' if up else 'down'}",
        )
        AuditEvent.record(
            action="agreement.section_moved",
            summary=f"Moved section “{moved.title}” {'up' if up else 'down'} in “{agreement}”",
            school=agreement.school,
            target=agreement,
            actor=actor,
            request=request,
        )
    return version


def agreement_send_for_review(*, agreement: Agreement, actor: User, request=None) -> None:
    with transaction.atomic():
        agreement = locked(agreement)
        if agreement.status != Agreement.Status.DRAFT:
            raise ValueError("Only a draft can be sent for review.")
        agreement.status = Agreement.Status.REVIEW
        agreement.save(update_fields=["status"])
        AuditEvent.record(
            action="agreement.sent_for_review",
            summary=f"Sent “{agreement}” for review",
            school=agreement.school,
            target=agreement,
            actor=actor,
            request=request,
        )
        recipients = [
            p.user for p in agreement.parties.select_related("user") if p.user_id != actor.pk
        ]
        emails.send_review_requested(agreement, actor, recipients)


def agreement_comment(
    *,
    agreement: Agreement,
    key: str,
    body: str,
    actor: User,
    parent: SectionComment | None = None,
    request=None,
) -> SectionComment:
    with transaction.atomic():
        comment = SectionComment.objects.create(
            agreement=agreement,
            section_key=key,
            version_id=agreement.current_version_id,
            parent=parent.parent or parent if parent else None,
            author=actor,
            body=body.strip(),
        )
        AuditEvent.record(
            action="agreement.commented",
            summary=f"{actor} commented on section {key} of “{agreement}”",
            school=agreement.school,
            target=comment,
            actor=actor,
            request=request,
        )
    return comment


def agreement_resolve_comment(
    *, comment: SectionComment, actor: User, reopen: bool = False, request=None
) -> None:
    thread = comment.parent or comment
    with transaction.atomic():
        thread.resolved_at = None if reopen else timezone.now()
        thread.resolved_by = None if reopen else actor
        thread.save(update_fields=["resolved_at", "resolved_by"])
        AuditEvent.record(
            action="agreement.comment_reopened" if reopen else "agreement.comment_resolved",
            summary=f"{'Reopened' if reopen else 'Resolved'} a comment thread on "
            f"“{thread.agreement}”",
            school=thread.agreement.school,
            target=thread,
            actor=actor,
            request=request,
        )


def open_amendment(agreement: Agreement) -> Agreement | None:
    return agreement.amendments.exclude(
        status__in=[Agreement.Status.ACTIVE, Agreement.Status.SUPERSEDED]
    ).first()


def agreement_amend(*, agreement: Agreement, actor: User, request=None) -> Agreement:
    """Start an amendment from the active agreement's text and parties. The old
    text stays active until the amendment is fully signed."""
    with transaction.atomic():
        agreement = locked(agreement)
        if agreement.status != Agreement.Status.ACTIVE:
            raise ValueError("Only the active agreement can be amended.")
        existing = open_amendment(agreement)
        if existing is not None:
            return existing
        depth = 1
        ancestor = agreement
        while ancestor.amends_id:
            depth += 1
            ancestor = ancestor.amends
        base_title = re.sub(r"^Amendment \d+: ", "", agreement.title)
        amendment = Agreement.objects.create(
            school=agreement.school,
            agency=agreement.agency,
            officer=agreement.officer,
            title=f"Amendment {depth}: {base_title}",
            start_date=timezone.localdate(),
            review_date=agreement.review_date,
            amends=agreement,
            created_by=actor,
        )
        _new_version(
            agreement=amendment,
            sections=current_sections(agreement),
            author=actor,
            note=f"Started from version {agreement.current_version.number} of “{agreement}”",
        )
        for party in agreement.parties.all():
            SigningParty.objects.create(
                agreement=amendment, order=party.order, role=party.role, user_id=party.user_id
            )
        AuditEvent.record(
            action="agreement.amendment_started",
            summary=f"Started “{amendment}” to amend “{agreement}”",
            school=agreement.school,
            target=amendment,
            actor=actor,
            request=request,
        )
    return amendment


def agreement_set_review_date(
    *, agreement: Agreement, review_date: date, actor: User, request=None
) -> None:
    with transaction.atomic():
        agreement.review_date = review_date
        agreement.save(update_fields=["review_date"])
        AuditEvent.record(
            action="agreement.review_date_set",
            summary=f"Set the annual review of “{agreement}” to {review_date:%Y-%m-%d}",
            school=agreement.school,
            target=agreement,
            actor=actor,
            request=request,
        )

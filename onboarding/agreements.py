"""Role agreement workflows: start, edit, review, sign, amend, remind.

Each change to the text makes a new numbered version (copy on write): a version,
once created, is never edited, so a signed version stays exactly as signed.
"""

import re
import secrets
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from sro_portal.mail import send_templated

from .agreement_template import SECTIONS, fill_placeholders
from .models import (
    Agency,
    AgencyMembership,
    Agreement,
    AgreementLocked,
    AgreementSection,
    AgreementTemplate,
    AgreementVersion,
    AuditEvent,
    DistrictMembership,
    Membership,
    Role,
    School,
    SectionComment,
    Signature,
    SigningParty,
    TemplateSection,
    User,
    canonical_text,
    sha256_hex,
)


@dataclass
class SectionText:
    key: str
    title: str
    body: str


class SectionConflict(Exception):
    """The section changed since the version the editor started from."""

    def __init__(self, current: SectionText | None, version: AgreementVersion):
        super().__init__("The section changed since you started editing.")
        self.current = current
        self.version = version


class SigningError(Exception):
    pass


_quiet: ContextVar[bool] = ContextVar("agreement_emails_quiet", default=False)


@contextmanager
def quiet():
    """Send no agreement emails inside this block (demo seeding)."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def _notify(send: Callable[[], None]) -> None:
    """Email after the transaction commits, so a rollback sends nothing."""
    if not _quiet.get():
        transaction.on_commit(send)


# --- Reading ---------------------------------------------------------------


def template_sections(district) -> list[SectionText]:
    """The district's own template, or the built-in one."""
    rows = TemplateSection.objects.filter(template__district=district).order_by("position", "pk")
    if rows:
        return [SectionText(r.key, r.title, r.body) for r in rows]
    return [SectionText(key, title, body) for key, title, body in SECTIONS]


def current_sections(agreement: Agreement) -> list[SectionText]:
    if agreement.current_version_id is None:
        return []
    return [
        SectionText(s.key, s.title, s.body)
        for s in AgreementSection.objects.filter(version_id=agreement.current_version_id)
    ]


def next_party(parties, signatures) -> SigningParty | None:
    """The first party in order who has not signed (signatures of the current version)."""
    signed = {s.party_id for s in signatures}
    return next((p for p in parties if p.pk not in signed), None)


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


# --- Versions --------------------------------------------------------------


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


def _lock(agreement: Agreement) -> Agreement:
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
    base_version: int,
    actor: User,
    request=None,
) -> AgreementVersion | None:
    """Save one section as a new version. `base_version` is the version number the
    editor started from: if this section changed since then, raise SectionConflict
    (nothing is saved, and the caller shows both texts). Edits to other sections in
    the meantime are kept. Returns None when nothing changed."""
    with transaction.atomic():
        agreement = _lock(agreement)
        sections = current_sections(agreement)
        current = next((s for s in sections if s.key == key), None)
        if agreement.current_version.number != base_version:
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


def _new_key(title: str, taken: set[str]) -> str:
    base = slugify(title)[:40] or "section"
    key = base
    while key in taken:
        key = f"{base}-{secrets.token_hex(2)}"
    return key


def agreement_add_section(
    *, agreement: Agreement, title: str, body: str, actor: User, request=None
) -> AgreementVersion:
    with transaction.atomic():
        agreement = _lock(agreement)
        sections = current_sections(agreement)
        taken = set(
            AgreementSection.objects.filter(version__agreement=agreement).values_list(
                "key", flat=True
            )
        )
        sections.append(SectionText(_new_key(title, taken), title, body.replace("\r\n", "\n")))
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
        agreement = _lock(agreement)
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
        agreement = _lock(agreement)
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


# --- Review ----------------------------------------------------------------


def agreement_send_for_review(*, agreement: Agreement, actor: User, request=None) -> None:
    with transaction.atomic():
        agreement = _lock(agreement)
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
        _notify(lambda: _email_review_requested(agreement, actor, recipients))


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
    thread.resolved_at = None if reopen else timezone.now()
    thread.resolved_by = None if reopen else actor
    thread.save(update_fields=["resolved_at", "resolved_by"])
    AuditEvent.record(
        action="agreement.comment_reopened" if reopen else "agreement.comment_resolved",
        summary=f"{'Reopened' if reopen else 'Resolved'} a comment thread on “{thread.agreement}”",
        school=thread.agreement.school,
        target=thread,
        actor=actor,
        request=request,
    )


# --- Parties and signing ---------------------------------------------------


def _renumber(agreement: Agreement, parties: list[SigningParty]) -> None:
    for order, party in enumerate(parties, start=1):
        if party.order != order:
            party.order = order
            party.save(update_fields=["order"])


def _check_parties_editable(agreement: Agreement) -> None:
    if agreement.status not in (Agreement.Status.DRAFT, Agreement.Status.REVIEW):
        raise ValueError("The signing parties are fixed once signing has started.")


def agreement_add_party(
    *, agreement: Agreement, user: User, role: str, actor: User, request=None
) -> SigningParty:
    with transaction.atomic():
        agreement = _lock(agreement)
        _check_parties_editable(agreement)
        last = agreement.parties.aggregate(n=Max("order"))["n"] or 0
        party = SigningParty.objects.create(
            agreement=agreement, order=last + 1, role=role, user=user
        )
        AuditEvent.record(
            action="agreement.party_added",
            summary=f"Added {user} ({role}) as a signing party of “{agreement}”",
            school=agreement.school,
            target=agreement,
            actor=actor,
            request=request,
        )
    return party


def agreement_remove_party(*, party: SigningParty, actor: User, request=None) -> None:
    with transaction.atomic():
        agreement = _lock(party.agreement)
        _check_parties_editable(agreement)
        if party.signatures.exists():
            raise ValueError("This party has signed an earlier version and stays on record.")
        party.delete()
        _renumber(agreement, list(agreement.parties.all()))
        AuditEvent.record(
            action="agreement.party_removed",
            summary=f"Removed {party.user} as a signing party of “{agreement}”",
            school=agreement.school,
            target=agreement,
            actor=actor,
            request=request,
        )


def agreement_move_party(*, party: SigningParty, up: bool, actor: User, request=None) -> None:
    with transaction.atomic():
        agreement = _lock(party.agreement)
        _check_parties_editable(agreement)
        parties = list(agreement.parties.all())
        index = next(i for i, p in enumerate(parties) if p.pk == party.pk)
        target = index + (-1 if up else 1)
        if not 0 <= target < len(parties):
            return
        parties[index], parties[target] = parties[target], parties[index]
        _renumber(agreement, parties)
        AuditEvent.record(
            action="agreement.party_moved",
            summary=f"Moved {party.user} {'up' if up else 'down'} in the signing order "
            f"of “{agreement}”",
            school=agreement.school,
            target=agreement,
            actor=actor,
            request=request,
        )


def agreement_send_for_signing(*, agreement: Agreement, actor: User, request=None) -> None:
    with transaction.atomic():
        agreement = _lock(agreement)
        if agreement.status not in (Agreement.Status.DRAFT, Agreement.Status.REVIEW):
            raise ValueError("Only a draft or an agreement in review can be sent for signing.")
        parties = list(agreement.parties.select_related("user"))
        if not parties:
            raise ValueError("Add at least one signing party first.")
        agreement.status = Agreement.Status.SIGNING
        agreement.sent_for_signing_at = timezone.now()
        agreement.save(update_fields=["status", "sent_for_signing_at"])
        AuditEvent.record(
            action="agreement.sent_for_signing",
            summary=f"Sent version {agreement.current_version.number} of “{agreement}” for signing",
            school=agreement.school,
            target=agreement,
            actor=actor,
            request=request,
        )
        first = parties[0]
        _notify(lambda: _email_signature_needed(agreement, first))


def _same_name(typed: str, full_name: str) -> bool:
    def norm(s: str) -> str:
        return re.sub(r"\s+", " ", s).strip().casefold()

    return norm(typed) == norm(full_name)


def agreement_sign(
    *,
    agreement: Agreement,
    user: User,
    typed_name: str,
    ip_address: str | None,
    user_agent: str,
    version_number: int,
    request=None,
) -> Signature:
    """Sign the current version as the party whose turn it is. Fully signed makes
    the agreement active and supersedes the agreement it amends."""
    with transaction.atomic():
        agreement = _lock(agreement)
        version = agreement.current_version
        if agreement.status != Agreement.Status.SIGNING:
            raise SigningError("This agreement is not out for signing.")
        if version.number != version_number:
            raise SigningError(
                "The text changed while you were reading it. Read the new version, then sign."
            )
        parties = list(agreement.parties.select_related("user"))
        signatures = list(version.signatures.all())
        party = next_party(parties, signatures)
        if party is None or party.user_id != user.pk:
            raise SigningError("It is not your turn to sign.")
        if not _same_name(typed_name, user.full_name):
            raise SigningError(f"Type your full name exactly as “{user.full_name}”.")
        signature = Signature.objects.create(
            version=version,
            party=party,
            user=user,
            role=party.role,
            typed_name=typed_name.strip(),
            ip_address=ip_address,
            user_agent=user_agent[:400],
            sha256=sha256_hex(version.text),
        )
        AuditEvent.record(
            action="agreement.signed",
            summary=f"{user} signed version {version.number} of “{agreement}” as {party.role}",
            school=agreement.school,
            target=agreement,
            actor=user,
            request=request,
            sha256=signature.sha256,
        )
        following = next_party(parties, [*signatures, signature])
        if following is not None:
            _notify(lambda: _email_signature_needed(agreement, following))
        else:
            _activate(agreement, actor=user, request=request)
            _notify(lambda: _email_active(agreement, parties))
    return signature


def _activate(agreement: Agreement, *, actor: User, request=None) -> None:
    agreement.status = Agreement.Status.ACTIVE
    agreement.activated_at = timezone.now()
    agreement.save(update_fields=["status", "activated_at"])
    AuditEvent.record(
        action="agreement.activated",
        summary=f"“{agreement}” is fully signed and active",
        school=agreement.school,
        target=agreement,
        actor=actor,
        request=request,
    )
    old = agreement.amends
    if old is not None and old.status == Agreement.Status.ACTIVE:
        old.status = Agreement.Status.SUPERSEDED
        old.save(update_fields=["status"])
        AuditEvent.record(
            action="agreement.superseded",
            summary=f"“{old}” is superseded by “{agreement}”",
            school=agreement.school,
            target=old,
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
        agreement = _lock(agreement)
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


# --- District template -----------------------------------------------------


def district_template(district, *, actor: User) -> AgreementTemplate:
    """The district's own template, created from the built-in text on first edit."""
    template, created = AgreementTemplate.objects.get_or_create(
        district=district, defaults={"updated_by": actor}
    )
    if created:
        TemplateSection.objects.bulk_create(
            TemplateSection(template=template, key=key, position=i, title=title, body=body)
            for i, (key, title, body) in enumerate(SECTIONS, start=1)
        )
    return template


def template_save_section(
    *, district, key: str | None, title: str, body: str, position: int, actor: User, request=None
) -> TemplateSection:
    with transaction.atomic():
        template = district_template(district, actor=actor)
        body = body.replace("\r\n", "\n")
        if key is None:
            taken = set(template.sections.values_list("key", flat=True))
            section = TemplateSection.objects.create(
                template=template,
                key=_new_key(title, taken),
                position=position,
                title=title,
                body=body,
            )
        else:
            section = template.sections.get(key=key)
            section.title, section.body, section.position = title, body, position
            section.save()
        sections = sorted(
            template.sections.all(), key=lambda s: (s.position, s.pk != section.pk, s.pk)
        )
        for i, s in enumerate(sections, start=1):
            if s.position != i:
                s.position = i
                s.save(update_fields=["position"])
        template.updated_by = actor
        template.save()
        AuditEvent.record(
            action="agreement_template.section_saved",
            summary=f"Saved “{title}” in the agreement template of {district}",
            target=template,
            actor=actor,
            request=request,
        )
    return section


def template_remove_section(*, district, key: str, actor: User, request=None) -> None:
    with transaction.atomic():
        template = district_template(district, actor=actor)
        section = template.sections.filter(key=key).first()
        if section is None:
            return
        section.delete()
        AuditEvent.record(
            action="agreement_template.section_removed",
            summary=f"Removed “{section.title}” from the agreement template of {district}",
            target=template,
            actor=actor,
            request=request,
        )


# --- Reminders (run daily by `manage.py send_agreement_reminders`) -----------


@dataclass
class ReminderResult:
    signers: int = 0
    reviews: int = 0


def send_agreement_reminders(*, now=None, wait_days: int = 3, review_days: int = 30):
    """Remind each signer who has waited more than `wait_days` (again every
    `wait_days`), and the parties of each active agreement whose annual review
    is within `review_days` (once per review date)."""
    now = now or timezone.now()
    result = ReminderResult()
    cutoff = now - timedelta(days=wait_days)
    signing = Agreement.objects.filter(status=Agreement.Status.SIGNING).select_related(
        "school", "current_version"
    )
    for agreement in signing:
        parties = list(agreement.parties.select_related("user"))
        signatures = list(agreement.current_version.signatures.all())
        party = next_party(parties, signatures)
        if party is None:
            continue
        waiting_since = max(
            [agreement.sent_for_signing_at or agreement.created_at]
            + [s.signed_at for s in signatures]
            + ([party.reminded_at] if party.reminded_at else [])
        )
        if waiting_since < cutoff:
            _email_signature_needed(agreement, party, reminder=True)
            party.reminded_at = now
            party.save(update_fields=["reminded_at"])
            result.signers += 1
    today = timezone.localdate(now)
    due = (
        Agreement.objects.filter(
            status=Agreement.Status.ACTIVE, review_date__lte=today + timedelta(days=review_days)
        )
        .exclude(review_reminded_for=F("review_date"))
        .select_related("school")
    )
    for agreement in due:
        users = [p.user for p in agreement.parties.select_related("user")]
        _email_review_due(agreement, users)
        agreement.review_reminded_for = agreement.review_date
        agreement.save(update_fields=["review_reminded_for"])
        result.reviews += 1
    return result


# --- Emails ----------------------------------------------------------------


def _agreement_path(agreement: Agreement) -> str:
    return reverse("agreement_detail", args=[agreement.school_id, agreement.pk])


def _email_review_requested(agreement: Agreement, sender: User, recipients: list[User]) -> None:
    for user in recipients:
        send_templated(
            "agreement_review_requested",
            [user.email],
            {
                "agreement": agreement,
                "sender": sender,
                "user": user,
                "path": _agreement_path(agreement),
            },
        )


def _email_signature_needed(agreement: Agreement, party: SigningParty, reminder=False) -> None:
    send_templated(
        "agreement_signature_needed",
        [party.user.email],
        {
            "agreement": agreement,
            "party": party,
            "reminder": reminder,
            "path": reverse("agreement_sign", args=[agreement.school_id, agreement.pk]),
        },
    )


def _email_active(agreement: Agreement, parties: list[SigningParty]) -> None:
    send_templated(
        "agreement_active",
        [p.user.email for p in parties],
        {"agreement": agreement, "path": _agreement_path(agreement)},
    )


def _email_review_due(agreement: Agreement, users: list[User]) -> None:
    send_templated(
        "agreement_review_due",
        [u.email for u in users],
        {"agreement": agreement, "path": _agreement_path(agreement)},
    )

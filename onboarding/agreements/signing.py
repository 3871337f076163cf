"""Signing an agreement: the parties and their order, signing in turn, reminders."""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import F, Max, OuterRef
from django.utils import timezone

from onboarding.access import left_school
from onboarding.agreements import emails
from onboarding.agreements.integrity import check_current
from onboarding.agreements.models import (
    Agreement,
    Signature,
    SigningParty,
    next_party,
    sha256_hex,
)
from onboarding.agreements.workflows import locked
from onboarding.audit.models import AuditEvent
from onboarding.people.models import User
from sro_portal.text import names_match


class SigningError(Exception):
    """A signature refused: the message says why, to the signer."""


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
        agreement = locked(agreement)
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
        agreement = locked(party.agreement)
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
        agreement = locked(party.agreement)
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
        agreement = locked(agreement)
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
        emails.send_signature_needed(agreement, first)


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
        agreement = locked(agreement)
        version = agreement.current_version
        if agreement.status != Agreement.Status.SIGNING:
            raise SigningError("This agreement is not out for signing.")
        if version.number != version_number:
            raise SigningError(
                "The text changed while you were reading it. Read the new version, then sign."
            )
        parties = agreement.parties_with_signatures(version)
        party = next_party(parties)
        if party is None or party.user_id != user.pk:
            raise SigningError("It is not your turn to sign.")
        check_current(agreement, version.sections.all(), parties)
        if agreement.altered:
            raise SigningError(
                "This text was changed outside the portal after others signed it: it "
                "cannot be signed. Tell the district office."
            )
        if not names_match(typed_name, user.full_name):
            raise SigningError(f"Type your full name exactly as “{user.full_name}”.")
        signature = Signature(
            version=version,
            party=party,
            user=user,
            role=party.role,
            typed_name=typed_name.strip(),
            signed_at=timezone.now(),
            ip_address=ip_address,
            user_agent=user_agent[:400],
            sha256=sha256_hex(version.text),
        ).sealed(agreement.pk)
        signature.save()
        AuditEvent.record(
            action="agreement.signed",
            summary=f"{user} signed version {version.number} of “{agreement}” as {party.role}",
            school=agreement.school,
            target=agreement,
            actor=user,
            request=request,
            sha256=signature.sha256,
        )
        emails.send_signature_receipt(agreement, signature)
        party.signature = signature
        following = next_party(parties)
        if following is not None:
            emails.send_signature_needed(agreement, following)
        else:
            _activate(agreement, actor=user, request=request)
            emails.send_active(agreement, parties)
    return signature


@contextmanager
def signing_path():
    """Tell the database that these writes are the signing workflow's: on
    PostgreSQL a trigger (migration 0011) refuses any other change of a signed
    agreement's status or version. The flag is the transaction's and is turned off
    again right after (a test, or a caller's outer transaction, goes on without
    it). A guard against stray writes only: the seal on each signature is what a
    determined writer cannot get past."""
    postgres = connection.vendor == "postgresql"
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('sro.signing', 'on', true)")
    try:
        yield
    finally:
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('sro.signing', 'off', true)")


def _activate(agreement: Agreement, *, actor: User, request=None) -> None:
    with signing_path():
        agreement.status = Agreement.Status.ACTIVE
        agreement.activated_at = timezone.now()
        agreement.save(update_fields=["status", "activated_at"])
        old = agreement.amends
        superseded = old is not None and old.status == Agreement.Status.ACTIVE
        if superseded:
            old.status = Agreement.Status.SUPERSEDED
            old.save(update_fields=["status"])
    AuditEvent.record(
        action="agreement.activated",
        summary=f"“{agreement}” is fully signed and active",
        school=agreement.school,
        target=agreement,
        actor=actor,
        request=request,
    )
    if superseded:
        AuditEvent.record(
            action="agreement.superseded",
            summary=f"“{old}” is superseded by “{agreement}”",
            school=agreement.school,
            target=old,
            actor=actor,
            request=request,
        )


@dataclass
class ReminderResult:
    signers: int = 0
    reviews: int = 0


def _has_left(user_id: int, school_id: int) -> bool:
    return User.objects.filter(left_school(user_id, school_id), pk=user_id).exists()


def send_agreement_reminders(*, now=None, wait_days: int = 3, review_days: int = 30):
    """Remind each signer who has waited more than `wait_days` (again every
    `wait_days`), and the parties of each active agreement whose annual review
    is within `review_days` (once per review date). Each reminder is marked with
    its emails in one transaction, and only if no other run marked it first: two
    runs at once (the task queued twice, two workers) remind nobody twice."""
    now = now or timezone.now()
    result = ReminderResult()
    cutoff = now - timedelta(days=wait_days)
    signing = Agreement.objects.filter(status=Agreement.Status.SIGNING).select_related(
        "school", "current_version"
    )
    for agreement in signing:
        parties = agreement.parties_with_signatures(agreement.current_version)
        party = next_party(parties)
        if party is None or _has_left(party.user_id, agreement.school_id):
            continue
        waiting_since = max(
            [agreement.sent_for_signing_at or agreement.created_at]
            + [p.signature.signed_at for p in parties if p.signature is not None]
            + ([party.reminded_at] if party.reminded_at else [])
        )
        if waiting_since < cutoff:
            with transaction.atomic():
                # Marked only if still as this run read it.
                if not SigningParty.objects.filter(
                    pk=party.pk, reminded_at=party.reminded_at
                ).update(reminded_at=now):
                    continue
                AuditEvent.record(
                    action="agreement.signer_reminded",
                    summary=f"Reminded {party.user} to sign “{agreement}”",
                    school=agreement.school,
                    target=agreement,
                )
                emails.send_signature_needed(agreement, party, reminder=True)
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
        with transaction.atomic():
            if not (
                Agreement.objects.filter(pk=agreement.pk, review_date=agreement.review_date)
                .exclude(review_reminded_for=F("review_date"))
                .update(review_reminded_for=F("review_date"))
            ):
                continue
            AuditEvent.record(
                action="agreement.review_reminded",
                summary=f"Reminded the parties of “{agreement}” of its annual review "
                f"on {agreement.review_date:%Y-%m-%d}",
                school=agreement.school,
                target=agreement,
            )
            parties = agreement.parties.exclude(
                left_school(OuterRef("user_id"), agreement.school_id)
            ).select_related("user")
            users = [p.user for p in parties]
            emails.send_review_due(agreement, users)
        result.reviews += 1
    return result

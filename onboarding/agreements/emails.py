"""The role agreement's emails, queued in the outbox in the transaction of the change
that causes them: a change rolled back sends nothing, a committed one always sends."""

from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar

from django.urls import reverse

from onboarding.agreements.models import Agreement, Signature, SigningParty
from onboarding.outbox.compose import Attachment
from onboarding.outbox.workflows import email_queue
from onboarding.people.models import User

_quiet: ContextVar[bool] = ContextVar("agreement_emails_quiet", default=False)


@contextmanager
def quiet():
    """Send no agreement emails inside this block (demo seeding)."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def _queue(
    kind: str, agreement: Agreement, people: Iterable[User], context: dict, attachments=()
) -> None:
    if _quiet.get():
        return
    for person in people:
        email_queue(
            kind,
            to=person,
            context={"agreement": agreement, **context},
            attachments=attachments,
            concerning=agreement,
            school=agreement.school,
        )


def send_review_requested(agreement: Agreement, sender: User, recipients: list[User]) -> None:
    for user in recipients:
        _queue(
            "agreement_review_requested",
            agreement,
            [user],
            {"sender": sender, "user": user, "path": agreement.get_absolute_url()},
        )


def send_signature_needed(agreement: Agreement, party: SigningParty, reminder=False) -> None:
    _queue(
        "agreement_signature_needed",
        agreement,
        [party.user],
        {
            "party": party,
            "reminder": reminder,
            "path": reverse("agreement_sign", args=[agreement.school_id, agreement.pk]),
        },
    )


def send_active(agreement: Agreement, parties: list[SigningParty]) -> None:
    _queue(
        "agreement_active",
        agreement,
        [p.user for p in parties],
        {"path": agreement.get_absolute_url()},
    )


def send_review_due(agreement: Agreement, users: list[User]) -> None:
    _queue("agreement_review_due", agreement, users, {"path": agreement.get_absolute_url()})


def receipt_filename(agreement: Agreement, number: int) -> str:
    return f"agreement-{agreement.pk}-v{number}.txt"


def send_signature_receipt(agreement: Agreement, signature: Signature) -> None:
    """The signer's receipt, sent at signing: the version's SHA-256, when they
    signed, and the exact text they signed as a file of their own. Kept outside the
    database, it lets them check the text later against what the site shows."""
    version = signature.version
    filename = receipt_filename(agreement, version.number)
    _queue(
        "agreement_signature_receipt",
        agreement,
        [signature.user],
        {
            "signature": signature,
            "version": version,
            "filename": filename,
            "verify_path": reverse(
                "agreement_verify", args=[agreement.school_id, agreement.pk, version.number]
            ),
        },
        attachments=[Attachment(filename, version.text, "text/plain")],
    )

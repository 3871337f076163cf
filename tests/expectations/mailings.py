"""Mailings of a guideline as the worker leaves them, written directly (for the
permission table and the page tests that need a failure without a mail server)."""

from django.utils import timezone

from expectations.models import Guideline
from onboarding.outbox.models import Email, Mailing

REJECTED = (
    "550 5.1.1 <{address}>: Recipient address rejected: User unknown in virtual mailbox table"
)


def publishing_delivered(guideline: Guideline, *, sent=(), failed=()) -> Mailing:
    """The current version's mailing, expanded: an email sent to each of `sent`, one
    refused for good to each of `failed` (users)."""
    version = guideline.current_version
    mailing = Mailing.objects.create(
        kind="guideline_published",
        builder="expectations.publishing.emails.add_published",
        arguments={"version_id": version.pk},
        target_type="expectations.GuidelineVersion",
        target_id=str(version.pk),
        school=guideline.school,
        expanded_at=timezone.now(),
        recipients=len(sent) + len(failed),
    )
    rows = [(person, Email.State.SENT, "") for person in sent]
    rows += [
        (person, Email.State.FAILED, REJECTED.format(address=person.email)) for person in failed
    ]
    Email.objects.bulk_create(
        Email(
            mailing=mailing,
            kind=mailing.kind,
            recipient=person,
            address=person.email,
            subject=f"Please read and acknowledge “{guideline.title}”",
            text="Hello",
            state=state,
            attempts=1,
            last_error=error,
            sent_at=timezone.now() if state == Email.State.SENT else None,
            target_type=mailing.target_type,
            target_id=mailing.target_id,
        )
        for person, state, error in rows
    )
    return mailing

"""Queueing emails, the only way the product sends one: the row is written in the
caller's transaction, and delivery starts once it commits."""

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import F, Model, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.template.defaultfilters import pluralize
from django.utils import timezone

from onboarding.audit.models import AuditEvent, target_of
from onboarding.outbox.compose import email_fields
from onboarding.outbox.models import Email, Mailing
from onboarding.outbox.tasks import deliver_emails, expand_mailing

User = get_user_model()


def email_queue(kind: str, **fields) -> Email:
    """Queue one email to one person, with the fields `compose.email_fields` takes:
    `to` is a user, or None with an `address` (a family's). Written in the caller's
    transaction; sent once it commits."""
    email = Email.objects.create(**email_fields(kind, **fields))
    deliver_after_commit()
    return email


def mailing_start(
    kind: str,
    *,
    builder: str,
    arguments: dict,
    concerning: Model | None = None,
    school=None,
    actor=None,
) -> Mailing:
    """Plan an email to many people: the row is written in the caller's transaction
    and, once it commits, the worker adds one email per person:
    `builder(emails, **arguments)`, where `builder` is the dotted path of a function
    that calls `emails.add(kind, to=..., context=...)` for each."""
    mailing = Mailing.objects.create(
        kind=kind,
        builder=builder,
        arguments=arguments,
        school=school,
        created_by=actor,
        **target_of(concerning),
    )
    transaction.on_commit(lambda: expand_mailing.enqueue(mailing.pk))
    return mailing


def send_again(*, mailing: Mailing, actor, request=None) -> int:
    """Queue again the emails of a mailing that failed. Returns how many."""
    with transaction.atomic():
        failed = mailing.emails.filter(state=Email.State.FAILED)
        # To the person's address as it is now: the principal may have corrected it.
        current = User.objects.filter(pk=OuterRef("recipient_id")).values("email")[:1]
        count = failed.update(
            state=Email.State.QUEUED,
            attempts=0,
            next_attempt_at=timezone.now(),
            last_error="",
            address=Coalesce(Subquery(current), F("address")),
        )
        AuditEvent.record(
            action="email.sent_again",
            summary=f"Queued again {count} failed email{pluralize(count)}",
            school=mailing.school,
            target=mailing,
            actor=actor,
            request=request,
        )
        deliver_after_commit()
    return count


class _StartDelivery:
    """The callback that starts delivery after a commit: registered once per atomic
    block however many emails it queues."""

    def __init__(self, block: tuple):
        self.block, self.done = block, False

    def __call__(self) -> None:
        self.done = True
        deliver_emails.enqueue()


def deliver_after_commit() -> None:
    """Start delivering once the current transaction commits."""
    block = tuple(connection.savepoint_ids)
    pending = getattr(connection, "_outbox_delivery", None)
    if (
        pending is not None
        and not pending.done
        and pending.block == block
        and any(func is pending for _, func, _ in connection.run_on_commit)
    ):
        return
    connection._outbox_delivery = pending = _StartDelivery(block)
    transaction.on_commit(pending)

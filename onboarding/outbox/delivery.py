"""Delivering the outbox: in batches over one connection to the mail server, each
email claimed before it is sent, temporary failures retried with a growing wait,
permanent ones recorded with the server's answer.

Sending twice is what a claim prevents: a batch is marked `sending` (with the
worker's claim) before its first email goes out, and each email is marked `sent`
as soon as the server accepts it. A worker killed mid-batch leaves its claimed
emails `sending`; after `EMAIL_CLAIM_TIMEOUT` they are due again (`requeue_stale`),
so an email the server accepted in the instant before the crash is the only one
that can go out twice, and only once more.
"""

import smtplib
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db.models import Min
from django.utils import timezone

from onboarding.outbox.models import Email

# What the server may answer that means "try again later" (RFC 5321: 4yz), besides
# losing the connection or never answering.
TEMPORARY = range(400, 500)


@dataclass
class Outcome:
    sent: int = 0
    retry: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.sent + self.retry + self.failed


def requeue_stale(now=None) -> int:
    """Emails a worker claimed and did not finish (it was stopped or crashed): due
    again."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.EMAIL_CLAIM_TIMEOUT)
    return Email.objects.filter(state=Email.State.SENDING, claimed_at__lt=cutoff).update(
        state=Email.State.RETRY, next_attempt_at=now, claim=""
    )


def claim_batch(size: int, now=None) -> list[Email]:
    """Claim up to `size` due emails for this worker. The update re-checks that each
    is still due, so two workers never claim the same email."""
    now = now or timezone.now()
    ids = list(Email.objects.due(now).order_by("next_attempt_at", "pk").values_list("pk")[:size])
    if not ids:
        return []
    token = uuid.uuid4().hex
    Email.objects.due(now).filter(pk__in=[pk for (pk,) in ids]).update(
        state=Email.State.SENDING, claim=token, claimed_at=now
    )
    return list(
        Email.objects.filter(claim=token, state=Email.State.SENDING)
        .select_related("recipient")
        .order_by("pk")
    )


def message_of(email: Email) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        to=[email.address],
        reply_to=email.reply_to,
        headers={"Message-ID": f"<outbox-{email.pk}@{settings.EMAIL_MESSAGE_ID_DOMAIN}>"},
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    for attachment in email.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    return message


def _answer(error: Exception) -> tuple[int | None, str]:
    """The server's code and answer to a failed send (None: no answer at all)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(error.recipients.values()))
        return code, _decode(text)
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code, _decode(error.smtp_error)
    return None, f"{type(error).__name__}: {error}"


def _decode(text) -> str:
    return text.decode(errors="replace") if isinstance(text, bytes) else str(text)


def _mark_sent(email: Email, now) -> None:
    changes = {"state": Email.State.SENT, "sent_at": now, "claim": "", "last_error": ""}
    if email.sensitive:
        changes.update(text="", html="")  # the link it held is nobody's business now
    Email.objects.filter(pk=email.pk).update(**changes)
    if email.recipient is not None and email.recipient.email_bounced_at is not None:
        # A person who receives again is no longer flagged.
        type(email.recipient).objects.filter(
            pk=email.recipient_id, email__iexact=email.address
        ).update(email_bounced_at=None, email_bounce="")


def _mark_failed(email: Email, answer: str, now, *, permanent: bool) -> bool:
    """Retry later, or give up. Returns whether it will be retried."""
    attempts = email.attempts + 1
    too_old = now - email.created_at > timedelta(hours=settings.EMAIL_GIVE_UP_HOURS)
    if not permanent and not too_old:
        wait = min(
            settings.EMAIL_RETRY_SECONDS * 2 ** (attempts - 1), settings.EMAIL_RETRY_MAX_SECONDS
        )
        Email.objects.filter(pk=email.pk).update(
            state=Email.State.RETRY,
            attempts=attempts,
            next_attempt_at=now + timedelta(seconds=wait),
            claim="",
            last_error=answer[:500],
        )
        return True
    reason = (
        answer
        if permanent
        else f"Gave up after {settings.EMAIL_GIVE_UP_HOURS} hours. Last answer: {answer}"
    )
    Email.objects.filter(pk=email.pk).update(
        state=Email.State.FAILED, attempts=attempts, claim="", last_error=reason[:500]
    )
    if permanent and email.recipient_id:
        # Only if the address refused is still theirs: one corrected while the email
        # was on its way says nothing about the new one.
        type(email.recipient).objects.filter(
            pk=email.recipient_id, email__iexact=email.address
        ).update(email_bounced_at=now, email_bounce=answer[:300])
    return False


def send_batch(batch: list[Email], outcome: Outcome) -> bool:
    """Send a claimed batch over one connection, opened again if the server drops
    it. Returns False when the server could not be reached for any email of it."""
    connection = mailers.default
    reached = False
    try:
        for index, email in enumerate(batch):
            now = timezone.now()
            try:
                connection.open()  # kept open across the batch (a no-op once open)
                connection.send_messages([message_of(email)])
            except (smtplib.SMTPException, OSError) as error:
                code, answer = _answer(error)
                reached = reached or code is not None
                if code is not None:
                    answer = f"{code} {answer}"
                permanent = code is not None and code not in TEMPORARY
                if _mark_failed(email, answer, now, permanent=permanent):
                    outcome.retry += 1
                else:
                    outcome.failed += 1
                outcome.errors.append(answer)
                if code is None and not reached:
                    # No answer at all (refused, timed out): the rest of the batch
                    # would wait as long each. They wait for their retry instead.
                    for rest in batch[index + 1 :]:
                        _mark_failed(rest, answer, now, permanent=False)
                        outcome.retry += 1
                    break
                if code is None or isinstance(error, smtplib.SMTPServerDisconnected):
                    connection.close()  # opened again for the next email
                continue
            reached = True
            _mark_sent(email, now)
            outcome.sent += 1
    finally:
        connection.close()
    return reached


def deliver_due(*, batch_size: int | None = None) -> Outcome:
    """Send every email that is due, in batches; returns what happened. Stops early
    when the server cannot be reached at all (the emails wait for their retry)."""
    batch_size = batch_size or settings.EMAIL_BATCH_SIZE
    outcome = Outcome()
    requeue_stale()
    while batch := claim_batch(batch_size):
        if not send_batch(batch, outcome):
            break
    return outcome


def next_retry_at():
    """When the next email waiting to be retried is due (None if none waits)."""
    return Email.objects.filter(state=Email.State.RETRY).aggregate(at=Min("next_attempt_at"))["at"]

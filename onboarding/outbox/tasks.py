"""The outbox's background tasks, run by `manage.py db_worker`."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.tasks import default_task_backend, task
from django.utils import timezone
from django.utils.module_loading import import_string

from onboarding.outbox import delivery
from onboarding.outbox.compose import MailingEmails
from onboarding.outbox.models import Email, Mailing


@task
def deliver_emails() -> dict:
    """Send what is due; when emails wait for a retry, come back at the first one."""
    outcome = delivery.deliver_due()
    retry_at = delivery.next_retry_at()
    if retry_at is not None and default_task_backend.supports_defer:
        deliver_emails.using(run_after=max(retry_at, timezone.now())).enqueue()
    return {"sent": outcome.sent, "retry": outcome.retry, "failed": outcome.failed}


@task
def expand_mailing(mailing_id: int) -> int:
    """Add a mailing's emails (once: a mailing already expanded is left alone) and
    start their delivery. Returns how many people it reaches."""
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().filter(pk=mailing_id).first()
        if mailing is None or mailing.expanded_at is not None:
            return 0
        emails = MailingEmails(mailing)
        import_string(mailing.builder)(emails, **mailing.arguments)
        Email.objects.bulk_create(emails.rows.values(), batch_size=500, ignore_conflicts=True)
        mailing.recipients = len(emails.rows)
        mailing.expanded_at = timezone.now()
        mailing.save(update_fields=["recipients", "expanded_at"])
        transaction.on_commit(deliver_emails.enqueue)
    return mailing.recipients


def sweep(now=None) -> dict:
    """What a stopped or crashed worker left: claimed emails never finished, mailings
    never expanded, emails due with no task to send them. Run every minute (cron or
    the development loop of `make run`); it only starts tasks."""
    now = now or timezone.now()
    stale = delivery.requeue_stale(now)
    late = now - timedelta(seconds=settings.EMAIL_CLAIM_TIMEOUT)
    mailings = list(
        Mailing.objects.filter(expanded_at__isnull=True, created_at__lt=late).values_list(
            "pk", flat=True
        )
    )
    for mailing_id in mailings:
        expand_mailing.enqueue(mailing_id)
    due = Email.objects.due(now).exists()
    if due:
        deliver_emails.enqueue()
    return {"stale": stale, "mailings": len(mailings), "due": due}

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize

from onboarding.audit import chain
from onboarding.audit.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Verify the audit log's hash chain: every event, oldest first. Says where it "
        "breaks (and fails), or prints the newest hash: note it somewhere the database "
        "is not, to catch a chain rewritten later from an earlier event onwards."
    )

    def handle(self, *args, **options):
        verdict = chain.verify(AuditEvent.objects.order_by("pk").iterator(chunk_size=2000))
        if not verdict.intact:
            event = AuditEvent.objects.get(pk=verdict.broken_at)
            raise CommandError(
                f"Broken: event #{event.pk} ({event.created_at:%Y-%m-%d %H:%M:%S} UTC, "
                f"{event.action}) {verdict.reason}. The {verdict.checked - 1} "
                f"event{pluralize(verdict.checked - 1)} before it are intact."
            )
        self.stdout.write(
            f"Intact: {verdict.checked} event{pluralize(verdict.checked)}. "
            f"Newest hash: {verdict.newest_hash or 'none (no events)'}"
        )

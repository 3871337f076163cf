from django.conf import settings
from django.core.management.base import BaseCommand

from events.families.tasks import purge_family_contacts


class Command(BaseCommand):
    help = (
        "Delete families' names and email addresses, and the outbox's emails to them, "
        "--days days after their event (default FAMILY_DATA_RETENTION_DAYS). Run it "
        "daily: it only enqueues a task, which the worker runs; running it twice is safe."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args, days: int | None = None, **options):
        days = settings.FAMILY_DATA_RETENTION_DAYS if days is None else days
        result = purge_family_contacts.enqueue(days)
        self.stdout.write(
            f"Queued the purge of families' contact data (task {result.id}); the worker runs it."
        )

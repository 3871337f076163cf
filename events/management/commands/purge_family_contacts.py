from django.conf import settings
from django.core.management.base import BaseCommand

from events.families.workflows import family_contacts_purge


class Command(BaseCommand):
    help = (
        "Delete families' names and email addresses --days days after their event "
        "(default FAMILY_DATA_RETENTION_DAYS). Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args, days: int | None = None, **options):
        days = settings.FAMILY_DATA_RETENTION_DAYS if days is None else days
        purged = family_contacts_purge(days_after=days)
        self.stdout.write(f"Deleted the contact data of {purged} family sign-ups.")

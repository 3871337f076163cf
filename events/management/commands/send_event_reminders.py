from django.conf import settings
from django.core.management.base import BaseCommand

from events.invitations.workflows import reminders_send


class Command(BaseCommand):
    help = (
        "Remind invitees who are going, maybe, or have not answered, of events starting "
        "within --days days (default EVENT_REMINDER_DAYS). Each invitee is reminded once "
        "per event, so running it every hour is safe."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args, days: int | None = None, **options):
        sent = reminders_send(days_before=days or settings.EVENT_REMINDER_DAYS)
        self.stdout.write(f"Sent {sent} event reminder{'s' if sent != 1 else ''}.")

from django.conf import settings
from django.core.management.base import BaseCommand

from events.invitations.tasks import send_event_reminders


class Command(BaseCommand):
    help = (
        "Start the reminders of events starting within --days days (default "
        "EVENT_REMINDER_DAYS) to invitees who are going, maybe, or have not answered. "
        "It only enqueues a task, which the worker runs; each invitee is reminded once "
        "per event, so running it every hour is safe."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args, days: int | None = None, **options):
        result = send_event_reminders.enqueue(days or settings.EVENT_REMINDER_DAYS)
        self.stdout.write(f"Queued the event reminders (task {result.id}); the worker sends them.")

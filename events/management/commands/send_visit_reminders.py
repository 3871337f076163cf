"""Remind teachers the day before the officer visits their class. Run it daily
(cron): it only enqueues a task, which the worker runs; each reminder goes once, so
running it twice a day is harmless."""

from django.core.management.base import BaseCommand

from events.introductions.tasks import send_visit_reminders


class Command(BaseCommand):
    help = (
        "Start the reminders to teachers whose classes the officer visits tomorrow (in "
        "each school's zone). It only enqueues a task, which the worker runs."
    )

    def handle(self, *args, **options):
        result = send_visit_reminders.enqueue()
        self.stdout.write(f"Queued the visit reminders (task {result.id}); the worker sends them.")

"""Remind teachers the day before the officer visits their class. Run it daily
(cron); it sends each reminder once, so running it twice a day is harmless."""

from datetime import UTC, timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from events.introductions.emails import send_visit_reminder
from events.introductions.models import Visit


class Command(BaseCommand):
    help = "Email teachers whose classes the officer visits tomorrow (in each school's zone)."

    def handle(self, *args, **options):
        today = timezone.localdate(timezone=UTC)
        # Tomorrow differs by school zone: look a day either side, then check each.
        visits = (
            Visit.objects.with_details()
            .filter(
                status__in=[Visit.Status.PLANNED, Visit.Status.CONFIRMED],
                reminder_sent_at__isnull=True,
                section__teacher__isnull=False,
                date__gte=today,
                date__lte=today + timedelta(days=2),
            )
            .order_by("starts_at")
        )
        sent = 0
        for visit in visits:
            tomorrow = timezone.localdate(timezone=visit.school.zone) + timedelta(days=1)
            if visit.date != tomorrow:
                continue
            send_visit_reminder(visit)
            Visit.objects.filter(pk=visit.pk).update(reminder_sent_at=timezone.now())
            sent += 1
        self.stdout.write(f"Sent {sent} visit reminder{'s' if sent != 1 else ''}.")

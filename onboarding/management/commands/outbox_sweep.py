from django.core.management.base import BaseCommand
from django.template.defaultfilters import pluralize

from onboarding.outbox.tasks import sweep


class Command(BaseCommand):
    help = (
        "Start the tasks a stopped or crashed worker left undone: emails claimed and "
        "not finished, mailings not expanded, emails due. Run it every minute."
    )

    def handle(self, *args, **options):
        found = sweep()
        stale, mailings = found["stale"], found["mailings"]
        if stale or mailings or found["due"]:
            self.stdout.write(
                f"{stale} claimed email{pluralize(stale)} back in the queue, "
                f"{mailings} mailing{pluralize(mailings)} to expand, delivery "
                f"{'started' if found['due'] else 'not needed'}."
            )

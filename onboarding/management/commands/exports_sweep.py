from django.core.management.base import BaseCommand
from django.template.defaultfilters import pluralize

from onboarding.exports.workflows import sweep


class Command(BaseCommand):
    help = (
        "Delete exported files (binders, district exports) older than EXPORT_KEEP_HOURS; "
        "fail builds whose worker stopped and start again those never started. "
        "Run it every few minutes."
    )

    def handle(self, *args, **options):
        found = sweep()
        if any(found.values()):
            deleted, stopped, restarted = found["deleted"], found["stopped"], found["restarted"]
            self.stdout.write(
                f"{deleted} old export{pluralize(deleted)} deleted, {stopped} stopped "
                f"build{pluralize(stopped)} failed, {restarted} build{pluralize(restarted)} "
                "started again."
            )

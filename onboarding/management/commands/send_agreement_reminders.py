from django.core.management.base import BaseCommand, CommandError
from django.tasks import TaskResultStatus
from django.template.defaultfilters import pluralize

from onboarding.agreements.tasks import remind_agreement_parties


class Command(BaseCommand):
    help = (
        "Queue the agreement reminders for the task worker: signers who have waited more "
        "than --days days for their turn to sign, and the parties of each active agreement "
        "whose annual review is --review-days days away. Run once a day from cron; it "
        "returns at once, and running it twice reminds nobody twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=3, help="Remind a signer after this many days (3)."
        )
        parser.add_argument(
            "--review-days",
            type=int,
            default=30,
            help="Remind this many days before the annual review date (30).",
        )

    def handle(self, *args, days: int, review_days: int, **options):
        result = remind_agreement_parties.enqueue(wait_days=days, review_days=review_days)
        self.stdout.write(f"Queued the agreement reminders for the worker (task {result.id}).")
        # A backend that runs tasks at once (the test suite's) has the outcome already.
        if result.status == TaskResultStatus.SUCCESSFUL:
            signers, reviews = result.return_value["signers"], result.return_value["reviews"]
            self.stdout.write(
                f"Reminded {signers} signer{pluralize(signers)} and {reviews} "
                f"agreement{pluralize(reviews)} due for review."
            )
        elif result.status == TaskResultStatus.FAILED:
            raise CommandError(f"The reminders failed:\n{result.errors[-1].traceback}")

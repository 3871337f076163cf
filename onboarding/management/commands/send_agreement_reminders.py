from django.core.management.base import BaseCommand

from onboarding.agreements.signing import send_agreement_reminders


class Command(BaseCommand):
    help = (
        "Remind signers who have waited more than --days days for their turn to sign, "
        "and the parties of each active agreement whose annual review is 30 days away. "
        "Run once a day (cron or the task worker); running it twice sends nothing new."
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
        result = send_agreement_reminders(wait_days=days, review_days=review_days)
        self.stdout.write(
            f"Reminded {result.signers} signer(s) and {result.reviews} agreement(s) due for review."
        )

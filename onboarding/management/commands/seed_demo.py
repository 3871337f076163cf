from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from onboarding import demo
from onboarding.agreements import demo as demo_agreements
from onboarding.contributions import contributions
from onboarding.schools.models import School


class Command(BaseCommand):
    help = (
        "Build the demo district (three schools, an agency, about 45 people) and each "
        "capability's demo data. Safe to run again: it updates rather than duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has a school.",
        )

    def handle(self, *args, if_empty: bool = False, **options):
        if if_empty and School.objects.exists():
            self.stdout.write("The database already has data; the demo was not seeded.")
            return
        with transaction.atomic():
            world = demo.seed()
            demo_agreements.seed(world)
            # Each capability extends the demo from its own app's demo.py.
            for module in contributions("demo"):
                module.seed(world)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {len(world.schools)} schools, {len(world.people)} people. "
                f"Every demo account's password is {settings.DEMO_PASSWORD!r}."
            )
        )

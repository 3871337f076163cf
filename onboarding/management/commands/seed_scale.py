import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from onboarding import scale
from onboarding.contributions import contributions
from onboarding.people.models import User
from onboarding.schools.models import School


class Command(BaseCommand):
    help = (
        "Build a district at scale in bulk (60 schools, 6,000 staff, 40 officers by "
        "default) for the benchmark, then each capability's scale data. Meant for "
        "PostgreSQL. Refuses a database that already holds schools unless --reset."
    )

    def add_arguments(self, parser):
        defaults = scale.ScaleSizes()
        parser.add_argument("--schools", type=int, default=defaults.schools)
        parser.add_argument("--staff", type=int, default=defaults.staff)
        parser.add_argument("--officers", type=int, default=defaults.officers)
        parser.add_argument("--supervisors", type=int, default=defaults.supervisors)
        parser.add_argument("--district-admins", type=int, default=defaults.district_admins)
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Drop the scale district (and its people) first; other districts stay.",
        )

    def handle(self, *args, reset: bool = False, **options):
        sizes = scale.ScaleSizes(
            schools=options["schools"],
            staff=options["staff"],
            officers=options["officers"],
            supervisors=options["supervisors"],
            district_admins=options["district_admins"],
        )
        if sizes.schools < 1 or sizes.officers < 1 or sizes.staff < 3 * sizes.schools:
            raise CommandError("Need at least one school, one officer and 3 staff per school.")
        started = time.perf_counter()
        with transaction.atomic():
            if reset:
                with _timed(self, "drop the previous scale district"):
                    scale.drop()
            elif School.objects.exists() or User.objects.exists():
                raise CommandError(
                    "The database is not empty. Run with --reset to drop the scale district "
                    "and build it again (other districts are left alone)."
                )
            self.stdout.write("onboarding")
            world = scale.seed(sizes, log=self.stdout.write)
            # Each capability adds its data from its own app's scale.py.
            for module in contributions("scale"):
                app = module.__name__.partition(".")[0]
                self.stdout.write(app)
                with _timed(self, f"{app} (total)"):
                    module.seed(world)
        if connection.vendor == "postgresql":
            # Fresh statistics, or the planner guesses from an empty table.
            with _timed(self, "analyze"), connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Scale district ready in {elapsed:.1f} s: {len(world.schools)} schools, "
                f"{sizes.staff} staff, {len(world.officers)} officers. Largest school: "
                f"{world.largest_school} ({len(world.staff_of(world.largest_school))} staff). "
                f"Every account's password is {scale.SCALE_PASSWORD!r}."
            )
        )


class _timed:
    def __init__(self, command: BaseCommand, name: str):
        self.command, self.name = command, name

    def __enter__(self):
        self.started = time.perf_counter()

    def __exit__(self, *exc):
        if exc[0] is None:
            self.command.stdout.write(
                f"  {self.name:<40} {time.perf_counter() - self.started:6.2f} s"
            )

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from onboarding.audit.models import AuditEvent
from onboarding.people.models import Invitation
from onboarding.schools.models import US_STATES, District, Role


class Command(BaseCommand):
    help = (
        "Start a real deployment: create a district and an invitation for its first "
        "district admin, and print the invitation link (it is not emailed)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--district", required=True, help="The district's name")
        parser.add_argument("--state", required=True, help="Two-letter state code, e.g. WI")
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-name", required=True)

    def handle(self, *args, district: str, state: str, admin_email: str, admin_name: str, **_):
        state = state.upper()
        if state not in dict(US_STATES):
            raise CommandError(f"{state!r} is not a two-letter US state code.")
        with transaction.atomic():
            district_obj, created = District.objects.get_or_create(
                name=district, defaults={"state": state}
            )
            token, token_hash = Invitation.new_token()
            Invitation.objects.create(
                email=admin_email.lower(),
                full_name=admin_name,
                role=Role.DISTRICT_ADMIN,
                district=district_obj,
                token_hash=token_hash,
                expires_at=Invitation.default_expiry(),
            )
            AuditEvent.record(
                action="district.set_up",
                summary=f"Set up {district_obj} with a first admin invitation for {admin_email}",
                target=district_obj,
            )
        verb = "Created" if created else "Found"
        self.stdout.write(f"{verb} the district {district_obj}.")
        self.stdout.write(
            f"Send this link to {admin_name}; it works once, for "
            f"{settings.INVITATION_VALID_DAYS} days:\n"
            f"{settings.SITE_URL}{reverse('invitation_accept', args=[token])}"
        )

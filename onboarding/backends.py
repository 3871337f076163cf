"""Sign-in backend: Django's own, with what the navigation bar needs to know of the
person read in the same query as the person."""

from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef

from .models import AgencyMembership, DistrictMembership, User


class PortalBackend(ModelBackend):
    """`ModelBackend` whose `get_user` (once per request, from the session) also
    says whether the person holds any agency role, supervises an agency, or
    administers a district. Most people hold none of these: the navigation bar then
    skips the queries for them (`onboarding.context_processors.Navigation`)."""

    def get_user(self, user_id):
        agency_roles = AgencyMembership.objects.filter(user=OuterRef("pk"), is_active=True)
        user = (
            User._default_manager.annotate(
                holds_agency_role=Exists(agency_roles),
                supervises_agency=Exists(
                    agency_roles.filter(role=AgencyMembership.AgencyRole.SUPERVISOR)
                ),
                administers_district=Exists(
                    DistrictMembership.objects.filter(user=OuterRef("pk"), is_active=True)
                ),
            )
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None

"""Sign-in backend: Django's own, with what the navigation bar needs to know of the
person read in the same query as the person."""

from functools import cache

from django.contrib.auth.backends import ModelBackend

from onboarding.people.models import User
from onboarding.schools.models import AgencyMembership, DistrictMembership


@cache
def _person_with_roles_sql() -> str:
    user, agency, district = (
        model._meta.db_table for model in (User, AgencyMembership, DistrictMembership)
    )
    # Table names from the models' metadata; the values are parameters.
    return (
        f"SELECT person.*,"  # noqa: S608
        f" EXISTS (SELECT 1 FROM {agency} r WHERE r.user_id = person.id AND r.is_active)"
        f"  AS holds_agency_role,"
        f" EXISTS (SELECT 1 FROM {agency} r WHERE r.user_id = person.id AND r.is_active"
        f"  AND r.role = %s) AS supervises_agency,"
        f" EXISTS (SELECT 1 FROM {district} r WHERE r.user_id = person.id AND r.is_active)"
        f"  AS administers_district"
        f" FROM {user} person WHERE person.id = %s"
    )


class PortalBackend(ModelBackend):
    """`ModelBackend` whose `get_user` (once per request, from the session) also
    says whether the person holds any agency role, supervises an agency, or
    administers a district. Most people hold none of these: the navigation bar then
    skips the queries for them (`onboarding.context_processors.Navigation`).

    The query is written out rather than built with the ORM: it runs on every
    request, and compiling the same three `Exists` annotations each time cost more
    (about 1.3 ms of Python) than the rest of a small page. Its result is the same
    `User`, with three boolean attributes more (tests/test_homes.py checks them).
    """

    def get_user(self, user_id):
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        found = list(
            User.objects.raw(
                _person_with_roles_sql(), [AgencyMembership.AgencyRole.SUPERVISOR, user_id]
            )
        )
        user = found[0] if found else None
        return user if user is not None and self.user_can_authenticate(user) else None

from django.db.models import QuerySet

from onboarding.people.models import User
from onboarding.schools.models import Role, School


def school_officers(school: School) -> QuerySet[User]:
    """The school's active officers (SROs), by name."""
    return User.objects.filter(
        is_active=True,
        memberships__school=school,
        memberships__role=Role.SRO,
        memberships__is_active=True,
    ).order_by("full_name")

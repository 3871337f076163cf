from django.db.models import Exists, OuterRef, Subquery

from .access import SchoolAccess, visible_schools
from .models import AgencyMembership, DistrictMembership, Membership, Role


def navigation(request) -> dict:
    """The school switcher and role-aware links of the navigation bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def schools():
        # The person's role in each school rides along, so the role-aware links
        # cost no query of their own.
        role = Membership.objects.active().filter(user=user, school=OuterRef("pk"))
        admin = DistrictMembership.objects.filter(
            user=user, is_active=True, district=OuterRef("district")
        )
        return list(
            visible_schools(user).annotate(
                nav_role=Subquery(role.values("role")[:1]), nav_admin=Exists(admin)
            )
        )

    def current_access():
        """What the person may open in the current school, for the navigation links."""
        school = current_school()
        if school is None:
            return None
        return SchoolAccess(
            school=school,
            role=school.nav_role,
            is_district_admin=school.nav_admin,
            is_supervisor=school.nav_role is None and not school.nav_admin,
        )

    def is_officer():
        return any(s.nav_role == Role.SRO for s in nav_schools())

    def current_school():
        current_id = request.session.get("current_school_id")
        for school in nav_schools():
            if school.pk == current_id:
                return school
        listed = nav_schools()
        return listed[0] if len(listed) == 1 else None

    cache = {}

    def nav_schools():
        if "schools" not in cache:
            cache["schools"] = schools()
        return cache["schools"]

    def supervised():
        return list(
            user.agency_memberships.filter(
                is_active=True, role=AgencyMembership.AgencyRole.SUPERVISOR
            ).select_related("agency")
        )

    def district_roles():
        return list(user.district_memberships.filter(is_active=True).select_related("district"))

    return {
        "nav_schools": nav_schools,
        "nav_current_school": current_school,
        "nav_access": current_access,
        "nav_is_officer": is_officer,
        "nav_supervised": supervised,
        "nav_district_roles": district_roles,
    }

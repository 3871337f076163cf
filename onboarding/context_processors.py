from .access import visible_schools
from .models import AgencyMembership


def navigation(request) -> dict:
    """The school switcher and role-aware links of the navigation bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def schools():
        return list(visible_schools(user))

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
        "nav_supervised": supervised,
        "nav_district_roles": district_roles,
    }

"""The navigation bar: the school switcher and the links each role may open."""

from functools import cached_property

from onboarding.access import PersonRoles, SchoolAccess, roles_of, visible_schools
from onboarding.schools.models import Role, School


class Navigation:
    """The navigation bar's data for one request, computed when a template first
    reads it (an htmx fragment that shows no navigation pays nothing), from the
    person's roles that the request's access checks read too."""

    def __init__(self, request, roles: PersonRoles):
        self.request, self.roles = request, roles

    @property
    def memberships(self):
        return self.roles.memberships

    @property
    def agency_roles(self):
        return self.roles.agency_roles

    @property
    def district_roles(self):
        return self.roles.district_roles

    @property
    def supervised(self):
        return self.roles.supervised

    @cached_property
    def schools(self) -> list[School]:
        """Every school the person may open, by name, each with `nav_role` (their
        membership role there, or None) and `nav_admin` (whether they administer its
        district)."""
        roles = self.roles
        if roles.district_roles or roles.supervised:
            schools = list(visible_schools(roles))
        else:
            # Only memberships: their schools are already at hand.
            schools = list({m.school_id: m.school for m in roles.memberships}.values())
        for school in schools:
            membership = roles.membership_in(school.pk)
            school.nav_role = membership.role if membership else None
            school.nav_admin = school.district_id in roles.admin_district_ids
        return schools

    @cached_property
    def is_officer(self) -> bool:
        return any(m.role == Role.SRO for m in self.roles.memberships)

    @cached_property
    def current_school(self) -> School | None:
        current_id = self.request.session.get("current_school_id")
        for school in self.schools:
            if school.pk == current_id:
                return school
        return self.schools[0] if len(self.schools) == 1 else None

    @cached_property
    def access(self) -> SchoolAccess | None:
        """What the person may open in the current school, for the navigation links."""
        school = self.current_school
        if school is None:
            return None
        return SchoolAccess(
            school=school,
            role=school.nav_role,
            is_district_admin=school.nav_admin,
            is_supervisor=school.nav_role is None and not school.nav_admin,
        )


def navigation_for(request) -> Navigation:
    """The request's one `Navigation` (the home page reads the person's roles from it)."""
    nav = getattr(request, "_navigation", None)
    if nav is None or nav.roles.user is not request.user:
        nav = request._navigation = Navigation(request, roles_of(request))
    return nav


def navigation(request) -> dict:
    """Context processor: the navigation bar's data, as one lazy object (`nav`)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav": navigation_for(request)}

from functools import cache, cached_property

from django.db.models import Exists, OuterRef, Q

from onboarding.access import SchoolAccess
from onboarding.people.models import User
from onboarding.schools.models import AgencyMembership, District, Membership, Role, School
from sro_portal.reversing import url_for_each


class Navigation:
    """The school switcher and role-aware links of the navigation bar, for one request.

    Computed lazily (a page that renders no navigation, such as an htmx fragment,
    pays nothing) and once: each property is cached on the object, so a template may
    read it as often as it likes. One query for most people: their memberships, from
    which their schools are listed. Whether they hold an agency role or administer a
    district comes with the person (`django.contrib.auth.backends.ModelBackend`); only those
    who do pay a query for those roles, and a supervisor or a district admin one more
    for the schools they reach through the agency or the district.
    """

    def __init__(self, request, user):
        self.request, self.user = request, user

    def holds(self, flag: str) -> bool:
        # A person not read by PortalBackend (a test's own user object) has no flag:
        # then look the roles up rather than assume there are none.
        return getattr(self.user, flag, True)

    @cached_property
    def agency_roles(self) -> list[AgencyMembership]:
        """Every active agency role of the person (officer or supervisor)."""
        if not self.holds("holds_agency_role"):
            return []
        return list(self.user.agency_memberships.filter(is_active=True).select_related("agency"))

    @cached_property
    def supervised(self) -> list[AgencyMembership]:
        if not self.holds("supervises_agency"):
            return []
        return [r for r in self.agency_roles if r.role == AgencyMembership.AgencyRole.SUPERVISOR]

    @cached_property
    def memberships(self) -> list[Membership]:
        """The person's active memberships, with school and district, by school name."""
        return memberships_of(self.user.pk)

    @cached_property
    def district_roles(self) -> list:
        if not self.holds("administers_district"):
            return []
        return list(
            self.user.district_memberships.filter(is_active=True).select_related("district")
        )

    @cached_property
    def schools(self) -> list[School]:
        """Every school the person may open (as `access.visible_schools`), by name,
        each with `nav_role` (their membership role there, or None), `nav_admin` and
        `nav_url` (its page)."""
        schools = self._schools()
        # A district admin's switcher lists every school of the district: one
        # reverse() for the list rather than a {% url %} per school.
        school_url = url_for_each("school_home")
        for school in schools:
            school.nav_url = school_url(school.pk)
        return schools

    def _schools(self) -> list[School]:
        district_ids = {r.district_id for r in self.district_roles}
        agency_ids = {r.agency_id for r in self.supervised}
        if not district_ids and not agency_ids:
            schools = []
            for membership in self.memberships:
                if schools and schools[-1].pk == membership.school_id:
                    continue  # one school listed once, whatever the memberships
                school = membership.school
                school.nav_role, school.nav_admin = membership.role, False
                schools.append(school)
            return schools
        # The navigation shows a name and links: only the fields it reads. A school
        # where the person is also a member takes its role from their memberships.
        roles = {}
        for membership in self.memberships:
            roles.setdefault(membership.school_id, membership.role)
        reach = Q(pk__in=list(roles)) | Q(district_id__in=district_ids)
        if agency_ids:
            reach |= Exists(
                Membership.objects.active().filter(
                    school=OuterRef("pk"),
                    role=Role.SRO,
                    user__agency_memberships__agency_id__in=agency_ids,
                    user__agency_memberships__is_active=True,
                )
            )
        schools = list(School.objects.filter(reach).only("name", "district_id").order_by("name"))
        for school in schools:
            school.nav_role = roles.get(school.pk)
            school.nav_admin = school.district_id in district_ids
        return schools

    @cached_property
    def is_officer(self) -> bool:
        return any(s.nav_role == Role.SRO for s in self.schools)

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


@cache
def _memberships_sql() -> tuple[str, list[str], list[str]]:
    """The query of `memberships_of`, with the school's and district's field names."""
    school_fields = [f.attname for f in School._meta.concrete_fields]
    district_fields = [f.attname for f in District._meta.concrete_fields]
    columns = [f"school.{f} AS nav_school_{f}" for f in school_fields]
    columns += [f"district.{f} AS nav_district_{f}" for f in district_fields]
    # Table and column names from the models' metadata; the id is a parameter.
    sql = (
        f"SELECT membership.*, {', '.join(columns)}"  # noqa: S608
        f" FROM {Membership._meta.db_table} membership"
        f" JOIN {User._meta.db_table} person ON person.id = membership.user_id"
        f" JOIN {School._meta.db_table} school ON school.id = membership.school_id"
        f" JOIN {District._meta.db_table} district ON district.id = school.district_id"
        " WHERE membership.user_id = %s AND membership.is_active AND person.is_active"
        " ORDER BY school.name, school.id, membership.id"
    )
    return sql, school_fields, district_fields


def memberships_of(user_id: int) -> list[Membership]:
    """A person's active memberships (of an active person) with their school and its
    district, by school name: the same objects as

        Membership.objects.active().filter(user=user_id)
        .select_related("school__district").order_by("school__name", "school_id", "pk")

    from a query written out once per process. It runs on every signed-in request (the
    navigation bar and `access.get_school_access` read it), and compiling that
    queryset cost about 0.7 ms of Python each time, a tenth of a small page.
    """
    sql, school_fields, district_fields = _memberships_sql()
    memberships = list(Membership.objects.raw(sql, [user_id]))
    for membership in memberships:
        school = School.from_db(
            "default",
            school_fields,
            [getattr(membership, f"nav_school_{f}") for f in school_fields],
        )
        school.district = District.from_db(
            "default",
            district_fields,
            [getattr(membership, f"nav_district_{f}") for f in district_fields],
        )
        membership.school = school
    return memberships


def navigation_for(request) -> Navigation:
    """The request's one `Navigation`: views that need the person's roles (the home
    page) read them from it, so the navigation bar does not query them again."""
    nav = getattr(request, "_navigation", None)
    if nav is None or nav.user is not request.user:
        nav = request._navigation = Navigation(request, request.user)
    return nav


def navigation(request) -> dict:
    """The navigation bar's data, as one lazy object (`nav` in templates)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav": navigation_for(request)}

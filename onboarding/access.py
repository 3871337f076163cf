"""The one place that decides what a signed-in person may see and do.

Every view that shows a school's data fetches it through these helpers:
- a person with no business seeing an object gets a 404 (never a hint it exists);
- a person who may see it but lacks the right for an action gets a 403.

Reach to a school comes from a membership in it, the district-admin role for its
district, or (read-only, agency items only) supervising the agency of an officer
who serves it.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from onboarding.schools.models import (
    Agency,
    AgencyMembership,
    District,
    DistrictMembership,
    Membership,
    Role,
    School,
)


@dataclass(frozen=True)
class SchoolAccess:
    """What one person may do in one school."""

    school: School
    role: str | None = None  # their membership role in this school, if any
    is_district_admin: bool = False
    is_supervisor: bool = False
    membership: Membership | None = field(default=None, compare=False)

    @property
    def can_manage(self) -> bool:
        """Principals and district admins run the school's setup."""
        return self.role == Role.PRINCIPAL or self.is_district_admin

    @property
    def is_staff_member(self) -> bool:
        return self.role in (Role.PRINCIPAL, Role.STAFF, Role.MENTAL_HEALTH)

    @property
    def is_sro(self) -> bool:
        return self.role == Role.SRO

    @property
    def is_agency_reader(self) -> bool:
        """May read agency items (agreements, schedules) but nothing else."""
        return self.is_supervisor and self.role is None and not self.is_district_admin

    @property
    def label(self) -> str:
        if self.role:
            return Role(self.role).label
        if self.is_district_admin:
            return Role.DISTRICT_ADMIN.label
        return Role.SUPERVISOR.label

    def require(self, allowed: bool) -> None:
        if not allowed:
            raise PermissionDenied


class PersonRoles:
    """Every role a person holds, each read once per request and only when asked:
    their school memberships (with school and district, by school name), their agency
    roles and their district-admin roles. The navigation bar and every access check of
    the request share it (`roles_of`)."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def memberships(self) -> list[Membership]:
        return list(
            Membership.objects.active()
            .filter(user=self.user)
            .select_related("school__district")
            .order_by("school__name", "school_id", "pk")
        )

    @cached_property
    def agency_roles(self) -> list[AgencyMembership]:
        return list(self.user.agency_memberships.filter(is_active=True).select_related("agency"))

    @cached_property
    def district_roles(self) -> list[DistrictMembership]:
        return list(
            self.user.district_memberships.filter(is_active=True).select_related("district")
        )

    @property
    def supervised(self) -> list[AgencyMembership]:
        return [r for r in self.agency_roles if r.role == AgencyMembership.AgencyRole.SUPERVISOR]

    @property
    def admin_district_ids(self) -> set[int]:
        return {r.district_id for r in self.district_roles}

    @property
    def may_sign_agreements(self) -> bool:
        """Signing parties are principals, officers, agency supervisors and district
        admins (`agreements.workflows.party_candidates`): nobody else has a turn."""
        return (
            any(m.role in (Role.PRINCIPAL, Role.SRO) for m in self.memberships)
            or bool(self.supervised)
            or bool(self.district_roles)
        )

    def membership_in(self, school_id: int) -> Membership | None:
        return next((m for m in self.memberships if m.school_id == school_id), None)


def roles_of(request) -> PersonRoles:
    """The signed-in person's roles, read once for the whole request."""
    roles = getattr(request, "_person_roles", None)
    if roles is None or roles.user is not request.user:
        roles = request._person_roles = PersonRoles(request.user)
    return roles


def current_schools(user, role: str | None = None) -> QuerySet:
    """The schools this person belongs to now (an active membership, an active
    account), in `role` if given, as a subquery of school ids:
    `items.filter(school__in=current_schools(user))`.

    Every page and feed that gathers one person's items across schools (the
    officer's schedule, week, day sheet and calendar feed, each person's home)
    keeps only those of these schools, so that leaving a school takes its visits,
    events and requests off them at once: read in the same query as the items,
    never kept between requests. `user` is a User, its id, or `OuterRef("user_id")`
    for many people's items in one query (reminders, for example)."""
    memberships = Membership.objects.active().filter(user=user)
    if role is not None:
        memberships = memberships.filter(role=role)
    return memberships.values("school_id")


def left_school(user, school) -> Q:
    """True of a person who belonged to the school and belongs to it no longer (a
    membership, none active now); someone who never belonged to it, such as the
    agency supervisor who signs its agreement, has not left it. `user` and `school`
    are objects, ids or `OuterRef`s. The worker's reminders and notices leave out
    those who left, as the pages do."""
    memberships = Membership.objects.filter(user=user, school=school)
    return Q(Exists(memberships)) & ~Q(Exists(memberships.active()))


def served_by_agencies(agency_ids) -> Q:
    """Schools where an active officer of one of these agencies serves."""
    officer_memberships = Membership.objects.active().filter(
        school=OuterRef("pk"),
        role=Role.SRO,
        user__agency_memberships__agency__in=agency_ids,
        user__agency_memberships__is_active=True,
    )
    return Q(Exists(officer_memberships))


def visible_schools(roles: PersonRoles) -> QuerySet:
    """Every school this person may open, whatever their role there, by name."""
    reach = Q(pk__in=[m.school_id for m in roles.memberships])
    if roles.district_roles:
        reach |= Q(district_id__in=roles.admin_district_ids)
    if roles.supervised:
        reach |= served_by_agencies([r.agency_id for r in roles.supervised])
    return School.objects.filter(reach).select_related("district").order_by("name")


def get_school_access(request, school_id: int) -> SchoolAccess:
    """The school and what this person may do there; 404 if they have no reach."""
    cached = getattr(request, "_school_access", None)
    if cached is not None and cached.school.pk == school_id:
        return cached
    roles = roles_of(request)
    membership = roles.membership_in(school_id)
    if roles.supervised:
        # Whether one of the agency's officers serves the school is the school's
        # own business: asked of the database.
        agency_ids = [r.agency_id for r in roles.supervised]
        school = (
            School.objects.select_related("district")
            .annotate(supervised=served_by_agencies(agency_ids))
            .filter(pk=school_id)
            .first()
        )
        if school is None:
            raise Http404
        is_supervisor = school.supervised
    elif membership is not None:
        school, is_supervisor = membership.school, False
    elif roles.district_roles:
        school = get_object_or_404(
            School.objects.select_related("district"),
            pk=school_id,
            district_id__in=roles.admin_district_ids,
        )
        is_supervisor = False
    else:
        raise Http404
    access = SchoolAccess(
        school=school,
        role=membership.role if membership else None,
        is_district_admin=school.district_id in roles.admin_district_ids,
        is_supervisor=is_supervisor,
        membership=membership,
    )
    if access.role is None and not access.is_district_admin and not access.is_supervisor:
        raise Http404
    # Times on this school's pages show in the school's own zone.
    timezone.activate(school.zone)
    if request.session.get("current_school_id") != school.pk:
        request.session["current_school_id"] = school.pk
    request._school_access = access
    return access


def get_district_for_admin(request, district_id: int) -> District:
    return get_object_or_404(
        District, pk=district_id, admins__user=request.user, admins__is_active=True
    )


def get_agency_for_user(request, agency_id: int) -> Agency:
    """An agency its supervisors, and the admins of its district, may open."""
    user = request.user
    return get_object_or_404(
        Agency.objects.select_related("district")
        .filter(
            Q(memberships__user=user, memberships__role="supervisor", memberships__is_active=True)
            | Q(district__admins__user=user, district__admins__is_active=True)
        )
        .distinct(),
        pk=agency_id,
    )


def get_membership_in_school(access: SchoolAccess, membership_id: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_id, school=access.school
    )


def email_change_refusal(access: SchoolAccess, roles: PersonRoles, person) -> str:
    """Why this manager may not change this person's email address ("" if they may).

    The address is the person's everywhere they work, so it is changed by whoever
    runs all of those places: a principal for someone who works only at their
    school; a district admin for someone whose roles (schools, district, officer of
    an agency) all lie in the districts they run. Nobody here changes an agency
    supervisor's address: it belongs to the police agency's own account."""
    schools = Membership.objects.filter(user=person, is_active=True).values_list(
        "school_id", "school__district_id"
    )
    districts = person.district_memberships.filter(is_active=True).values_list(
        "district_id", flat=True
    )
    agencies = person.agency_memberships.filter(is_active=True).values_list(
        "role", "agency__district_id"
    )
    name = person.full_name or person.email
    if access.is_district_admin:
        mine = roles.admin_district_ids
        if any(role == AgencyMembership.AgencyRole.SUPERVISOR for role, _ in agencies):
            return (
                f"{name} supervises a police agency, so their email address belongs to the "
                "agency's account and cannot be changed here. Ask the portal's "
                "administrators to correct it."
            )
        if (
            any(district not in mine for _, district in schools)
            or any(district not in mine for district in districts)
            or any(district not in mine for _, district in agencies)
        ):
            return (
                f"{name} also has a role outside the districts you run, so their email "
                "address cannot be changed here. Ask the portal's administrators to "
                "correct it."
            )
        return ""
    if (
        any(school != access.school.pk for school, _ in schools)
        or districts.exists()
        or agencies.exists()
    ):
        return (
            f"{name} also has a role outside {access.school.name}, so only a district "
            "admin can change their email address. Ask your district admin to correct it."
        )
    return ""

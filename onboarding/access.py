"""The one place that decides what a signed-in person may see and do.

Every view that shows a school's data fetches it through these helpers:
- a person with no business seeing an object gets a 404 (never a hint it exists);
- a person who may see it but lacks the right for an action gets a 403.

Reach to a school comes from a membership in it, the district-admin role for its
district, or (read-only, agency items only) supervising the agency of an officer
who serves it.
"""

from dataclasses import dataclass, field

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


def supervised_agencies(user) -> QuerySet:
    return Agency.objects.filter(
        memberships__user=user,
        memberships__role=AgencyMembership.AgencyRole.SUPERVISOR,
        memberships__is_active=True,
    )


def _served_by_agency(agencies: QuerySet) -> Q:
    """Schools where an active officer of one of these agencies serves."""
    officer_memberships = Membership.objects.active().filter(
        school=OuterRef("pk"),
        role=Role.SRO,
        user__agency_memberships__agency__in=agencies,
        user__agency_memberships__is_active=True,
    )
    return Q(Exists(officer_memberships))


def visible_schools(user) -> QuerySet:
    """Every school this person may open, whatever their role there."""
    if not user.is_authenticated:
        return School.objects.none()
    member_of = Membership.objects.active().filter(user=user, school=OuterRef("pk"))
    admin_of = DistrictMembership.objects.filter(
        user=user, is_active=True, district=OuterRef("district")
    )
    return (
        School.objects.filter(
            Exists(member_of) | Exists(admin_of) | _served_by_agency(supervised_agencies(user))
        )
        .select_related("district")
        .order_by("name")
    )


def get_school_access(request, school_id: int) -> SchoolAccess:
    """The school and what this person may do there; 404 if they have no reach."""
    cached = getattr(request, "_school_access", None)
    if cached is not None and cached.school.pk == school_id:
        return cached
    user = request.user
    access = _member_access(request, school_id)
    if access is not None:
        return _entered(request, access)
    school = (
        School.objects.select_related("district")
        .annotate(
            _admin=Exists(
                DistrictMembership.objects.filter(
                    user=user, is_active=True, district=OuterRef("district")
                )
            ),
            _supervisor=_served_by_agency(supervised_agencies(user)),
        )
        .filter(pk=school_id)
        .first()
    )
    if school is None:
        raise Http404
    membership = Membership.objects.active().filter(user=user, school=school).first()
    access = SchoolAccess(
        school=school,
        role=membership.role if membership else None,
        is_district_admin=school._admin,
        is_supervisor=school._supervisor,
        membership=membership,
    )
    if access.role is None and not access.is_district_admin and not access.is_supervisor:
        raise Http404
    return _entered(request, access)


def _member_access(request, school_id: int) -> SchoolAccess | None:
    """The access of a person who is a member of the school and neither supervises
    an agency nor administers a district (nearly everybody), from the memberships the
    navigation bar reads anyway: no query of its own. None when that does not settle
    it; then `get_school_access` asks the database."""
    from onboarding.navigation import navigation_for

    nav = navigation_for(request)
    if nav.holds("supervises_agency") or nav.holds("administers_district"):
        return None
    for membership in nav.memberships:
        if membership.school_id == school_id:
            return SchoolAccess(
                school=membership.school,
                role=membership.role,
                is_district_admin=False,
                is_supervisor=False,
                membership=membership,
            )
    # Neither a member nor holding a wider role: no reach, whether or not the school
    # exists (a 404 either way, as below).
    raise Http404


def _entered(request, access: SchoolAccess) -> SchoolAccess:
    # Times on this school's pages show in the school's own zone.
    timezone.activate(access.school.zone)
    if request.session.get("current_school_id") != access.school.pk:
        request.session["current_school_id"] = access.school.pk
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

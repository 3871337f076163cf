"""A small district with every kind of person, for permission and view tests.

`school` is the school under test. `other_principal` runs `other_school` in the
same district and must never see `school`'s objects.

The removed members (`removed_principal`, `removed_staff`, `removed_counselor`,
`removed_sro`) held that role in `school` until they were taken off its roster;
each still holds the same role in `elsewhere` (a school of another district, so
that nothing of `district` counts them), so their account is open and they sign
in, but must see nothing of `school` any more.
"""

from dataclasses import dataclass

from onboarding.schools.models import AgencyMembership, Role
from tests import factories as f

# Removed from `school`, still a member of `elsewhere`: each with the role they
# held in `school` (the suffix).
REMOVED_KINDS = ("removed_principal", "removed_staff", "removed_counselor", "removed_sro")
REMOVED_ROLES = {
    "removed_principal": Role.PRINCIPAL,
    "removed_staff": Role.STAFF,
    "removed_counselor": Role.MENTAL_HEALTH,
    "removed_sro": Role.SRO,
}

# Every kind of visitor the permission table must decide about.
KINDS = (
    "anonymous",
    "principal",
    "staff",
    "counselor",
    "sro",
    "supervisor",
    "district_admin",
    "other_principal",
    *REMOVED_KINDS,
)


@dataclass
class World:
    district: object
    school: object
    other_school: object
    agency: object
    principal: object
    staff: object
    counselor: object
    sro: object
    supervisor: object
    district_admin: object
    other_principal: object
    staff_membership: object
    invitation: object
    elsewhere: object
    removed_principal: object
    removed_staff: object
    removed_counselor: object
    removed_sro: object

    def user(self, kind: str):
        return None if kind == "anonymous" else getattr(self, kind)


def build_world() -> World:
    district = f.DistrictFactory(name="Test District")
    school = f.SchoolFactory(district=district, name="Oak Ridge High School")
    other_school = f.SchoolFactory(district=district, name="Pine Valley Middle School")
    agency = f.AgencyFactory(district=district, name="Oak Ridge Police Department")
    principal = f.MembershipFactory(school=school, role=Role.PRINCIPAL).user
    staff_membership = f.MembershipFactory(school=school, role=Role.STAFF)
    counselor = f.MembershipFactory(school=school, role=Role.MENTAL_HEALTH).user
    sro = f.MembershipFactory(school=school, role=Role.SRO).user
    f.AgencyMembershipFactory(user=sro, agency=agency)
    supervisor = f.AgencyMembershipFactory(
        agency=agency, role=AgencyMembership.AgencyRole.SUPERVISOR
    ).user
    district_admin = f.DistrictMembershipFactory(district=district).user
    other_principal = f.MembershipFactory(school=other_school, role=Role.PRINCIPAL).user
    invitation = f.InvitationFactory(school=school, invited_by=principal)
    elsewhere = f.SchoolFactory(name="Elm Creek Elementary School")
    removed = {
        kind: removed_member(school, elsewhere, role) for kind, role in REMOVED_ROLES.items()
    }
    # An officer of another agency: `agency`'s supervisor never reaches them.
    f.AgencyMembershipFactory(user=removed["removed_sro"], agency__district=elsewhere.district)
    return World(
        district=district,
        school=school,
        other_school=other_school,
        agency=agency,
        principal=principal,
        staff=staff_membership.user,
        counselor=counselor,
        sro=sro,
        supervisor=supervisor,
        district_admin=district_admin,
        other_principal=other_principal,
        staff_membership=staff_membership,
        invitation=invitation,
        elsewhere=elsewhere,
        **removed,
    )


def removed_member(school, elsewhere, role: str):
    """A person taken off `school`'s roster (their membership there inactive) who
    still holds `role` in `elsewhere`."""
    user = f.MembershipFactory(school=elsewhere, role=role).user
    f.MembershipFactory(user=user, school=school, role=role, is_active=False)
    return user

"""A small district with every kind of person, for permission and view tests.

`school` is the school under test. `other_principal` runs `other_school` in the
same district and must never see `school`'s objects.
"""

from dataclasses import dataclass

from onboarding.schools.models import AgencyMembership, Role
from tests import factories as f

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
    )

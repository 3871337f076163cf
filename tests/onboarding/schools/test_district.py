"""District admins set up schools and agencies and invite district-wide roles."""

import re

from django.core import mail
from django.urls import reverse

from onboarding.audit.models import AuditEvent
from onboarding.people.models import User
from onboarding.schools.models import AgencyMembership, DistrictMembership, Role, School
from tests import factories as f
from tests.helpers import assert_flat_queries


def test_district_admin_adds_a_school_then_invites_its_principal(client_for, world):
    client = client_for(world.district_admin)
    response = client.post(
        reverse("school_create", args=[world.district.pk]),
        {
            "name": "Birch Elementary",
            "level": "elementary",
            "state": "WI",
            "time_zone": "America/Chicago",
        },
    )
    school = School.objects.get(name="Birch Elementary")
    assert school.district == world.district
    assert response["Location"] == reverse("person_invite", args=[school.pk])
    assert AuditEvent.objects.filter(action="school.created", school=school).exists()


def test_school_form_rerenders_with_errors(client_for, world):
    response = client_for(world.district_admin).post(
        reverse("school_create", args=[world.district.pk]), {"name": "", "level": "high"}
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_principal_edits_the_school_time_zone(client_for, world):
    client_for(world.principal).post(
        reverse("school_edit", args=[world.school.pk]),
        {"name": world.school.name, "level": "high", "state": "WI", "time_zone": "America/Denver"},
    )
    world.school.refresh_from_db()
    assert world.school.time_zone == "America/Denver"


def test_district_admin_invites_a_supervisor_who_then_sees_the_agency(
    client_for, world, django_capture_on_commit_callbacks
):
    agency = f.AgencyFactory(district=world.district, name="County Sheriff's Office")
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.district_admin).post(
            reverse("district_invite", args=[world.district.pk]),
            {
                "full_name": "Lt. Ray Moss",
                "email": "ray.moss@sheriff.example.org",
                "role": "supervisor",
                "agency": agency.pk,
            },
        )
    link = re.search(r"(/accounts/invitation/\S+/)", mail.outbox[-1].body).group(1)
    newcomer = client_for(None)
    newcomer.post(
        link,
        {
            "full_name": "Lt. Ray Moss",
            "password1": "a-long-pass-2026",
            "password2": "a-long-pass-2026",
        },
    )
    user = User.objects.get(email="ray.moss@sheriff.example.org")
    assert AgencyMembership.objects.filter(user=user, agency=agency, role="supervisor").exists()
    assert newcomer.get(reverse("agency_home", args=[agency.pk])).status_code == 200


def test_a_supervisor_invitation_needs_an_agency(client_for, world):
    response = client_for(world.district_admin).post(
        reverse("district_invite", args=[world.district.pk]),
        {"full_name": "Lt. Ray Moss", "email": "ray@sheriff.example.org", "role": "supervisor"},
    )
    assert "Choose the agency this person supervises for." in response.content.decode()


def test_inviting_an_existing_person_as_district_admin_grants_it(client_for, world):
    client_for(world.district_admin).post(
        reverse("district_invite", args=[world.district.pk]),
        {"full_name": "x", "email": world.principal.email, "role": "district_admin"},
    )
    assert DistrictMembership.objects.filter(user=world.principal, district=world.district).exists()


def test_district_page_queries_do_not_grow_with_agencies(client_for, world):
    def grow():
        for _ in range(10):
            agency = f.AgencyFactory(district=world.district)
            f.AgencyMembershipFactory(agency=agency, role="supervisor")
            f.AgencyMembershipFactory.create_batch(2, agency=agency)

    assert_flat_queries(
        client_for(world.district_admin), reverse("district_home", args=[world.district.pk]), grow
    )


def test_district_page_names_each_schools_principal_and_officer(client_for, world):
    empty = f.SchoolFactory(district=world.district, name="Empty Ridge School")
    second = f.MembershipFactory(
        school=world.school, role=Role.PRINCIPAL, user__full_name="Zelda Second"
    )
    body = (
        client_for(world.district_admin)
        .get(reverse("district_home", args=[world.district.pk]))
        .content.decode()
    )
    table = body[body.index("Schools of the district") :]
    row = table[table.index(world.school.name) :]
    row = row[: row.index("</tr>")]
    assert f"{world.principal.full_name}, {second.user.full_name}" in row
    assert world.sro.full_name in row
    empty_row = table[table.index(empty.name) :]
    empty_row = empty_row[: empty_row.index("</tr>")]
    assert "Not set up" in empty_row and "None assigned" in empty_row


def _setup(body: str) -> dict[str, str]:
    """{label: value} of a "What is set up" list."""
    return dict(re.findall(r'<dt class="col-6">([^<]*)</dt>\s*<dd class="col-6">(.*?)</dd>', body))


def test_the_staff_counts_are_the_active_people_of_the_school(client_for, world):
    """Principals, staff and mental-health staff, active in an active account; not
    the officers, not who left."""
    f.MembershipFactory(school=world.school, role=Role.STAFF, is_active=False)
    f.MembershipFactory(school=world.school, role=Role.MENTAL_HEALTH, user__is_active=False)
    f.MembershipFactory(school=world.school, role=Role.SRO)
    f.MembershipFactory(school=world.other_school, role=Role.STAFF)
    page = client_for(world.principal).get(reverse("school_home", args=[world.school.pk]))
    setup = _setup(page.content.decode())
    assert (setup["Staff on the roster"], setup["Mental-health staff"]) == ("3", "1")
    body = (
        client_for(world.district_admin)
        .get(reverse("district_home", args=[world.district.pk]))
        .content.decode()
    )
    table = body[body.index("Schools of the district") : body.index("Police agencies")]
    counts = re.findall(r'>([^<>]+)</a></th>.*?<td class="text-end">(\d+)</td>', table, re.S)
    assert dict(counts) == {world.school.name: "3", world.other_school.name: "2"}
    home = _setup(client_for(world.staff).get(reverse("home")).content.decode())
    assert home == setup

"""Each role's home page shows the person's schools, role and what is set up."""

from django.urls import reverse

from onboarding.models import Role
from tests import factories as f
from tests.helpers import assert_flat_queries


def test_staff_home_shows_school_role_and_setup(client_for, world):
    body = client_for(world.staff).get(reverse("home")).content.decode()
    assert world.school.name in body
    assert "Staff" in body
    assert world.principal.full_name in body  # who runs the school
    assert world.sro.full_name in body  # the officer assigned
    assert world.other_school.name not in body


def test_officer_home_lists_every_school_served(client_for, world):
    f.MembershipFactory(user=world.sro, school=world.other_school, role=Role.SRO)
    body = client_for(world.sro).get(reverse("home")).content.decode()
    assert world.school.name in body and world.other_school.name in body
    assert "Switch school" in body
    assert world.agency.name in body


def test_school_without_officer_says_so(client_for, world):
    body = client_for(world.other_principal).get(reverse("home")).content.decode()
    assert "None assigned" in body


def test_supervisor_home_links_to_the_agency(client_for, world):
    body = client_for(world.supervisor).get(reverse("home")).content.decode()
    assert reverse("agency_home", args=[world.agency.pk]) in body
    agency_page = client_for(world.supervisor).get(reverse("agency_home", args=[world.agency.pk]))
    assert world.sro.full_name in agency_page.content.decode()
    assert world.school.name in agency_page.content.decode()


def test_district_admin_home_shows_every_school(client_for, world):
    body = client_for(world.district_admin).get(reverse("home")).content.decode()
    assert world.school.name in body and world.other_school.name in body


def test_person_without_role_is_told_so(client_for, db):
    body = client_for(f.UserFactory()).get(reverse("home")).content.decode()
    assert "no role in any school yet" in body


def _grow_district(world):
    for _ in range(20):
        school = f.SchoolFactory(district=world.district)
        f.MembershipFactory(school=school, role=Role.PRINCIPAL)
        f.MembershipFactory.create_batch(3, school=school)
        officer = f.MembershipFactory(school=school, role=Role.SRO).user
        f.AgencyMembershipFactory(user=officer, agency=world.agency)


def test_district_admin_pages_cost_the_same_queries_for_2_or_22_schools(client_for, world):
    client = client_for(world.district_admin)
    assert_flat_queries(client, reverse("home"), lambda: _grow_district(world))
    assert_flat_queries(
        client, reverse("district_home", args=[world.district.pk]), lambda: _grow_district(world)
    )


def test_agency_page_queries_do_not_grow_with_officers(client_for, world):
    assert_flat_queries(
        client_for(world.supervisor),
        reverse("agency_home", args=[world.agency.pk]),
        lambda: _grow_district(world),
    )


def test_officer_home_queries_do_not_grow_with_schools(client_for, world):
    def serve_more():
        for _ in range(5):
            f.MembershipFactory(
                user=world.sro, role=Role.SRO, school=f.SchoolFactory(district=world.district)
            )

    assert_flat_queries(client_for(world.sro), reverse("home"), serve_more)


def test_school_page_shows_times_zone(client_for, world):
    body = (
        client_for(world.staff).get(reverse("school_home", args=[world.school.pk])).content.decode()
    )
    assert "America/Chicago" in body

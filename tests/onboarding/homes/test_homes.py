"""Each role's home page shows the person's schools, role and what is set up."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from onboarding.agreements import signing
from onboarding.schools.models import Role
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
    # The home's district table: computed, then kept in the cache.
    home = reverse("home")
    forget = cache.clear
    assert_flat_queries(client, home, lambda: _grow_district(world), prepare=forget)
    assert_flat_queries(
        client, home, lambda: _grow_district(world), prepare=lambda: client.get(home)
    )
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


# --- Readiness (issue 7): each home answers "what do I do next?" ----------------


def test_staff_home_shows_next_visits_invitations_and_talk_requests(client_for, world):
    section = f.ClassSectionFactory(school=world.school, teacher=world.staff, name="Civics 3")
    f.VisitFactory(section=section, officer=world.sro)
    event = f.EventFactory(school=world.school, title="Winter assembly")
    f.EventInvitationFactory(event=event, user=world.staff)
    topic = f.ClassTalkTopicFactory(officer=world.sro, title="Online safety")
    f.ClassTalkRequestFactory(school=world.school, topic=topic, requested_by=world.staff)
    body = client_for(world.staff).get(reverse("home")).content.decode()
    assert "Civics 3" in body
    assert reverse("event_detail", args=[world.school.pk, event.pk]) in body
    assert "Online safety" in body and "waiting for the officer" in body


def test_staff_home_shows_what_to_acknowledge_and_by_when(client_for, world):
    f.published_guideline(school=world.school, title="Working with our SRO")
    body = client_for(world.staff).get(reverse("home")).content.decode()
    assert "Working with our SRO" in body and "due" in body


def test_officer_home_shows_signatures_talks_and_questions(client_for, world):
    agreement = f.make_agreement(
        world.school,
        principal=world.principal,
        officer=world.sro,
        agency=world.agency,
        status="signing",
        sections=[("purpose", "Purpose", "Why.")],
    )
    client = client_for(world.sro)
    body = client.get(reverse("home")).content.decode()
    # The principal signs first: not yet the officer's turn.
    assert "waiting for my signature" not in body

    signing.agreement_sign(
        agreement=agreement,
        user=world.principal,
        typed_name=world.principal.full_name,
        ip_address="192.0.2.1",
        user_agent="test",
        version_number=agreement.current_version.number,
    )
    section = f.ClassSectionFactory(school=world.school, name="Biology 2")
    f.VisitFactory(section=section, officer=world.sro, student_questions="Do you like your job?")
    topic = f.ClassTalkTopicFactory(officer=world.sro, title="Careers in policing")
    f.ClassTalkRequestFactory(school=world.school, topic=topic, requested_by=world.staff)
    body = client.get(reverse("home")).content.decode()
    assert "waiting for my signature" in body
    assert reverse("agreement_detail", args=[world.school.pk, agreement.pk]) in body
    assert "Biology 2" in body and "Do you like your job?" in body
    assert "Careers in policing" in body
    assert reverse("officer_schedule") in body


def test_supervisor_home_shows_officers_schools_agreements_and_figures(client_for, world):
    f.make_agreement(
        world.school,
        principal=world.principal,
        officer=world.sro,
        agency=world.agency,
        status="active",
        sections=[("purpose", "Purpose", "Why.")],
    )
    from events.introductions.models import Visit

    section = f.ClassSectionFactory(school=world.school)
    f.VisitFactory(
        section=section,
        officer=world.sro,
        status=Visit.Status.DONE,
        date=timezone.localdate(),
        starts_at=timezone.now(),
        ends_at=timezone.now() + timezone.timedelta(minutes=50),
    )
    body = client_for(world.supervisor).get(reverse("home")).content.decode()
    table = body[body.index('id="supervision"') :]
    assert world.sro.full_name in table and world.school.name in table
    assert "Active" in table
    assert "<td>1</td>" in table  # one introduction done this month


def test_principal_home_links_to_the_readiness_dashboard(client_for, world):
    body = client_for(world.principal).get(reverse("home")).content.decode()
    assert "Is my school ready for its SRO?" in body
    assert reverse("school_home", args=[world.school.pk]) + "#readiness" in body


def _busy_school(world):
    def grow():
        start = getattr(grow, "days", 0)
        grow.days = start + 12
        for i in range(4):
            teacher_section = f.ClassSectionFactory(school=world.school, teacher=world.staff)
            f.VisitFactory(
                section=teacher_section,
                officer=world.sro,
                date=f.next_weekday(1 + start + 3 * i),
                student_questions="Why?",
            )
            event = f.EventFactory(school=world.school)
            f.EventInvitationFactory(event=event, user=world.staff)
            f.EventInvitationFactory(event=event, user=world.sro)
            topic = f.ClassTalkTopicFactory(officer=world.sro)
            f.ClassTalkRequestFactory(school=world.school, topic=topic, requested_by=world.staff)
            f.published_guideline(school=world.school, statements=0, scenarios=0)

    return grow


@pytest.mark.parametrize("kind", ["staff", "sro", "principal", "supervisor"])
def test_each_home_costs_the_same_queries_whatever_the_data(client_for, world, kind):
    # Some of each kind of data first: an empty list skips its query altogether.
    grow = _busy_school(world)
    grow()
    client, home = client_for(world.user(kind)), reverse("home")
    # The principal's readiness and the supervisor's table counted from the data,
    # then read from the cache: both flat.
    assert_flat_queries(client, home, grow, prepare=cache.clear)
    assert_flat_queries(client, home, grow, prepare=lambda: client.get(home))

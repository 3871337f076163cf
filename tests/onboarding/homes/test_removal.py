"""Removal reaches each person's home (issue 14): a teacher taken off one of her two
schools no longer finds that school's visits to her classes, invitations, class-talk
requests or guidelines to acknowledge on her home page, from the next request on;
the other school's stay. A principal who left no longer has its agreement to sign."""

import pytest
from django.urls import reverse

from onboarding.schools.models import Membership, Role
from tests import factories as f


def _deactivate(client_for, principal, membership):
    """The principal takes the person off the roster on the People page."""
    url = reverse("membership_deactivate", args=[membership.school_id, membership.pk])
    assert client_for(principal).post(url).status_code == 302
    membership.refresh_from_db()
    assert not membership.is_active


def _home(client_for, user) -> str:
    response = client_for(user).get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


# What the home shows of each school for the teacher (the names are the school's).
FIRST = ("Civics 3", "Winter assembly", "Online safety", "Working with our SRO")
SECOND = ("Grade 7 Science", "Spring fair", "Bike safety", "Pine Valley phone rules")


@pytest.fixture
def teacher_of_two(world):
    """`world.staff` teaches at the school and at the other school: at each, a visit
    to her class, an invitation to answer, a class-talk request and a guideline to
    acknowledge."""
    f.MembershipFactory(user=world.staff, school=world.other_school, role=Role.STAFF)
    officer = f.MembershipFactory(school=world.other_school, role=Role.SRO).user
    for school, sro, (section, event, topic, guideline) in (
        (world.school, world.sro, FIRST),
        (world.other_school, officer, SECOND),
    ):
        f.VisitFactory(
            section=f.ClassSectionFactory(school=school, teacher=world.staff, name=section),
            officer=sro,
        )
        f.EventInvitationFactory(event=f.EventFactory(school=school, title=event), user=world.staff)
        f.ClassTalkRequestFactory(
            school=school,
            topic=f.ClassTalkTopicFactory(officer=sro, title=topic),
            requested_by=world.staff,
        )
        f.published_guideline(school=school, title=guideline)
    return world.staff


def test_a_teacher_removed_from_one_school_sees_only_the_other_on_her_home(
    world, client_for, teacher_of_two
):
    home = _home(client_for, teacher_of_two)
    assert all(item in home for item in FIRST + SECOND)

    membership = Membership.objects.get(user=teacher_of_two, school=world.school)
    _deactivate(client_for, world.principal, membership)

    home = _home(client_for, teacher_of_two)
    for item in SECOND:
        assert item in home, item
    for item in FIRST:
        assert item not in home, item
    assert world.school.name not in home


def test_the_teacher_reactivated_finds_the_first_school_again(world, client_for, teacher_of_two):
    membership = Membership.objects.get(user=teacher_of_two, school=world.school)
    _deactivate(client_for, world.principal, membership)
    url = reverse("membership_reactivate", args=[world.school.pk, membership.pk])
    assert client_for(world.principal).post(url).status_code == 302
    home = _home(client_for, teacher_of_two)
    assert all(item in home for item in FIRST + SECOND)


def test_a_principal_who_left_has_no_agreement_to_sign_there(world, client_for):
    """The principal, whose turn it is to sign the school's agreement, moves to the
    other school: the district admin takes them off the school's roster."""
    f.MembershipFactory(user=world.principal, school=world.other_school, role=Role.PRINCIPAL)
    agreement = f.make_agreement(
        world.school,
        principal=world.principal,
        officer=world.sro,
        agency=world.agency,
        status="signing",
        sections=[("purpose", "Purpose", "Why.")],
    )
    link = reverse("agreement_detail", args=[world.school.pk, agreement.pk])
    assert link in _home(client_for, world.principal)

    membership = Membership.objects.get(user=world.principal, school=world.school)
    _deactivate(client_for, world.district_admin, membership)

    home = _home(client_for, world.principal)
    assert link not in home and "waiting for my signature" not in home
    assert client_for(world.principal).get(link).status_code == 404


def test_the_removed_members_homes_show_nothing_of_the_school(world, client_for):
    """tests.world's removed members, with items of the school they left waiting
    for them: none reaches their home."""
    section = f.ClassSectionFactory(
        school=world.school, teacher=world.removed_staff, name="Civics 3"
    )
    f.VisitFactory(section=section, officer=world.removed_sro)
    event = f.EventFactory(school=world.school, title="Winter assembly")
    topic = f.ClassTalkTopicFactory(officer=world.removed_sro, title="Online safety")
    f.published_guideline(school=world.school, title="Working with our SRO")
    for kind in ("removed_principal", "removed_staff", "removed_counselor", "removed_sro"):
        user = world.user(kind)
        f.EventInvitationFactory(event=event, user=user)
        f.ClassTalkRequestFactory(school=world.school, topic=topic, requested_by=user)
        home = _home(client_for, user)
        assert world.elsewhere.name in home, kind
        for item in FIRST:
            assert item not in home, (kind, item)
        assert world.school.name not in home, kind

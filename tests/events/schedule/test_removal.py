"""Removal reaches the officer's schedule (issue 14): an officer the principal takes
off a school's roster no longer finds that school's visits (teachers' names,
rooms) or events in their agenda, week, day sheet, home or calendar feed, from
the next request on; the visits of the school they still serve stay."""

from datetime import time, timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from onboarding.schools.models import Membership, Role
from tests import factories as f


def _deactivate(client_for, principal, membership):
    """The principal takes the person off the roster on the People page."""
    client = client_for(principal)
    url = reverse("membership_deactivate", args=[membership.school_id, membership.pk])
    response = client.post(url)
    assert response.status_code == 302
    membership.refresh_from_db()
    assert not membership.is_active


@pytest.fixture
def officer_of_two(world):
    """The officer serves the school and the other school; a class visit at each on
    the same day, and a school event at each that the officer is going to."""
    f.MembershipFactory(user=world.sro, school=world.other_school, role=Role.SRO)
    day = f.next_weekday(2)
    teacher = f.UserFactory(full_name="Dana Whitfield")
    f.MembershipFactory(user=teacher, school=world.school, role=Role.STAFF)
    f.VisitFactory(
        section=f.ClassSectionFactory(
            school=world.school, name="Civics (P2)", room="214", teacher=teacher
        ),
        officer=world.sro,
        date=day,
        student_questions="What do you do all day?",
    )
    f.VisitFactory(
        section=f.ClassSectionFactory(
            school=world.other_school,
            name="Grade 7 Science",
            room="B12",
            period=f.PeriodFactory(
                school=world.other_school, start_time=time(13, 0), end_time=time(13, 45)
            ),
        ),
        officer=world.sro,
        date=day,
    )
    for school, title in (
        (world.school, "Oak Ridge Homecoming"),
        (world.other_school, "Pine Fair"),
    ):
        soon = timezone.now() + timedelta(days=2)  # this week, on the home page too
        event = f.EventFactory(school=school, title=title, starts_at=soon)
        f.EventInvitationFactory(event=event, user=world.sro, answer="going")
    return day


def _pages(client, day) -> dict[str, str]:
    """The officer's pages that gather their schools' visits, as text."""
    return {
        "agenda": client.get(reverse("officer_schedule")).content.decode(),
        "week": client.get(reverse("officer_week"), {"start": day.isoformat()}).content.decode(),
        "day sheet": client.get(reverse("officer_day", args=[day.isoformat()])).content.decode(),
    }


def _feed(client, officer) -> list[str]:
    """The summaries and locations of the officer's feed."""
    token = officer.introduction_feed.token
    response = client.get(reverse("officer_feed", args=[token]))
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]  # nobody keeps an old copy
    calendar = icalendar.Calendar.from_ical(response.content)
    return [f"{e.get('summary')} | {e.get('location', '')}" for e in calendar.walk("VEVENT")]


def test_a_removed_officers_schedule_keeps_only_the_school_still_served(
    world, client_for, officer_of_two
):
    day = officer_of_two
    for name, page in _pages(client_for(world.sro), day).items():
        assert "Civics (P2)" in page and "Grade 7 Science" in page, name

    _deactivate(
        client_for, world.principal, Membership.objects.get(user=world.sro, school=world.school)
    )

    for name, page in _pages(client_for(world.sro), day).items():
        assert "Grade 7 Science" in page, name
        assert "Civics (P2)" not in page, name
        assert "Dana Whitfield" not in page, name
        assert "Room 214" not in page and ">214<" not in page, name
        assert "What do you do all day?" not in page, name


def test_a_removed_officers_feed_keeps_only_the_school_still_served(
    world, client, client_for, officer_of_two
):
    client_for(world.sro).get(reverse("officer_schedule"))  # makes the feed's link
    before = _feed(client, world.sro)
    assert any("Civics (P2)" in e for e in before)
    assert any("Oak Ridge Homecoming" in e for e in before)

    _deactivate(
        client_for, world.principal, Membership.objects.get(user=world.sro, school=world.school)
    )

    client.logout()
    after = _feed(client, world.sro)  # the same secret link, at once
    assert not any("Oak Ridge High School" in e for e in after), after
    assert not any("Civics (P2)" in e or "Oak Ridge Homecoming" in e for e in after), after
    assert any("Grade 7 Science" in e for e in after), after
    assert any("Pine Fair" in e for e in after), after


def test_a_removed_officers_home_keeps_only_the_school_still_served(
    world, client_for, officer_of_two
):
    topic = f.ClassTalkTopicFactory(officer=world.sro, title="Careers in policing")
    f.ClassTalkRequestFactory(school=world.school, topic=topic, requested_by=world.staff)
    _deactivate(
        client_for, world.principal, Membership.objects.get(user=world.sro, school=world.school)
    )

    client = client_for(world.sro)
    home = client.get(reverse("home")).content.decode()
    assert "Grade 7 Science" in home and "Pine Fair" in home
    assert "Civics (P2)" not in home and "What do you do all day?" not in home
    assert "Oak Ridge Homecoming" not in home
    assert "Careers in policing" not in home


def test_the_supervisor_reads_the_officers_week_without_the_school_left(
    world, client_for, officer_of_two
):
    day = officer_of_two
    url = reverse("agency_officer_week", args=[world.agency.pk, world.sro.pk])
    _deactivate(
        client_for, world.principal, Membership.objects.get(user=world.sro, school=world.school)
    )
    page = client_for(world.supervisor).get(url, {"start": day.isoformat()}).content.decode()
    assert "Grade 7 Science" in page and "Civics (P2)" not in page


def test_reactivated_the_officer_finds_the_schools_visits_again(
    world, client, client_for, officer_of_two
):
    day = officer_of_two
    membership = Membership.objects.get(user=world.sro, school=world.school)
    _deactivate(client_for, world.principal, membership)
    response = client_for(world.principal).post(
        reverse("membership_reactivate", args=[world.school.pk, membership.pk])
    )
    assert response.status_code == 302
    for name, page in _pages(client_for(world.sro), day).items():
        assert "Civics (P2)" in page and "Grade 7 Science" in page, name


def test_an_officer_taken_off_their_only_school_loses_the_feed(world, client, client_for):
    f.VisitFactory(
        section=f.ClassSectionFactory(school=world.school, name="Civics (P2)"),
        officer=world.sro,
        date=f.next_weekday(2),
    )
    client_for(world.sro).get(reverse("officer_schedule"))
    token = world.sro.introduction_feed.token
    _deactivate(
        client_for, world.principal, Membership.objects.get(user=world.sro, school=world.school)
    )
    client.logout()
    assert client.get(reverse("officer_feed", args=[token])).status_code == 404


def test_the_removed_officer_of_the_permission_world_sees_nothing_of_the_school(
    world, client, client_for
):
    """tests.world's removed officer: future visits at the school they left, and one
    at the school they still serve."""
    day = f.next_weekday(3)
    f.VisitFactory(
        section=f.ClassSectionFactory(school=world.school, name="Civics (P2)", room="214"),
        officer=world.removed_sro,
        date=day,
    )
    f.VisitFactory(
        section=f.ClassSectionFactory(school=world.elsewhere, name="Grade 3 Reading"),
        officer=world.removed_sro,
        date=day + timedelta(days=1),
    )
    pages = _pages(client_for(world.removed_sro), day)
    for name, page in pages.items():
        assert "Civics (P2)" not in page and world.school.name not in page, name
    assert "Grade 3 Reading" in pages["agenda"]
    client.logout()
    feed = _feed(client, world.removed_sro)
    assert feed and not any("Civics (P2)" in e for e in feed), feed

"""Every list page of class introductions costs the same number of queries however
much it lists."""

import pytest
from django.urls import reverse

from events.schedule.models import OfficerFeed
from tests import factories as f
from tests.helpers import assert_flat_queries, count_queries


@pytest.fixture
def setup(world):
    setup = f.introductions_setup(school=world.school, officer=world.sro, teacher=world.staff)
    OfficerFeed.for_officer(world.sro)
    return setup


def _more_sections_and_visits(world, setup, offset):
    def grow():
        for i in range(4):
            section = f.ClassSectionFactory(
                school=world.school, teacher=world.staff, period=setup.periods[i % 3]
            )
            f.VisitFactory(section=section, officer=world.sro, date=f.next_weekday(offset + 7 * i))
            f.BlackoutDateFactory(school=world.school, date=f.next_weekday(60 + offset + 7 * i))
            f.PeriodFactory(school=world.school, start_time=setup.periods[0].start_time)

    return grow


@pytest.mark.parametrize(
    ("user", "name"),
    [
        ("principal", "sections"),
        ("principal", "bell_schedule"),
        ("principal", "availability"),
        ("staff", "introductions_my_classes"),
    ],
)
def test_school_list_pages_are_flat(world, client_for, setup, user, name):
    client = client_for(getattr(world, user))
    url = reverse(name, args=[world.school.pk])
    client.get(url)  # the first visit to a school also saves it in the session
    assert_flat_queries(client, url, _more_sections_and_visits(world, setup, 1))


def test_week_and_day_sheet_are_flat(world, client_for, setup):
    client = client_for(world.sro)
    day = f.next_weekday(1)
    week = reverse("officer_week") + f"?start={day.isoformat()}"
    sheet = reverse("officer_day", args=[day.isoformat()])
    section = f.ClassSectionFactory(school=world.school, period=setup.periods[0])
    f.VisitFactory(section=section, officer=world.sro, date=day)

    def grow():
        for period in setup.periods[1:]:
            section = f.ClassSectionFactory(school=world.school, teacher=world.staff, period=period)
            f.VisitFactory(section=section, officer=world.sro, date=day)

    before_week, _ = count_queries(client, week)
    assert_flat_queries(client, sheet, grow)
    after_week, response = count_queries(client, week)
    assert before_week == after_week
    assert response.content.decode().count("data-starts=") == 3

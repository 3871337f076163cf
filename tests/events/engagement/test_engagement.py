"""Engagement figures per officer and month, as a chart and a table."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from events.invitations.models import Event, EventInvitation, EventKind
from tests import factories as f
from tests.helpers import assert_flat_queries


def _attended(school, officer, *, kind=EventKind.COFFEE_HOUR, minutes=90, attended=True):
    end = timezone.now() - timedelta(minutes=5)
    event = f.EventFactory(
        school=school, kind=kind, starts_at=end - timedelta(minutes=minutes), ends_at=end
    )
    return f.EventInvitationFactory(event=event, user=officer, answer="going", attended=attended)


def test_engagement_counts_talks_events_and_hours_for_this_month(world, client_for):
    _attended(world.school, world.sro, minutes=90)
    _attended(world.school, world.sro, kind=EventKind.CLASS_TALK, minutes=60)
    _attended(world.school, world.sro, attended=False)
    f.EventInvitationFactory(event__school=world.school, user=world.sro)  # coming
    _attended(world.other_school, world.sro)  # another school's event
    response = client_for(world.principal).get(reverse("engagement", args=[world.school.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    figures = response.context["figures"]
    (officer,) = figures
    month = officer.totals  # robust when run just after midnight on the 1st
    assert officer.officer == world.sro
    # The coming event may fall into next month; the past ones are all counted.
    assert (month.class_talks, month.attended, month.hours) == (1, 2, 2.5)
    assert month.invited >= 3
    assert month.introductions == 0
    assert 'role="img"' in page and "<caption>" in page
    assert 'style="' not in page
    assert "2.5" in page


def test_engagement_page_costs_the_same_queries_for_5_and_500_events(world, client_for):
    def grow(count):
        end = timezone.now() - timedelta(hours=1)
        events = Event.objects.bulk_create(
            [
                Event(
                    school=world.school,
                    title=f"Recess {n}",
                    starts_at=end - timedelta(days=n % 20, hours=1),
                    ends_at=end - timedelta(days=n % 20),
                    public_token=f"eng-{count}-{n}",
                )
                for n in range(count)
            ]
        )
        EventInvitation.objects.bulk_create(
            [EventInvitation(event=e, user=world.sro, attended=True) for e in events]
        )

    grow(5)
    assert_flat_queries(
        client_for(world.supervisor),
        reverse("engagement", args=[world.school.pk]),
        lambda: grow(495),
    )


def test_staff_do_not_see_engagement_figures(world, client_for):
    response = client_for(world.staff).get(reverse("engagement", args=[world.school.pk]))
    assert response.status_code == 403


def _school_days_ago(count: int, start: int = 7) -> list:
    days, day = [], timezone.localdate() - timedelta(days=start)
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day -= timedelta(days=1)
    return days


def test_engagement_counts_the_introductions_done_at_this_school(world, client_for):
    # Several days apart: early in a month they may fall into the previous one, so
    # the test reads the six-month totals.
    first, second, third, fourth = _school_days_ago(4)
    for day in (first, second):
        f.VisitFactory(section__school=world.school, officer=world.sro, date=day, status="done")
    f.VisitFactory(section__school=world.school, officer=world.sro, date=third, status="missed")
    f.VisitFactory(
        section__school=world.other_school, officer=world.sro, date=fourth, status="done"
    )
    response = client_for(world.principal).get(reverse("engagement", args=[world.school.pk]))
    (officer,) = response.context["figures"]
    assert officer.totals.introductions == 2

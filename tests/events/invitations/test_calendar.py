"""The school calendar: month and list views."""

from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from events.invitations.models import Event, EventInvitation
from tests import factories as f
from tests.helpers import assert_flat_queries


def _month_param(moment) -> str:
    return timezone.localtime(moment, timezone=moment.tzinfo).strftime("%Y-%m")


def _events(school, count, *, start, organizer=None, invitee=None):
    events = Event.objects.bulk_create(
        [
            Event(
                school=school,
                title=f"Lunch with students {n}",
                starts_at=start + timedelta(hours=n % 20),
                ends_at=start + timedelta(hours=n % 20, minutes=30),
                organizer=organizer,
                public_token=f"token-{school.pk}-{start.timestamp()}-{n}",
            )
            for n in range(count)
        ]
    )
    if invitee is not None:
        EventInvitation.objects.bulk_create(
            [EventInvitation(event=e, user=invitee, answer="going") for e in events]
        )
    return events


def test_month_view_shows_this_schools_events_on_their_day(world, client_for):
    zone = world.school.zone
    start = datetime.combine(
        timezone.localdate(timezone=zone).replace(day=15), datetime.min.time(), tzinfo=zone
    ) + timedelta(hours=12)
    mine = f.EventFactory(school=world.school, title="Fall assembly", starts_at=start)
    f.EventInvitationFactory(event=mine, user=world.sro, answer="maybe")
    f.EventFactory(school=world.other_school, title="Their open house", starts_at=start)
    response = client_for(world.sro).get(
        reverse("events_month", args=[world.school.pk]), {"month": start.strftime("%Y-%m")}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Fall assembly" in page and "Their open house" not in page
    assert "You: Maybe" in page
    assert start.strftime("%B %Y") in page


def test_month_view_badges_each_persons_own_answer_only(world, client_for):
    zone = world.school.zone
    start = datetime.combine(
        timezone.localdate(timezone=zone).replace(day=12), datetime.min.time(), tzinfo=zone
    ) + timedelta(hours=9, minutes=5)
    going = f.EventFactory(school=world.school, title="Spring game", starts_at=start)
    f.EventInvitationFactory(event=going, user=world.sro, answer="going")
    f.EventInvitationFactory(event=going, user=world.staff, answer="declined")
    f.EventFactory(school=world.school, title="Book fair", starts_at=start + timedelta(days=1))
    f.EventFactory(
        school=world.school,
        title="Field day",
        starts_at=start + timedelta(days=2),
        cancelled_at=timezone.now(),
    )
    url = reverse("events_month", args=[world.school.pk])
    month = {"month": start.strftime("%Y-%m")}
    page = client_for(world.sro).get(url, month).content.decode()
    assert "9:05 AM Spring game" in page and "9:05 AM Book fair" in page
    assert page.count("You: Going") == 1 and "You: Declined" not in page
    assert "Cancelled" in page
    assert reverse("event_detail", args=[world.school.pk, going.pk]) in page
    page = client_for(world.staff).get(url, month).content.decode()
    assert page.count("You: Declined") == 1 and "You: Going" not in page


def test_month_view_with_a_bad_month_falls_back_to_this_month(world, client_for):
    response = client_for(world.staff).get(
        reverse("events_month", args=[world.school.pk]), {"month": "soon"}
    )
    assert response.status_code == 200
    assert (
        timezone.localdate(timezone=world.school.zone).strftime("%B %Y")
        in response.content.decode()
    )


def test_list_view_separates_coming_and_past_events(world, client_for):
    now = timezone.now()
    f.EventFactory(school=world.school, title="Coming game")
    f.EventFactory(
        school=world.school,
        title="Last week's recess",
        starts_at=now - timedelta(days=7),
        ends_at=now - timedelta(days=7) + timedelta(minutes=30),
    )
    client = client_for(world.counselor)
    coming = client.get(reverse("events", args=[world.school.pk])).content.decode()
    past = client.get(reverse("events", args=[world.school.pk]), {"when": "past"}).content.decode()
    assert "Coming game" in coming and "Last week" not in coming
    assert "Last week" in past and "Coming game" not in past


def test_month_view_costs_the_same_queries_for_5_and_500_events(world, client_for):
    zone = world.school.zone
    start = datetime.combine(
        timezone.localdate(timezone=zone).replace(day=10), datetime.min.time(), tzinfo=zone
    )
    _events(world.school, 5, start=start, organizer=world.principal, invitee=world.sro)
    url = reverse("events_month", args=[world.school.pk]) + f"?month={start:%Y-%m}"
    count = assert_flat_queries(
        client_for(world.sro),
        url,
        lambda: _events(
            world.school,
            495,
            start=start + timedelta(days=5),
            organizer=world.principal,
            invitee=world.sro,
        ),
    )
    # session, user, school access (school + membership), events with my invitation
    # joined, and the navigation's schools.
    assert count <= 9


def test_list_view_costs_the_same_queries_for_5_and_500_events(world, client_for):
    start = timezone.now() + timedelta(days=1)
    _events(world.school, 5, start=start, invitee=world.sro)
    assert_flat_queries(
        client_for(world.sro),
        reverse("events", args=[world.school.pk]),
        lambda: _events(world.school, 495, start=start + timedelta(days=3), invitee=world.sro),
    )


def test_upcoming_leaves_out_past_and_cancelled_events(world):
    now = timezone.now()
    coming = f.EventFactory(school=world.school)
    f.EventFactory(school=world.school, cancelled_at=now)
    f.EventFactory(
        school=world.school, starts_at=now - timedelta(hours=2), ends_at=now - timedelta(hours=1)
    )
    assert list(Event.objects.filter(school=world.school).upcoming()) == [coming]

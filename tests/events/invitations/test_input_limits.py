"""An event far in the future: refused by the form, and the events pages still
answer if one was stored before the limit (PostgreSQL stored the year 9999 in a
zone behind UTC as the year 10000, and every events page of the school answered
500). Run on PostgreSQL as well."""

from datetime import UTC, datetime

from django.urls import reverse
from django.utils import timezone

from events.invitations.models import Event
from tests import factories as f


def _data(**changes):
    soon = (timezone.now() + timezone.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    later = (timezone.now() + timezone.timedelta(days=10, hours=1)).strftime("%Y-%m-%dT%H:%M")
    return {
        "kind": "coffee_hour",
        "title": "Coffee with the principal",
        "starts_at": soon,
        "ends_at": later,
        "place": "Library",
        "capacity": "20",
        **changes,
    }


def test_an_event_in_the_year_9999_is_refused_by_the_form(world, client_for):
    response = client_for(world.principal).post(
        reverse("event_create", args=[world.school.pk]),
        _data(starts_at="9999-12-31T22:00", ends_at="9999-12-31T23:00"),
    )
    assert response.status_code == 200
    assert "Choose a date within 20 years of today." in response.content.decode()
    assert not Event.objects.filter(school=world.school).exists()


def test_an_event_next_year_is_accepted(world, client_for):
    year = timezone.localdate().year + 1
    response = client_for(world.principal).post(
        reverse("event_create", args=[world.school.pk]),
        _data(starts_at=f"{year}-03-02T18:00", ends_at=f"{year}-03-02T19:00"),
    )
    assert response.status_code == 302
    assert Event.objects.filter(school=world.school).count() == 1


def test_a_time_proposal_in_the_year_9999_is_refused(world, client_for):
    event = f.EventFactory(school=world.school, organizer=world.principal)
    f.EventInvitationFactory(event=event, user=world.sro)
    response = client_for(world.sro).post(
        reverse("event_propose", args=[world.school.pk, event.pk]),
        {"proposal-starts_at": "9999-12-31T22:00", "proposal-ends_at": "9999-12-31T23:00"},
    )
    assert "Choose a date within 20 years of today." in response.content.decode()
    assert not event.invitations.get(user=world.sro).proposals.exists()


def test_an_event_description_is_bounded(world, client_for):
    response = client_for(world.principal).post(
        reverse("event_create", args=[world.school.pk]), _data(description="x" * 5_001)
    )
    assert "at most 5,000 characters (it has 5,001)" in response.content.decode()


def test_a_far_future_event_already_stored_does_not_break_the_events_pages(world, client_for):
    far = datetime(9999, 12, 31, 12, tzinfo=UTC)
    event = f.EventFactory(
        school=world.school,
        organizer=world.principal,
        starts_at=far,
        ends_at=far.replace(hour=13),
        open_to_families=True,
    )
    f.EventInvitationFactory(event=event, user=world.sro)
    school = world.school.pk
    one = {"school_id": school, "event_id": event.pk}
    pages = {
        "principal": [
            reverse("events", args=[school]),
            reverse("events", args=[school]) + "?when=past",
            reverse("events_month", args=[school]),
            reverse("events_month", args=[school]) + "?month=9999-12",
            reverse("event_detail", kwargs=one),
            reverse("event_edit", kwargs=one),
            reverse("home"),
        ],
        "sro": [reverse("event_answer", kwargs=one), reverse("home")],
        None: [reverse("event_public", args=[event.public_token])],
    }
    for kind, urls in pages.items():
        client = client_for(kind and world.user(kind))
        for url in urls:
            assert client.get(url).status_code == 200, (kind, url)
    # It can be cancelled from the interface.
    cancel = reverse("event_cancel", kwargs=one)
    assert client_for(world.principal).post(cancel).status_code == 302
    event.refresh_from_db()
    assert event.cancelled_at is not None

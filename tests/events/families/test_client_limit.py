"""One visitor cannot take every family place: sign-ups per client address per hour,
across events and email addresses (FAMILY_SIGNUP_CLIENT_LIMIT), counted in the
database."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.families.models import FamilySignup
from tests import factories as f

MESSAGE = "Too many sign-ups from your connection; try again in an hour or contact the school."


def _signup(client, event, email, ip="10.0.0.1", party=2):
    return client.post(
        reverse("event_public", args=[event.public_token]),
        {"name": "A family", "email": email, "party_size": str(party)},
        REMOTE_ADDR=ip,
    )


@pytest.fixture(autouse=True)
def _mid_hour(monkeypatch):
    """The limits count per clock hour: a test run across the hour's turn would
    count in two windows. Each test runs at half past the current hour."""
    now = timezone.now().replace(minute=30, second=0, microsecond=0)
    monkeypatch.setattr(timezone, "now", lambda: now)


@pytest.fixture
def events(world):
    return [
        f.EventFactory(school=world.school, open_to_families=True, capacity=40, title=title)
        for title in ("Family coffee hour", "Science night")
    ]


def test_one_client_cannot_sign_up_address_after_address(client, events, settings):
    settings.FAMILY_SIGNUP_CLIENT_LIMIT = 3
    coffee, science = events
    for n in range(3):
        assert _signup(client, coffee, f"made-up-{n}@example.org").status_code == 200
    # Below the limit per event (5 in ten minutes), yet over the limit per client:
    refused = _signup(client, coffee, "made-up-3@example.org")
    assert refused.status_code == 429
    assert MESSAGE in refused.content.decode()
    # ...and on another event of the school as well.
    assert MESSAGE in _signup(client, science, "made-up-4@example.org").content.decode()
    assert FamilySignup.objects.count() == 3
    assert coffee.places_left() == 40 - 3 * 2
    # A family on another connection signs up as usual.
    assert _signup(client, coffee, "real@family.example.org", ip="10.0.0.2").status_code == 200


def test_the_client_limit_opens_again_after_an_hour(client, events, settings, monkeypatch):
    settings.FAMILY_SIGNUP_CLIENT_LIMIT = 1
    coffee, _ = events
    assert _signup(client, coffee, "one@example.org").status_code == 200
    assert _signup(client, coffee, "two@example.org").status_code == 429
    later = timezone.now() + timedelta(hours=1, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert _signup(client, coffee, "two@example.org").status_code == 200


def test_a_form_with_mistakes_does_not_count(client, events, settings):
    settings.FAMILY_SIGNUP_CLIENT_LIMIT = 1
    coffee, _ = events
    assert _signup(client, coffee, "not-an-address").status_code == 400
    assert _signup(client, coffee, "one@example.org").status_code == 200


def test_one_client_cannot_take_every_place_in_a_few_large_sign_ups(client, events):
    """Two sign-ups of 10 would take half the places of a 40-place evening in a
    second: places per connection and event are counted too (12 by default)."""
    coffee, science = events
    assert _signup(client, coffee, "first@example.org", party=10).status_code == 200
    refused = _signup(client, coffee, "second@example.org", party=10)
    assert refused.status_code == 429 and MESSAGE in refused.content.decode()
    assert coffee.places_left() == 30
    # Another event counts on its own; another connection signs up as usual.
    assert _signup(client, science, "third@example.org", party=10).status_code == 200
    assert _signup(client, coffee, "real@family.example.org", ip="10.0.0.2").status_code == 200
    assert coffee.places_left() == 28

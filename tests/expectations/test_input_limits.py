"""A guideline's text, state rules and due date are bounded with a clear message;
control characters are a form error rather than PostgreSQL's 500. Run on
PostgreSQL as well."""

import pytest
from django.urls import reverse
from django.utils import timezone

from expectations.models import Guideline

DUE = (timezone.localdate() + timezone.timedelta(days=21)).isoformat()


def _post(client_for, world, **changes):
    data = {
        "title": "Lockdown drills",
        "target_roles": ["staff"],
        "body": "Lock the door, lights off.",
        "statements": "I will lock my door.",
        "due_date": DUE,
        "join_window_days": 7,
        "pass_mark": 100,
        **changes,
    }
    return client_for(world.principal).post(reverse("guideline_new", args=[world.school.pk]), data)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("body", "x" * 20_001, "at most 20,000 characters (it has 20,001)"),
        ("state_rules", "x" * 5_001, "at most 5,000 characters (it has 5,001)"),
        ("body", "Lock the door\x00", "invisible control characters"),
        ("title", "Lockdown\x00", "invisible control characters"),
        ("statements", "I will\x00 lock it.", "invisible control characters"),
        ("due_date", "9999-12-31", "Choose a date within 20 years of today."),
    ],
)
def test_a_guideline_out_of_bounds_is_a_form_error(client_for, world, field, value, message):
    response = _post(client_for, world, **{field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Guideline.objects.filter(school=world.school).exists()


def test_a_guideline_of_20000_characters_is_published(client_for, world):
    response = _post(client_for, world, body="x" * 20_000)
    assert response.status_code == 302
    assert Guideline.objects.filter(school=world.school).exists()

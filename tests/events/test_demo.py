"""The demo shows events in use, and seeding twice changes nothing."""

from django.utils import timezone

from events import demo as events_demo
from events.invitations.models import Event, EventInvitation
from events.talks.models import ClassTalkRequest, ClassTalkTopic
from onboarding import demo
from tests.helpers import snapshot


def test_demo_has_past_and_coming_events_sign_ups_answers_and_a_waiting_talk(db):
    world = demo.seed()
    events_demo.seed(world)
    now = timezone.now()
    for school in world.schools.values():
        events = Event.objects.filter(school=school)
        assert events.filter(ends_at__lt=now).exists() and events.filter(starts_at__gt=now).exists()
        coffee = events.get(kind="coffee_hour", open_to_families=True)
        assert coffee.family_signups.exists()
    answers = set(
        EventInvitation.objects.filter(
            user__email__in=["sro@example.org", "sro2@example.org"]
        ).values_list("answer", flat=True)
    )
    assert {"going", "maybe", "declined", "pending"} <= answers
    assert EventInvitation.objects.filter(attended=True).exists()
    assert ClassTalkTopic.objects.filter(officer__email="sro@example.org").count() == 3
    assert ClassTalkRequest.objects.filter(status="pending").exists()

    before = snapshot()
    events_demo.seed(demo.seed())
    assert snapshot() == before

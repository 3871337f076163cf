"""Workflows of the officer's schedule."""

from django.db import transaction

from events.schedule.models import OfficerFeed
from onboarding.audit.models import AuditEvent
from onboarding.people.models import User


@transaction.atomic
def feed_regenerate(*, officer: User, request=None) -> OfficerFeed:
    """A new secret link for the officer's feed; the old one stops working."""
    feed = OfficerFeed.for_officer(officer)
    feed.regenerate()
    AuditEvent.record(
        action="introductions.feed_regenerate",
        summary=f"{officer} made a new calendar feed link; the old one stopped working",
        target=feed,
        actor=officer,
        request=request,
    )
    return feed

"""Emails to families, who have no account: sent to the address they gave, and
deleted from the outbox with their contact data after the event
(`workflows.family_contacts_purge`)."""

from django.urls import reverse

from events.families.models import FamilySignup
from events.ical import ics_attachment
from onboarding.outbox.workflows import email_queue


def send_family_confirmation(signup: FamilySignup, cancel_token: str) -> None:
    event = signup.event
    email_queue(
        "event_family_confirmation",
        to=None,
        address=signup.email,
        context={
            "event": event,
            "signup": signup,
            "cancel_path": reverse("event_public_cancel", args=[event.public_token, cancel_token]),
        },
        attachments=ics_attachment(event, for_family=True),
        concerning=event,
        school=event.school,
    )

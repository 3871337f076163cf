from django.urls import reverse

from events.families.models import FamilySignup
from events.ical import ics_attachment
from sro_portal.mail import send_templated


def send_family_confirmation(signup: FamilySignup, cancel_token: str) -> None:
    event = signup.event
    send_templated(
        "event_family_confirmation",
        [signup.email],
        {
            "event": event,
            "signup": signup,
            "cancel_path": reverse("event_public_cancel", args=[event.public_token, cancel_token]),
        },
        attachments=ics_attachment(event, for_family=True),
    )

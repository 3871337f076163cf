from django.urls import reverse

from events.ical import ics_attachment
from events.talks.models import ClassTalkRequest
from sro_portal.mail import send_templated


def send_talk_requested(talk_request: ClassTalkRequest) -> None:
    send_templated(
        "event_talk_requested",
        [talk_request.topic.officer.email],
        {
            "talk_request": talk_request,
            "talks_path": reverse("talks", args=[talk_request.school_id]),
        },
    )


def send_talk_answered(talk_request: ClassTalkRequest) -> None:
    attachments = ics_attachment(talk_request.event) if talk_request.event else []
    send_templated(
        "event_talk_answered",
        [talk_request.requested_by.email],
        {
            "talk_request": talk_request,
            "talks_path": reverse("talks", args=[talk_request.school_id]),
        },
        attachments=attachments,
    )

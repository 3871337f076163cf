from django.urls import reverse

from events.ical import ics_attachment
from events.talks.models import ClassTalkRequest
from onboarding.outbox.workflows import email_queue


def send_talk_requested(talk_request: ClassTalkRequest) -> None:
    email_queue(
        "event_talk_requested",
        to=talk_request.topic.officer,
        context={
            "talk_request": talk_request,
            "talks_path": reverse("talks", args=[talk_request.school_id]),
        },
        concerning=talk_request,
        school=talk_request.school,
    )


def send_talk_answered(talk_request: ClassTalkRequest) -> None:
    attachments = ics_attachment(talk_request.event) if talk_request.event else []
    email_queue(
        "event_talk_answered",
        to=talk_request.requested_by,
        context={
            "talk_request": talk_request,
            "talks_path": reverse("talks", args=[talk_request.school_id]),
        },
        attachments=attachments,
        concerning=talk_request,
        school=talk_request.school,
    )

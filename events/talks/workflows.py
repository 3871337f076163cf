from datetime import datetime

from django.db import transaction
from django.utils import timezone

from events.invitations.models import Event, EventInvitation, EventKind
from events.invitations.workflows import Answer
from events.talks import emails
from events.talks.forms import TopicForm
from events.talks.models import ClassTalkRequest, ClassTalkTopic
from onboarding.audit.models import AuditEvent
from onboarding.people.models import User
from onboarding.schools.models import School


@transaction.atomic
def topic_create(*, school: School, form: TopicForm, officer: User, request=None) -> ClassTalkTopic:
    """A talk the officer offers in every school they serve (`school`: where they
    added it, for the audit log)."""
    topic = form.save(commit=False)
    topic.officer = officer
    topic.save()
    AuditEvent.record(
        action="talk.topic_created",
        summary=f"Offered the class talk {topic.title}",
        school=school,
        target=topic,
        actor=officer,
        request=request,
    )
    return topic


@transaction.atomic
def topic_edit(*, school: School, form: TopicForm, by: User, request=None) -> ClassTalkTopic:
    topic = form.save()
    AuditEvent.record(
        action="talk.topic_edited",
        summary=f"Changed the class talk {topic.title}"
        + ("" if topic.is_active else " (no longer offered)"),
        school=school,
        target=topic,
        actor=by,
        request=request,
    )
    return topic


def talk_request_create(
    *, school: School, by: User, fields: dict, request=None
) -> ClassTalkRequest:
    with transaction.atomic():
        talk_request = ClassTalkRequest.objects.create(school=school, requested_by=by, **fields)
        AuditEvent.record(
            action="talk.requested",
            summary=f"Requested the class talk {talk_request.topic.title}",
            school=school,
            target=talk_request,
            request=request,
            actor=by,
        )
        emails.send_talk_requested(talk_request)
    return talk_request


def talk_accept(
    *,
    talk_request: ClassTalkRequest,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    note: str = "",
    by: User,
    request=None,
) -> Event:
    """The officer's yes: a class-talk event that the teacher organizes and both attend."""
    with transaction.atomic():
        talk_request = ClassTalkRequest.objects.select_for_update().get(pk=talk_request.pk)
        if talk_request.status != ClassTalkRequest.Status.PENDING:
            raise ValueError("This request was already answered.")
        topic = talk_request.topic
        event = Event.objects.create(
            school=talk_request.school,
            kind=EventKind.CLASS_TALK,
            title=f"Class talk: {topic.title}",
            description=f"{topic.description}\n\nClass: {talk_request.class_description}".strip(),
            starts_at=starts_at,
            ends_at=ends_at,
            place=place or talk_request.default_place,
            organizer=talk_request.requested_by,
        )
        now = timezone.now()
        EventInvitation.objects.bulk_create(
            [
                EventInvitation(
                    event=event, user=person, invited_by=by, answer=Answer.GOING, answered_at=now
                )
                for person in (by, talk_request.requested_by)
            ]
        )
        talk_request.status = ClassTalkRequest.Status.ACCEPTED
        talk_request.response_note = note
        talk_request.decided_at = now
        talk_request.event = event
        talk_request.save(update_fields=["status", "response_note", "decided_at", "event"])
        AuditEvent.record(
            action="talk.accepted",
            summary=f"Accepted the class talk {topic.title} for {talk_request.class_description}",
            school=talk_request.school,
            target=talk_request,
            request=request,
            actor=by,
        )
        emails.send_talk_answered(talk_request)
    return event


def talk_decline(*, talk_request: ClassTalkRequest, note: str, by: User, request=None) -> None:
    with transaction.atomic():
        talk_request.status = ClassTalkRequest.Status.DECLINED
        talk_request.response_note = note
        talk_request.decided_at = timezone.now()
        talk_request.save(update_fields=["status", "response_note", "decided_at"])
        AuditEvent.record(
            action="talk.declined",
            summary=f"Declined the class talk {talk_request.topic.title}",
            school=talk_request.school,
            target=talk_request,
            request=request,
            actor=by,
        )
        emails.send_talk_answered(talk_request)

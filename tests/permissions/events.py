"""Events, invitations, families' public page, class talks and engagement."""

from django.utils import timezone

from events.invitations.models import hash_token
from tests import factories as f
from tests.permissions import SCHOOL_MANAGERS, Route

MEMBERS = ("principal", "staff", "counselor", "sro", "district_admin")
ORGANIZER_ONLY = {
    "ok": SCHOOL_MANAGERS,
    "forbidden": ("staff", "counselor", "sro", "supervisor"),
    "hidden": ("other_principal",),
}
CALENDAR = {"ok": MEMBERS, "forbidden": ("supervisor",), "hidden": ("other_principal",)}
# Only the invited officer may answer; only the topic's officer may answer a request.
INVITEE_ONLY = {
    "ok": ("sro",),
    "forbidden": ("principal", "staff", "counselor", "district_admin", "supervisor"),
    "hidden": ("other_principal",),
}
OFFICER_ONLY = INVITEE_ONLY
STAFF_MEMBERS = {
    "ok": ("principal", "staff", "counselor"),
    "forbidden": ("sro", "district_admin", "supervisor"),
    "hidden": ("other_principal",),
}


def _local(days: int, hour: int = 0) -> str:
    moment = timezone.now() + timezone.timedelta(days=days, hours=hour)
    return moment.strftime("%Y-%m-%dT%H:%M")


def _school(w):
    return {"school_id": w.school.pk}


def _event(w, **extra):
    event = f.EventFactory(school=w.school, organizer=w.principal, open_to_families=True, **extra)
    f.EventInvitationFactory(event=event, user=w.sro)
    return {"school_id": w.school.pk, "event_id": event.pk}


def _past_event(w):
    now = timezone.now()
    return _event(
        w, starts_at=now - timezone.timedelta(hours=3), ends_at=now - timezone.timedelta(hours=2)
    )


def _proposal(w):
    kwargs = _event(w)
    invitation = w.sro.event_invitations.get(event_id=kwargs["event_id"])
    return {**kwargs, "proposal_id": f.TimeProposalFactory(invitation=invitation).pk}


def _school_with_topic(w):
    f.ClassTalkTopicFactory(officer=w.sro)
    return _school(w)


def _topic(w):
    return {"school_id": w.school.pk, "topic_id": f.ClassTalkTopicFactory(officer=w.sro).pk}


def _talk(w):
    talk = f.ClassTalkRequestFactory(
        school=w.school, topic=f.ClassTalkTopicFactory(officer=w.sro), requested_by=w.staff
    )
    return {"school_id": w.school.pk, "request_id": talk.pk}


def _public(w):
    return {"token": f.EventFactory(school=w.school, open_to_families=True).public_token}


def _public_cancel(w):
    signup = f.FamilySignupFactory(
        event__school=w.school, cancel_token_hash=hash_token("family-secret")
    )
    return {"token": signup.event.public_token, "cancel_token": "family-secret"}


def _event_data(w):
    return {
        "kind": "coffee_hour",
        "title": "Coffee with the principal",
        "starts_at": _local(10),
        "ends_at": _local(10, 1),
        "place": "Library",
        "open_to_families": "on",
        "capacity": "20",
    }


def _time_data(w):
    return {
        "proposal-starts_at": _local(12),
        "proposal-ends_at": _local(12, 1),
        "proposal-note": "Tuesday?",
    }


ROUTES = [
    Route("events", kwargs=_school, **CALENDAR),
    Route("events_month", kwargs=_school, **CALENDAR),
    Route("event_detail", kwargs=_event, **CALENDAR),
    Route("event_create", kwargs=_school, **ORGANIZER_ONLY),
    Route("event_create", kwargs=_school, method="post", data=_event_data, **ORGANIZER_ONLY),
    Route("event_edit", kwargs=_event, **ORGANIZER_ONLY),
    Route("event_edit", kwargs=_event, method="post", data=_event_data, **ORGANIZER_ONLY),
    Route("event_cancel", kwargs=_event, method="post", **ORGANIZER_ONLY),
    Route("event_invite", kwargs=_event, **ORGANIZER_ONLY),
    Route(
        "event_invite",
        kwargs=_event,
        method="post",
        data=lambda w: {"roles": ["staff"]},
        **ORGANIZER_ONLY,
    ),
    Route("event_answer", kwargs=_event, **INVITEE_ONLY),
    Route(
        "event_answer",
        kwargs=_event,
        method="post",
        data=lambda w: {"answer": "going", "note": "See you there"},
        **INVITEE_ONLY,
    ),
    Route("event_propose", kwargs=_event, method="post", data=_time_data, **INVITEE_ONLY),
    Route("proposal_accept", kwargs=_proposal, method="post", **ORGANIZER_ONLY),
    Route("proposal_decline", kwargs=_proposal, method="post", **ORGANIZER_ONLY),
    Route("event_attendance", kwargs=_past_event, **ORGANIZER_ONLY),
    Route(
        "event_attendance",
        kwargs=_past_event,
        method="post",
        data=lambda w: {"attended": list(w.sro.event_invitations.values_list("pk", flat=True))},
        **ORGANIZER_ONLY,
    ),
    Route(
        "engagement",
        kwargs=_school,
        ok=("principal", "district_admin", "sro", "supervisor"),
        forbidden=("staff", "counselor"),
        hidden=("other_principal",),
    ),
    Route("talks", kwargs=_school, **CALENDAR),
    Route("topic_create", kwargs=_school, **OFFICER_ONLY),
    Route(
        "topic_create",
        kwargs=_school,
        method="post",
        data=lambda w: {"title": "Your rights and the police", "length_minutes": "45"},
        **OFFICER_ONLY,
    ),
    Route("topic_edit", kwargs=_topic, **OFFICER_ONLY),
    Route(
        "topic_edit",
        kwargs=_topic,
        method="post",
        data=lambda w: {"title": "Online safety", "length_minutes": "30"},
        **OFFICER_ONLY,
    ),
    Route("talk_request", kwargs=_school, **STAFF_MEMBERS),
    Route(
        "talk_request",
        kwargs=_school_with_topic,
        method="post",
        data=lambda w: {
            "topic": w.sro.talk_topics.get().pk,
            "class_description": "Civics, period 3, room 214",
            "preferred_dates": "Any Tuesday",
        },
        **STAFF_MEMBERS,
    ),
    Route("talk_accept", kwargs=_talk, **OFFICER_ONLY),
    Route(
        "talk_accept",
        kwargs=_talk,
        method="post",
        data=lambda w: {"starts_at": _local(9), "ends_at": _local(9, 1), "place": "Room 214"},
        **OFFICER_ONLY,
    ),
    Route(
        "talk_decline",
        kwargs=_talk,
        method="post",
        data=lambda w: {"decline-note": "Not this month, sorry"},
        **OFFICER_ONLY,
    ),
    # Families' public page: no sign-in, an unguessable link per event.
    Route("event_public", kwargs=_public, public=True),
    Route(
        "event_public",
        kwargs=_public,
        method="post",
        data=lambda w: {"name": "Ana Silva", "email": "ana@home.example.org", "party_size": "2"},
        public=True,
    ),
    Route("event_public_cancel", kwargs=_public_cancel, public=True),
    Route("event_public_cancel", kwargs=_public_cancel, method="post", public=True),
]

"""The emails of events and invitations. Each carries the event as an .ics file
where a calendar program can use it.
"""

from django.urls import reverse

from events.ical import ics_attachment
from events.invitations.models import Event, EventInvitation, TimeProposal
from sro_portal.mail import send_templated


def event_path(event: Event) -> str:
    return reverse("event_detail", args=[event.school_id, event.pk])


def answer_path(event: Event) -> str:
    return reverse("event_answer", args=[event.school_id, event.pk])


def public_path(event: Event) -> str:
    return reverse("event_public", args=[event.public_token])


def send_invitation(invitation: EventInvitation) -> None:
    event = invitation.event
    send_templated(
        "event_invitation",
        [invitation.user.email],
        {"invitation": invitation, "event": event, "answer_path": answer_path(event)},
        attachments=ics_attachment(event, attendee=invitation.user),
    )


def send_reminder(invitation: EventInvitation) -> None:
    event = invitation.event
    send_templated(
        "event_reminder",
        [invitation.user.email],
        {"invitation": invitation, "event": event, "answer_path": answer_path(event)},
        attachments=ics_attachment(event, attendee=invitation.user),
    )


def send_changed(event: Event, invitations, signups, *, reason: str) -> None:
    """Tell invitees and signed-up families that the event moved or changed."""
    for invitation in invitations:
        send_templated(
            "event_changed",
            [invitation.user.email],
            {
                "event": event,
                "invitation": invitation,
                "reason": reason,
                "answer_path": answer_path(event),
            },
            attachments=ics_attachment(event, attendee=invitation.user),
        )
    for signup in signups:
        send_templated(
            "event_family_changed",
            [signup.email],
            {"event": event, "signup": signup, "public_path": public_path(event)},
            attachments=ics_attachment(event, for_family=True),
        )


def send_cancelled(event: Event, invitations, signups) -> None:
    for invitation in invitations:
        send_templated(
            "event_cancelled",
            [invitation.user.email],
            {"event": event, "invitation": invitation},
            attachments=ics_attachment(event, attendee=invitation.user),
        )
    for signup in signups:
        send_templated(
            "event_family_cancelled",
            [signup.email],
            {"event": event, "signup": signup},
            attachments=ics_attachment(event, for_family=True),
        )


def send_proposal(proposal: TimeProposal) -> None:
    event = proposal.invitation.event
    if event.organizer is None:
        return
    send_templated(
        "event_proposal",
        [event.organizer.email],
        {"event": event, "proposal": proposal, "event_path": event_path(event)},
    )


def send_proposal_declined(proposal: TimeProposal) -> None:
    event = proposal.invitation.event
    send_templated(
        "event_proposal_declined",
        [proposal.invitation.user.email],
        {"event": event, "proposal": proposal, "answer_path": answer_path(event)},
    )

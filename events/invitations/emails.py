"""The emails of events and invitations. Each carries the event as an .ics file
where a calendar program can use it.

An email to one person is queued with the change that causes it (`email_queue`).
One to everyone concerned (invitations by role, a new time, a cancellation, the
reminders) is a mailing: the change writes one row and the worker runs the
`build_*` function below, which reads what it needs in a few queries whatever the
number of people and adds one email, with its .ics, per person.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db.models import OuterRef
from django.urls import reverse
from django.utils.dateparse import parse_datetime

from events.families.models import FamilySignup
from events.ical import ics_attachment
from events.invitations.models import Event, EventInvitation, TimeProposal
from onboarding.access import left_school
from onboarding.outbox.workflows import email_queue, mailing_start
from onboarding.people.models import User


def event_path(event: Event) -> str:
    return reverse("event_detail", args=[event.school_id, event.pk])


def answer_path(event: Event) -> str:
    return reverse("event_answer", args=[event.school_id, event.pk])


def public_path(event: Event) -> str:
    return reverse("event_public", args=[event.public_token])


def _builder(name: str) -> str:
    return f"{__name__}.{name}"


# --- Planned with the change (in its transaction) ------------------------------


def invitations_mail(*, event: Event, invitations: Iterable[EventInvitation], by: User) -> None:
    """Each newly invited person gets the invitation with the .ics."""
    mailing_start(
        "event_invitation",
        builder=_builder("build_invitations"),
        arguments={"invitations": [i.pk for i in invitations]},
        concerning=event,
        school=event.school,
        actor=by,
    )


def changed_mail(*, event: Event, reason: str, by: User | None) -> None:
    """Everyone invited (but `by`, who made the change) and every family signed up
    hears of the new time or place."""
    _everyone_mail("event_changed", "build_changed", event=event, by=by, reason=reason)


def cancelled_mail(*, event: Event, by: User | None) -> None:
    _everyone_mail("event_cancelled", "build_cancelled", event=event, by=by)


def _everyone_mail(kind: str, builder: str, *, event: Event, by: User | None, **more) -> None:
    mailing_start(
        kind,
        builder=_builder(builder),
        # The sequence tells the worker which change this was: see `_everyone`.
        arguments={
            "event": event.pk,
            "sequence": event.sequence,
            "exclude": by.pk if by else None,
            **more,
        },
        concerning=event,
        school=event.school,
        actor=by,
    )


def reminders_mail(*, event: Event, invitation_ids: list[int], reminded_at: datetime) -> None:
    mailing_start(
        "event_reminder",
        builder=_builder("build_reminders"),
        arguments={"invitations": invitation_ids, "reminded_at": reminded_at.isoformat()},
        concerning=event,
        school=event.school,
    )


def send_proposal(proposal: TimeProposal) -> None:
    event = proposal.invitation.event
    if event.organizer is None:
        return
    email_queue(
        "event_proposal",
        to=event.organizer,
        context={"event": event, "proposal": proposal, "event_path": event_path(event)},
        concerning=event,
        school=event.school,
    )


def send_proposal_declined(proposal: TimeProposal) -> None:
    invitation = proposal.invitation
    event = invitation.event
    email_queue(
        "event_proposal_declined",
        to=invitation.user,
        context={"event": event, "proposal": proposal, "answer_path": answer_path(event)},
        concerning=event,
        school=event.school,
    )


# --- Run by the worker (dotted paths of the mailings above) --------------------


def _to_invitee(emails, kind: str, invitation: EventInvitation, **context) -> None:
    event = invitation.event
    emails.add(
        kind,
        to=invitation.user,
        context={
            "event": event,
            "invitation": invitation,
            "answer_path": answer_path(event),
            **context,
        },
        attachments=ics_attachment(event, attendee=invitation.user),
        concerning=event,
    )


def _to_family(emails, kind: str, signup: FamilySignup, **context) -> None:
    event = signup.event
    emails.add(
        kind,
        to=None,
        address=signup.email,
        context={"event": event, "signup": signup, **context},
        attachments=ics_attachment(event, for_family=True),
        concerning=event,
    )


def _with_event(invitations):
    return invitations.select_related("user", "event__school", "event__organizer")


def build_invitations(emails, *, invitations: list[int]) -> None:
    for invitation in _with_event(EventInvitation.objects.filter(pk__in=invitations)):
        _to_invitee(emails, "event_invitation", invitation)


def build_reminders(emails, *, invitations: list[int], reminded_at: str) -> None:
    # Only the invitations this run marked: one marked again by a later run (or
    # reset when the event moved) is that run's to remind.
    due = EventInvitation.objects.filter(
        pk__in=invitations, reminded_at=parse_datetime(reminded_at)
    )
    for invitation in _with_event(due):
        _to_invitee(emails, "event_reminder", invitation)


def _everyone(event: int, sequence: int, exclude: int | None):
    """The event with the invitations and families to tell, or None when the event
    changed again since (or is gone): the later change's mailing tells the newer
    time, so nobody gets an email about a time that no longer holds."""
    found = Event.objects.select_related("school", "organizer").filter(pk=event).first()
    if found is None or found.sequence != sequence:
        return None
    # Read through the event's own managers, each invitation and sign-up holds this
    # event: no query per person.
    invitations = (
        found.invitations.exclude(user_id=exclude)
        .exclude(left_school(OuterRef("user_id"), found.school_id))
        .select_related("user")
    )
    families = found.family_signups.filter(cancelled_at__isnull=True, purged_at__isnull=True)
    return found, list(invitations), list(families.exclude(email=""))


def build_changed(emails, *, event: int, sequence: int, exclude: int | None, reason: str) -> None:
    everyone = _everyone(event, sequence, exclude)
    if everyone is None:
        return
    found, invitations, families = everyone
    for invitation in invitations:
        _to_invitee(emails, "event_changed", invitation, reason=reason)
    for signup in families:
        _to_family(emails, "event_family_changed", signup, public_path=public_path(found))


def build_cancelled(emails, *, event: int, sequence: int, exclude: int | None) -> None:
    everyone = _everyone(event, sequence, exclude)
    if everyone is None:
        return
    _found, invitations, families = everyone
    for invitation in invitations:
        _to_invitee(emails, "event_cancelled", invitation)
    for signup in families:
        _to_family(emails, "event_family_cancelled", signup)

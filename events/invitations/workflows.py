"""Workflows of events and invitations. Each runs in a transaction and writes its
emails (or the mailing that the worker expands into them) in that transaction: a
change rolled back sends nothing.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import OuterRef
from django.utils import timezone

from events.invitations import emails
from events.invitations.models import Event, EventInvitation, TimeProposal
from events.officers import school_officers
from onboarding.access import left_school
from onboarding.audit.models import AuditEvent
from onboarding.people.models import User
from onboarding.schools.models import School

Answer = EventInvitation.Answer


def event_create(
    *, school: School, organizer: User, fields: dict, invite_officers: bool, request=None
) -> Event:
    with transaction.atomic():
        event = Event.objects.create(school=school, organizer=organizer, **fields)
        AuditEvent.record(
            action="event.created",
            summary=f"Created the event {event.title}",
            school=school,
            target=event,
            request=request,
            actor=organizer,
        )
        if invite_officers:
            event_invite(event=event, people=school_officers(school), by=organizer, request=request)
    return event


def event_invite(
    *, event: Event, people: Iterable[User], by: User, request=None
) -> list[EventInvitation]:
    """Invite people who are not invited yet; each gets an email with the .ics."""
    with transaction.atomic():
        already = set(event.invitations.values_list("user_id", flat=True))
        new = [
            EventInvitation(event=event, user=person, invited_by=by)
            for person in {p.pk: p for p in people}.values()
            if person.pk not in already
        ]
        created = EventInvitation.objects.bulk_create(new)
        if created:
            AuditEvent.record(
                action="event.invited",
                summary=f"Invited {len(created)} to {event.title}: "
                + ", ".join(str(i.user) for i in created),
                school=event.school,
                target=event,
                request=request,
                actor=by,
            )
            emails.invitations_mail(event=event, invitations=created, by=by)
    return created


def event_update(*, event: Event, by: User, time_changed: bool, request=None) -> Event:
    """Save the edited event; a new time or place is told to everyone invited."""
    with transaction.atomic():
        if time_changed:
            event.sequence += 1
        event.save()
        AuditEvent.record(
            action="event.updated",
            summary=f"Edited the event {event.title}",
            school=event.school,
            target=event,
            request=request,
            actor=by,
        )
        if time_changed:
            emails.changed_mail(event=event, reason="edited", by=by)
    return event


def event_cancel(*, event: Event, by: User, request=None) -> None:
    with transaction.atomic():
        event.cancelled_at = timezone.now()
        event.sequence += 1
        event.save(update_fields=["cancelled_at", "sequence"])
        AuditEvent.record(
            action="event.cancelled",
            summary=f"Cancelled the event {event.title}",
            school=event.school,
            target=event,
            request=request,
            actor=by,
        )
        emails.cancelled_mail(event=event, by=by)


def invitation_answer(
    *, invitation: EventInvitation, answer: str, note: str = "", request=None
) -> None:
    with transaction.atomic():
        invitation.answer = answer
        invitation.note = note
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["answer", "note", "answered_at"])
        AuditEvent.record(
            action="event.answered",
            summary=f"{invitation.user} answered {invitation.get_answer_display()} "
            f"to {invitation.event.title}",
            school=invitation.event.school,
            target=invitation,
            request=request,
            actor=invitation.user,
        )


def time_propose(
    *,
    invitation: EventInvitation,
    starts_at: datetime,
    ends_at: datetime,
    note: str = "",
    request=None,
) -> TimeProposal:
    with transaction.atomic():
        proposal = TimeProposal.objects.create(
            invitation=invitation, starts_at=starts_at, ends_at=ends_at, note=note
        )
        AuditEvent.record(
            action="event.time_proposed",
            summary=f"{invitation.user} proposed another time for {invitation.event.title}",
            school=invitation.event.school,
            target=proposal,
            request=request,
            actor=invitation.user,
        )
        emails.send_proposal(proposal)
    return proposal


def proposal_accept(*, proposal: TimeProposal, by: User, request=None) -> Event:
    """Move the event to the proposed time. The proposer is going; everyone else is
    asked to answer again, and families are told."""
    with transaction.atomic():
        proposal = TimeProposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status != TimeProposal.Status.PENDING:
            raise ValueError("This proposal was already decided.")
        invitation = proposal.invitation
        event = Event.objects.select_for_update().get(pk=invitation.event_id)
        now = timezone.now()
        event.starts_at, event.ends_at = proposal.starts_at, proposal.ends_at
        event.sequence += 1
        event.save(update_fields=["starts_at", "ends_at", "sequence"])
        proposal.status, proposal.decided_at, proposal.decided_by = (
            TimeProposal.Status.ACCEPTED,
            now,
            by,
        )
        proposal.save(update_fields=["status", "decided_at", "decided_by"])
        # Other proposals were about the old time.
        TimeProposal.objects.filter(
            invitation__event=event, status=TimeProposal.Status.PENDING
        ).update(status=TimeProposal.Status.DECLINED, decided_at=now, decided_by=by)
        EventInvitation.objects.filter(pk=invitation.pk).update(
            answer=Answer.GOING, answered_at=now
        )
        event.invitations.exclude(pk=invitation.pk).exclude(user=by).filter(
            answer__in=[Answer.GOING, Answer.MAYBE]
        ).update(answer=Answer.PENDING, reminded_at=None)
        AuditEvent.record(
            action="event.moved",
            summary=f"Moved {event.title} to the time {invitation.user} proposed",
            school=event.school,
            target=event,
            request=request,
            actor=by,
        )
        emails.changed_mail(event=event, reason="moved", by=by)
    return event


def proposal_decline(*, proposal: TimeProposal, by: User, request=None) -> None:
    with transaction.atomic():
        proposal.status = TimeProposal.Status.DECLINED
        proposal.decided_at = timezone.now()
        proposal.decided_by = by
        proposal.save(update_fields=["status", "decided_at", "decided_by"])
        AuditEvent.record(
            action="event.proposal_declined",
            summary=f"Kept the time of {proposal.invitation.event.title}",
            school=proposal.invitation.event.school,
            target=proposal,
            request=request,
            actor=by,
        )
        emails.send_proposal_declined(proposal)


def attendance_record(*, event: Event, attended_ids: set[int], by: User, request=None) -> None:
    with transaction.atomic():
        invitations = event.invitations.all()
        invitations.filter(pk__in=attended_ids).update(attended=True)
        invitations.exclude(pk__in=attended_ids).update(attended=False)
        event.attendance_recorded_at = timezone.now()
        event.save(update_fields=["attendance_recorded_at"])
        AuditEvent.record(
            action="event.attendance",
            summary=f"Recorded attendance at {event.title} ({len(attended_ids)} came)",
            school=event.school,
            target=event,
            request=request,
            actor=by,
        )


def reminders_send(*, days_before: int, now: datetime | None = None) -> int:
    """Remind invitees who are going, maybe, or have not answered, once per event,
    of events starting within `days_before` days. Returns how many.

    Each invitation is marked reminded in the transaction that plans its email, and
    the mailing reminds only those marked at this run's time: a second run, or one
    running beside it, finds nothing left and sends nobody a second reminder."""
    now = now or timezone.now()
    with transaction.atomic():
        due = (
            EventInvitation.objects.filter(
                event__cancelled_at__isnull=True,
                event__starts_at__gt=now,
                event__starts_at__lte=now + timedelta(days=days_before),
                reminded_at__isnull=True,
                user__is_active=True,
            )
            .exclude(answer=Answer.DECLINED)
            .exclude(left_school(OuterRef("user_id"), OuterRef("event__school_id")))
            .values_list("pk", "event_id")
        )
        by_event: dict[int, list[int]] = {}
        for pk, event_id in due:
            by_event.setdefault(event_id, []).append(pk)
        ids = [pk for pks in by_event.values() for pk in pks]
        marked = EventInvitation.objects.filter(pk__in=ids, reminded_at__isnull=True).update(
            reminded_at=now
        )
        for event in Event.objects.filter(pk__in=by_event).select_related("school"):
            emails.reminders_mail(event=event, invitation_ids=by_event[event.pk], reminded_at=now)
    return marked

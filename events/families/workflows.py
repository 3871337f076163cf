from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Lower
from django.template.defaultfilters import pluralize
from django.utils import timezone

from events.families import emails
from events.families.models import FamilySignup
from events.invitations.models import (
    Event,
    hash_token,
    new_public_token,
)
from onboarding.audit.models import AuditEvent
from onboarding.outbox.models import Email


class SignupClosed(Exception):
    """The event takes no more sign-ups (cancelled, started, or not open to families)."""


class EventFull(Exception):
    def __init__(self, places_left: int):
        super().__init__(f"Only {places_left} places are left.")
        self.places_left = places_left


def family_sign_up(
    *, event: Event, name: str, email: str, party_size: int, request=None
) -> FamilySignup:
    """Take places for a family, never beyond the capacity.

    The event row is locked (SELECT ... FOR UPDATE on PostgreSQL) while the places
    are counted and the sign-up is written, so concurrent sign-ups queue up and the
    last ones see the event full.
    """
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if not locked.accepts_families:
            raise SignupClosed
        left = locked.places_left()
        if left is not None and party_size > left:
            raise EventFull(left)
        token = new_public_token()
        signup = FamilySignup.objects.create(
            event=locked,
            name=name,
            email=email,
            party_size=party_size,
            cancel_token_hash=hash_token(token),
        )
        AuditEvent.record(
            action="event.family_signed_up",
            summary=f"A family signed up for {locked.title} ({party_size})",
            school=locked.school,
            target=signup,
            request=request,
        )
        emails.send_family_confirmation(signup, token)
    return signup


def family_cancel(*, signup: FamilySignup, request=None) -> None:
    with transaction.atomic():
        signup.cancelled_at = timezone.now()
        signup.save(update_fields=["cancelled_at"])
        AuditEvent.record(
            action="event.family_cancelled",
            summary=f"A family cancelled their places for {signup.event.title}",
            school=signup.event.school,
            target=signup,
            request=request,
        )


def family_contacts_purge(*, days_after: int | None = None, now: datetime | None = None) -> int:
    """Delete families' names and email addresses `days_after` days after the event,
    and the emails the outbox holds for them. Returns how many sign-ups.

    The sign-up rows stay, without contact data, so place counts remain. The emails
    go (sent or not): each holds the family's address and, in its text, their name
    and cancel link; blanking them instead would keep rows nobody needs after the
    event, and a row left unsent with no address would only be a failure to come."""
    now = now or timezone.now()
    if days_after is None:
        days_after = settings.FAMILY_DATA_RETENTION_DAYS
    cutoff = now - timedelta(days=days_after)
    with transaction.atomic():
        signups = FamilySignup.objects.filter(event__ends_at__lt=cutoff, purged_at__isnull=True)
        contacts = list(signups.exclude(email="").values_list("event_id", "email").distinct())
        purged = signups.update(name="", email="", cancel_token_hash="", purged_at=now)
        emails_deleted = family_emails_delete(contacts)
        Event.objects.filter(
            ends_at__lt=cutoff, open_to_families=True, families_purged_at__isnull=True
        ).update(families_purged_at=now)
        if purged:
            AuditEvent.record(
                action="event.family_contacts_purged",
                summary=f"Deleted the contact data of {purged} family sign-up{pluralize(purged)} "
                f"and {emails_deleted} email{pluralize(emails_deleted)} to them",
            )
    return purged


def family_emails_delete(contacts: list[tuple[int, str]]) -> int:
    """Delete the outbox's emails to these families: sent to no account (families
    have none), to one of their addresses, concerning one of their events, whatever
    their state. A family's emails about an event not purged yet stay."""
    if not contacts:
        return 0
    deleted, _ = (
        Email.objects.filter(
            recipient__isnull=True,
            target_type=Event._meta.label,
            target_id__in={str(event_id) for event_id, _ in contacts},
        )
        .annotate(lowered=Lower("address"))
        .filter(lowered__in={email.strip().lower() for _, email in contacts})
        .delete()
    )
    return deleted

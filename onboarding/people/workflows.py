"""Workflows that span several models: inviting, accepting, importing, deactivating,
correcting an address."""

from dataclasses import dataclass

from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction
from django.utils import timezone

from onboarding.audit.models import AuditEvent
from onboarding.outbox.models import Email
from onboarding.people import emails
from onboarding.people.models import Invitation, User
from onboarding.people.roster import RosterRow
from onboarding.people.signin import normalized_address
from onboarding.schools.models import (
    Agency,
    AgencyMembership,
    District,
    DistrictMembership,
    Membership,
    Role,
    School,
)


@dataclass
class InviteResult:
    invitation: Invitation | None = None
    # Set when the person already had an account and got the role directly.
    user: User | None = None
    membership: Membership | None = None


def person_invite(
    *,
    email: str,
    full_name: str,
    role: str,
    invited_by: User,
    school: School | None = None,
    district: District | None = None,
    agency: Agency | None = None,
    title: str = "",
    request=None,
) -> InviteResult:
    """Invite a person to a role: in a school, or (no school) as district admin or
    agency supervisor. Someone who already has an account gets the role straight
    away (and is told); a newcomer gets a one-time link to set a password."""
    email = normalized_address(email)
    district = district or school.district
    place = school or agency or district
    with transaction.atomic():
        existing = User.objects.filter(email__iexact=email).first()
        if existing is not None:
            membership = grant_role(
                existing, role=role, district=district, school=school, agency=agency, title=title
            )
            AuditEvent.record(
                action="person.added",
                summary=f"Gave {existing} the role {Role(role).label} at {place}",
                school=school,
                target=membership,
                request=request,
                actor=invited_by,
            )
            emails.send_role_granted(
                existing,
                Role(role).label,
                place,
                invited_by,
                concerning=membership or place,
                school=school,
            )
            return InviteResult(membership=membership, user=existing)
        token, token_hash = Invitation.new_token()
        invitation = Invitation.objects.create(
            email=email,
            full_name=full_name,
            role=role,
            school=school,
            agency=agency,
            district=district,
            invited_by=invited_by,
            token_hash=token_hash,
            expires_at=Invitation.default_expiry(),
        )
        AuditEvent.record(
            action="invitation.sent",
            summary=f"Invited {email} as {Role(role).label} at {place}",
            school=school,
            target=invitation,
            request=request,
            actor=invited_by,
        )
        emails.send_invitation(invitation, token)
    return InviteResult(invitation=invitation)


def grant_role(
    user: User,
    *,
    role: str,
    district: District,
    school: School | None = None,
    agency: Agency | None = None,
    title: str = "",
) -> Membership | None:
    """Give a person a role (again). Returns the school membership, if the role is one."""
    if role == Role.DISTRICT_ADMIN:
        DistrictMembership.objects.update_or_create(
            user=user, district=district, defaults={"is_active": True}
        )
        membership = None
    elif role == Role.SUPERVISOR:
        AgencyMembership.objects.update_or_create(
            user=user,
            agency=agency,
            defaults={"role": AgencyMembership.AgencyRole.SUPERVISOR, "is_active": True},
        )
        membership = None
    else:
        membership, _ = Membership.objects.update_or_create(
            user=user,
            school=school,
            defaults={"role": role, "is_active": True, **({"title": title} if title else {})},
        )
        if role == Role.SRO and agency is not None:
            AgencyMembership.objects.update_or_create(
                user=user,
                agency=agency,
                defaults={"role": AgencyMembership.AgencyRole.OFFICER, "is_active": True},
            )
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    return membership


def invitation_accept(
    *, invitation: Invitation, full_name: str, password: str, request=None
) -> User:
    """Create the newcomer's account from a usable invitation, exactly once."""
    with transaction.atomic():
        # Lock the row: two clicks on the same link must not make two accounts.
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_usable:
            raise ValueError("This invitation has already been used or has expired.")
        user = User.objects.filter(email__iexact=invitation.email).first()
        if user is None:
            user = User.objects.create_user(
                invitation.email, password=password, full_name=full_name
            )
        else:
            user.full_name = full_name
            user.set_password(password)
            user.save()
        grant_role(
            user,
            role=invitation.role,
            district=invitation.district,
            school=invitation.school,
            agency=invitation.agency,
        )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        AuditEvent.record(
            action="invitation.accepted",
            summary=f"{user} accepted the invitation as {invitation.get_role_display()}",
            school=invitation.school,
            target=invitation,
            actor=user,
            request=request,
        )
    return user


def invitation_revoke(*, invitation: Invitation, actor: User, request=None) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    AuditEvent.record(
        action="invitation.revoked",
        summary=f"Revoked the invitation for {invitation.email}",
        school=invitation.school,
        target=invitation,
        actor=actor,
        request=request,
    )


def membership_change_role(*, membership: Membership, role: str, actor: User, request=None):
    old = membership.get_role_display()
    membership.role = role
    membership.save(update_fields=["role"])
    AuditEvent.record(
        action="person.role_changed",
        summary=f"Changed {membership.user}'s role from {old} to {membership.get_role_display()}",
        school=membership.school,
        target=membership,
        actor=actor,
        request=request,
        old=old,
        new=role,
    )


def end_sessions(user: User) -> int:
    """Sign a person out everywhere by deleting the sessions they signed in with."""
    keys = list(user.sign_ins.values_list("session_key", flat=True))
    deleted, _ = Session.objects.filter(session_key__in=keys).delete()
    user.sign_ins.all().delete()
    return deleted


def has_other_roles(user: User, *, except_membership: Membership | None = None) -> bool:
    memberships = Membership.objects.filter(user=user, is_active=True)
    if except_membership is not None:
        memberships = memberships.exclude(pk=except_membership.pk)
    return (
        memberships.exists()
        or user.agency_memberships.filter(
            is_active=True, role=AgencyMembership.AgencyRole.SUPERVISOR
        ).exists()
        or user.district_memberships.filter(is_active=True).exists()
    )


def membership_deactivate(*, membership: Membership, actor: User, request=None) -> bool:
    """Take a person off a school's roster. Someone left with no role anywhere is
    deactivated and signed out everywhere. Returns whether the account was closed."""
    with transaction.atomic():
        membership.is_active = False
        membership.save(update_fields=["is_active"])
        user = membership.user
        closed = not has_other_roles(user, except_membership=membership)
        if closed:
            user.is_active = False
            user.save(update_fields=["is_active"])
            end_sessions(user)
        AuditEvent.record(
            action="person.deactivated",
            summary=f"Deactivated {user} at {membership.school}"
            + (" (account closed, signed out)" if closed else ""),
            school=membership.school,
            target=membership,
            actor=actor,
            request=request,
        )
    return closed


def membership_reactivate(*, membership: Membership, actor: User, request=None) -> None:
    with transaction.atomic():
        membership.is_active = True
        membership.save(update_fields=["is_active"])
        if not membership.user.is_active:
            membership.user.is_active = True
            membership.user.save(update_fields=["is_active"])
        AuditEvent.record(
            action="person.reactivated",
            summary=f"Reactivated {membership.user} at {membership.school}",
            school=membership.school,
            target=membership,
            actor=actor,
            request=request,
        )


@dataclass
class ImportResult:
    invited: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0


def roster_import(
    *, school: School, rows: list[RosterRow], actor: User, source: str, request=None
) -> ImportResult:
    """Apply checked roster rows: new people are invited, existing ones join or get
    the role the file gives them. All or nothing."""
    result = ImportResult()
    emails_in_file = [row.email for row in rows]
    with transaction.atomic():
        users = {u.email.lower(): u for u in User.objects.filter(email__in=emails_in_file)}
        memberships = {
            m.user_id: m for m in Membership.objects.filter(school=school, user__in=users.values())
        }
        pending = set(
            Invitation.objects.pending()
            .filter(school=school, email__in=emails_in_file)
            .values_list("email", flat=True)
        )
        for row in rows:
            user = users.get(row.email)
            if user is None:
                if row.email in pending:
                    result.unchanged += 1
                    continue
                person_invite(
                    school=school,
                    email=row.email,
                    full_name=row.full_name,
                    role=row.role,
                    invited_by=actor,
                    title=row.title,
                    request=request,
                )
                result.invited += 1
                continue
            membership = memberships.get(user.pk)
            if membership and membership.is_active and membership.role == row.role:
                result.unchanged += 1
                continue
            grant_role(
                user, role=row.role, district=school.district, school=school, title=row.title
            )
            if membership:
                result.updated += 1
            else:
                result.added += 1
        AuditEvent.record(
            action="roster.imported",
            summary=f"Imported the roster from {source}: {result.invited} invited, "
            f"{result.added} added, {result.updated} updated, {result.unchanged} unchanged",
            school=school,
            actor=actor,
            request=request,
        )
    return result


class EmailChangeRefused(Exception):
    """The address cannot be changed as asked: the message says why, in words."""


def stale_message(person: User) -> str:
    return (
        f"While this page was open, someone changed {person}'s address to {person.email}. "
        "Check it, and change it again only if it is still wrong."
    )


def person_email_change(
    *,
    person: User,
    email: str,
    opened_with: str,
    school: School,
    membership: Membership,
    actor: User,
    request=None,
) -> str:
    """Put a person's address right: the bounce flag goes, emails still waiting follow
    to the new address, and the person is told there (never at the old one, which
    bounced or is somebody else's). Refused if the address changed since the form
    showed `opened_with`, or if another account took it meanwhile. Returns the old
    address."""
    email = email.lower()
    with transaction.atomic():
        # Locked: two managers correcting the same person one after the other see
        # each other's change instead of overwriting it.
        person = User.objects.select_for_update().get(pk=person.pk)
        if person.email.lower() != opened_with.lower():
            raise EmailChangeRefused(stale_message(person))
        if User.objects.filter(email__iexact=email).exclude(pk=person.pk).exists():
            raise EmailChangeRefused("Another account already uses this address.")
        old = person.email
        person.email, person.email_bounced_at, person.email_bounce = email, None, ""
        try:
            with transaction.atomic():
                person.save(update_fields=["email", "email_bounced_at", "email_bounce"])
        except IntegrityError:
            # Taken by a change that committed after the check above.
            raise EmailChangeRefused("Another account already uses this address.") from None
        # Not yet sent: sent to the address as it is now, as "Send again" does, and
        # so a late refusal of the old address cannot flag the new one.
        Email.objects.filter(
            recipient=person, state__in=[Email.State.QUEUED, Email.State.RETRY]
        ).update(address=email)
        AuditEvent.record(
            action="person.email_changed",
            summary=f"Changed {person}'s email address from {old} to {email}",
            school=school,
            target=membership,
            actor=actor,
            request=request,
            old=old,
            new=email,
        )
        emails.send_email_changed(person, changed_by=actor, school=school)
    return old

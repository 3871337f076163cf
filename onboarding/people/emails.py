"""People's emails, queued in the outbox in the transaction of the change that causes
them. An invitation's and a password reset's bodies hold a secret link: the outbox
erases them once sent (`outbox.compose.SENSITIVE_KINDS`)."""

from django.db.models import Model
from django.urls import reverse

from onboarding.outbox.workflows import email_queue
from onboarding.people.models import Invitation, User


def send_invitation(invitation: Invitation, token: str) -> None:
    # A newcomer: no account yet, so the email goes to the invitation's address.
    email_queue(
        "invitation",
        to=None,
        address=invitation.email,
        context={
            "invitation": invitation,
            "accept_path": reverse("invitation_accept", args=[token]),
        },
        concerning=invitation,
        school=invitation.school,
    )


def send_role_granted(
    user: User, role_label: str, place, added_by: User, *, concerning: Model, school=None
) -> None:
    email_queue(
        "role_granted",
        to=user,
        context={
            "person": user,
            "role_label": role_label,
            "place": place,
            "added_by": added_by,
            "home_path": reverse("home"),
        },
        concerning=concerning,
        school=school,
    )


def send_password_reset(user: User, context: dict) -> None:
    """The link of Django's password reset (its form builds `context`)."""
    email_queue("password_reset", to=user, context=context, concerning=user)


def send_email_changed(user: User, *, changed_by: User, school) -> None:
    """To the new address only. A reply reaches whoever changed it, so that a
    stranger whose address was typed by mistake can say so."""
    email_queue(
        "email_changed",
        to=user,
        context={
            "person": user,
            "changed_by": changed_by,
            "school": school,
            "home_path": reverse("home"),
        },
        reply_to=[changed_by.email],
        concerning=user,
        school=school,
    )

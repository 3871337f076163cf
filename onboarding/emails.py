from django.urls import reverse

from sro_portal.mail import send_templated

from .models import Invitation, Membership


def send_invitation(invitation: Invitation, token: str) -> None:
    send_templated(
        "invitation",
        [invitation.email],
        {
            "invitation": invitation,
            "accept_path": reverse("invitation_accept", args=[token]),
        },
    )


def send_added_to_school(membership: Membership, added_by) -> None:
    send_templated(
        "added_to_school",
        [membership.user.email],
        {"membership": membership, "added_by": added_by, "home_path": reverse("home")},
    )

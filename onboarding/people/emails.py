from django.urls import reverse

from onboarding.people.models import Invitation, User
from sro_portal.mail import send_templated


def send_invitation(invitation: Invitation, token: str) -> None:
    send_templated(
        "invitation",
        [invitation.email],
        {
            "invitation": invitation,
            "accept_path": reverse("invitation_accept", args=[token]),
        },
    )


def send_role_granted(user: User, role_label: str, place, added_by: User) -> None:
    send_templated(
        "role_granted",
        [user.email],
        {
            "person": user,
            "role_label": role_label,
            "place": place,
            "added_by": added_by,
            "home_path": reverse("home"),
        },
    )

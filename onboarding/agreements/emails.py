from django.urls import reverse

from onboarding.agreements.models import Agreement, SigningParty
from onboarding.people.models import User
from sro_portal.mail import send_templated


def send_review_requested(agreement: Agreement, sender: User, recipients: list[User]) -> None:
    for user in recipients:
        send_templated(
            "agreement_review_requested",
            [user.email],
            {
                "agreement": agreement,
                "sender": sender,
                "user": user,
                "path": agreement.get_absolute_url(),
            },
        )


def send_signature_needed(agreement: Agreement, party: SigningParty, reminder=False) -> None:
    send_templated(
        "agreement_signature_needed",
        [party.user.email],
        {
            "agreement": agreement,
            "party": party,
            "reminder": reminder,
            "path": reverse("agreement_sign", args=[agreement.school_id, agreement.pk]),
        },
    )


def send_active(agreement: Agreement, parties: list[SigningParty]) -> None:
    send_templated(
        "agreement_active",
        [p.user.email for p in parties],
        {"agreement": agreement, "path": agreement.get_absolute_url()},
    )


def send_review_due(agreement: Agreement, users: list[User]) -> None:
    send_templated(
        "agreement_review_due",
        [u.email for u in users],
        {"agreement": agreement, "path": agreement.get_absolute_url()},
    )

"""Inviting people by email; the link sets a password, works once and expires."""

import re

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from onboarding.audit.models import AuditEvent
from onboarding.people.models import Invitation, User
from onboarding.schools.models import AgencyMembership, Membership, Role
from tests import factories as f


def _invite(client, world, **data):
    payload = {"full_name": "Rosa Diaz", "email": "rosa.diaz@school.example.org", "role": "staff"}
    payload.update(data)
    return client.post(reverse("person_invite", args=[world.school.pk]), payload)


def _link_from_last_email() -> str:
    return re.search(
        r"http://127\.0\.0\.1:8000(/accounts/invitation/\S+/)", mail.outbox[-1].body
    ).group(1)


def test_principal_invites_and_newcomer_sets_password(
    client_for, world, django_capture_on_commit_callbacks
):
    client = client_for(world.principal)
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, world, role="mental_health")
    assert response["Location"] == reverse("people", args=[world.school.pk])
    assert mail.outbox[-1].to == ["rosa.diaz@school.example.org"]
    assert world.school.name in mail.outbox[-1].subject
    link = _link_from_last_email()

    newcomer = client_for(None)
    page = newcomer.get(link)
    assert "rosa.diaz@school.example.org" in page.content.decode()
    response = newcomer.post(
        link,
        {
            "full_name": "Rosa Diaz",
            "password1": "a-long-pass-2026",
            "password2": "a-long-pass-2026",
        },
    )
    assert response["Location"] == reverse("home")
    user = User.objects.get(email="rosa.diaz@school.example.org")
    assert user.check_password("a-long-pass-2026")
    assert Membership.objects.get(user=user, school=world.school).role == Role.MENTAL_HEALTH
    assert AuditEvent.objects.filter(action="invitation.accepted", actor=user).exists()
    # The link works once.
    assert client_for(None).get(link).status_code == 410


def test_invitation_form_rerenders_with_errors_and_keeps_input(client_for, world):
    response = _invite(client_for(world.principal), world, email="not-an-email", role="sro")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Enter a valid email address." in body
    assert "Choose the officer&#x27;s police agency." in body
    assert 'value="Rosa Diaz"' in body
    assert not Invitation.objects.filter(full_name="Rosa Diaz").exists()


def test_inviting_an_officer_links_them_to_the_agency(
    client_for, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(
            client_for(world.principal),
            world,
            role="sro",
            agency=world.agency.pk,
            email="new.sro@pd.example.org",
        )
    link = _link_from_last_email()
    client_for(None).post(
        link,
        {
            "full_name": "Sam Ortiz",
            "password1": "a-long-pass-2026",
            "password2": "a-long-pass-2026",
        },
    )
    user = User.objects.get(email="new.sro@pd.example.org")
    assert AgencyMembership.objects.filter(user=user, agency=world.agency, role="officer").exists()
    assert Membership.objects.get(user=user, school=world.school).role == Role.SRO


def test_an_expired_link_does_not_work(client, world):
    invitation, token = f.InvitationFactory.with_token(
        school=world.school, expires_at=timezone.now() - timezone.timedelta(minutes=1)
    )
    response = client.get(reverse("invitation_accept", args=[token]))
    assert response.status_code == 410
    assert "expired" in response.content.decode()


def test_a_revoked_link_does_not_work(client_for, world):
    invitation, token = f.InvitationFactory.with_token(school=world.school)
    client_for(world.principal).post(
        reverse("invitation_revoke", args=[world.school.pk, invitation.pk])
    )
    response = client_for(None).get(reverse("invitation_accept", args=[token]))
    assert response.status_code == 410


def test_inviting_an_existing_person_adds_them_directly(
    client_for, world, django_capture_on_commit_callbacks
):
    officer = world.sro
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.other_principal).post(
            reverse("person_invite", args=[world.other_school.pk]),
            {
                "full_name": officer.full_name,
                "email": officer.email.upper(),
                "role": "sro",
                "agency": world.agency.pk,
            },
        )
    assert response.status_code == 302
    assert Membership.objects.get(user=officer, school=world.other_school).role == Role.SRO
    assert not Invitation.objects.filter(email=officer.email).exists()
    assert (
        mail.outbox[-1].subject
        == f"You are now School Resource Officer at {world.other_school} in SRO Portal"
    )


def test_the_token_is_not_stored_in_clear(world):
    invitation, token = f.InvitationFactory.with_token(school=world.school)
    assert token not in invitation.token_hash
    assert Invitation.find_by_token(token) == invitation

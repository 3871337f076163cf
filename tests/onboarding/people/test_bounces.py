"""The People page flags an address the mail server refused for good (a 550 from a
real SMTP server on 127.0.0.1), so the principal knows to correct it."""

import re

from django.urls import reverse

from onboarding.outbox.models import Email
from tests import factories as f
from tests.helpers import assert_flat_queries

REFUSED = "550 5.1.1 Mailbox unavailable"


def _people(client, school):
    response = client.get(reverse("people", args=[school.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _row_of(page: str, text: str) -> str:
    """The table row that holds `text`."""
    rows = re.findall(r"<tr>.*?</tr>", page, flags=re.S)
    return next(row for row in rows if text in row)


def _invite(client, world, email, full_name):
    return client.post(
        reverse("person_invite", args=[world.school.pk]),
        {"full_name": full_name, "email": email, "role": "staff"},
    )


def test_a_role_granted_email_refused_for_good_flags_the_person(
    world, client_for, mail_server, django_capture_on_commit_callbacks
):
    person = f.UserFactory(full_name="Dana Whitfield", email="dana.whitfield@school.example.org")
    mail_server.refuse[person.email] = [REFUSED]
    client = client_for(world.principal)
    with django_capture_on_commit_callbacks(execute=True):
        assert _invite(client, world, person.email, person.full_name).status_code == 302
    email = Email.objects.get(kind="role_granted", recipient=person)
    assert (email.state, email.last_error) == (Email.State.FAILED, REFUSED)

    row = _row_of(_people(client, world.school), person.email)
    assert "Email bounced" in row
    assert f"“{REFUSED}”" in row
    assert email.claimed_at.strftime("%b %-d, %Y") in row
    # Nobody else at the school is flagged.
    assert "Email bounced" not in _row_of(_people(client, world.school), world.staff.email)


def test_another_schools_principal_does_not_see_the_flag(
    world, client_for, mail_server, django_capture_on_commit_callbacks
):
    person = f.UserFactory(full_name="Dana Whitfield", email="dana.whitfield@school.example.org")
    mail_server.refuse[person.email] = [REFUSED]
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client_for(world.principal), world, person.email.upper(), person.full_name)
    person.refresh_from_db()
    assert person.email_bounce == REFUSED

    other = client_for(world.other_principal)
    assert other.get(reverse("people", args=[world.school.pk])).status_code == 404
    page = _people(other, world.other_school)
    assert "Email bounced" not in page and REFUSED not in page


def test_a_refused_invitation_is_flagged_among_those_waiting(
    world, client_for, mail_server, django_capture_on_commit_callbacks
):
    mail_server.refuse["rosa.dias@school.example.org"] = [REFUSED]
    client = client_for(world.principal)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, world, "rosa.dias@school.example.org", "Rosa Dias")
        _invite(client, world, "ok.person@school.example.org", "Ok Person")
    assert mail_server.addresses() == ["ok.person@school.example.org"]
    page = _people(client, world.school)
    waiting = page[page.index("Invitations waiting") :]
    row = _row_of(waiting, "rosa.dias@school.example.org")
    assert "Email bounced" in row and f"“{REFUSED}”" in row
    assert "invite them again" in row
    assert "Email bounced" not in _row_of(waiting, "ok.person@school.example.org")


def test_the_flag_costs_no_query_per_person(world, client_for):
    client = client_for(world.principal)

    def bounce_many():
        for membership in f.MembershipFactory.create_batch(10, school=world.school):
            membership.user.email_bounce = REFUSED
            membership.user.email_bounced_at = membership.user.date_joined
            membership.user.save()
        for invitation in f.InvitationFactory.create_batch(5, school=world.school):
            Email.objects.create(
                kind="invitation",
                address=invitation.email,
                subject="Invited",
                text="",
                state=Email.State.FAILED,
                last_error=REFUSED,
                claimed_at=invitation.created_at,
                target_type="onboarding.Invitation",
                target_id=str(invitation.pk),
            )

    assert_flat_queries(client, reverse("people", args=[world.school.pk]), bounce_many)
    assert _people(client, world.school).count("Email bounced") == 15

"""Correcting a person's email address from the People page: who may, what the form
refuses, and what follows (the bounce flag goes, an audit event, a notice to the new
address only)."""

import html
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from onboarding.audit.models import AuditEvent
from onboarding.outbox.models import Email
from onboarding.outbox.tasks import deliver_emails
from onboarding.people.models import User
from onboarding.people.workflows import EmailChangeRefused, person_email_change
from onboarding.schools.models import AgencyMembership, Membership, Role
from tests import factories as f
from tests.helpers import assert_flat_queries

REFUSED = "550 5.1.1 Mailbox unavailable"


def _url(school, membership) -> str:
    return reverse("membership_email", args=[school.pk, membership.pk])


def _change(client, school, membership, email, opened_with=None):
    opened_with = membership.user.email if opened_with is None else opened_with
    return client.post(_url(school, membership), {"email": email, "opened_with": opened_with})


def _bounced_person(world, email="dana.whitfeld@school.example.org"):
    membership = f.MembershipFactory(
        school=world.school,
        role=Role.STAFF,
        user__full_name="Dana Whitfield",
        user__email=email,
        user__email_bounced_at=timezone.now(),
        user__email_bounce=REFUSED,
    )
    return membership


def _unchanged(membership) -> bool:
    """The person's address and flag as they were, no event and no email about it."""
    person = User.objects.get(pk=membership.user_id)
    return (
        (person.email, person.email_bounce) == (membership.user.email, REFUSED)
        and not AuditEvent.objects.filter(action="person.email_changed").exists()
        and not Email.objects.filter(recipient=person).exists()
    )


def _row_of(page: str, text: str) -> str:
    rows = re.findall(r"<tr>.*?</tr>", page, flags=re.S)
    return next(row for row in rows if text in row)


def test_the_principal_corrects_a_bounced_address(
    world, client_for, django_capture_on_commit_callbacks
):
    membership = _bounced_person(world)
    client = client_for(world.principal)
    people = client.get(reverse("people", args=[world.school.pk])).content.decode()
    row = _row_of(people, "dana.whitfeld@school.example.org")
    assert "Email bounced" in row
    assert f'href="{_url(world.school, membership)}">Correct the address' in row

    form = client.get(_url(world.school, membership)).content.decode()
    assert 'value="dana.whitfeld@school.example.org"' in form  # the form opens with it
    with django_capture_on_commit_callbacks(execute=True):
        response = _change(client, world.school, membership, "dana.whitfield@school.example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("people", args=[world.school.pk])

    person = User.objects.get(pk=membership.user_id)
    assert person.email == "dana.whitfield@school.example.org"
    assert (person.email_bounced_at, person.email_bounce) == (None, "")
    event = AuditEvent.objects.get(action="person.email_changed")
    assert event.actor == world.principal and event.school == world.school
    assert "dana.whitfeld@school.example.org" in event.summary
    assert "dana.whitfield@school.example.org" in event.summary
    assert event.data == {
        "old": "dana.whitfeld@school.example.org",
        "new": "dana.whitfield@school.example.org",
    }
    # One notice, to the new address; nothing to the old one.
    assert [m.to for m in mail.outbox] == [["dana.whitfield@school.example.org"]]
    notice = mail.outbox[0]
    assert notice.reply_to == [world.principal.email]
    assert world.principal.full_name in notice.body
    assert "dana.whitfield@school.example.org" in notice.body

    people = client.get(reverse("people", args=[world.school.pk])).content.decode()
    row = _row_of(people, "dana.whitfield@school.example.org")
    assert "Email bounced" not in row
    assert "address is now dana.whitfield@school.example.org" in people
    # The person signs in with the new address, typed in any case.
    client.logout()
    signed_in = client.post(
        reverse("login"), {"username": "Dana.Whitfield@School.example.org", "password": "x"}
    )
    assert "do not match" in signed_in.content.decode()  # the password is wrong, not the address
    person.set_password("a long enough password")
    person.save()
    signed_in = client.post(
        reverse("login"),
        {"username": "Dana.Whitfield@School.example.org", "password": "a long enough password"},
    )
    assert signed_in.status_code == 302


def test_emails_still_waiting_follow_to_the_new_address(world, client_for):
    membership = _bounced_person(world)
    waiting = Email.objects.create(
        kind="role_granted",
        recipient=membership.user,
        address=membership.user.email,
        subject="You have a role",
        text="",
        state=Email.State.RETRY,
    )
    failed = Email.objects.create(
        kind="role_granted",
        recipient=membership.user,
        address=membership.user.email,
        subject="You have a role",
        text="",
        state=Email.State.FAILED,
        last_error=REFUSED,
    )
    _change(client_for(world.principal), world.school, membership, "dana@school.example.org")
    waiting.refresh_from_db(), failed.refresh_from_db()
    assert waiting.address == "dana@school.example.org"
    # A failed one keeps the address it failed at; "Send again" takes the new one.
    assert failed.address == "dana.whitfeld@school.example.org"


def test_an_address_another_account_uses_is_refused_whatever_its_case(world, client_for):
    membership = _bounced_person(world)
    response = _change(
        client_for(world.principal), world.school, membership, world.counselor.email.upper()
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Another account already uses this address." in page
    # The message is tied to the field, for a screen reader.
    field = re.search(r"<input[^>]*name=\"email\"[^>]*>", page).group(0)
    described_by = re.search(r'aria-describedby="([^"]*)"', field).group(1).split()
    assert 'aria-invalid="true"' in field and "id_email_error" in described_by
    error = re.search(r'<div id="id_email_error"[^>]*>(.*?)</div>', page, flags=re.S).group(1)
    assert "Another account already uses this address." in error
    assert re.search(r'<label\s+for="id_email"', page)
    assert _unchanged(membership)


def test_the_same_address_changes_nothing(world, client_for):
    membership = _bounced_person(world)
    client = client_for(world.principal)
    response = _change(client, world.school, membership, "Dana.Whitfeld@school.example.org")
    assert response.status_code == 302
    assert _unchanged(membership)
    page = client.get(response["Location"]).content.decode()
    assert "Nothing changed: dana.whitfeld@school.example.org is already" in page


def test_odd_input_is_answered_with_the_form(world, client_for):
    membership = _bounced_person(world)
    client = client_for(world.principal)
    for email in ("not an address", "", "a" * 250 + "@example.org"):
        response = _change(client, world.school, membership, email)
        assert response.status_code == 200
        assert "is-invalid" in response.content.decode()
    response = client.post(_url(world.school, membership), {"email": "x@example.org"})
    assert response.status_code == 200  # no address it was opened with: taken as stale
    assert _unchanged(membership)


def test_a_form_opened_before_another_change_is_refused(world, client_for, own_client_for):
    membership = _bounced_person(world)
    principal = own_client_for(world.principal)
    opened_with = membership.user.email
    district = own_client_for(world.district_admin)
    assert (
        _change(district, world.school, membership, "dana.w@school.example.org").status_code == 302
    )

    response = _change(
        principal, world.school, membership, "dana.whitfield@school.example.org", opened_with
    )
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "someone changed Dana Whitfield's address to dana.w@school.example.org" in page
    assert User.objects.get(pk=membership.user_id).email == "dana.w@school.example.org"
    # The form shown again carries the address as it is now: sent again knowingly, it goes.
    assert 'name="opened_with" value="dana.w@school.example.org"' in page
    response = _change(
        principal,
        world.school,
        membership,
        "dana.whitfield@school.example.org",
        "dana.w@school.example.org",
    )
    assert response.status_code == 302
    assert User.objects.get(pk=membership.user_id).email == "dana.whitfield@school.example.org"


def test_another_schools_principal_gets_a_404(world, client_for):
    membership = _bounced_person(world)
    client = client_for(world.other_principal)
    assert client.get(_url(world.school, membership)).status_code == 404
    # Nor through their own school with this school's membership.
    assert client.get(_url(world.other_school, membership)).status_code == 404
    assert _change(client, world.other_school, membership, "x@example.org").status_code == 404
    assert _unchanged(membership)


def test_staff_officers_and_supervisors_get_a_403(world, client_for):
    membership = _bounced_person(world)
    for user in (world.staff, world.sro, world.supervisor):
        client = client_for(user)
        assert client.get(_url(world.school, membership)).status_code == 403
        assert _change(client, world.school, membership, "x@example.org").status_code == 403
    assert _unchanged(membership)


def test_a_person_in_two_schools_is_the_district_admins_to_change(world, client_for):
    membership = _bounced_person(world)
    f.MembershipFactory(school=world.other_school, user=membership.user, role=Role.STAFF)
    principal = client_for(world.principal)
    page = principal.get(_url(world.school, membership)).content.decode()
    assert "also has a role outside Oak Ridge High School" in page
    assert "Ask your district admin" in page
    assert 'name="email"' not in page  # the explanation instead of the form

    response = _change(principal, world.school, membership, "dana@school.example.org")
    assert response.status_code == 403
    assert "Ask your district admin" in response.content.decode()
    assert _unchanged(membership)

    district = client_for(world.district_admin)
    assert 'name="email"' in district.get(_url(world.school, membership)).content.decode()
    assert _change(district, world.school, membership, "dana@school.example.org").status_code == 302
    assert User.objects.get(pk=membership.user_id).email == "dana@school.example.org"


def test_the_principal_leaves_an_officer_to_the_district(world, client_for):
    """An officer also belongs to their agency: the district admin changes the address
    of an officer who serves only the district's schools; nobody here a supervisor's."""
    officer = world.sro.memberships.get(school=world.school)
    page = client_for(world.principal).get(_url(world.school, officer)).content.decode()
    assert "Ask your district admin" in page
    district = client_for(world.district_admin)
    assert _change(district, world.school, officer, "officer@pd.example.org").status_code == 302

    supervisor = f.MembershipFactory(school=world.school, role=Role.STAFF, user=world.supervisor)
    response = _change(district, world.school, supervisor, "boss@pd.example.org")
    assert response.status_code == 403
    assert "supervises a police agency" in response.content.decode()


def test_a_role_in_another_district_is_beyond_the_district_admin(world, client_for):
    membership = _bounced_person(world)
    elsewhere = f.SchoolFactory(district=f.DistrictFactory())
    f.MembershipFactory(school=elsewhere, user=membership.user)
    response = _change(
        client_for(world.district_admin), world.school, membership, "dana@school.example.org"
    )
    assert response.status_code == 403
    assert "outside the districts you run" in response.content.decode()
    officer_elsewhere = f.MembershipFactory(school=world.school, role=Role.SRO)
    f.AgencyMembershipFactory(
        user=officer_elsewhere.user,
        agency=f.AgencyFactory(district=elsewhere.district),
        role=AgencyMembership.AgencyRole.OFFICER,
    )
    response = client_for(world.district_admin).get(_url(world.school, officer_elsewhere))
    assert "outside the districts you run" in response.content.decode()


def test_the_people_page_costs_no_more_queries_with_the_links(world, client_for):
    client = client_for(world.principal)

    def bounce_many():
        for membership in f.MembershipFactory.create_batch(10, school=world.school):
            membership.user.email_bounce = REFUSED
            membership.user.email_bounced_at = membership.user.date_joined
            membership.user.save()

    url = reverse("people", args=[world.school.pk])
    # session, person, memberships, agency and district roles; roster count and
    # page; invitations.
    assert assert_flat_queries(client, url, bounce_many) == 8
    page = client.get(url).content.decode()
    assert page.count("Correct the address") == 10
    # One a person on the roster: the world's, active or taken off, and the 10.
    assert page.count(">Change email<") == Membership.objects.filter(school=world.school).count()
    assert page.count(">Change email<") >= 14


def test_a_refusal_of_the_old_address_after_the_change_does_not_flag_the_new_one(
    world, client_for, mail_server
):
    """An email already on its way to the old address when the principal corrected
    it: the old address's refusal must not flag the new one."""
    membership = _bounced_person(world)
    old = membership.user.email
    mail_server.refuse[old] = [REFUSED]
    _change(client_for(world.principal), world.school, membership, "dana@school.example.org")
    # As if claimed for delivery before the change committed.
    on_its_way = Email.objects.create(
        kind="role_granted", recipient=membership.user, address=old, subject="Hi", text="Hi"
    )
    deliver_emails.enqueue()
    on_its_way.refresh_from_db()
    assert (on_its_way.state, on_its_way.last_error) == (Email.State.FAILED, REFUSED)
    person = User.objects.get(pk=membership.user_id)
    assert (person.email_bounced_at, person.email_bounce) == (None, "")
    # The new address refused, though, flags the person.
    mail_server.refuse["dana@school.example.org"] = [REFUSED]
    Email.objects.create(
        kind="role_granted", recipient=person, address=person.email, subject="Hi", text="Hi"
    )
    deliver_emails.enqueue()
    person.refresh_from_db()
    assert person.email_bounce == REFUSED


def test_the_change_checks_the_address_again_under_lock(world):
    """Two managers submit at the same moment: both forms validated against the same
    old address, but the second to take the person's row finds it changed."""
    membership = _bounced_person(world)
    as_read = User.objects.get(pk=membership.user_id)
    first = User.objects.get(pk=membership.user_id)
    change = {"school": world.school, "membership": membership, "actor": world.principal}
    person_email_change(
        person=first, email="a@school.example.org", opened_with=first.email, **change
    )
    with pytest.raises(EmailChangeRefused, match="someone changed"):
        person_email_change(
            person=as_read, email="b@school.example.org", opened_with=as_read.email, **change
        )
    assert User.objects.get(pk=membership.user_id).email == "a@school.example.org"
    assert AuditEvent.objects.filter(action="person.email_changed").count() == 1

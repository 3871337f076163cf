"""Sign-in, lockout, sign-out and password reset."""

import re

from django.core import mail
from django.urls import reverse

from onboarding.audit.models import AuditEvent
from onboarding.outbox.models import Email
from onboarding.schools.models import Role
from tests import factories as f


def _sign_in(client, email, password, ip="203.0.113.7"):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_it_signs_in_with_email_and_lands_home(client, db):
    user = f.MembershipFactory(role=Role.STAFF).user
    response = _sign_in(client, user.email.upper(), f.PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert AuditEvent.objects.filter(action="account.signed_in", actor=user).exists()


def test_it_rejects_a_wrong_password_with_a_message(client, db):
    user = f.UserFactory()
    response = _sign_in(client, user.email, "wrong")
    assert response.status_code == 200
    assert "do not match an active account" in response.content.decode()


def test_five_wrong_passwords_lock_that_account_from_that_address_only(client, db):
    locked = f.UserFactory()
    colleague = f.UserFactory()
    for _ in range(5):
        _sign_in(client, locked.email, "wrong-password")
    # Even the right password is refused now, from this address...
    response = _sign_in(client, locked.email, f.PASSWORD)
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()
    # ...while a colleague behind the same school address still signs in,
    assert _sign_in(client, colleague.email, f.PASSWORD)["Location"] == reverse("home")
    client.logout()
    # ...and the locked account still signs in from another address.
    response = _sign_in(client, locked.email, f.PASSWORD, ip="198.51.100.20")
    assert response["Location"] == reverse("home")


def test_four_wrong_passwords_do_not_lock(client, db):
    user = f.UserFactory()
    for _ in range(4):
        _sign_in(client, user.email, "wrong-password")
    assert _sign_in(client, user.email, f.PASSWORD)["Location"] == reverse("home")


def test_sign_out_needs_a_post_and_ends_the_session(client, db):
    user = f.UserFactory()
    client.force_login(user)
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def _ask_for_a_reset(client, address, capture):
    with capture(execute=True):
        return client.post(reverse("password_reset"), {"email": address})


def test_password_reset_by_email_through_the_outbox(client, db, django_capture_on_commit_callbacks):
    user = f.UserFactory(email="reset.me@school.example.org")
    response = _ask_for_a_reset(
        client, "Reset.Me@school.example.org", django_capture_on_commit_callbacks
    )
    assert response["Location"] == reverse("password_reset_done")
    # Delivered by the outbox's task once the request committed.
    assert [m.to for m in mail.outbox] == [["reset.me@school.example.org"]]
    assert mail.outbox[0].subject == "Choose a new password for SRO Portal"
    link = re.search(r"http://127\.0\.0\.1:8000(/accounts/reset/\S+/)", mail.outbox[0].body)
    # The link it held is erased from the outbox once sent.
    stored = Email.objects.get(kind="password_reset")
    assert (stored.recipient, stored.state) == (user, Email.State.SENT)
    assert (stored.text, stored.html) == ("", "")
    response = client.get(link.group(1), follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": "a-new-long-pass-2026", "new_password2": "a-new-long-pass-2026"}
    )
    assert response["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("a-new-long-pass-2026")


def test_password_reset_tells_nothing_about_unknown_addresses(
    client, db, django_capture_on_commit_callbacks
):
    f.UserFactory(email="known@school.example.org")
    known = _ask_for_a_reset(client, "known@school.example.org", django_capture_on_commit_callbacks)
    unknown = _ask_for_a_reset(
        client, "nobody@school.example.org", django_capture_on_commit_callbacks
    )
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"] == reverse("password_reset_done")
    assert [m.to for m in mail.outbox] == [["known@school.example.org"]]
    assert not Email.objects.filter(address="nobody@school.example.org").exists()


def test_a_deactivated_account_gets_no_reset_link(client, db, django_capture_on_commit_callbacks):
    f.UserFactory(email="gone@school.example.org", is_active=False)
    response = _ask_for_a_reset(
        client, "gone@school.example.org", django_capture_on_commit_callbacks
    )
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == [] and not Email.objects.exists()


def test_sign_in_page_lists_demo_accounts_only_in_development(client, db, settings):
    f.UserFactory(email="principal@example.org")
    settings.SHOW_DEMO_ACCOUNTS = True
    assert "principal@example.org" in client.get(reverse("login")).content.decode()
    settings.SHOW_DEMO_ACCOUNTS = False
    assert "principal@example.org" not in client.get(reverse("login")).content.decode()


def test_behind_a_proxy_lockout_follows_the_address_the_proxy_saw(client, db, settings):
    # One load balancer in front: it appends the address it saw to X-Forwarded-For.
    # Entries before that one come from the client and may be forged.
    settings.PROXY_COUNT = 1
    user = f.UserFactory()

    def attempt(password, forwarded_for):
        return client.post(
            reverse("login"),
            {"username": user.email, "password": password},
            REMOTE_ADDR="10.0.0.2",  # every request arrives from the load balancer
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )

    for _ in range(5):
        attempt("wrong-password", "203.0.113.50")
    assert attempt(f.PASSWORD, "203.0.113.50").status_code == 429
    # A forged first entry does not get around the lock...
    assert attempt(f.PASSWORD, "198.51.100.1, 203.0.113.50").status_code == 429
    # ...while the same account from another network signs in, although all
    # requests come through the same load balancer.
    assert attempt(f.PASSWORD, "203.0.113.77")["Location"] == reverse("home")


def test_a_session_past_its_expiry_is_signed_out(client, db):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    user = f.MembershipFactory(role=Role.STAFF).user
    _sign_in(client, user.email, f.PASSWORD)
    assert client.get(reverse("home")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))

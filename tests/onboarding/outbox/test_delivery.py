"""The outbox under faults, against a real SMTP server on 127.0.0.1: a recipient
refused with `451 try again later` is delivered on retry, one refused with `550`
is marked failed with the server's answer, everybody else gets exactly one email,
and no request answers 500 whatever the mail server does."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from onboarding.outbox.models import Email
from onboarding.outbox.tasks import deliver_emails
from onboarding.outbox.workflows import email_queue

PEOPLE = [f"person{i}@district.example.org" for i in range(10)]
LATER = ["person1@district.example.org", "person2@district.example.org"]
NEVER = "person3@district.example.org"


def _roster() -> SimpleUploadedFile:
    rows = "".join(f"Person {i},{email},staff\n" for i, email in enumerate(PEOPLE))
    return SimpleUploadedFile("staff.csv", f"name,email,role\n{rows}".encode())


def _import(client, world):
    return client.post(
        reverse("people_import", args=[world.school.pk]),
        {"format": "simple", "roster_file": _roster()},
    )


def _retry_now():
    """Let the emails waiting for their retry be due (rather than wait a minute)."""
    Email.objects.filter(state=Email.State.RETRY).update(next_attempt_at=timezone.now())


def test_refused_recipients_are_retried_or_failed_and_the_rest_delivered_once(
    world, client_for, mail_server, django_capture_on_commit_callbacks
):
    for address in LATER:
        mail_server.refuse[address] = ["451 4.7.1 Try again later"]
    mail_server.refuse[NEVER] = ["550 5.1.1 No such user here"]
    with django_capture_on_commit_callbacks(execute=True):
        response = _import(client_for(world.principal), world)
    assert response.status_code == 302
    assert sorted(mail_server.addresses()) == sorted(set(PEOPLE) - set(LATER) - {NEVER})

    waiting = Email.objects.filter(state=Email.State.RETRY)
    assert sorted(waiting.values_list("address", flat=True)) == LATER
    assert all(e.last_error.startswith("451 4.7.1") for e in waiting)
    assert all(e.next_attempt_at > timezone.now() for e in waiting)
    failed = Email.objects.get(state=Email.State.FAILED)
    assert failed.address == NEVER
    assert failed.last_error == "550 5.1.1 No such user here"

    _retry_now()
    deliver_emails.enqueue()
    assert sorted(mail_server.addresses()) == sorted(set(PEOPLE) - {NEVER})
    assert len(mail_server.addresses()) == len(set(mail_server.addresses()))
    assert Email.objects.filter(state=Email.State.SENT).count() == len(PEOPLE) - 1
    # Running again sends nothing more.
    deliver_emails.enqueue()
    assert len(mail_server.addresses()) == len(PEOPLE) - 1


def test_an_invitation_link_is_erased_from_the_outbox_once_sent(
    world, client_for, mail_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _import(client_for(world.principal), world)
    sent = Email.objects.filter(kind="invitation", state=Email.State.SENT)
    assert sent.count() == len(PEOPLE)
    assert all(e.text == "" and e.html == "" for e in sent)


def test_a_permanent_refusal_flags_the_persons_address(
    world, mail_server, django_capture_on_commit_callbacks
):
    mail_server.refuse[world.staff.email] = ["550 5.1.1 Mailbox unavailable"]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        email_queue("role_granted", to=world.staff, context=_role_context(world))
    world.staff.refresh_from_db()
    assert world.staff.email_bounce == "550 5.1.1 Mailbox unavailable"
    assert world.staff.email_bounced_at is not None
    # An email that goes through again clears the flag.
    mail_server.refuse.clear()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        email_queue("role_granted", to=world.staff, context=_role_context(world))
    world.staff.refresh_from_db()
    assert (world.staff.email_bounce, world.staff.email_bounced_at) == ("", None)


def _role_context(world) -> dict:
    return {
        "person": world.staff,
        "role_label": "Staff",
        "place": world.school,
        "added_by": world.principal,
        "home_path": "/",
    }


def test_a_mail_server_that_is_down_costs_no_request_and_loses_no_email(
    world, client_for, settings, django_capture_on_commit_callbacks
):
    from tests.mailserver import free_port

    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = _import(client_for(world.principal), world)
    assert response.status_code == 302
    emails = Email.objects.filter(kind="invitation")
    assert emails.count() == len(PEOPLE)
    assert set(emails.values_list("state", flat=True)) == {Email.State.RETRY}
    assert "ConnectionRefusedError" in emails.first().last_error


def test_a_change_rolled_back_sends_nothing(world, mail_server, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        email_queue("role_granted", to=world.staff, context=_role_context(world))
        raise RuntimeError("the change fails after queueing its email")
    assert not Email.objects.exists()
    deliver_emails.enqueue()
    assert mail_server.received == []


def test_an_email_still_refused_after_two_days_is_given_up(
    world, mail_server, django_capture_on_commit_callbacks
):
    mail_server.refuse[world.staff.email] = ["451 4.3.0 Mailbox busy"] * 5
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        email = email_queue("role_granted", to=world.staff, context=_role_context(world))
    Email.objects.filter(pk=email.pk).update(
        created_at=timezone.now() - timedelta(hours=49), next_attempt_at=timezone.now()
    )
    deliver_emails.enqueue()
    email.refresh_from_db()
    assert email.state == Email.State.FAILED
    assert email.last_error.startswith("Gave up after 48 hours. Last answer: 451 4.3.0")

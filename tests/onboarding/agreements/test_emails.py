"""The role agreement's emails go through the outbox, written in the transaction of
the change: a change rolled back sends nothing, a committed one sends each email
once (against a real SMTP server on 127.0.0.1); the daily reminders are a task the
command only queues."""

import io
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from onboarding.agreements import signing
from onboarding.agreements.models import Agreement
from onboarding.outbox.models import Email
from onboarding.outbox.tasks import deliver_emails
from tests import factories as f


def _short(world, status):
    return f.make_agreement(
        world.school, principal=world.principal, officer=world.sro, agency=world.agency,
        status=status, sections=f.SHORT_SECTIONS,
    )  # fmt: skip


def _url(name, agreement):
    return reverse(name, args=[agreement.school_id, agreement.pk])


class Rollback(Exception):
    pass


def test_a_change_rolled_back_sends_no_email(world, django_capture_on_commit_callbacks):
    agreement = _short(world, "review")
    Email.objects.all().delete()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Rollback),
        transaction.atomic(),
    ):
        signing.agreement_send_for_signing(agreement=agreement, actor=world.principal)
        # The email is written with the change, not after it...
        assert Email.objects.filter(kind="agreement_signature_needed").count() == 1
        raise Rollback  # ...so it goes with it when the change fails later.
    assert not Email.objects.exists()
    assert mail.outbox == []
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.REVIEW


def test_each_signing_turn_is_emailed_once_to_the_next_signer(
    world, own_client_for, mail_server, django_capture_on_commit_callbacks
):
    agreement = _short(world, "review")
    Email.objects.all().delete()  # the review's, queued while setting up
    with django_capture_on_commit_callbacks(execute=True):
        own_client_for(world.principal).post(_url("agreement_send_for_signing", agreement))
    assert mail_server.addresses() == [world.principal.email]
    agreement.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        response = own_client_for(world.principal).post(
            _url("agreement_sign", agreement),
            {
                "typed_name": world.principal.full_name,
                "confirm": "on",
                "version": agreement.current_version.number,
            },
        )
    assert response.status_code == 302
    # The principal's receipt of her signature, then the officer's turn.
    assert mail_server.addresses() == [world.principal.email] * 2 + [world.sro.email]
    turn = Email.objects.get(kind="agreement_signature_needed", recipient=world.sro)
    assert (turn.state, turn.school, turn.target_id) == (
        Email.State.SENT,
        world.school,
        str(agreement.pk),
    )
    assert turn.subject == f"Your signature is needed on {agreement.title}"
    ids = [m.message_id for m in mail_server.received]
    assert ids.count(f"<outbox-{turn.pk}@{settings.EMAIL_MESSAGE_ID_DOMAIN}>") == 1
    # Delivery running again (the sweep, another worker) sends nothing more.
    deliver_emails.enqueue()
    assert mail_server.addresses() == [world.principal.email] * 2 + [world.sro.email]


def _waiting_signer(world):
    agreement = _short(world, "signing")
    Agreement.objects.filter(pk=agreement.pk).update(
        sent_for_signing_at=timezone.now() - timedelta(days=4)
    )
    return agreement


def test_the_reminder_command_queues_a_task_that_reminds_each_signer_once(
    world, django_capture_on_commit_callbacks
):
    _waiting_signer(world)
    Email.objects.all().delete()
    for _ in range(2):
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_agreement_reminders", stdout=out)
        assert "Queued the agreement reminders for the worker (task " in out.getvalue()
    reminders = [m for m in mail.outbox if m.subject.startswith("Reminder: your signature")]
    assert [m.to for m in reminders] == [[world.principal.email]]
    assert Email.objects.filter(kind="agreement_signature_needed").count() == 1


def test_two_runs_at_once_remind_the_signer_once(world):
    """The task queued twice, two workers: a run that read the signer just before
    the other run reminded them sends nothing."""
    _waiting_signer(world)
    Email.objects.all().delete()
    read = Agreement.parties_with_signatures
    other_run = []

    def read_then_let_the_other_run_go(agreement, version):
        parties = read(agreement, version)
        if not other_run:
            other_run.append(None)  # the other run reads without stopping
            other_run[0] = signing.send_agreement_reminders()
        return parties

    with mock.patch.object(Agreement, "parties_with_signatures", read_then_let_the_other_run_go):
        this_run = signing.send_agreement_reminders()
    assert (other_run[0].signers, this_run.signers) == (1, 0)
    assert Email.objects.filter(kind="agreement_signature_needed").count() == 1


# Committed for real: the worker opens connections of its own.
@pytest.mark.django_db(transaction=True)
def test_with_the_database_backend_the_command_only_queues_and_the_worker_reminds(world, settings):
    from django_tasks_db.models import DBTaskResult

    _waiting_signer(world)
    Email.objects.all().delete()
    mail.outbox.clear()  # the setup's, delivered as it committed
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    out = io.StringIO()
    call_command("send_agreement_reminders", stdout=out)
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "onboarding.agreements.tasks.remind_agreement_parties"
    assert str(queued.pk) in out.getvalue()
    assert "Reminded" not in out.getvalue()
    assert not Email.objects.exists()  # nothing done yet: the worker does it
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "-v0")
    reminder = Email.objects.get(kind="agreement_signature_needed")
    assert reminder.subject.startswith("Reminder: your signature")
    # The worker also ran the delivery the reminder queued.
    assert [m.to for m in mail.outbox] == [[world.principal.email]]
    assert DBTaskResult.objects.exclude(status="SUCCESSFUL").count() == 0

"""The cron commands of events only enqueue: the worker sends the reminders, each
once however many times the command runs."""

from datetime import time, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.tasks import task_backends
from django.urls import reverse
from django.utils import timezone

from events.introductions.models import Visit
from events.invitations.workflows import event_cancel
from onboarding.outbox.models import Email, Mailing
from tests import factories as f

DUMMY = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def soon(world):
    event = f.EventFactory(
        school=world.school,
        organizer=world.principal,
        starts_at=timezone.now() + timedelta(hours=20),
    )
    return [f.EventInvitationFactory(event=event, answer=a) for a in ("going", "maybe", "pending")]


@pytest.fixture
def tomorrow(world):
    day = timezone.localdate(timezone=world.school.zone) + timedelta(days=1)
    return [
        f.VisitFactory(
            section=f.ClassSectionFactory(
                school=world.school,
                teacher=world.staff,
                name=name,
                period__start_time=time(hour, 0),
                period__end_time=time(hour, 50),
            ),
            officer=world.sro,
            date=day,
        )
        for name, hour in (("Civics", 9), ("History", 10))
    ]


def _run(command: str) -> str:
    out = StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    "command, path",
    [
        ("send_event_reminders", "events.invitations.tasks.send_event_reminders"),
        ("send_visit_reminders", "events.introductions.tasks.send_visit_reminders"),
        ("purge_family_contacts", "events.families.tasks.purge_family_contacts"),
    ],
)
def test_the_command_only_enqueues_its_task(command, path, settings, soon, tomorrow, world):
    settings.FAMILY_DATA_RETENTION_DAYS = 30
    long_ago = timezone.now() - timedelta(days=40)
    family = f.FamilySignupFactory(
        event__school=world.school,
        event__starts_at=long_ago - timedelta(hours=1),
        event__ends_at=long_ago,
    )
    settings.TASKS = DUMMY
    output = _run(command)
    (result,) = task_backends["default"].results
    assert result.task.module_path == path
    assert "Queued" in output and "the worker" in output
    # Nothing done yet: the worker does it.
    assert not Email.objects.exists() and not Mailing.objects.exists()
    assert not Visit.objects.filter(reminder_sent_at__isnull=False).exists()
    assert not soon[0].event.invitations.filter(reminded_at__isnull=False).exists()
    family.refresh_from_db()
    assert family.email and family.purged_at is None


def test_event_reminders_run_twice_remind_each_invitee_once(
    soon, django_capture_on_commit_callbacks
):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            _run("send_event_reminders")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(i.user.email for i in soon)
    mailing = Mailing.objects.get(kind="event_reminder")  # the second run planned none
    assert mailing.target_id == str(soon[0].event_id) and mailing.recipients == 3


def test_a_moved_event_is_reminded_again_for_its_new_time(
    world, soon, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _run("send_event_reminders")
    # What proposal_accept does to those who must answer again for the new time.
    soon[0].event.invitations.filter(pk=soon[0].pk).update(reminded_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        _run("send_event_reminders")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [i.user.email for i in soon] + [soon[0].user.email]
    )


def test_visit_reminders_run_twice_remind_each_visit_once(
    world, tomorrow, django_capture_on_commit_callbacks
):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            _run("send_visit_reminders")
    # One email per visit, to the teacher of both classes.
    assert sorted(m.subject for m in mail.outbox) == [
        "Tomorrow: the officer visits Civics",
        "Tomorrow: the officer visits History",
    ]
    assert {m.to[0] for m in mail.outbox} == {world.staff.email}
    assert sorted(Email.objects.values_list("target_id", flat=True)) == sorted(
        str(v.pk) for v in tomorrow
    )


def test_people_who_left_the_school_are_not_reminded(
    world, client_for, tomorrow, django_capture_on_commit_callbacks
):
    """Taken off the roster, a teacher hears no more of the school's events and
    visits; a guest who never belonged to it (an agency supervisor) still does."""
    event = f.EventFactory(
        school=world.school,
        organizer=world.principal,
        starts_at=timezone.now() + timedelta(hours=20),
    )
    stays = f.MembershipFactory(school=world.school, role="staff").user
    for person in (stays, world.staff, world.supervisor):
        f.EventInvitationFactory(event=event, user=person, answer="going")
    # world.staff teaches the classes visited tomorrow, and a class elsewhere.
    f.MembershipFactory(school=world.other_school, user=world.staff, role="staff")
    response = client_for(world.principal).post(
        reverse("membership_deactivate", args=[world.school.pk, world.staff_membership.pk])
    )
    assert response.status_code == 302

    with django_capture_on_commit_callbacks(execute=True):
        _run("send_event_reminders")
        _run("send_visit_reminders")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([stays.email, world.supervisor.email])
    assert not Visit.objects.filter(reminder_sent_at__isnull=False).exists()


def test_a_cancelled_event_is_not_told_to_people_who_left(
    world, client_for, django_capture_on_commit_callbacks
):
    event = f.EventFactory(
        school=world.school, organizer=world.principal, starts_at=timezone.now() + timedelta(days=5)
    )
    stays = f.MembershipFactory(school=world.school, role="staff").user
    for person in (stays, world.staff):
        f.EventInvitationFactory(event=event, user=person, answer="going")
    f.MembershipFactory(school=world.other_school, user=world.staff, role="staff")
    client = client_for(world.principal)
    client.post(reverse("membership_deactivate", args=[world.school.pk, world.staff_membership.pk]))

    with django_capture_on_commit_callbacks(execute=True):
        event_cancel(event=event, by=world.principal)
    assert [m.to[0] for m in mail.outbox] == [stays.email]

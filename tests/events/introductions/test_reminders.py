"""The daily reminder: teachers hear the day before the officer visits, once."""

from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from events.introductions.models import Visit
from tests import factories as f


def test_teachers_get_one_reminder_the_day_before(world, django_capture_on_commit_callbacks):
    tomorrow = timezone.localdate(timezone=world.school.zone) + timedelta(days=1)
    section = f.ClassSectionFactory(school=world.school, teacher=world.staff, name="Civics")
    visit = f.VisitFactory(
        section=section, officer=world.sro, date=tomorrow, student_questions="Why?"
    )
    later = f.VisitFactory(
        section=f.ClassSectionFactory(school=world.school, teacher=world.staff),
        officer=world.sro,
        date=tomorrow + timedelta(days=3),
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_visit_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.staff.email]
    assert "Civics" in mail.outbox[0].subject
    assert "Why?" in mail.outbox[0].body
    assert Visit.objects.get(pk=visit.pk).reminder_sent_at is not None
    assert Visit.objects.get(pk=later.pk).reminder_sent_at is None
    call_command("send_visit_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1

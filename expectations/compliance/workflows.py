from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import ngettext

from expectations.compliance import emails
from expectations.models import Guideline, ReminderLog
from onboarding.audit.models import AuditEvent
from onboarding.people.models import User
from onboarding.schools.models import School


def guideline_remind(
    *, guideline: Guideline, school: School, people: list[User], sent_by: User, request=None
) -> tuple[int, int]:
    """Email each pending person a reminder, unless they already had one today.
    Returns (reminded, skipped)."""
    today = timezone.localdate()
    reminded = []
    with transaction.atomic():
        for person in people:
            try:
                # A savepoint each: someone reminded today already is skipped, not fatal.
                with transaction.atomic():
                    ReminderLog.objects.create(
                        person=person, guideline=guideline, sent_on=today, sent_by=sent_by
                    )
            except IntegrityError:
                continue
            reminded.append(person)
        if reminded:
            AuditEvent.record(
                action="guideline.reminded",
                summary=ngettext(
                    "Reminded %(n)d person to acknowledge “%(title)s”",
                    "Reminded %(n)d people to acknowledge “%(title)s”",
                    len(reminded),
                )
                % {"n": len(reminded), "title": guideline.title},
                school=school,
                target=guideline,
                actor=sent_by,
                request=request,
                people=[p.pk for p in reminded],
            )
            transaction.on_commit(lambda: emails.send_reminders(guideline, school, reminded))
    return len(reminded), len(people) - len(reminded)

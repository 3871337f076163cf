from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext

from expectations.compliance import emails
from expectations.models import Guideline, ReminderLog, reminded_today
from onboarding.audit.models import AuditEvent
from onboarding.people.models import User
from onboarding.schools.models import School


def guideline_remind(
    *, guideline: Guideline, school: School, people: list[User], sent_by: User, request=None
) -> tuple[int, int]:
    """Email each pending person a reminder, unless they already had one today.
    Returns (reminded, skipped)."""
    now = timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        already = reminded_today([p.pk for p in people], today)
        ReminderLog.objects.bulk_create(
            [
                ReminderLog(person=p, guideline=guideline, sent_on=today, sent_at=now,
                            sent_by=sent_by)
                for p in people
                if p.pk not in already
            ],
            ignore_conflicts=True,
        )  # fmt: skip
        # Whoever another reminder logged in the meantime was skipped by the
        # database: the rows of this reminder are those with its own time.
        logged = set(
            ReminderLog.objects.filter(
                guideline=guideline, sent_on=today, sent_at=now, person__in=people
            ).values_list("person_id", flat=True)
        )
        reminded = [p for p in people if p.pk in logged]
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
            emails.reminders_mailing_start(guideline, school=school, people=reminded, actor=sent_by)
    return len(reminded), len(people) - len(reminded)

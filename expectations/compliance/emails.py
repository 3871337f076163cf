"""The reminder email: one mailing per reminder sent from the compliance page,
expanded by the worker into one email per person reminded (`add_reminders`)."""

from django.urls import reverse

from expectations.models import Guideline
from onboarding.outbox.compose import MailingEmails
from onboarding.outbox.models import Mailing
from onboarding.outbox.workflows import mailing_start
from onboarding.people.models import User
from onboarding.schools.models import School

KIND = "guideline_reminder"


def reminders_mailing_start(
    guideline: Guideline, *, school: School, people: list[User], actor
) -> Mailing:
    """Plan the reminders, in the transaction that logs them."""
    return mailing_start(
        KIND,
        builder="expectations.compliance.emails.add_reminders",
        arguments={
            "guideline_id": guideline.pk,
            "school_id": school.pk,
            "person_ids": [p.pk for p in people],
        },
        concerning=guideline,
        school=school,
        actor=actor,
    )


def add_reminders(
    emails: MailingEmails, *, guideline_id: int, school_id: int, person_ids: list[int]
) -> None:
    """Run by the worker: one reminder to each person."""
    guideline = Guideline.objects.filter(pk=guideline_id).first()
    school = School.objects.filter(pk=school_id).first()
    if guideline is None or school is None:  # deleted before the worker came to it
        return
    context = {
        "school": school,
        "guideline": guideline,
        "path": reverse("guideline_detail", args=[school.pk, guideline.pk]),
        "list_path": reverse("guidelines", args=[school.pk]),
    }
    for person in User.objects.filter(pk__in=person_ids).order_by("pk"):
        emails.add(KIND, to=person, concerning=guideline, context={"person": person, **context})

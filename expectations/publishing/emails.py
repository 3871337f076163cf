"""The email a published guideline sends: one mailing per version, expanded by the
worker into one email per person it targets (`add_published`)."""

from django.urls import reverse

from expectations.models import GuidelineVersion
from onboarding.outbox.compose import MailingEmails
from onboarding.outbox.models import Mailing
from onboarding.outbox.workflows import mailing_start

KIND = "guideline_published"


def published_mailing_start(version: GuidelineVersion, *, actor) -> Mailing:
    """Plan the version's emails, in the publishing transaction."""
    return mailing_start(
        KIND,
        builder="expectations.publishing.emails.add_published",
        arguments={"version_id": version.pk},
        concerning=version,
        school=version.guideline.school,
        actor=actor,
    )


def add_published(emails: MailingEmails, *, version_id: int) -> None:
    """Run by the worker: tell each targeted person there is a guideline (or a new
    version) to read, with their own due date (a newcomer's window counts from the
    day they joined)."""
    version = GuidelineVersion.objects.select_related("guideline").filter(pk=version_id).first()
    if version is None:  # the guideline was deleted before the worker came to it
        return
    guideline = version.guideline
    memberships = (
        guideline.targeted_memberships()
        .select_related("user", "school")
        .order_by("user_id", "created_at", "pk")
    )
    told = set()
    for membership in memberships:
        if membership.user_id in told:  # one email a person, from their first school
            continue
        told.add(membership.user_id)
        emails.add(
            KIND,
            to=membership.user,
            concerning=version,
            context={
                "person": membership.user,
                "school": membership.school,
                "guideline": guideline,
                "version": version,
                "due_date": version.due_for(membership.created_at, membership.school.zone),
                "path": reverse("guideline_detail", args=[membership.school_id, guideline.pk]),
            },
        )

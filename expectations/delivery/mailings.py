"""The mailings of a guideline its managers see on its page: the latest publishing
(one mailing per version published) and the school's latest reminders (one per
reminder sent), each with where its emails stand.

Who sees which: a version's publishing is for those who publish the guideline (the
school's managers, or for a district guideline its district admins: the emails
went to every school of the district); a school's reminders for that school's
managers.
"""

from dataclasses import dataclass

from django.db.models import CharField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast
from django.http import Http404

from expectations.compliance.emails import KIND as REMINDER
from expectations.models import Guideline, GuidelineVersion
from expectations.publishing.emails import KIND as PUBLISHED
from onboarding.access import SchoolAccess
from onboarding.outbox.models import Delivery, Email, Mailing

# Failed emails listed on the page; the rest are counted ("and 12 more").
FAILURES_SHOWN = 50


def _publishings(guideline: Guideline) -> QuerySet:
    """The mailings of the guideline's versions, each with `version_number`."""
    versions = GuidelineVersion.objects.filter(guideline=guideline).annotate(
        key=Cast("pk", output_field=CharField())
    )
    return (
        Mailing.objects.filter(
            kind=PUBLISHED,
            target_type=GuidelineVersion._meta.label,
            target_id__in=versions.values("key"),
        )
        .annotate(
            version_number=Subquery(versions.filter(key=OuterRef("target_id")).values("number"))
        )
        .select_related("created_by")
    )


def _reminders(guideline: Guideline, school) -> QuerySet:
    return Mailing.objects.filter(
        kind=REMINDER,
        target_type=Guideline._meta.label,
        target_id=str(guideline.pk),
        school=school,
    ).select_related("created_by")


@dataclass
class Panel:
    """One mailing as its sender sees it."""

    mailing: Mailing
    delivery: Delivery
    failures: list[Email]

    @classmethod
    def of(cls, mailing: Mailing) -> "Panel":
        delivery = mailing.delivery()
        failures = []
        if delivery.failed:
            failures = list(delivery.failures().select_related("recipient")[:FAILURES_SHOWN])
        return cls(mailing=mailing, delivery=delivery, failures=failures)

    @property
    def is_publishing(self) -> bool:
        return self.mailing.kind == PUBLISHED

    @property
    def more_failures(self) -> int:
        return self.delivery.failed - len(self.failures)


def delivery_panels(access: SchoolAccess, guideline: Guideline) -> list[Panel]:
    """What the person sees of the guideline's emails: a constant number of queries
    (a mailing, its counts, its first failures; for each of the two)."""
    mailings = []
    if guideline.can_be_revised_by(access):
        mailings.append(_publishings(guideline).first())
    if access.can_manage:
        mailings.append(_reminders(guideline, access.school).first())
    return [Panel.of(m) for m in mailings if m is not None]


def get_mailing_to_send_again(access: SchoolAccess, guideline: Guideline, mailing_id: int):
    """A mailing of this guideline shown to this person: 404 for any other mailing,
    403 for one they may see but not send (a district guideline's publishing, for
    the principal of one of its schools)."""
    mailing = (
        _publishings(guideline).filter(pk=mailing_id).first()
        or _reminders(guideline, access.school).filter(pk=mailing_id).first()
    )
    if mailing is None:
        raise Http404
    if mailing.kind == PUBLISHED:
        access.require(guideline.can_be_revised_by(access))
    else:
        access.require(access.can_manage)
    return mailing

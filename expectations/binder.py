"""Expectations' chapter of the evidence binder (see onboarding/contributions.py):
each guideline's versions of the year, with who acknowledged them and when."""

from collections import defaultdict

from django.db.models import Q

from expectations.models import Acknowledgment, Guideline, GuidelineVersion
from expectations.readiness import shares_for
from onboarding.readiness.dates import YearRange
from onboarding.readiness.lines import Chapter


def chapters_for(school, year: YearRange) -> list[Chapter]:
    _, end = year.bounds(school)
    guidelines = list(
        Guideline.objects.filter(
            Q(school=school) | Q(district_id=school.district_id), current_version__isnull=False
        ).order_by("title")
    )
    versions = defaultdict(list)
    for version in GuidelineVersion.objects.filter(
        guideline__in=guidelines, published_at__lte=end
    ).order_by("number"):
        versions[version.guideline_id].append(version)
    acks = defaultdict(list)
    for ack in (
        Acknowledgment.objects.filter(
            version__guideline__in=guidelines,
            acknowledged_at__lte=end,
            person__memberships__school=school,
        )
        .select_related("person")
        .distinct()
        .order_by("acknowledged_at")
    ):
        acks[ack.version_id].append(ack)
    # Where each guideline stands today, as the readiness dashboard counts it.
    shares = {s.guideline.pk: s for s in shares_for([school])[school.pk].guidelines}
    rows = [
        {
            "guideline": guideline,
            "share": shares.get(guideline.pk),
            "versions": [(v, acks[v.pk]) for v in versions[guideline.pk]],
        }
        for guideline in guidelines
        if versions[guideline.pk]
    ]
    return [
        Chapter(
            template="expectations/_binder.html",
            context={"binder_guidelines": rows},
            anchor="guidelines",
            title="Staff expectations and acknowledgments",
        )
    ]

"""The evidence binder: one school's school year, as one PDF for a board or an auditor.

Its chapters: the signed agreement with its signature certificate (the foundation's,
first), then each feature app's, from its `binder` module's
`chapters_for(school, year) -> [Chapter]` (onboarding/contributions.py):
expectations' guideline versions with who acknowledged them and when, events'
introduction coverage with the visit log, events with the officer's invitations and
attendance, and the engagement figures.
"""

from collections import defaultdict

from django.urls import reverse
from django.utils import timezone

from onboarding.agreements.integrity import mark_altered
from onboarding.agreements.models import Agreement, AgreementSection, Signature, with_html
from onboarding.contributions import contributions
from onboarding.readiness.dates import YearRange
from onboarding.readiness.lines import Chapter, merged
from onboarding.readiness.summary import readiness_for


def binder_context(school, year: YearRange) -> dict:
    chapters = [agreement_chapter(school, year)]
    for module in contributions("binder"):
        chapters += module.chapters_for(school, year)
    return {
        "school": school,
        "year": year,
        "generated_at": timezone.now(),
        "readiness": readiness_for([school])[school.pk],
        "chapters": chapters,
        **merged(chapters),
    }


def agreement_chapter(school, year: YearRange) -> Chapter:
    """Agreements in force at some point of the year: signed (activated) before its
    end, and still active, or superseded by an amendment that came into force in
    the year; each with its text and signature certificate."""
    start, end = year.bounds(school)
    agreements = (
        Agreement.objects.filter(
            school=school,
            activated_at__isnull=False,
            activated_at__lte=end,
            status__in=[Agreement.Status.ACTIVE, Agreement.Status.SUPERSEDED],
        )
        .select_related("current_version", "agency", "officer")
        .prefetch_related("amendments")
        .order_by("activated_at")
    )
    kept = []
    for agreement in agreements:
        if agreement.status == Agreement.Status.SUPERSEDED:
            replaced = [a.activated_at for a in agreement.amendments.all() if a.activated_at]
            if replaced and max(replaced) < start:
                continue
        kept.append(agreement)
    versions = [a.current_version_id for a in kept]
    sections, signatures = defaultdict(list), defaultdict(list)
    for section in with_html(AgreementSection.objects.filter(version_id__in=versions)):
        sections[section.version_id].append(section)
    for signature in Signature.objects.filter(version_id__in=versions).select_related("user"):
        signatures[signature.version_id].append(signature)
    mark_altered(kept)
    for a in kept:
        # The binder prints the text: its sections are checked against it too.
        a.current_version.agreement = a  # known: no query for its title
        intact = a.current_version.is_intact(
            sections[a.current_version_id], signatures[a.current_version_id]
        )
        a.altered = a.altered or not intact
    items = [
        {
            "agreement": a,
            "version": a.current_version,
            "sections": sections[a.current_version_id],
            "signatures": signatures[a.current_version_id],
            "verify_path": reverse(
                "agreement_verify", args=[school.pk, a.pk, a.current_version.number]
            ),
        }
        for a in kept
    ]
    return Chapter(
        template="onboarding/binder/binder.html#agreement",
        context={"agreements": items},
        anchor="agreement",
        title="Role agreement and signature certificate",
    )

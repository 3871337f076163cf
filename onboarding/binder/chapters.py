"""The evidence binder: one school's school year, as one PDF for a board or an auditor.

The signed agreement with its signature certificate, each guideline version with who
acknowledged it and when, introduction coverage with the visit log, events with the
officer's invitations and attendance, and the engagement figures.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from events.engagement.figures import engagement_figures
from events.introductions.models import Visit
from events.introductions.workflows import school_officers
from events.invitations.models import Event, EventInvitation
from expectations.models import Acknowledgment, Guideline, GuidelineVersion
from onboarding.agreements.models import Agreement, AgreementSection, Signature
from onboarding.readiness.summary import readiness_for, school_year_label


@dataclass
class YearRange:
    start: date
    end: date

    @property
    def label(self) -> str:
        return school_year_label(self.start)


def _bounds(school, year: YearRange) -> tuple[datetime, datetime]:
    zone = school.zone
    start = datetime.combine(year.start, time.min, tzinfo=zone)
    end = datetime.combine(year.end, time.max, tzinfo=zone)
    return start, end


def _agreements(school, year: YearRange, end: datetime) -> list[dict]:
    """Agreements in force at some point of the year: signed (activated) before its end,
    and still active, or superseded by an amendment that came into force in the year."""
    agreements = list(
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
    start, _ = _bounds(school, year)
    kept = []
    for agreement in agreements:
        if agreement.status == Agreement.Status.SUPERSEDED:
            replaced = [a.activated_at for a in agreement.amendments.all() if a.activated_at]
            if replaced and max(replaced) < start:
                continue
        kept.append(agreement)
    versions = [a.current_version_id for a in kept]
    sections, signatures = defaultdict(list), defaultdict(list)
    for section in AgreementSection.objects.filter(version_id__in=versions):
        sections[section.version_id].append(section)
    for signature in Signature.objects.filter(version_id__in=versions).select_related("user"):
        signatures[signature.version_id].append(signature)
    return [
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


def _guidelines(school, end: datetime, shares) -> list[dict]:
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
    share_by_id = {s.guideline.pk: s for s in shares}
    rows = []
    for guideline in guidelines:
        if not versions[guideline.pk]:
            continue
        rows.append(
            {
                "guideline": guideline,
                "share": share_by_id.get(guideline.pk),
                "versions": [(v, acks[v.pk]) for v in versions[guideline.pk]],
            }
        )
    return rows


def _visits(school, year: YearRange) -> tuple[list, dict]:
    visits = list(
        Visit.objects.with_details()
        .filter(school=school, date__gte=year.start, date__lte=year.end)
        .exclude(status=Visit.Status.CANCELLED)
        .order_by("starts_at")
    )
    totals = {status.value: 0 for status in Visit.Status if status != Visit.Status.CANCELLED}
    for visit in visits:
        totals[visit.status] += 1
    return visits, totals


def _events(school, start: datetime, end: datetime, officers) -> tuple[list, dict]:
    events = list(
        Event.objects.active()
        .filter(school=school, starts_at__gte=start, starts_at__lte=end)
        .order_by("starts_at")
    )
    invitations = defaultdict(list)
    for invitation in (
        EventInvitation.objects.filter(event__in=events, user__in=officers)
        .select_related("user")
        .order_by("user__full_name")
    ):
        invitations[invitation.event_id].append(invitation)
    for event in events:
        event.officer_invitations = invitations[event.pk]
    totals = {
        "events": len(events),
        "officer_invited": sum(1 for e in events if e.officer_invitations),
        "officer_attended": sum(
            1 for e in events if any(i.attended for i in e.officer_invitations)
        ),
    }
    return events, totals


def binder_context(school, year: YearRange) -> dict:
    start, end = _bounds(school, year)
    today = timezone.localdate(timezone=school.zone)
    readiness = readiness_for([school])[school.pk]
    officers = list(school_officers(school))
    visits, visit_totals = _visits(school, year)
    events, event_totals = _events(school, start, end, officers)
    last_month = min(year.end, today).replace(day=1)
    months = (last_month.year - year.start.year) * 12 + last_month.month - year.start.month + 1
    return {
        "school": school,
        "year": year,
        "generated_at": timezone.now(),
        "readiness": readiness,
        "agreements": _agreements(school, year, end),
        "guidelines": _guidelines(school, end, readiness.guidelines),
        "visits": visits,
        "visit_totals": visit_totals,
        "visit_count": len(visits),
        "events": events,
        "event_totals": event_totals,
        "engagement": engagement_figures(
            school, officers, last_month=last_month, count=max(1, min(12, months))
        )
        if year.start <= today
        else [],
    }

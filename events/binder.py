"""Events' chapters of the evidence binder (see onboarding/contributions.py): class
introductions (coverage and the visit log), events (the officer's invitations and
attendance) and the engagement figures of the school year."""

from collections import defaultdict

from django.utils import timezone

from events.engagement.figures import engagement_figures
from events.introductions.models import Visit
from events.introductions.workflows import school_officers
from events.invitations.models import Event, EventInvitation
from events.readiness import school_coverage
from onboarding.readiness.dates import YearRange
from onboarding.readiness.lines import Chapter, percent

TEMPLATE = "events/_binder.html"


def chapters_for(school, year: YearRange) -> list[Chapter]:
    officers = list(school_officers(school))
    return [
        _introductions(school, year),
        _events(school, year, officers),
        _engagement(school, year, officers),
    ]


def _introductions(school, year: YearRange) -> Chapter:
    visits = list(
        Visit.objects.with_details()
        .filter(school=school, date__gte=year.start, date__lte=year.end)
        .exclude(status=Visit.Status.CANCELLED)
        .order_by("starts_at")
    )
    totals = {status.value: 0 for status in Visit.Status if status != Visit.Status.CANCELLED}
    for visit in visits:
        totals[visit.status] += 1
    coverage = school_coverage(school)
    return Chapter(
        template=f"{TEMPLATE}#introductions",
        context={
            "binder_coverage": {
                **coverage,
                "percent": percent(coverage["scheduled"], coverage["total"]),
            },
            "binder_visits": visits,
            "binder_visit_totals": totals,
        },
        anchor="introductions",
        title="Class introductions: coverage and visit log",
    )


def _events(school, year: YearRange, officers) -> Chapter:
    start, end = year.bounds(school)
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
    return Chapter(
        template=f"{TEMPLATE}#events",
        context={"binder_events": events, "binder_event_totals": totals},
        anchor="events",
        title="Events, invitations and attendance",
    )


def _engagement(school, year: YearRange, officers) -> Chapter:
    today = timezone.localdate(timezone=school.zone)
    last_month = min(year.end, today).replace(day=1)
    months = (last_month.year - year.start.year) * 12 + last_month.month - year.start.month + 1
    figures = (
        engagement_figures(school, officers, last_month=last_month, count=max(1, min(12, months)))
        if year.start <= today
        else []
    )
    return Chapter(
        template=f"{TEMPLATE}#engagement",
        context={"binder_engagement": figures},
        anchor="engagement",
        title="Engagement figures",
    )

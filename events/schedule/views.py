from collections import defaultdict
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from events.introductions.models import Visit
from events.schedule import workflows
from events.schedule.feed import feed_officer, officer_calendar
from events.schedule.models import OfficerFeed
from onboarding.access import current_schools, get_agency_for_user
from onboarding.navigation import navigation_for
from onboarding.people.models import User
from onboarding.schools.models import AgencyMembership, Membership, Role
from sro_portal.forms import is_within_range
from sro_portal.query import day_asked


def _require_officer(request) -> list[Membership]:
    """The officer's own schedule is for officers: everyone else gets a 403. Returns
    their officer memberships, by school name, read from the memberships the
    navigation bar holds anyway (one query shared with it)."""
    memberships = [m for m in navigation_for(request).memberships if m.role == Role.SRO]
    if not memberships:
        raise PermissionDenied
    return memberships


def _officer_today(user, memberships: list[Membership] | None = None) -> date:
    """Today in the zone of the officer's first school (by name); `memberships`: their
    officer memberships when the caller has them (see _require_officer)."""
    if memberships is not None:
        membership = memberships[0] if memberships else None
    else:
        membership = (
            Membership.objects.active()
            .filter(user=user, role=Role.SRO)
            .select_related("school")
            .order_by("school__name")
            .first()
        )
    if membership is None:  # an officer with no school yet
        return timezone.localdate()
    return timezone.localdate(timezone=membership.school.zone)


def _officer_visits(user):
    """The officer's active visits at the schools they serve now."""
    return (
        Visit.objects.active()
        .with_details()
        .filter(officer=user, school__in=current_schools(user, Role.SRO))
    )


def _by_day(visits, days: list[date] | None = None) -> list[tuple[date, list[Visit]]]:
    """Visits grouped by day, in order: the days that have visits, or every one of
    `days` (those without visits with an empty list)."""
    by_day: dict[date, list[Visit]] = defaultdict(list)
    for visit in visits:
        by_day[visit.date].append(visit)
    return [(day, by_day[day]) for day in (days if days is not None else sorted(by_day))]


@login_required
def officer_schedule(request):
    memberships = _require_officer(request)
    today = _officer_today(request.user, memberships)
    visits = _officer_visits(request.user).filter(date__gte=today - timedelta(days=7))
    feed = OfficerFeed.for_officer(request.user)
    context = {
        "today": today,
        "days": _by_day(visits),
        "feed_url": request.build_absolute_uri(reverse("officer_feed", args=[feed.token])),
        "monday": today - timedelta(days=today.weekday()),
    }
    return render(request, "events/schedule/officer_schedule.html", context)


def week_visits(officer: User | int, first: date, last: date) -> QuerySet[Visit]:
    """An officer's active visits from `first` to `last` at the schools they serve
    now, by start, with their class and school. Read through the partial index of
    active visits by (officer, date, starts_at)."""
    return (
        Visit.objects.active()
        .filter(officer=officer, date__gte=first, date__lte=last)
        .filter(school__in=current_schools(officer, Role.SRO))
        .select_related("section", "school")
        .order_by("starts_at")
    )


def _week_context(request, officer, memberships: list[Membership] | None = None) -> dict:
    today = _officer_today(officer, memberships)
    start = day_asked(request.GET.get("start", ""), today=today)
    monday = start - timedelta(days=start.weekday())
    days = [monday + timedelta(days=i) for i in range(5)]
    return {
        "today": today,
        "week": _by_day(week_visits(officer, days[0], days[-1]), days),
        "monday": monday,
        "previous": monday - timedelta(days=7),
        "next": monday + timedelta(days=7),
    }


@login_required
def officer_week(request):
    memberships = _require_officer(request)
    context = _week_context(request, request.user, memberships)
    return render(request, "events/schedule/officer_week.html", context)


@login_required
def agency_officer_week(request, agency_id: int, officer_id: int):
    """The agency's SRO supervisor (or the district admin) reads an officer's week."""
    agency = get_agency_for_user(request, agency_id)
    officer = get_object_or_404(
        User,
        pk=officer_id,
        agency_memberships__agency=agency,
        agency_memberships__role=AgencyMembership.AgencyRole.OFFICER,
        agency_memberships__is_active=True,
    )
    context = {**_week_context(request, officer), "officer": officer, "agency": agency}
    return render(request, "events/schedule/officer_week.html", context)


@login_required
def officer_day(request, day: str):
    _require_officer(request)
    try:
        the_day = date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    if not is_within_range(the_day):
        raise Http404
    visits = _officer_visits(request.user).filter(date=the_day)
    return render(request, "events/schedule/officer_day.html", {"day": the_day, "visits": visits})


@login_required
@require_POST
def officer_feed_regenerate(request):
    _require_officer(request)
    workflows.feed_regenerate(officer=request.user, request=request)
    messages.success(
        request, "Your calendar link is new. Subscribe again with it: the old one no longer works."
    )
    return redirect("officer_schedule")


def officer_feed(request, token: str):
    """The public, secret-link iCalendar feed (calendar apps cannot sign in)."""
    officer = feed_officer(token)
    if officer is None:
        raise Http404
    response = HttpResponse(officer_calendar(officer), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="sro-schedule.ics"'
    # Asked again each time: a school the officer left must leave their calendar
    # at the next refresh, not after a kept copy expires.
    response["Cache-Control"] = "private, no-cache"
    return response

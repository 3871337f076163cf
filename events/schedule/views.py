from collections import defaultdict
from datetime import date, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.views.decorators.http import require_POST

from events.introductions.models import (
    ACTIVE_VISIT,
    Visit,
)
from events.schedule.feed import feed_officer, officer_calendar
from events.schedule.models import OfficerFeed
from events.timetable.models import ClassSection
from onboarding.access import get_agency_for_user
from onboarding.audit.models import AuditEvent
from onboarding.navigation import navigation_for
from onboarding.people.models import User
from onboarding.schools.models import AgencyMembership, Membership, Role, School


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
    return Visit.objects.active().with_details().filter(officer=user)


def _by_day(visits) -> list[tuple[date, list[Visit]]]:
    days: dict[date, list[Visit]] = defaultdict(list)
    for visit in visits:
        days[visit.date].append(visit)
    return sorted(days.items())


@login_required
def officer_schedule(request):
    memberships = _require_officer(request)
    today = _officer_today(request.user, memberships)
    visits = list(_officer_visits(request.user).filter(date__gte=today - timedelta(days=7)))
    feed = OfficerFeed.for_officer(request.user)
    context = {
        "today": today,
        "days": _by_day(visits),
        "feed_url": request.build_absolute_uri(f"/feeds/officer/{feed.token}.ics"),
        "monday": today - timedelta(days=today.weekday()),
    }
    return render(request, "events/schedule/officer_schedule.html", context)


@cache
def _week_sql() -> str:
    statuses = ", ".join(["%s"] * len(ACTIVE_VISIT))
    # Table names from the models' metadata; every value is a parameter.
    return (
        "SELECT visit.id, visit.date, visit.starts_at,"  # noqa: S608
        " section.name AS section_name, section.room AS section_room,"
        " school.name AS school_name, school.time_zone AS school_time_zone"
        f" FROM {Visit._meta.db_table} visit"
        f" JOIN {ClassSection._meta.db_table} section ON section.id = visit.section_id"
        f" JOIN {School._meta.db_table} school ON school.id = visit.school_id"
        f" WHERE visit.officer_id = %s AND visit.status IN ({statuses})"
        " AND visit.date >= %s AND visit.date <= %s"
        " ORDER BY visit.starts_at"
    )


def week_visits(officer_id: int, first: date, last: date) -> list[Visit]:
    """An officer's active visits from `first` to `last`, by start, each with
    `section_name`, `section_room`, `school_name` and `school_time_zone`: the rows of

        Visit.objects.active().filter(officer=officer_id, date__gte=first, date__lte=last)
        .values_list("date", "starts_at", "section__name", "section__room",
                     "school__name", "school__time_zone")

    from a query written out once per process (as onboarding.context_processors does
    for memberships): compiling that queryset cost about half a millisecond of Python,
    a tenth of the week page. It reads the partial index of events/0003.
    """
    ops = connection.ops
    params = [
        officer_id,
        *ACTIVE_VISIT,
        ops.adapt_datefield_value(first),
        ops.adapt_datefield_value(last),
    ]
    return list(Visit.objects.raw(_week_sql(), params))


def _week_context(request, officer, memberships: list[Membership] | None = None) -> dict:
    today = _officer_today(officer, memberships)
    try:
        start = date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        start = today
    monday = start - timedelta(days=start.weekday())
    days = [monday + timedelta(days=i) for i in range(5)]
    # The week shows each visit's time, class, room and school only; the text of each
    # is built here once rather than by template filters per row.
    visits = week_visits(officer.pk, days[0], days[-1])
    by_day: dict[date, list[dict]] = defaultdict(list)
    zones: dict[str, ZoneInfo] = {}
    for visit in visits:
        time_zone = visit.school_time_zone
        zone = zones.get(time_zone) or zones.setdefault(time_zone, ZoneInfo(time_zone))
        by_day[visit.date].append(
            {
                "starts": visit.starts_at.isoformat(),
                # The school's own wall-clock time, whatever zone is active.
                "time": _clock(visit.starts_at.astimezone(zone)),
                "section": visit.section_name,
                "school": visit.school_name,
                "room": visit.section_room,
            }
        )
    # One reverse for the five days' sheets: the path with a marker day, replaced.
    day_url = reverse("officer_day", args=["0000-00-00"])
    return {
        "today": today,
        "week": [
            {
                "iso": day.isoformat(),
                "label": dateformat.format(day, "l, M j"),
                "url": day_url.replace("0000-00-00", day.isoformat()),
                "is_today": day == today,
                "visits": by_day.get(day, []),
            }
            for day in days
        ],
        "monday": monday,
        "previous": monday - timedelta(days=7),
        "next": monday + timedelta(days=7),
    }


def _clock(moment) -> str:
    """ "8:05 AM": the `time:"g:i A"` of a template (the portal is in English only)."""
    return f"{moment.hour % 12 or 12}:{moment.minute:02d} {'AM' if moment.hour < 12 else 'PM'}"


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
    visits = list(_officer_visits(request.user).filter(date=the_day))
    return render(request, "events/schedule/officer_day.html", {"day": the_day, "visits": visits})


@login_required
@require_POST
def officer_feed_regenerate(request):
    _require_officer(request)
    feed = OfficerFeed.for_officer(request.user)
    feed.regenerate()
    AuditEvent.record(
        action="introductions.feed_regenerate",
        summary=f"{request.user} made a new calendar feed link; the old one stopped working",
        target=feed,
        request=request,
    )
    messages.success(
        request, "Your calendar link is new. Subscribe again with it: the old one no longer works."
    )
    return redirect("officer_schedule")


def officer_feed(request, token: str):
    """The public, secret-link iCalendar feed (calendar apps cannot sign in)."""
    officer = feed_officer(token)
    if officer is None:
        raise Http404
    calendar = officer_calendar(officer)
    response = HttpResponse(calendar.encode(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="sro-schedule.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response

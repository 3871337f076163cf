"""Events' parts of each person's home page (see onboarding/contributions.py): the
staff's next visits and class-talk requests, the officer's day, week, questions
and talk requests, the invitations to answer; and the officers' figures of the
month in the supervisor's table. Each in a fixed number of queries, and each of
the schools the person belongs to now only (`current_schools`): a school they left
shows nothing here.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from events.engagement.figures import month_figures_for_schools
from events.introductions.models import Visit
from events.invitations.models import Event, EventInvitation
from events.talks.models import ClassTalkRequest
from onboarding.access import current_schools
from onboarding.readiness.lines import Cell, Column, Part
from onboarding.schools.models import Role

TEMPLATE = "events/_home.html"


def panels_for(request, *, memberships) -> list[Part]:
    """The officer's panel (officers), the staff's (staff and mental-health staff)
    and the invitations to answer (anyone with a school)."""
    if not memberships:
        return []
    user = request.user
    roles = {m.role for m in memberships}
    today = timezone.localdate(timezone=memberships[0].school.zone)  # their working day
    panels = []
    if Role.SRO in roles:
        panels.append(Part(f"{TEMPLATE}#officer", _officer(user, today)))
    if roles & {Role.STAFF, Role.MENTAL_HEALTH}:
        panels.append(Part(f"{TEMPLATE}#staff", _staff(user, today)))
    panels.append(Part(f"{TEMPLATE}#invitations", {"invitations_to_answer": _to_answer(user)}))
    return panels


def _to_answer(user) -> list[EventInvitation]:
    return list(
        # Event.objects.upcoming() as conditions on the joined event (rather than a
        # subquery), so the database starts from this person's few invitations.
        EventInvitation.objects.filter(
            user=user,
            answer=EventInvitation.Answer.PENDING,
            event__cancelled_at__isnull=True,
            event__starts_at__gt=timezone.now(),
            event__school__in=current_schools(user),
        )
        .select_related("event__school")
        .only("event__title", "event__starts_at", "event__school__name", "event__school__time_zone")
        .order_by("event__starts_at")
    )


def _staff(user, today: date) -> dict:
    visits = list(
        Visit.objects.active()
        .filter(section__teacher=user, date__gte=today, school__in=current_schools(user))
        .select_related("school", "section", "period", "officer")
        .only(  # what the list shows
            "starts_at",
            "school__name",
            "school__time_zone",
            "section__name",
            "section__room",
            "period__name",
            "officer__full_name",
        )
        .order_by("starts_at")[:10]
    )
    # Pending requests (newest first), then accepted ones still to come (soonest
    # first): one query, put in that order here.
    requests = list(
        ClassTalkRequest.objects.filter(
            Q(status=ClassTalkRequest.Status.PENDING)
            | Q(status=ClassTalkRequest.Status.ACCEPTED, event__starts_at__gt=timezone.now()),
            requested_by=user,
            school__in=current_schools(user),
        )
        .select_related("school", "topic__officer", "event")
        .only(  # what the list shows
            "class_description",
            "status",
            "created_at",
            "school__time_zone",
            "topic__title",
            "topic__officer__full_name",
            "event__starts_at",
        )
    )
    pending = [r for r in requests if r.status == ClassTalkRequest.Status.PENDING]
    accepted = [r for r in requests if r.status == ClassTalkRequest.Status.ACCEPTED]
    pending.sort(key=lambda r: r.created_at, reverse=True)
    accepted.sort(key=lambda r: r.event.starts_at)
    return {"my_visits": visits, "my_talk_requests": pending + accepted}


def _officer(user, today: date) -> dict:
    week_end = today + timedelta(days=6)
    visits = list(
        Visit.objects.active()
        .filter(officer=user, date__gte=today, date__lte=week_end)
        .filter(school__in=current_schools(user, Role.SRO))
        .select_related("school", "section__teacher")  # what the lists show
        .order_by("starts_at")
    )
    # The days as a range of times (in the current zone, as __date would read them),
    # so that the database compares starts_at itself rather than casting every row.
    zone = timezone.get_current_timezone()
    week_start = datetime.combine(today, time.min, tzinfo=zone)
    week_stop = datetime.combine(week_end + timedelta(days=1), time.min, tzinfo=zone)
    events = list(
        Event.objects.accepted_by(user)
        .filter(starts_at__gte=week_start, starts_at__lt=week_stop)
        .select_related("school")
        .order_by("starts_at")
    )
    questions = list(
        Visit.objects.active()
        .filter(officer=user, date__gte=today, school__in=current_schools(user, Role.SRO))
        .select_related("school", "section")
        .exclude(student_questions="")
        .order_by("starts_at")[:5]
    )
    talks = list(
        ClassTalkRequest.objects.filter(
            topic__officer=user,
            status=ClassTalkRequest.Status.PENDING,
            school__in=current_schools(user, Role.SRO),
        )
        .select_related("school", "topic", "requested_by")
        .order_by("created_at")
    )
    return {
        "officer_today": today,
        "officer_visits_today": [v for v in visits if v.date == today],
        "officer_visits_week": [v for v in visits if v.date != today],
        "officer_events_week": events,
        "officer_questions": questions,
        "officer_talk_requests": talks,
    }


def officer_columns_for(schools, officers: set[tuple[int, int]], *, month: date) -> list[Column]:
    """The supervisor's table: each officer's figures of `month` at each school they
    serve, by (school_id, officer_id) of `officers`. Two queries."""
    figures = month_figures_for_schools(list(schools), month, officers=officers)
    cells = {pair: Cell(f, f.introductions) for pair, f in figures.items()}
    return [
        Column("introductions", "Introductions done", f"{TEMPLATE}#introductions", cells),
        Column("events", "Events attended (of invited)", f"{TEMPLATE}#attended", cells),
        Column("hours", "Hours at events", f"{TEMPLATE}#hours", cells),
    ]

"""What each person's home page shows: "what do I do next?", per role.

Each function returns the context of one role's part of the home page, in a fixed
number of queries whatever the amount of data.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import dateformat, timezone
from django.utils.html import format_html

from events.engagement.figures import MonthFigures
from events.introductions.models import Visit
from events.invitations.models import Event, EventInvitation
from events.talks.models import ClassTalkRequest
from onboarding.agreements.models import Agreement
from onboarding.readiness.summary import (
    kept_rows_for,
    this_month,
    whose_turn,
)
from onboarding.schools.models import AgencyMembership, Membership, Role
from sro_portal.reversing import url_for_each


def _today(memberships) -> date:
    """Today in the zone of the person's first school (their working day)."""
    if memberships:
        return timezone.localdate(timezone=memberships[0].school.zone)
    return timezone.localdate()


def invitations_to_answer(user):
    return list(
        # Event.objects.upcoming() as conditions on the joined event (rather than a
        # subquery), so the database starts from this person's few invitations.
        EventInvitation.objects.filter(
            user=user,
            answer=EventInvitation.Answer.PENDING,
            event__cancelled_at__isnull=True,
            event__starts_at__gt=timezone.now(),
        )
        .select_related("event", "event__school")
        .order_by("event__starts_at")
    )


def staff_home(user, memberships) -> dict:
    today = _today(memberships)
    visits = list(
        Visit.objects.active()
        .filter(section__teacher=user, date__gte=today)
        .select_related("school", "section", "period", "officer")  # what the list shows
        .order_by("starts_at")[:10]
    )
    # Pending requests (newest first), then accepted ones still to come (soonest
    # first): one query, put in that order here.
    requests = list(
        ClassTalkRequest.objects.filter(
            Q(status=ClassTalkRequest.Status.PENDING)
            | Q(status=ClassTalkRequest.Status.ACCEPTED, event__starts_at__gt=timezone.now()),
            requested_by=user,
        ).select_related("school", "topic", "topic__officer", "event")
    )
    pending = [r for r in requests if r.status == ClassTalkRequest.Status.PENDING]
    accepted = [r for r in requests if r.status == ClassTalkRequest.Status.ACCEPTED]
    pending.sort(key=lambda r: r.created_at, reverse=True)
    accepted.sort(key=lambda r: r.event.starts_at)
    return {"my_visits": visits, "my_talk_requests": pending + accepted}


def officer_home(user, memberships) -> dict:
    today = _today(memberships)
    week_end = today + timedelta(days=6)
    visits = list(
        Visit.objects.active()
        .filter(officer=user, date__gte=today, date__lte=week_end)
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
        .filter(officer=user, date__gte=today)
        .select_related("school", "section")
        .exclude(student_questions="")
        .order_by("starts_at")[:5]
    )
    talks = list(
        ClassTalkRequest.objects.filter(topic__officer=user, status=ClassTalkRequest.Status.PENDING)
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


def agreements_to_sign(user) -> list[Agreement]:
    """Agreements in signing whose turn is this person's: one query, two more when
    they are a party to some."""
    agreements = list(
        Agreement.objects.filter(
            status=Agreement.Status.SIGNING, parties__user=user, current_version__isnull=False
        )
        .select_related("school")
        .distinct()
    )
    if not agreements:
        return []
    turn = whose_turn(agreements)
    mine = []
    for agreement in agreements:
        party = turn[agreement.pk]
        if party is not None and party.user_id == user.pk:
            mine.append(agreement)
    return mine


def _agreement_cell(agreement, waiting_for) -> str:
    """The agreement cell of a supervisor's row: its state, whose signature it waits
    for, its review date (as the template's `date:"N j, Y"`). Built here rather
    than by the template."""
    if agreement is None:
        return "None"
    review = agreement.review_date if agreement.status == Agreement.Status.ACTIVE else None
    return format_html(
        '<span class="badge {}">{}</span>{}{}',
        agreement.badge_class,
        agreement.get_status_display(),
        format_html(" waiting for {}", waiting_for.user.full_name) if waiting_for else "",
        format_html(" review {}", dateformat.format(review, "N j, Y")) if review else "",
    )


def supervisor_home(user, agency_roles) -> dict:
    """Each officer of the agencies this person supervises, at each school they
    serve: the agreement there and the officer's figures of the month there. The
    rows are plain text, built here (a hundred rows)."""
    supervised = [
        a.agency_id for a in agency_roles if a.role == AgencyMembership.AgencyRole.SUPERVISOR
    ]
    if not supervised:
        return {}
    officer_roles = AgencyMembership.objects.filter(
        agency_id__in=supervised, role=AgencyMembership.AgencyRole.OFFICER, is_active=True
    )
    officers = list(
        officer_roles.order_by("user__full_name").values_list("user_id", "user__full_name")
    )
    served = defaultdict(list)
    for membership in (
        Membership.objects.active()
        .filter(role=Role.SRO, user_id__in=officer_roles.values("user_id"))
        .select_related("school")
        .order_by("school__name")
    ):
        served[membership.user_id].append(membership.school)
    schools = {school.pk: school for schools in served.values() for school in schools}
    month = this_month()
    # The agreement that counts at each school, whose signature it waits for and
    # the month's figures of each officer there: kept with the schools' readiness.
    readiness = kept_rows_for(schools.values(), month=month)
    school_url = url_for_each("school_home")  # one reverse() for every row
    # Many schools' cells read alike ("Active review Aug 1, 2027"): each built once.
    built, cells = {}, {}
    for school_id, r in readiness.items():
        agreement, party = r.agreement, r.waiting_for
        key = agreement and (
            agreement.status,
            agreement.review_date,
            party.user.full_name if party else None,
        )
        if key not in built:
            built[key] = _agreement_cell(agreement, party)
        cells[school_id] = built[key]
    no_figures = MonthFigures(month=month)
    rows = []
    for officer_id, name in officers:
        for school in served[officer_id]:
            figures = readiness[school.pk].month_figures.get(officer_id, no_figures)
            rows.append(
                {
                    "officer": name,
                    "school": school.name,
                    "school_url": school_url(school.pk),
                    "agreement": cells[school.pk],
                    "introductions": str(figures.introductions),
                    "events": f"{figures.attended} of {figures.invited}",
                    "hours": str(figures.hours),
                }
            )
        if not served[officer_id]:
            rows.append({"officer": name})
    return {"supervision_rows": rows, "supervision_month": month}

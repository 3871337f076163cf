"""Events and invitations: the school calendar, an event's page, invitations and
answers, time proposals and attendance.
"""

import calendar
from datetime import date, datetime, timedelta
from functools import cache

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.views.decorators.http import require_POST

from events.invitations import workflows
from events.invitations.forms import (
    AnswerForm,
    AttendanceForm,
    EventCreateForm,
    EventForm,
    InviteForm,
    ProposalForm,
)
from events.invitations.models import Event, EventInvitation, TimeProposal
from onboarding.access import SchoolAccess, get_school_access
from onboarding.schools.models import Membership, Role
from sro_portal.reversing import url_for_each


def _calendar_access(request, school_id: int) -> SchoolAccess:
    """School members and district admins; an agency supervisor reads agency items only."""
    access = get_school_access(request, school_id)
    access.require(not access.is_agency_reader)
    return access


def _get_event(access: SchoolAccess, event_id: int) -> Event:
    return get_object_or_404(
        Event.objects.select_related("school", "organizer"), pk=event_id, school=access.school
    )


def _can_organize(access: SchoolAccess, event: Event, user) -> bool:
    return access.can_manage or (event.organizer_id == user.pk and access.role is not None)


def _organizer_event(request, school_id: int, event_id: int) -> tuple[SchoolAccess, Event]:
    access = _calendar_access(request, school_id)
    event = _get_event(access, event_id)
    access.require(_can_organize(access, event, request.user))
    return access, event


def _my_invitation(request, school_id: int, event_id: int):
    access = _calendar_access(request, school_id)
    event = _get_event(access, event_id)
    invitation = event.invitations.filter(user=request.user).select_related("user").first()
    access.require(invitation is not None)
    invitation.event = event
    return access, event, invitation


def _school_officers(school):
    return [
        m.user
        for m in Membership.objects.active()
        .filter(school=school, role=Role.SRO)
        .select_related("user")
        .order_by("user__full_name")
    ]


def _with_my_answer(events, user):
    return events.prefetch_related(
        Prefetch(
            "invitations",
            queryset=EventInvitation.objects.filter(user=user),
            to_attr="mine",
        )
    )


# The badge of a person's answer, as events/_answer_badge.html draws it.
_ANSWER_BADGES = {
    EventInvitation.Answer.GOING: "text-bg-success",
    EventInvitation.Answer.MAYBE: "text-bg-warning",
    EventInvitation.Answer.DECLINED: "text-bg-secondary",
}


_ANSWER_BADGE_OTHER = "text-bg-light border"


_ANSWER_LABELS = dict(EventInvitation.Answer.choices)


def _clock(moment: datetime) -> str:
    """ "8:05 AM": the `date:"g:i A"` of a template."""
    return f"{moment.hour % 12 or 12}:{moment.minute:02d} {'AM' if moment.hour < 12 else 'PM'}"


@login_required
def events_list(request, school_id: int):
    access = _calendar_access(request, school_id)
    past = request.GET.get("when") == "past"
    now = timezone.now()
    events = Event.objects.filter(school=access.school).select_related("organizer")
    events = (
        events.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
        if past
        else events.filter(ends_at__gte=now).order_by("starts_at", "pk")
    )
    page = Paginator(_with_my_answer(events, request.user), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "events/invitations/events_list.html",
        {"access": access, "school": access.school, "page": page, "past": past},
    )


@cache
def _month_sql() -> str:
    # Table names from the models' metadata; every value is a parameter.
    return (
        "SELECT event.id, event.title, event.starts_at, event.cancelled_at,"  # noqa: S608
        " invitation.answer AS my_answer"
        f" FROM {Event._meta.db_table} event"
        f" LEFT JOIN {EventInvitation._meta.db_table} invitation"
        " ON invitation.event_id = event.id AND invitation.user_id = %s"
        " WHERE event.school_id = %s AND event.starts_at < %s AND event.ends_at > %s"
        " ORDER BY event.starts_at"
    )


def month_events(school_id: int, user_id: int, start: datetime, end: datetime) -> list[Event]:
    """The school's events overlapping [start, end), by start, each with `my_answer`:
    the person's answer to their invitation, None when not invited (a person has at
    most one invitation an event). The rows of

        Event.objects.filter(school=school_id).between(start, end).order_by("starts_at")
        .annotate(mine=FilteredRelation("invitations", condition=Q(invitations__user=user_id)))
        .values_list("pk", "title", "starts_at", "cancelled_at", "mine__answer")

    from a query written out once per process (as onboarding.context_processors does
    for memberships): compiling that queryset cost most of a millisecond of Python.
    """
    adapt = connection.ops.adapt_datetimefield_value
    params = [user_id, school_id, adapt(end), adapt(start)]
    return list(Event.objects.raw(_month_sql(), params))


@login_required
def events_month(request, school_id: int):
    access = _calendar_access(request, school_id)
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in request.GET.get("month", "").split("-"))
        first = date(year, month, 1)
    except (ValueError, TypeError):
        first = today.replace(day=1)
    zone = access.school.zone
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    start = datetime.combine(weeks[0][0], datetime.min.time(), tzinfo=zone)
    end = datetime.combine(weeks[-1][-1] + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    # Each entry's text and link are built here once: the month is a grid of some 40
    # days, so what the template does a day adds up.
    events = month_events(access.school.pk, request.user.pk, start, end)
    event_url = url_for_each("event_detail", access.school.pk)
    by_day: dict[date, list[dict]] = {}
    for event in events:
        local = event.starts_at.astimezone(zone)
        answer = event.my_answer
        by_day.setdefault(local.date(), []).append(
            {
                "url": event_url(event.pk),
                # The school's zone: the one get_school_access activated for its pages.
                "text": f"{_clock(local)} {event.title}",
                "is_cancelled": event.is_cancelled,
                # No answer: no invitation (the join found none).
                "badge": _ANSWER_BADGES.get(answer, _ANSWER_BADGE_OTHER) if answer else None,
                "answer": _ANSWER_LABELS.get(answer, answer),
            }
        )
    grid = [
        [
            {
                "css": ("" if day.month == first.month else "outside-month")
                + (" border-primary border-2" if day == today else ""),
                "is_today": day == today,
                "label": str(day.day)
                if day.month == first.month
                else f"{day.day} {dateformat.format(day, 'M')}",
                "events": by_day.get(day, ()),
            }
            for day in week
        ]
        for week in weeks
    ]
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return render(
        request,
        "events/invitations/events_month.html",
        {
            "access": access,
            "school": access.school,
            "first": first,
            "grid": grid,
            "today": today,
            "previous": previous,
            "following": following,
            "weekdays": [calendar.day_name[i] for i in range(7)],
        },
    )


@login_required
def event_detail(request, school_id: int, event_id: int):
    access = _calendar_access(request, school_id)
    event = _get_event(access, event_id)
    invitations = list(event.invitations.select_related("user").order_by("user__full_name"))
    mine = next((i for i in invitations if i.user_id == request.user.pk), None)
    organizer = _can_organize(access, event, request.user)
    proposals = (
        TimeProposal.objects.filter(invitation__event=event, status=TimeProposal.Status.PENDING)
        .select_related("invitation__user")
        .order_by("created_at")
    )
    signups = list(event.family_signups.filter(cancelled_at__isnull=True)) if organizer else []
    return render(
        request,
        "events/invitations/event_detail.html",
        {
            "access": access,
            "school": access.school,
            "event": event,
            "invitations": invitations,
            "mine": mine,
            "organizer": organizer,
            "proposals": list(proposals) if (organizer or mine) else [],
            "signups": signups,
            "places_taken": sum(s.party_size for s in signups),
            "public_url": settings.SITE_URL + reverse("event_public", args=[event.public_token]),
        },
    )


@login_required
def event_create(request, school_id: int):
    access = _calendar_access(request, school_id)
    access.require(access.can_manage)
    form = EventCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "invite_officers"}
        event = workflows.event_create(
            school=access.school,
            organizer=request.user,
            fields=fields,
            invite_officers=form.cleaned_data["invite_officers"],
            request=request,
        )
        messages.success(request, f"{event.title} is on the calendar.")
        return redirect("event_detail", access.school.pk, event.pk)
    return render(
        request,
        "events/invitations/event_form.html",
        {"access": access, "school": access.school, "form": form, "event": None},
    )


@login_required
def event_edit(request, school_id: int, event_id: int):
    access, event = _organizer_event(request, school_id, event_id)
    if event.is_cancelled:
        messages.error(request, "A cancelled event cannot be edited.")
        return redirect("event_detail", access.school.pk, event.pk)
    old_time = (event.starts_at, event.ends_at, event.place)
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        event = form.save(commit=False)
        workflows.event_update(
            event=event,
            by=request.user,
            time_changed=old_time != (event.starts_at, event.ends_at, event.place),
            request=request,
        )
        messages.success(request, "The event is saved.")
        return redirect("event_detail", access.school.pk, event.pk)
    return render(
        request,
        "events/invitations/event_form.html",
        {"access": access, "school": access.school, "form": form, "event": event},
    )


@login_required
@require_POST
def event_cancel(request, school_id: int, event_id: int):
    access, event = _organizer_event(request, school_id, event_id)
    if not event.is_cancelled:
        workflows.event_cancel(event=event, by=request.user, request=request)
        messages.success(request, "The event is cancelled; everyone invited has been told.")
    return redirect("event_detail", access.school.pk, event.pk)


@login_required
def event_invite(request, school_id: int, event_id: int):
    access, event = _organizer_event(request, school_id, event_id)
    form = InviteForm(request.POST or None, school=access.school)
    if request.method == "POST" and form.is_valid():
        created = workflows.event_invite(
            event=event, people=form.chosen_people(), by=request.user, request=request
        )
        messages.success(
            request,
            f"Invited {len(created)} {'person' if len(created) == 1 else 'people'}."
            if created
            else "Everyone you chose was already invited.",
        )
        return redirect("event_detail", access.school.pk, event.pk)
    return render(
        request,
        "events/invitations/event_invite.html",
        {"access": access, "school": access.school, "form": form, "event": event},
    )


@login_required
def event_answer(request, school_id: int, event_id: int):
    access, event, invitation = _my_invitation(request, school_id, event_id)
    if event.is_cancelled:
        messages.info(request, "This event is cancelled: there is nothing to answer.")
        return redirect("event_detail", access.school.pk, event.pk)
    initial = {"answer": invitation.answer, "note": invitation.note}
    form = AnswerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        workflows.invitation_answer(
            invitation=invitation,
            answer=form.cleaned_data["answer"],
            note=form.cleaned_data["note"],
            request=request,
        )
        messages.success(request, "Thank you, your answer is saved.")
        return redirect("event_detail", access.school.pk, event.pk)
    return _answer_page(request, access, event, invitation, form, ProposalForm(prefix="proposal"))


def _answer_page(request, access, event, invitation, form, proposal_form, status=200):
    return render(
        request,
        "events/invitations/event_answer.html",
        {
            "access": access,
            "school": access.school,
            "event": event,
            "invitation": invitation,
            "form": form,
            "proposal_form": proposal_form,
            "proposals": invitation.proposals.order_by("-created_at"),
        },
        status=status,
    )


@login_required
@require_POST
def event_propose(request, school_id: int, event_id: int):
    access, event, invitation = _my_invitation(request, school_id, event_id)
    form = ProposalForm(request.POST, prefix="proposal")
    if event.is_cancelled or event.has_started or not form.is_valid():
        if form.is_valid():
            form.add_error(None, "This event can no longer be moved.")
        answer_form = AnswerForm(initial={"answer": invitation.answer, "note": invitation.note})
        return _answer_page(request, access, event, invitation, answer_form, form, status=400)
    workflows.time_propose(
        invitation=invitation,
        starts_at=form.cleaned_data["starts_at"],
        ends_at=form.cleaned_data["ends_at"],
        note=form.cleaned_data["note"],
        request=request,
    )
    messages.success(request, "Your proposal was sent to the organizer.")
    return redirect("event_detail", access.school.pk, event.pk)


def _proposal(request, school_id, event_id, proposal_id):
    access, event = _organizer_event(request, school_id, event_id)
    proposal = get_object_or_404(
        TimeProposal.objects.select_related("invitation__user", "invitation__event"),
        pk=proposal_id,
        invitation__event=event,
    )
    return access, event, proposal


@login_required
@require_POST
def proposal_accept(request, school_id: int, event_id: int, proposal_id: int):
    access, event, proposal = _proposal(request, school_id, event_id, proposal_id)
    try:
        workflows.proposal_accept(proposal=proposal, by=request.user, request=request)
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The event moved to the new time; everyone has been told.")
    return redirect("event_detail", access.school.pk, event.pk)


@login_required
@require_POST
def proposal_decline(request, school_id: int, event_id: int, proposal_id: int):
    access, event, proposal = _proposal(request, school_id, event_id, proposal_id)
    if proposal.status == TimeProposal.Status.PENDING:
        workflows.proposal_decline(proposal=proposal, by=request.user, request=request)
        messages.success(request, "The time stays as it was; the proposer has been told.")
    return redirect("event_detail", access.school.pk, event.pk)


@login_required
def event_attendance(request, school_id: int, event_id: int):
    access, event = _organizer_event(request, school_id, event_id)
    if not event.has_started or event.is_cancelled:
        messages.error(request, "Attendance is recorded once the event has started.")
        return redirect("event_detail", access.school.pk, event.pk)
    initial = {"attended": event.invitations.filter(attended=True)}
    form = AttendanceForm(request.POST or None, event=event, initial=initial)
    if request.method == "POST" and form.is_valid():
        workflows.attendance_record(
            event=event,
            attended_ids={i.pk for i in form.cleaned_data["attended"]},
            by=request.user,
            request=request,
        )
        messages.success(request, "Attendance is recorded.")
        return redirect("event_detail", access.school.pk, event.pk)
    return render(
        request,
        "events/invitations/event_attendance.html",
        {"access": access, "school": access.school, "form": form, "event": event},
    )

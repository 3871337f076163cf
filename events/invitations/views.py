"""Events and invitations: the school calendar, an event's page, invitations and
answers, time proposals and attendance.
"""

import calendar
from collections import defaultdict
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from events.access import calendar_access
from events.invitations import workflows
from events.invitations.forms import (
    AnswerForm,
    AttendanceForm,
    EventCreateForm,
    EventForm,
    InviteForm,
    ProposalForm,
)
from events.invitations.models import Event, TimeProposal
from onboarding.access import SchoolAccess
from onboarding.people.models import User
from onboarding.schools.models import School
from sro_portal.query import month_asked


def _get_event(access: SchoolAccess, event_id: int) -> Event:
    return get_object_or_404(
        Event.objects.select_related("school", "organizer"), pk=event_id, school=access.school
    )


def _can_organize(access: SchoolAccess, event: Event, user) -> bool:
    return access.can_manage or (event.organizer_id == user.pk and access.role is not None)


def _organizer_event(request, school_id: int, event_id: int) -> tuple[SchoolAccess, Event]:
    access = calendar_access(request, school_id)
    event = _get_event(access, event_id)
    access.require(_can_organize(access, event, request.user))
    return access, event


def _my_invitation(request, school_id: int, event_id: int):
    access = calendar_access(request, school_id)
    event = _get_event(access, event_id)
    invitation = event.invitations.filter(user=request.user).select_related("user").first()
    access.require(invitation is not None)
    invitation.event = event
    return access, event, invitation


@login_required
def events_list(request, school_id: int):
    access = calendar_access(request, school_id)
    past = request.GET.get("when") == "past"
    now = timezone.now()
    events = Event.objects.filter(school=access.school).select_related("organizer")
    events = (
        events.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
        if past
        else events.filter(ends_at__gte=now).order_by("starts_at", "pk")
    )
    events = events.with_invitation_of(request.user)
    page = Paginator(events, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "events/invitations/events_list.html",
        {"access": access, "school": access.school, "page": page, "past": past},
    )


def month_events(
    school: School | int, user: User | int, start: datetime, end: datetime
) -> QuerySet[Event]:
    """The school's events overlapping [start, end), by start, each with `mine`: the
    person's invitation, or None. Read through the index of events by school."""
    return (
        Event.objects.filter(school=school)
        .between(start, end)
        .with_invitation_of(user)
        .order_by("starts_at")
    )


@login_required
def events_month(request, school_id: int):
    access = calendar_access(request, school_id)
    today = timezone.localdate()
    first = month_asked(request.GET.get("month", ""), today=today)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    zone = access.school.zone
    start = datetime.combine(weeks[0][0], time.min, tzinfo=zone)
    end = datetime.combine(weeks[-1][-1] + timedelta(days=1), time.min, tzinfo=zone)
    by_day = defaultdict(list)
    for event in month_events(access.school, request.user, start, end):
        by_day[timezone.localdate(event.starts_at, zone)].append(event)
    context = {
        "access": access,
        "school": access.school,
        "first": first,
        "weeks": [[(day, by_day[day]) for day in week] for week in weeks],
        "today": today,
        "previous": (first - timedelta(days=1)).replace(day=1),
        "following": (first + timedelta(days=32)).replace(day=1),
        "weekdays": list(calendar.day_name),
    }
    return render(request, "events/invitations/events_month.html", context)


@login_required
def event_detail(request, school_id: int, event_id: int):
    access = calendar_access(request, school_id)
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
    access = calendar_access(request, school_id)
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

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from events.access import calendar_access
from events.talks import workflows
from events.talks.forms import TalkAcceptForm, TalkDeclineForm, TalkRequestForm, TopicForm
from events.talks.models import ClassTalkRequest, ClassTalkTopic
from events.timetable.models import ClassSection
from onboarding.access import SchoolAccess
from onboarding.schools.models import Role


def _school_topics(school):
    return ClassTalkTopic.objects.filter(
        officer__memberships__school=school,
        officer__memberships__role=Role.SRO,
        officer__memberships__is_active=True,
    ).select_related("officer")


@login_required
def talks(request, school_id: int):
    access = calendar_access(request, school_id)
    requests = ClassTalkRequest.objects.filter(school=access.school).select_related(
        "topic__officer", "requested_by", "event"
    )
    if not access.can_manage and not access.is_sro:
        requests = requests.filter(requested_by=request.user)
    elif access.is_sro:
        requests = requests.filter(topic__officer=request.user)
    return render(
        request,
        "events/talks/talks.html",
        {
            "access": access,
            "school": access.school,
            "topics": _school_topics(access.school).filter(
                Q(is_active=True) | Q(officer=request.user)
            ),
            "requests": requests,
        },
    )


def _officer_access(request, school_id: int) -> SchoolAccess:
    access = calendar_access(request, school_id)
    access.require(access.is_sro)
    return access


@login_required
def topic_create(request, school_id: int):
    access = _officer_access(request, school_id)
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        topic = workflows.topic_create(
            school=access.school, form=form, officer=request.user, request=request
        )
        messages.success(request, f"{topic.title} is on your list of talks.")
        return redirect("talks", access.school.pk)
    return render(
        request,
        "events/talks/topic_form.html",
        {"access": access, "school": access.school, "form": form, "topic": None},
    )


@login_required
def topic_edit(request, school_id: int, topic_id: int):
    access = calendar_access(request, school_id)
    topic = get_object_or_404(_school_topics(access.school), pk=topic_id)
    access.require(topic.officer_id == request.user.pk)
    form = TopicForm(request.POST or None, instance=topic)
    if request.method == "POST" and form.is_valid():
        workflows.topic_edit(school=access.school, form=form, by=request.user, request=request)
        messages.success(request, "The topic is saved.")
        return redirect("talks", access.school.pk)
    return render(
        request,
        "events/talks/topic_form.html",
        {"access": access, "school": access.school, "form": form, "topic": topic},
    )


@login_required
def talk_request(request, school_id: int):
    access = calendar_access(request, school_id)
    access.require(access.is_staff_member)
    topics = _school_topics(access.school).filter(is_active=True)
    form = TalkRequestForm(
        request.POST or None,
        topics=topics,
        sections=ClassSection.objects.for_school(access.school).filter(teacher=request.user),
        initial={"topic": request.GET.get("topic")},
    )
    if request.method == "POST" and form.is_valid():
        workflows.talk_request_create(
            school=access.school, by=request.user, fields=form.cleaned_data, request=request
        )
        messages.success(request, "Your request was sent to the officer.")
        return redirect("talks", access.school.pk)
    return render(
        request,
        "events/talks/talk_request.html",
        {"access": access, "school": access.school, "form": form},
    )


def _officer_request(request, school_id: int, request_id: int):
    access = calendar_access(request, school_id)
    talk = get_object_or_404(
        ClassTalkRequest.objects.select_related("topic__officer", "requested_by"),
        pk=request_id,
        school=access.school,
    )
    access.require(access.is_sro and talk.topic.officer_id == request.user.pk)
    return access, talk


@login_required
def talk_accept(request, school_id: int, request_id: int):
    access, talk = _officer_request(request, school_id, request_id)
    if talk.status != ClassTalkRequest.Status.PENDING:
        messages.info(request, "This request was already answered.")
        return redirect("talks", access.school.pk)
    form = TalkAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        event = workflows.talk_accept(
            talk_request=talk, by=request.user, request=request, **form.cleaned_data
        )
        messages.success(request, "The class talk is on both calendars.")
        return redirect("event_detail", access.school.pk, event.pk)
    return render(
        request,
        "events/talks/talk_accept.html",
        {
            "access": access,
            "school": access.school,
            "talk": talk,
            "form": form,
            "decline_form": TalkDeclineForm(prefix="decline"),
        },
    )


@login_required
@require_POST
def talk_decline(request, school_id: int, request_id: int):
    access, talk = _officer_request(request, school_id, request_id)
    form = TalkDeclineForm(request.POST, prefix="decline")
    if talk.status == ClassTalkRequest.Status.PENDING:
        if not form.is_valid():
            return render(
                request,
                "events/talks/talk_accept.html",
                {
                    "access": access,
                    "school": access.school,
                    "talk": talk,
                    "form": TalkAcceptForm(),
                    "decline_form": form,
                },
                status=400,
            )
        workflows.talk_decline(
            talk_request=talk, note=form.cleaned_data["note"], by=request.user, request=request
        )
        messages.success(request, "The teacher has been told.")
    return redirect("talks", access.school.pk)

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from expectations.access import _get_managed_guideline, _school_access
from expectations.home import guidelines_for
from expectations.models import Guideline
from expectations.publishing.forms import GuidelineForm, StarterPublishForm
from expectations.publishing.starters import STARTERS
from expectations.publishing.workflows import ScenarioData, guideline_publish, guideline_revise
from expectations.status import compliance
from expectations.text import render_markdown


@login_required
def guidelines(request, school_id: int):
    """My guidelines; and for managers and the officer, every guideline of the school."""
    access = _school_access(request, school_id)
    school = access.school
    mine = guidelines_for(request.user, school) if access.is_staff_member else []
    published = []
    if access.can_manage or access.is_sro:
        today = timezone.localdate()
        for guideline in Guideline.objects.for_school(school):
            published.append(
                (guideline, compliance(guideline, school, today) if access.can_manage else None)
            )
    context = {
        "access": access,
        "school": school,
        "my_guidelines": mine,
        "published": published,
    }
    return render(request, "expectations/publishing/guidelines.html", context)


@login_required
def guideline_starters(request, school_id: int):
    access = _school_access(request, school_id)
    access.require(access.can_manage)
    published = {
        g.starter_key: g for g in Guideline.objects.for_school(access.school) if g.starter_key
    }
    starters = [(s, published.get(s.key)) for s in STARTERS.values()]
    return render(
        request,
        "expectations/publishing/starters.html",
        {"access": access, "school": access.school, "starters": starters},
    )


@login_required
def guideline_starter_publish(request, school_id: int, key: str):
    access = _school_access(request, school_id)
    access.require(access.can_manage)
    starter = STARTERS.get(key)
    if starter is None:
        raise Http404
    already = Guideline.objects.for_school(access.school).filter(starter_key=starter.key).first()
    if already is not None:
        messages.info(request, f"“{already.title}” is already published here.")
        return redirect("guideline_compliance", school_id=access.school.pk, guideline_id=already.pk)
    form = StarterPublishForm(
        request.POST or None,
        starter=starter,
        can_publish_district=access.is_district_admin,
        initial={
            "target_roles": list(starter.target_roles),
            "pass_mark": starter.pass_mark,
            "state_rules": starter.state_rules,
            "due_date": timezone.localdate() + timezone.timedelta(days=14),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        district_wide = data.get("scope") == "district"
        guideline = guideline_publish(
            title=starter.title,
            target_roles=data["target_roles"],
            body=starter.body,
            statements=list(starter.statements),
            section_links=starter.section_links,
            scenarios=[
                ScenarioData(s.situation, s.choices, s.correct_choice, s.explanation)
                for s in starter.scenarios
            ],
            due_date=data["due_date"],
            join_window_days=data["join_window_days"],
            pass_mark=data["pass_mark"],
            state_rules=data.get("state_rules", ""),
            school=None if district_wide else access.school,
            district=access.school.district if district_wide else None,
            starter_key=starter.key,
            published_by=request.user,
            request=request,
        )
        messages.success(
            request, f"Published “{guideline.title}”. The people it targets were told by email."
        )
        return redirect(
            "guideline_compliance", school_id=access.school.pk, guideline_id=guideline.pk
        )
    return render(
        request,
        "expectations/publishing/starter_publish.html",
        {
            "access": access,
            "school": access.school,
            "starter": starter,
            "body_html": render_markdown(starter.body),
            "form": form,
        },
    )


@login_required
def guideline_new(request, school_id: int):
    access = _school_access(request, school_id)
    access.require(access.can_manage)
    form = GuidelineForm(
        request.POST or None,
        revising=False,
        initial={"due_date": timezone.localdate() + timezone.timedelta(days=14)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        guideline = guideline_publish(
            title=data["title"],
            target_roles=data["target_roles"],
            body=data["body"],
            state_rules=data["state_rules"],
            statements=data["statements"],
            scenarios=data["scenarios"],
            due_date=data["due_date"],
            join_window_days=data["join_window_days"],
            pass_mark=data["pass_mark"],
            school=access.school,
            published_by=request.user,
            request=request,
        )
        messages.success(request, f"Published “{guideline.title}”.")
        return redirect(
            "guideline_compliance", school_id=access.school.pk, guideline_id=guideline.pk
        )
    return render(
        request,
        "expectations/publishing/guideline_form.html",
        {"access": access, "school": access.school, "form": form, "guideline": None},
    )


@login_required
def guideline_revise_view(request, school_id: int, guideline_id: int):
    access = _school_access(request, school_id)
    guideline = _get_managed_guideline(access, guideline_id)
    access.require(guideline.can_be_revised_by(access))
    version = guideline.current_version
    form = GuidelineForm(
        request.POST or None, revising=True, initial=GuidelineForm.initial_from(version)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new_version = guideline_revise(
            guideline=guideline,
            title=data["title"],
            target_roles=data["target_roles"],
            body=data["body"],
            state_rules=data["state_rules"],
            statements=data["statements"],
            scenarios=data["scenarios"],
            pass_mark=data["pass_mark"],
            due_date=data["due_date"],
            join_window_days=data["join_window_days"],
            requires_reacknowledgment=data["requires_reacknowledgment"],
            change_note=data["change_note"],
            published_by=request.user,
            school=access.school,
            request=request,
        )
        messages.success(request, f"Published version {new_version.number} of “{data['title']}”.")
        return redirect(
            "guideline_compliance", school_id=access.school.pk, guideline_id=guideline.pk
        )
    return render(
        request,
        "expectations/publishing/guideline_form.html",
        {
            "access": access,
            "school": access.school,
            "form": form,
            "guideline": guideline,
            "version": version,
        },
    )

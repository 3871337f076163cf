from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from expectations.access import get_managed_guideline, school_access
from expectations.home import guidelines_for
from expectations.models import Guideline
from expectations.publishing import workflows
from expectations.publishing.forms import GuidelineForm, StarterPublishForm
from expectations.publishing.starters import STARTERS
from expectations.status import compliance


@login_required
def guidelines(request, school_id: int):
    """My guidelines; and for managers and the officer, every guideline of the school."""
    access = school_access(request, school_id)
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
    access = school_access(request, school_id)
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
    access = school_access(request, school_id)
    access.require(access.can_manage)
    starter = STARTERS.get(key)
    if starter is None:
        raise Http404
    already = Guideline.objects.for_school(access.school).filter(starter_key=starter.key).first()
    if already is not None:
        messages.info(request, f"“{already.title}” is already published here.")
        return redirect("guideline_compliance", school_id=access.school.pk, guideline_id=already.pk)
    form = StarterPublishForm(
        request.POST or None, starter=starter, can_publish_district=access.is_district_admin
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        district_wide = data.pop("scope", "school") == "district"
        guideline = workflows.guideline_publish(
            **starter.contents(),
            **data,
            school=None if district_wide else access.school,
            district=access.school.district if district_wide else None,
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
        {"access": access, "school": access.school, "starter": starter, "form": form},
    )


@login_required
def guideline_new(request, school_id: int):
    access = school_access(request, school_id)
    access.require(access.can_manage)
    form = GuidelineForm(request.POST or None, revising=False)
    if request.method == "POST" and form.is_valid():
        guideline = workflows.guideline_publish(
            **form.cleaned_data, school=access.school, published_by=request.user, request=request
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
def guideline_revise(request, school_id: int, guideline_id: int):
    access = school_access(request, school_id)
    guideline = get_managed_guideline(access, guideline_id)
    access.require(guideline.can_be_revised_by(access))
    version = guideline.current_version
    form = GuidelineForm(
        request.POST or None, revising=True, initial=GuidelineForm.initial_from(version)
    )
    if request.method == "POST" and form.is_valid():
        new_version = workflows.guideline_revise(
            guideline=guideline,
            **form.cleaned_data,
            published_by=request.user,
            school=access.school,
            request=request,
        )
        messages.success(
            request, f"Published version {new_version.number} of “{new_version.guideline.title}”."
        )
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

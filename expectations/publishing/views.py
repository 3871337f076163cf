from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import ngettext

from expectations.access import get_managed_guideline, school_access
from expectations.home import guidelines_for
from expectations.models import Guideline, GuidelineVersion
from expectations.publishing import workflows
from expectations.publishing.forms import GuidelineForm, StarterPublishForm
from expectations.publishing.starters import STARTERS
from expectations.status import compliance


def _emails_on_their_way(version: GuidelineVersion) -> str:
    """What the publisher reads: the emails go out from the worker, after the page."""
    guideline = version.guideline
    what = f"version {version.number} of “{guideline}”" if version.number > 1 else f"“{guideline}”"
    people = guideline.targeted_people_count()
    if not people:
        return f"Published {what}. Nobody holds a role it targets yet, so nobody was emailed."
    text = ngettext(
        "Publishing %(what)s to %(n)s person: the email is on its way.",
        "Publishing %(what)s to %(n)s people: the emails are on their way.",
        people,
    )
    return text % {"what": what, "n": number_format(people, force_grouping=True)}


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
        messages.success(request, _emails_on_their_way(guideline.current_version))
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
        messages.success(request, _emails_on_their_way(guideline.current_version))
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
        text = (
            _emails_on_their_way(new_version)
            if new_version.requires_reacknowledgment
            else f"Published version {new_version.number} of “{new_version.guideline.title}”. It needs "
            "no new acknowledgment, so nobody was emailed."
        )
        messages.success(request, text)
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

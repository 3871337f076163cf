from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import ProtectedError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from events.access import manager_access
from events.timetable import workflows
from events.timetable.forms import BlackoutForm, PeriodForm, SectionForm, SectionImportForm
from events.timetable.imports import parse_upload, sections_import
from events.timetable.models import BlackoutDate, ClassSection, Period


@login_required
def bell_schedule(request, school_id: int):
    access = manager_access(request, school_id)
    school = access.school
    action = request.POST.get("action")
    period_form = PeriodForm(
        request.POST if action == "period" else None, school=school, prefix="period"
    )
    blackout_form = BlackoutForm(
        request.POST if action == "blackout" else None, school=school, prefix="blackout"
    )
    form, add = {
        "period": (period_form, workflows.period_add),
        "blackout": (blackout_form, workflows.blackout_add),
    }.get(action, (None, None))
    if request.method == "POST" and form is not None and form.is_valid():
        item = add(school=school, form=form, actor=request.user, request=request)
        messages.success(request, f"Added {item}.")
        return redirect("bell_schedule", school.pk)
    context = {
        "access": access,
        "school": school,
        "periods": Period.objects.filter(school=school),
        "blackouts": BlackoutDate.objects.filter(school=school),
        "period_form": period_form,
        "blackout_form": blackout_form,
    }
    return render(
        request,
        "events/timetable/bell_schedule.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def period_delete(request, school_id: int, period_id: int):
    access = manager_access(request, school_id)
    period = get_object_or_404(Period, pk=period_id, school=access.school)
    try:
        workflows.period_delete(period=period, actor=request.user, request=request)
    except ProtectedError:
        messages.error(
            request,
            f"{period.name} has visits on record (planned, done or cancelled), so it stays "
            "in the bell schedule.",
        )
    else:
        messages.success(request, f"Removed {period.name}.")
    return redirect("bell_schedule", access.school.pk)


@login_required
@require_POST
def blackout_delete(request, school_id: int, blackout_id: int):
    access = manager_access(request, school_id)
    blackout = get_object_or_404(BlackoutDate, pk=blackout_id, school=access.school)
    workflows.blackout_delete(blackout=blackout, actor=request.user, request=request)
    messages.success(request, f"{blackout.date:%B %-d} is a school day again.")
    return redirect("bell_schedule", access.school.pk)


@login_required
def sections(request, school_id: int):
    access = manager_access(request, school_id)
    school = access.school
    form = SectionForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        section = workflows.section_add(
            school=school, form=form, actor=request.user, request=request
        )
        messages.success(request, f"Added {section}.")
        return redirect("sections", school.pk)
    context = {
        "access": access,
        "school": school,
        "sections": ClassSection.objects.for_school(school),
        "form": form,
    }
    return render(request, "events/timetable/sections.html", context)


@login_required
def section_edit(request, school_id: int, section_id: int):
    access = manager_access(request, school_id)
    section = get_object_or_404(ClassSection, pk=section_id, school=access.school)
    form = SectionForm(request.POST or None, instance=section, school=access.school)
    if request.method == "POST" and form.is_valid():
        workflows.section_edit(form=form, actor=request.user, request=request)
        messages.success(request, f"Saved {section}.")
        return redirect("sections", access.school.pk)
    return render(
        request,
        "events/timetable/section_form.html",
        {"access": access, "school": access.school, "section": section, "form": form},
    )


@login_required
def sections_import_view(request, school_id: int):
    access = manager_access(request, school_id)
    school = access.school
    form = SectionImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        rows, errors, source = parse_upload(school, form.cleaned_data)
        if not errors:
            result = sections_import(
                school=school, rows=rows, actor=request.user, source=source, request=request
            )
            messages.success(
                request,
                f"Sections imported: {result.added} added, {result.updated} updated, "
                f"{result.unchanged} unchanged.",
            )
            return redirect("sections", school.pk)
    return render(
        request,
        "events/timetable/sections_import.html",
        {"access": access, "school": school, "form": form, "errors": errors},
        status=400 if errors else 200,
    )

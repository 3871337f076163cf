"""Class introductions: settings, availability, the plan and its run, visits, and the
teacher's own classes.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from events.access import manager_access
from events.introductions import workflows
from events.introductions.forms import (
    AvailabilityForm,
    PickForm,
    PlanForm,
    QuestionsForm,
    VisitForm,
    VisitStatusForm,
)
from events.introductions.models import Availability, IntroductionPlan, SlotPick, Visit
from events.officers import school_officers
from events.timetable.models import ClassSection
from onboarding.access import SchoolAccess, get_school_access


def _is_teacher_of(access: SchoolAccess, section: ClassSection, user) -> bool:
    return access.can_manage or (access.is_staff_member and section.teacher_id == user.pk)


def _visit(access: SchoolAccess, visit_id: int) -> Visit:
    return get_object_or_404(Visit.objects.with_details(), pk=visit_id, school=access.school)


def _coverage(sections, visit_by_section, key) -> list[dict]:
    rows: dict[str, dict] = {}
    for section in sections:
        label = key(section)
        row = rows.setdefault(label, {"label": label, "total": 0, "scheduled": 0, "done": 0})
        row["total"] += 1
        visit = visit_by_section.get(section.pk)
        if visit is not None:
            row["scheduled"] += 1
            row["done"] += visit.status == Visit.Status.DONE
    return sorted(rows.values(), key=lambda r: r["label"])


def _grade_key(section):
    return f"Grade {section.grade}" if section.grade else "No grade"


def _teacher_key(section):
    return section.teacher.full_name if section.teacher else "No teacher"


@login_required
def introductions(request, school_id: int):
    access = manager_access(request, school_id)
    school = access.school
    plan = IntroductionPlan.objects.filter(school=school).first()
    visits = list(Visit.objects.active().with_details().filter(school=school))
    visit_by_section = {v.section_id: v for v in visits}
    sections = list(
        (plan.participating_sections() if plan else ClassSection.objects.filter(school=school))
        .select_related("teacher", "period")
        .order_by("name")
    )
    by_id = {s.pk: s for s in ClassSection.objects.for_school(school)}
    unplaced = [
        {"section": by_id[item["section"]], "reason": item["reason"]}
        for item in (plan.unplaced if plan else [])
        if item["section"] in by_id and item["section"] not in visit_by_section
    ]
    context = {
        "access": access,
        "school": school,
        "plan": plan,
        "visits": visits,
        "sections_total": len(sections),
        "scheduled": sum(1 for s in sections if s.pk in visit_by_section),
        "by_grade": _coverage(sections, visit_by_section, _grade_key),
        "by_teacher": _coverage(sections, visit_by_section, _teacher_key),
        "unplaced": unplaced,
        "unscheduled": [s for s in sections if s.pk not in visit_by_section],
        "picks": SlotPick.objects.filter(section__school=school)
        .select_related("section", "section__period", "section__teacher", "officer")
        .order_by("date"),
    }
    return render(request, "events/introductions/plan.html", context)


@login_required
def introductions_settings(request, school_id: int):
    access = manager_access(request, school_id)
    school = access.school
    plan = IntroductionPlan.objects.filter(school=school).first()
    if plan is None:
        today = timezone.localdate()
        plan = IntroductionPlan(
            school=school, start_date=today + timedelta(days=1), end_date=today + timedelta(days=21)
        )
    form = PlanForm(request.POST or None, instance=plan, school=school)
    if request.method == "POST" and form.is_valid():
        workflows.plan_settings(form=form, actor=request.user, request=request)
        messages.success(request, "Plan settings saved. Teachers may now pick a slot.")
        return redirect("introductions", school.pk)
    return render(
        request,
        "events/introductions/settings.html",
        {"access": access, "school": school, "form": form},
    )


@login_required
@require_POST
def introductions_run(request, school_id: int):
    access = manager_access(request, school_id)
    plan = get_object_or_404(IntroductionPlan, school=access.school)
    result = workflows.plan_run(plan=plan, actor=request.user, request=request)
    messages.success(
        request,
        f"Plan run: {result.placed} visits placed, {result.kept} kept from before, "
        f"{result.unplaced} sections could not be placed.",
    )
    return redirect("introductions", access.school.pk)


def _availability_access(request, school_id: int) -> SchoolAccess:
    access = get_school_access(request, school_id)
    access.require(access.can_manage or access.is_sro)
    return access


def _editable_officers(access: SchoolAccess, user):
    officers = school_officers(access.school)
    return officers if access.can_manage else officers.filter(pk=user.pk)


@login_required
def availability(request, school_id: int):
    access = _availability_access(request, school_id)
    school = access.school
    officers = _editable_officers(access, request.user)
    form = AvailabilityForm(request.POST or None, school=school, officers=officers)
    if request.method == "POST" and form.is_valid():
        block = workflows.availability_add(
            school=school, form=form, actor=request.user, request=request
        )
        messages.success(request, f"Added {block} for {block.officer}.")
        return redirect("availability", school.pk)
    context = {
        "access": access,
        "school": school,
        "blocks": Availability.objects.filter(school=school, officer__in=officers).select_related(
            "officer"
        ),
        "form": form,
    }
    return render(request, "events/introductions/availability.html", context)


@login_required
@require_POST
def availability_delete(request, school_id: int, block_id: int):
    access = _availability_access(request, school_id)
    block = get_object_or_404(
        Availability,
        pk=block_id,
        school=access.school,
        officer__in=_editable_officers(access, request.user),
    )
    workflows.availability_delete(block=block, actor=request.user, request=request)
    messages.success(request, f"Removed {block}.")
    return redirect("availability", access.school.pk)


def _visit_form_page(request, access, *, section, visit, form, problems):
    return render(
        request,
        "events/introductions/visit_form.html",
        {
            "access": access,
            "school": access.school,
            "section": section,
            "visit": visit,
            "form": form,
            "problems": problems,
        },
        status=400 if problems else 200,
    )


@login_required
def visit_add(request, school_id: int, section_id: int):
    access = manager_access(request, school_id)
    section = get_object_or_404(
        ClassSection.objects.select_related("period", "school"), pk=section_id, school=access.school
    )
    form = VisitForm(request.POST or None, officers=school_officers(access.school))
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            workflows.visit_add(
                section=section,
                officer=form.cleaned_data["officer"],
                day=form.cleaned_data["date"],
                actor=request.user,
                request=request,
            )
        except workflows.VisitConflict as conflict:
            problems = conflict.problems
        else:
            messages.success(request, f"Added a visit to {section}.")
            return redirect("introductions", access.school.pk)
    return _visit_form_page(
        request, access, section=section, visit=None, form=form, problems=problems
    )


@login_required
def visit_move(request, school_id: int, visit_id: int):
    access = manager_access(request, school_id)
    visit = _visit(access, visit_id)
    form = VisitForm(
        request.POST or None,
        officers=school_officers(access.school),
        initial={"officer": visit.officer_id, "date": visit.date},
    )
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            workflows.visit_move(
                visit=visit,
                officer=form.cleaned_data["officer"],
                day=form.cleaned_data["date"],
                actor=request.user,
                request=request,
            )
        except workflows.VisitConflict as conflict:
            problems = conflict.problems
        else:
            messages.success(request, f"Moved the visit to {visit.section}.")
            return redirect("introductions", access.school.pk)
    return _visit_form_page(
        request, access, section=visit.section, visit=visit, form=form, problems=problems
    )


@login_required
@require_POST
def visit_cancel(request, school_id: int, visit_id: int):
    access = manager_access(request, school_id)
    visit = _visit(access, visit_id)
    if visit.is_active and visit.status != Visit.Status.DONE:
        workflows.visit_set_status(
            visit=visit, status=Visit.Status.CANCELLED, actor=request.user, request=request
        )
        messages.success(request, f"Cancelled the visit to {visit.section}.")
    return redirect("introductions", access.school.pk)


@login_required
@require_POST
def visit_status(request, school_id: int, visit_id: int):
    access = get_school_access(request, school_id)
    visit = _visit(access, visit_id)
    access.require(
        _is_teacher_of(access, visit.section, request.user)
        or (access.is_sro and visit.officer_id == request.user.pk)
    )
    form = VisitStatusForm(request.POST)
    if form.is_valid() and visit.status in (Visit.Status.PLANNED, Visit.Status.CONFIRMED):
        workflows.visit_set_status(
            visit=visit, status=form.cleaned_data["status"], actor=request.user, request=request
        )
        messages.success(
            request, f"Marked the visit to {visit.section} as {visit.get_status_display().lower()}."
        )
    back = request.POST.get("next", "")
    # Our own pages only; a line break in it would be a header of the answer (a 500).
    if url_has_allowed_host_and_scheme(back, allowed_hosts=None) and back.isprintable():
        return redirect(back)
    return redirect("introductions_my_classes", access.school.pk)


def _teacher_access(request, school_id: int) -> SchoolAccess:
    access = get_school_access(request, school_id)
    access.require(access.is_staff_member or access.can_manage)
    return access


@login_required
def my_classes(request, school_id: int):
    access = _teacher_access(request, school_id)
    school = access.school
    plan = IntroductionPlan.objects.filter(school=school).first()
    my_sections = list(
        ClassSection.objects.for_school(school)
        .filter(teacher=request.user)
        .select_related("pick", "pick__officer")
    )
    visits = {
        v.section_id: v
        for v in Visit.objects.active().with_details().filter(section__in=my_sections)
    }
    book = workflows.SlotBook.for_plan(plan, keep_planned=False) if plan else None
    rows = [_class_row(section, visits.get(section.pk), book) for section in my_sections]
    context = {"access": access, "school": school, "plan": plan, "rows": rows}
    return render(request, "events/introductions/my_classes.html", context)


def _class_row(section: ClassSection, visit: Visit | None, book) -> dict:
    """A teacher's class with its visit, and the forms still open for it: a pick
    until the visit is confirmed, the class's questions until the visit is over."""
    can_pick = book is not None and (visit is None or visit.status == Visit.Status.PLANNED)
    can_ask = visit is not None and visit.status in (Visit.Status.PLANNED, Visit.Status.CONFIRMED)
    return {
        "section": section,
        "visit": visit,
        "pick_form": _pick_form(book, section) if can_pick else None,
        "questions_form": QuestionsForm(instance=visit, prefix=f"v{visit.pk}") if can_ask else None,
    }


def _pick_form(book, section: ClassSection, data=None) -> PickForm:
    """The choice among the slots open to the section (one form a class on the page).
    Unbound, it shows the section's current pick (`pick` selected with the section)."""
    zone, names = book.school.zone, {o.pk: o.full_name for o in book.officers}
    options = []
    for slot in book.candidates(section):
        local = section.period.bounds(slot.day, zone)[0].astimezone(zone)
        label = (
            f"{local:%a %b %-d}, {section.period.name} ({local:%-I:%M %p}), {names[slot.officer]}"
        )
        options.append((slot, label))
    if data is not None:
        return PickForm(data, options=options, prefix=f"s{section.pk}")
    current = getattr(section, "pick", None)
    initial = {"slot": f"{current.officer_id}:{current.date.isoformat()}" if current else ""}
    return PickForm(options=options, prefix=f"s{section.pk}", initial=initial)


@login_required
@require_POST
def section_pick(request, school_id: int, section_id: int):
    access = _teacher_access(request, school_id)
    section = get_object_or_404(
        ClassSection.objects.select_related("period", "school"),
        pk=section_id,
        school=access.school,
    )
    access.require(_is_teacher_of(access, section, request.user))
    plan = get_object_or_404(IntroductionPlan, school=access.school)
    book = workflows.SlotBook.for_plan(plan, keep_planned=False)
    form = _pick_form(book, section, request.POST)
    if not form.is_valid():
        messages.error(request, "That slot is no longer open; choose another.")
        return redirect("introductions_my_classes", access.school.pk)
    choice = form.cleaned_data["slot"]
    if choice is None:
        workflows.slot_withdraw(section=section, actor=request.user, request=request)
        done = f"Withdrew the preferred slot of {section}"
    else:
        officer_id, day = choice
        workflows.slot_pick(
            section=section, officer_id=officer_id, day=day, actor=request.user, request=request
        )
        done = f"Picked {day} as the preferred slot of {section}"
    messages.success(request, f"{done}. The plan keeps picks whenever it can.")
    return redirect("introductions_my_classes", access.school.pk)


@login_required
@require_POST
def visit_questions(request, school_id: int, visit_id: int):
    access = _teacher_access(request, school_id)
    visit = _visit(access, visit_id)
    access.require(_is_teacher_of(access, visit.section, request.user))
    form = QuestionsForm(request.POST, instance=visit, prefix=f"v{visit.pk}")
    if form.is_valid():
        workflows.visit_questions(form=form, actor=request.user, request=request)
        messages.success(request, f"Saved the questions of {visit.section}. The officer sees them.")
    return redirect("introductions_my_classes", access.school.pk)

"""Class introductions: bell schedule, sections, availability, the plan, visits, the
teacher's classes, and the officer's schedule across all their schools."""

from collections import defaultdict
from datetime import date, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import ProtectedError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.views.decorators.http import require_POST

from onboarding.access import SchoolAccess, get_agency_for_user, get_school_access
from onboarding.context_processors import navigation_for
from onboarding.models import AgencyMembership, AuditEvent, Membership, Role, School, User

from . import introductions as workflows
from .feeds import feed_officer, officer_calendar
from .forms_introductions import (
    AvailabilityForm,
    BlackoutForm,
    PeriodForm,
    PickForm,
    PlanForm,
    QuestionsForm,
    SectionForm,
    SectionImportForm,
    VisitForm,
    VisitStatusForm,
)
from .models import (
    ACTIVE_VISIT,
    Availability,
    BlackoutDate,
    ClassSection,
    IntroductionPlan,
    OfficerFeed,
    Period,
    SlotPick,
    Visit,
)
from .sections_import import parse_oneroster, parse_simple_csv, sections_import

TEMPLATES = "events/introductions"

# --- Access --------------------------------------------------------------------


def _manager(request, school_id: int) -> SchoolAccess:
    """Principals and district admins plan a school's introductions."""
    access = get_school_access(request, school_id)
    access.require(access.can_manage)
    return access


def _is_teacher_of(access: SchoolAccess, section: ClassSection, user) -> bool:
    return access.can_manage or (access.is_staff_member and section.teacher_id == user.pk)


def _require_officer(request) -> list[Membership]:
    """The officer's own schedule is for officers: everyone else gets a 403. Returns
    their officer memberships, by school name, read from the memberships the
    navigation bar holds anyway (one query shared with it)."""
    memberships = [m for m in navigation_for(request).memberships if m.role == Role.SRO]
    if not memberships:
        raise PermissionDenied
    return memberships


def _visit(access: SchoolAccess, visit_id: int) -> Visit:
    return get_object_or_404(Visit.objects.with_details(), pk=visit_id, school=access.school)


# --- The plan (principal) ---------------------------------------------------------


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
    access = _manager(request, school_id)
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
    return render(request, f"{TEMPLATES}/plan.html", context)


@login_required
def introductions_settings(request, school_id: int):
    access = _manager(request, school_id)
    school = access.school
    plan = IntroductionPlan.objects.filter(school=school).first()
    if plan is None:
        today = timezone.localdate()
        plan = IntroductionPlan(
            school=school, start_date=today + timedelta(days=1), end_date=today + timedelta(days=21)
        )
    form = PlanForm(request.POST or None, instance=plan, school=school)
    if request.method == "POST" and form.is_valid():
        form.save()
        AuditEvent.record(
            action="introductions.plan_settings",
            summary=f"Set the introductions window {plan.start_date}–{plan.end_date}, "
            f"{plan.daily_limit} visits a day",
            school=school,
            target=plan,
            request=request,
        )
        messages.success(request, "Plan settings saved. Teachers may now pick a slot.")
        return redirect("introductions", school.pk)
    return render(
        request, f"{TEMPLATES}/settings.html", {"access": access, "school": school, "form": form}
    )


@login_required
@require_POST
def introductions_run(request, school_id: int):
    access = _manager(request, school_id)
    plan = get_object_or_404(IntroductionPlan, school=access.school)
    result = workflows.plan_run(plan=plan, actor=request.user, request=request)
    messages.success(
        request,
        f"Plan run: {result.placed} visits placed, {result.kept} kept from before, "
        f"{result.unplaced} sections could not be placed.",
    )
    return redirect("introductions", access.school.pk)


# --- Bell schedule and blackout dates -----------------------------------------------


@login_required
def bell_schedule(request, school_id: int):
    access = _manager(request, school_id)
    school = access.school
    action = request.POST.get("action")
    period_form = PeriodForm(
        request.POST if action == "period" else None, school=school, prefix="period"
    )
    blackout_form = BlackoutForm(
        request.POST if action == "blackout" else None, school=school, prefix="blackout"
    )
    form = {"period": period_form, "blackout": blackout_form}.get(action)
    if request.method == "POST" and form is not None and form.is_valid():
        item = form.save(commit=False)
        item.school = school
        item.save()
        AuditEvent.record(
            action=f"introductions.{action}_add",
            summary=f"Added {item} to the calendar of {school}",
            school=school,
            target=item,
            request=request,
        )
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
        f"{TEMPLATES}/bell_schedule.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def period_delete(request, school_id: int, period_id: int):
    access = _manager(request, school_id)
    period = get_object_or_404(Period, pk=period_id, school=access.school)
    try:
        period.delete()
    except ProtectedError:
        messages.error(
            request,
            f"{period.name} has visits on record (planned, done or cancelled), so it stays "
            "in the bell schedule.",
        )
    else:
        messages.success(request, f"Removed {period.name}.")
        AuditEvent.record(
            action="introductions.period_delete",
            summary=f"Removed {period} from the bell schedule",
            school=access.school,
            request=request,
        )
    return redirect("bell_schedule", access.school.pk)


@login_required
@require_POST
def blackout_delete(request, school_id: int, blackout_id: int):
    access = _manager(request, school_id)
    blackout = get_object_or_404(BlackoutDate, pk=blackout_id, school=access.school)
    blackout.delete()
    AuditEvent.record(
        action="introductions.blackout_delete",
        summary=f"Removed the blackout date {blackout}",
        school=access.school,
        request=request,
    )
    messages.success(request, f"{blackout.date:%B %-d} is a school day again.")
    return redirect("bell_schedule", access.school.pk)


# --- Class sections -----------------------------------------------------------------


@login_required
def sections(request, school_id: int):
    access = _manager(request, school_id)
    school = access.school
    form = SectionForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        section = form.save(commit=False)
        section.school = school
        section.save()
        AuditEvent.record(
            action="introductions.section_add",
            summary=f"Added the class section {section}",
            school=school,
            target=section,
            request=request,
        )
        messages.success(request, f"Added {section}.")
        return redirect("sections", school.pk)
    context = {
        "access": access,
        "school": school,
        "sections": ClassSection.objects.for_school(school),
        "form": form,
    }
    return render(request, f"{TEMPLATES}/sections.html", context)


@login_required
def section_edit(request, school_id: int, section_id: int):
    access = _manager(request, school_id)
    section = get_object_or_404(ClassSection, pk=section_id, school=access.school)
    form = SectionForm(request.POST or None, instance=section, school=access.school)
    if request.method == "POST" and form.is_valid():
        form.save()
        AuditEvent.record(
            action="introductions.section_edit",
            summary=f"Changed the class section {section}",
            school=access.school,
            target=section,
            request=request,
        )
        messages.success(request, f"Saved {section}.")
        return redirect("sections", access.school.pk)
    return render(
        request,
        f"{TEMPLATES}/section_form.html",
        {"access": access, "school": access.school, "section": section, "form": form},
    )


@login_required
def sections_import_view(request, school_id: int):
    access = _manager(request, school_id)
    school = access.school
    form = SectionImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["format"] == "simple":
            rows, errors = parse_simple_csv(data["sections_file"], school)
            source = data["sections_file"].name
        else:
            rows, errors = parse_oneroster(
                school,
                classes=data["classes_file"],
                courses=data["courses_file"],
                enrollments=data["enrollments_file"],
                users=data["users_file"],
            )
            source = "OneRoster files"
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
        f"{TEMPLATES}/sections_import.html",
        {"access": access, "school": school, "form": form, "errors": errors},
        status=400 if errors else 200,
    )


# --- Availability ---------------------------------------------------------------------


def _availability_access(request, school_id: int) -> SchoolAccess:
    access = get_school_access(request, school_id)
    access.require(access.can_manage or access.is_sro)
    return access


def _editable_officers(access: SchoolAccess, user):
    officers = workflows.school_officers(access.school)
    return officers if access.can_manage else officers.filter(pk=user.pk)


@login_required
def availability(request, school_id: int):
    access = _availability_access(request, school_id)
    school = access.school
    officers = _editable_officers(access, request.user)
    form = AvailabilityForm(request.POST or None, school=school, officers=officers)
    if request.method == "POST" and form.is_valid():
        block = form.save(commit=False)
        block.school = school
        block.save()
        AuditEvent.record(
            action="introductions.availability_add",
            summary=f"Added availability of {block.officer} at {school}: {block}",
            school=school,
            target=block,
            request=request,
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
    return render(request, f"{TEMPLATES}/availability.html", context)


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
    block.delete()
    AuditEvent.record(
        action="introductions.availability_delete",
        summary=f"Removed availability of {block.officer} at {access.school}: {block}",
        school=access.school,
        request=request,
    )
    messages.success(request, f"Removed {block}.")
    return redirect("availability", access.school.pk)


# --- Visits by hand -----------------------------------------------------------------


def _visit_form_page(request, access, *, section, visit, form, problems):
    return render(
        request,
        f"{TEMPLATES}/visit_form.html",
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
    access = _manager(request, school_id)
    section = get_object_or_404(
        ClassSection.objects.select_related("period", "school"), pk=section_id, school=access.school
    )
    form = VisitForm(request.POST or None, officers=workflows.school_officers(access.school))
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
    access = _manager(request, school_id)
    visit = _visit(access, visit_id)
    form = VisitForm(
        request.POST or None,
        officers=workflows.school_officers(access.school),
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
    access = _manager(request, school_id)
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
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect("introductions_my_classes", access.school.pk)


# --- The teacher's classes --------------------------------------------------------------


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
    officers = {o.pk: o for o in book.officers} if book else {}
    rows = []
    for section in my_sections:
        visit = visits.get(section.pk)
        pick_form = None
        if book is not None and (visit is None or visit.status == Visit.Status.PLANNED):
            options = _pick_options(book, section, officers)
            current = getattr(section, "pick", None)
            pick_form = PickForm(
                options=options,
                prefix=f"s{section.pk}",
                initial={
                    "slot": f"{current.officer_id}:{current.date.isoformat()}" if current else ""
                },
            )
        questions_form = (
            QuestionsForm(instance=visit, prefix=f"v{visit.pk}")
            if visit and visit.status in (Visit.Status.PLANNED, Visit.Status.CONFIRMED)
            else None
        )
        rows.append(
            {
                "section": section,
                "visit": visit,
                "pick_form": pick_form,
                "questions_form": questions_form,
            }
        )
    context = {"access": access, "school": school, "plan": plan, "rows": rows}
    return render(request, f"{TEMPLATES}/my_classes.html", context)


def _pick_options(book, section, officers) -> list:
    options = []
    for slot in book.candidates(section):
        start, end = section.period.bounds(slot.day, book.school.zone)
        local = start.astimezone(book.school.zone)
        label = (
            f"{local:%a %b %-d}, {section.period.name} ({local:%-I:%M %p}), "
            f"{officers[slot.officer].full_name}"
        )
        options.append((slot, label))
    return options


@login_required
@require_POST
def section_pick(request, school_id: int, section_id: int):
    access = _teacher_access(request, school_id)
    section = get_object_or_404(
        ClassSection.objects.select_related("period"), pk=section_id, school=access.school
    )
    access.require(_is_teacher_of(access, section, request.user))
    plan = get_object_or_404(IntroductionPlan, school=access.school)
    book = workflows.SlotBook.for_plan(plan, keep_planned=False)
    form = PickForm(
        request.POST,
        options=_pick_options(book, section, {o.pk: o for o in book.officers}),
        prefix=f"s{section.pk}",
    )
    if not form.is_valid():
        messages.error(request, "That slot is no longer open; choose another.")
        return redirect("introductions_my_classes", access.school.pk)
    choice = form.cleaned_data["slot"]
    if choice is None:
        SlotPick.objects.filter(section=section).delete()
        summary = f"Withdrew the preferred slot of {section}"
    else:
        officer_id, day = choice
        SlotPick.objects.update_or_create(
            section=section,
            defaults={"officer_id": officer_id, "date": day, "picked_by": request.user},
        )
        summary = f"Picked {day} as the preferred slot of {section}"
    AuditEvent.record(
        action="introductions.pick",
        summary=summary,
        school=access.school,
        target=section,
        request=request,
    )
    messages.success(request, f"{summary}. The plan keeps picks whenever it can.")
    return redirect("introductions_my_classes", access.school.pk)


@login_required
@require_POST
def visit_questions(request, school_id: int, visit_id: int):
    access = _teacher_access(request, school_id)
    visit = _visit(access, visit_id)
    access.require(_is_teacher_of(access, visit.section, request.user))
    form = QuestionsForm(request.POST, instance=visit, prefix=f"v{visit.pk}")
    if form.is_valid():
        form.save()
        AuditEvent.record(
            action="introductions.questions",
            summary=f"Updated the class's questions for the visit to {visit.section}",
            school=access.school,
            target=visit,
            request=request,
        )
        messages.success(request, f"Saved the questions of {visit.section}. The officer sees them.")
    return redirect("introductions_my_classes", access.school.pk)


# --- The officer's schedule across all their schools -------------------------------------


def _officer_today(user, memberships: list[Membership] | None = None) -> date:
    """Today in the zone of the officer's first school (by name); `memberships`: their
    officer memberships when the caller has them (see _require_officer)."""
    if memberships is not None:
        membership = memberships[0] if memberships else None
    else:
        membership = (
            Membership.objects.active()
            .filter(user=user, role=Role.SRO)
            .select_related("school")
            .order_by("school__name")
            .first()
        )
    if membership is None:  # an officer with no school yet
        return timezone.localdate()
    return timezone.localdate(timezone=membership.school.zone)


def _officer_visits(user):
    return Visit.objects.active().with_details().filter(officer=user)


def _by_day(visits) -> list[tuple[date, list[Visit]]]:
    days: dict[date, list[Visit]] = defaultdict(list)
    for visit in visits:
        days[visit.date].append(visit)
    return sorted(days.items())


@login_required
def officer_schedule(request):
    memberships = _require_officer(request)
    today = _officer_today(request.user, memberships)
    visits = list(_officer_visits(request.user).filter(date__gte=today - timedelta(days=7)))
    feed = OfficerFeed.for_officer(request.user)
    context = {
        "today": today,
        "days": _by_day(visits),
        "feed_url": request.build_absolute_uri(f"/feeds/officer/{feed.token}.ics"),
        "monday": today - timedelta(days=today.weekday()),
    }
    return render(request, f"{TEMPLATES}/officer_schedule.html", context)


@cache
def _week_sql() -> str:
    statuses = ", ".join(["%s"] * len(ACTIVE_VISIT))
    # Table names from the models' metadata; every value is a parameter.
    return (
        "SELECT visit.id, visit.date, visit.starts_at,"  # noqa: S608
        " section.name AS section_name, section.room AS section_room,"
        " school.name AS school_name, school.time_zone AS school_time_zone"
        f" FROM {Visit._meta.db_table} visit"
        f" JOIN {ClassSection._meta.db_table} section ON section.id = visit.section_id"
        f" JOIN {School._meta.db_table} school ON school.id = visit.school_id"
        f" WHERE visit.officer_id = %s AND visit.status IN ({statuses})"
        " AND visit.date >= %s AND visit.date <= %s"
        " ORDER BY visit.starts_at"
    )


def week_visits(officer_id: int, first: date, last: date) -> list[Visit]:
    """An officer's active visits from `first` to `last`, by start, each with
    `section_name`, `section_room`, `school_name` and `school_time_zone`: the rows of

        Visit.objects.active().filter(officer=officer_id, date__gte=first, date__lte=last)
        .values_list("date", "starts_at", "section__name", "section__room",
                     "school__name", "school__time_zone")

    from a query written out once per process (as onboarding.context_processors does
    for memberships): compiling that queryset cost about half a millisecond of Python,
    a tenth of the week page. It reads the partial index of events/0003.
    """
    ops = connection.ops
    params = [
        officer_id,
        *ACTIVE_VISIT,
        ops.adapt_datefield_value(first),
        ops.adapt_datefield_value(last),
    ]
    return list(Visit.objects.raw(_week_sql(), params))


def _week_context(request, officer, memberships: list[Membership] | None = None) -> dict:
    today = _officer_today(officer, memberships)
    try:
        start = date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        start = today
    monday = start - timedelta(days=start.weekday())
    days = [monday + timedelta(days=i) for i in range(5)]
    # The week shows each visit's time, class, room and school only; the text of each
    # is built here once rather than by template filters per row.
    visits = week_visits(officer.pk, days[0], days[-1])
    by_day: dict[date, list[dict]] = defaultdict(list)
    zones: dict[str, ZoneInfo] = {}
    for visit in visits:
        time_zone = visit.school_time_zone
        zone = zones.get(time_zone) or zones.setdefault(time_zone, ZoneInfo(time_zone))
        by_day[visit.date].append(
            {
                "starts": visit.starts_at.isoformat(),
                # The school's own wall-clock time, whatever zone is active.
                "time": _clock(visit.starts_at.astimezone(zone)),
                "section": visit.section_name,
                "school": visit.school_name,
                "room": visit.section_room,
            }
        )
    # One reverse for the five days' sheets: the path with a marker day, replaced.
    day_url = reverse("officer_day", args=["0000-00-00"])
    return {
        "today": today,
        "week": [
            {
                "iso": day.isoformat(),
                "label": dateformat.format(day, "l, M j"),
                "url": day_url.replace("0000-00-00", day.isoformat()),
                "is_today": day == today,
                "visits": by_day.get(day, []),
            }
            for day in days
        ],
        "monday": monday,
        "previous": monday - timedelta(days=7),
        "next": monday + timedelta(days=7),
    }


def _clock(moment) -> str:
    """ "8:05 AM": the `time:"g:i A"` of a template (the portal is in English only)."""
    return f"{moment.hour % 12 or 12}:{moment.minute:02d} {'AM' if moment.hour < 12 else 'PM'}"


@login_required
def officer_week(request):
    memberships = _require_officer(request)
    context = _week_context(request, request.user, memberships)
    return render(request, f"{TEMPLATES}/officer_week.html", context)


@login_required
def agency_officer_week(request, agency_id: int, officer_id: int):
    """The agency's SRO supervisor (or the district admin) reads an officer's week."""
    agency = get_agency_for_user(request, agency_id)
    officer = get_object_or_404(
        User,
        pk=officer_id,
        agency_memberships__agency=agency,
        agency_memberships__role=AgencyMembership.AgencyRole.OFFICER,
        agency_memberships__is_active=True,
    )
    context = {**_week_context(request, officer), "officer": officer, "agency": agency}
    return render(request, f"{TEMPLATES}/officer_week.html", context)


@login_required
def officer_day(request, day: str):
    _require_officer(request)
    try:
        the_day = date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    visits = list(_officer_visits(request.user).filter(date=the_day))
    return render(request, f"{TEMPLATES}/officer_day.html", {"day": the_day, "visits": visits})


@login_required
@require_POST
def officer_feed_regenerate(request):
    _require_officer(request)
    feed = OfficerFeed.for_officer(request.user)
    feed.regenerate()
    AuditEvent.record(
        action="introductions.feed_regenerate",
        summary=f"{request.user} made a new calendar feed link; the old one stopped working",
        target=feed,
        request=request,
    )
    messages.success(
        request, "Your calendar link is new. Subscribe again with it: the old one no longer works."
    )
    return redirect("officer_schedule")


def officer_feed(request, token: str):
    """The public, secret-link iCalendar feed (calendar apps cannot sign in)."""
    officer = feed_officer(token)
    if officer is None:
        raise Http404
    calendar = officer_calendar(officer)
    response = HttpResponse(calendar.encode(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="sro-schedule.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response

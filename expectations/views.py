import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from onboarding.access import SchoolAccess, get_school_access

from . import workflows
from .forms import AnswersForm, ConfirmForm, GuidelineForm, StarterPublishForm
from .home import guidelines_for
from .links import section_choices
from .models import Acknowledgment, Guideline, GuidelineVersion, reminded_today
from .starter import STARTERS
from .status import ACKNOWLEDGED, OVERDUE, PENDING, compliance, standing
from .text import csv_cell, has_changes, render_markdown, word_diff
from .workflows import ScenarioData, guideline_acknowledge, guideline_publish, guideline_revise

# --- Access -----------------------------------------------------------------


def _school_access(request, school_id: int) -> SchoolAccess:
    """Guidelines are for the school's people, not for agency supervisors (403)."""
    access = get_school_access(request, school_id)
    access.require(access.role is not None or access.is_district_admin)
    return access


def _get_guideline(access: SchoolAccess, guideline_id: int) -> Guideline:
    """A published guideline of this school (or its district) the person may read:
    managers and the officer read all of them; staff only those targeted at their
    role. Anything else is a 404."""
    guideline = get_object_or_404(Guideline.objects.for_school(access.school), pk=guideline_id)
    if not (access.can_manage or access.is_sro or guideline.targets(access.role)):
        raise Http404
    return guideline


def _get_managed_guideline(access: SchoolAccess, guideline_id: int) -> Guideline:
    guideline = _get_guideline(access, guideline_id)
    access.require(access.can_manage)
    return guideline


def _session_key(version: GuidelineVersion) -> str:
    return f"guideline-answers-{version.pk}"


# --- Reading and acknowledging ------------------------------------------------


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
    return render(request, "expectations/guidelines.html", context)


def _detail_context(request, access, guideline, *, form=None, results=None) -> dict:
    version = guideline.current_version
    statements = list(version.statements.all())
    scenarios = list(version.scenarios.all())
    mine = None
    diff = None
    my_answers = None
    if guideline.targets(access.role):
        ack = (
            Acknowledgment.objects.filter(person=request.user, version__guideline=guideline)
            .select_related("version")
            .order_by("-version__number")
            .first()
        )
        mine = standing(
            guideline,
            joined_at=access.membership.created_at,
            acknowledged_number=ack.version.number if ack else None,
            acknowledged_at=ack.acknowledged_at if ack else None,
            today=timezone.localdate(),
            zone=access.school.zone,
        )
        if mine.is_done:
            my_answers = _my_answers(ack)
        if mine.needs_reacknowledgment:
            old, new = ack.version.full_text(), version.full_text()
            diff = {
                "from": ack.version,
                "html": word_diff(old, new) if has_changes(old, new) else None,
            }
    if form is None and mine is not None and not mine.is_done:
        form = AnswersForm(version=version, statements=statements, scenarios=scenarios)
    by_scenario = {r["scenario"]: r for r in results or []}
    return {
        "access": access,
        "school": access.school,
        "guideline": guideline,
        "version": version,
        "body_html": render_markdown(version.body),
        "state_rules_html": render_markdown(version.state_rules),
        "statements": statements,
        "scenarios": scenarios,
        "mine": mine,
        "diff": diff,
        "my_answers": my_answers,
        "form": form,
        "results": results,
        "feedback": [(s, by_scenario.get(s.pk)) for s in scenarios] if results else None,
        "score": _score(results) if results is not None else None,
        "can_revise": guideline.can_be_revised_by(access),
    }


def _my_answers(ack: Acknowledgment) -> dict:
    """The person's own answers, as recorded with their acknowledgment."""
    by_pk = {s.pk: s for s in ack.version.scenarios.all()}
    results = ack.answers.get("scenarios", [])
    return {
        "ack": ack,
        "items": [
            (by_pk[r["scenario"]], by_pk[r["scenario"]].choices[r["choice"]], r["correct"])
            for r in results
            if r["scenario"] in by_pk
        ],
    }


def _score(results: list[dict]) -> int:
    if not results:
        return 100
    return round(100 * sum(r["correct"] for r in results) / len(results))


@login_required
def guideline_detail(request, school_id: int, guideline_id: int):
    access = _school_access(request, school_id)
    guideline = _get_guideline(access, guideline_id)
    return render(
        request, "expectations/guideline_detail.html", _detail_context(request, access, guideline)
    )


@login_required
@require_POST
def guideline_answers(request, school_id: int, guideline_id: int):
    """Check the ticks and the scenario answers; on a pass, go on to confirm."""
    access = _school_access(request, school_id)
    guideline = _get_guideline(access, guideline_id)
    access.require(guideline.targets(access.role))
    version = guideline.current_version
    statements = list(version.statements.all())
    scenarios = list(version.scenarios.all())
    form = AnswersForm(request.POST, version=version, statements=statements, scenarios=scenarios)
    if not form.is_valid():
        context = _detail_context(request, access, guideline, form=form)
        return render(request, "expectations/guideline_detail.html", context)
    results = form.grade()
    attempts_key = f"guideline-attempts-{version.pk}"
    attempts = request.session.get(attempts_key, 0) + 1
    request.session[attempts_key] = attempts
    score = _score(results)
    if score < version.pass_mark:
        context = _detail_context(request, access, guideline, form=form, results=results)
        return render(request, "expectations/guideline_detail.html", context)
    request.session[_session_key(version)] = {
        "statements": [s.pk for s in statements],
        "scenarios": results,
        "attempts": attempts,
        "score": score,
    }
    return redirect("guideline_confirm", school_id=access.school.pk, guideline_id=guideline.pk)


@login_required
def guideline_confirm(request, school_id: int, guideline_id: int):
    access = _school_access(request, school_id)
    guideline = _get_guideline(access, guideline_id)
    access.require(guideline.targets(access.role))
    version = guideline.current_version
    answers = request.session.get(_session_key(version))
    if answers is None:
        already = Acknowledgment.objects.filter(person=request.user, version=version).exists()
        if not already:
            messages.info(request, "Tick the statements and answer the questions first.")
            return redirect(
                "guideline_detail", school_id=access.school.pk, guideline_id=guideline.pk
            )
        messages.info(request, f"You have already acknowledged “{guideline.title}”.")
        return redirect("guidelines", school_id=access.school.pk)
    form = ConfirmForm(request.POST or None, person=request.user)
    if request.method == "POST" and form.is_valid():
        _, created = guideline_acknowledge(
            person=request.user,
            version=version,
            typed_name=form.cleaned_data["typed_name"],
            answers=answers,
            school=access.school,
            request=request,
        )
        request.session.pop(_session_key(version), None)
        request.session.pop(f"guideline-attempts-{version.pk}", None)
        if created:
            messages.success(request, f"Thank you: you acknowledged “{guideline.title}”.")
        else:
            messages.info(request, f"You have already acknowledged “{guideline.title}”.")
        return redirect("guidelines", school_id=access.school.pk)
    scenarios = {s.pk: s for s in version.scenarios.all()}
    feedback = [
        (scenarios[r["scenario"]], r) for r in answers["scenarios"] if r["scenario"] in scenarios
    ]
    return render(
        request,
        "expectations/guideline_confirm.html",
        {
            "access": access,
            "school": access.school,
            "guideline": guideline,
            "version": version,
            "form": form,
            "answers": answers,
            "feedback": feedback,
        },
    )


# --- Compliance ---------------------------------------------------------------


@login_required
def guideline_compliance(request, school_id: int, guideline_id: int):
    access = _school_access(request, school_id)
    guideline = _get_managed_guideline(access, guideline_id)
    report = compliance(guideline, access.school, timezone.localdate())
    waiting = [r.membership.user_id for r in report.with_status(PENDING, OVERDUE)]
    reminded = reminded_today(waiting, timezone.localdate())
    return render(
        request,
        "expectations/guideline_compliance.html",
        {
            "access": access,
            "school": access.school,
            "guideline": guideline,
            "version": guideline.current_version,
            "report": report,
            "roster": _roster_rows(report, reminded),
            "waiting_count": len(waiting),
            "can_revise": guideline.can_be_revised_by(access),
        },
    )


# The badge of each status (as in expectations/_status_badge.html).
STATUS_BADGES = {
    ACKNOWLEDGED: "text-bg-success",
    OVERDUE: "text-bg-danger",
    PENDING: "text-bg-warning",
}


def _roster_rows(report, reminded: set[int]) -> list[dict]:
    """The roster as plain rows of display text. A large school lists about 200
    people, and every variable, filter and include in the template's loop is paid
    per row; most people share a few due and acknowledgment days, formatted once."""
    days = {}

    def day(value) -> str:
        if value not in days:
            days[value] = date_format(value, "M j, Y")
        return days[value]

    rows = []
    for row in report.rows:
        membership, standing_ = row.membership, row.standing
        number = standing_.acknowledged_number
        rows.append(
            {
                "name": membership.user.full_name,
                "title": membership.title,
                "role": membership.get_role_display(),
                "badge": STATUS_BADGES[standing_.status],
                "status": standing_.label,
                "reminded": membership.user_id in reminded,
                "due": day(standing_.due_date),
                "acknowledged": (
                    f"version {number}, {day(timezone.localdate(standing_.acknowledged_at))}"
                    if number
                    else "not yet"
                ),
            }
        )
    return rows


@login_required
def guideline_roster_csv(request, school_id: int, guideline_id: int):
    access = _school_access(request, school_id)
    guideline = _get_managed_guideline(access, guideline_id)
    report = compliance(guideline, access.school, timezone.localdate())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"{slugify(guideline.title)}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(
        ["Name", "Email", "Role", "Title", "Status", "Due date", "Version acknowledged",
         "Acknowledged at"]
    )  # fmt: skip
    for row in report.rows:
        m, s = row.membership, row.standing
        at = (
            timezone.localtime(s.acknowledged_at).strftime("%Y-%m-%d %H:%M")
            if s.acknowledged_at
            else ""
        )
        cells = [
            m.user.full_name, m.user.email, m.get_role_display(), m.title, s.label,
            s.due_date.isoformat(), s.acknowledged_number or "", at,
        ]  # fmt: skip
        writer.writerow([csv_cell(c) for c in cells])
    return response


@login_required
@require_POST
def guideline_remind(request, school_id: int, guideline_id: int):
    access = _school_access(request, school_id)
    guideline = _get_managed_guideline(access, guideline_id)
    report = compliance(guideline, access.school, timezone.localdate())
    people = [r.membership.user for r in report.with_status(PENDING, OVERDUE)]
    reminded, skipped = workflows.guideline_remind(
        guideline=guideline,
        school=access.school,
        people=people,
        sent_by=request.user,
        request=request,
    )
    text = f"Reminded {reminded} {'person' if reminded == 1 else 'people'} by email."
    if skipped:
        text += f" {skipped} already had a reminder today and will not get another."
    messages.success(request, text)
    return redirect("guideline_compliance", school_id=access.school.pk, guideline_id=guideline.pk)


# --- Publishing -------------------------------------------------------------


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
        "expectations/starters.html",
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
        "expectations/starter_publish.html",
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
        "expectations/guideline_form.html",
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
        "expectations/guideline_form.html",
        {
            "access": access,
            "school": access.school,
            "form": form,
            "guideline": guideline,
            "version": version,
        },
    )


# --- Links to the role agreement ----------------------------------------------


@login_required
def guideline_links(request, school_id: int, guideline_id: int):
    """Which agreement section each statement of the current version comes from."""
    access = _school_access(request, school_id)
    guideline = _get_managed_guideline(access, guideline_id)
    access.require(guideline.can_be_revised_by(access))
    statements = list(guideline.current_version.statements.all())
    choices = section_choices(access.school)
    valid = {key for key, _ in choices}
    if request.method == "POST":
        changes = {}
        for statement in statements:
            key = request.POST.get(f"statement-{statement.pk}", "")
            if key and key not in valid:
                messages.error(request, "Choose one of the listed agreement sections.")
                break
            if key != statement.agreement_section_key:
                changes[statement] = key
        else:
            workflows.statements_link(
                guideline=guideline,
                changes=changes,
                actor=request.user,
                school=access.school,
                request=request,
            )
            messages.success(request, "The links to the role agreement are saved.")
            return redirect("guideline_detail", access.school.pk, guideline.pk)
    return render(
        request,
        "expectations/guideline_links.html",
        {
            "access": access,
            "school": access.school,
            "guideline": guideline,
            "statements": statements,
            "choices": choices,
        },
    )

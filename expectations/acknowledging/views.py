from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from expectations.access import get_guideline, get_guideline_to_acknowledge, school_access
from expectations.acknowledging.forms import AnswersForm, ConfirmForm
from expectations.acknowledging.workflows import guideline_acknowledge
from expectations.delivery.mailings import delivery_panels
from expectations.models import Acknowledgment, GuidelineVersion
from expectations.status import standing
from sro_portal.text import word_diffs


def _session_key(version: GuidelineVersion) -> str:
    return f"guideline-answers-{version.pk}"


def _detail_context(request, access, guideline, *, form=None, results=None) -> dict:
    version = guideline.current_version
    statements = list(version.statements.all())
    scenarios = list(version.scenarios.all())
    mine = diff = my_acknowledgment = None
    if guideline.targets(access.role):
        ack = Acknowledgment.objects.latest_of(request.user, guideline)
        mine = standing(
            guideline,
            joined_at=access.membership.created_at,
            acknowledged_number=ack.version.number if ack else None,
            acknowledged_at=ack.acknowledged_at if ack else None,
            today=timezone.localdate(),
            zone=access.school.zone,
        )
        if mine.is_done:
            my_acknowledgment = ack
        if mine.needs_reacknowledgment:
            diff = {
                "from": ack.version,
                "words": word_diffs([(ack.version.full_text(), version.full_text())])[0],
            }
    if form is None and mine is not None and not mine.is_done:
        form = AnswersForm(version=version, statements=statements, scenarios=scenarios)
    by_scenario = {r["scenario"]: r for r in results or []}
    return {
        "access": access,
        "school": access.school,
        "guideline": guideline,
        "version": version,
        "statements": statements,
        "scenarios": scenarios,
        "mine": mine,
        "diff": diff,
        "my_acknowledgment": my_acknowledgment,
        "form": form,
        "results": results,
        "feedback": [(s, by_scenario.get(s.pk)) for s in scenarios] if results else None,
        "score": _score(results) if results is not None else None,
        "can_revise": guideline.can_be_revised_by(access),
        "deliveries": delivery_panels(access, guideline) if access.can_manage else [],
    }


def _score(results: list[dict]) -> int:
    if not results:
        return 100
    return round(100 * sum(r["correct"] for r in results) / len(results))


@login_required
def guideline_detail(request, school_id: int, guideline_id: int):
    access = school_access(request, school_id)
    guideline = get_guideline(access, guideline_id)
    return render(
        request,
        "expectations/acknowledging/guideline_detail.html",
        _detail_context(request, access, guideline),
    )


@login_required
@require_POST
def guideline_answers(request, school_id: int, guideline_id: int):
    """Check the ticks and the scenario answers; on a pass, go on to confirm."""
    access = school_access(request, school_id)
    guideline = get_guideline_to_acknowledge(access, guideline_id)
    version = guideline.current_version
    statements = list(version.statements.all())
    scenarios = list(version.scenarios.all())
    form = AnswersForm(request.POST, version=version, statements=statements, scenarios=scenarios)
    if not form.is_valid():
        context = _detail_context(request, access, guideline, form=form)
        return render(request, "expectations/acknowledging/guideline_detail.html", context)
    results = form.grade()
    attempts_key = f"guideline-attempts-{version.pk}"
    attempts = request.session.get(attempts_key, 0) + 1
    request.session[attempts_key] = attempts
    score = _score(results)
    if score < version.pass_mark:
        context = _detail_context(request, access, guideline, form=form, results=results)
        return render(request, "expectations/acknowledging/guideline_detail.html", context)
    request.session[_session_key(version)] = {
        "statements": [s.pk for s in statements],
        "scenarios": results,
        "attempts": attempts,
        "score": score,
    }
    return redirect("guideline_confirm", school_id=access.school.pk, guideline_id=guideline.pk)


@login_required
def guideline_confirm(request, school_id: int, guideline_id: int):
    access = school_access(request, school_id)
    guideline = get_guideline_to_acknowledge(access, guideline_id)
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
    return render(
        request,
        "expectations/acknowledging/guideline_confirm.html",
        {
            "access": access,
            "school": access.school,
            "guideline": guideline,
            "version": version,
            "form": form,
            "answers": answers,
            "scenarios": version.scenarios.all(),
        },
    )

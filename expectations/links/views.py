from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from expectations.access import _get_managed_guideline, _school_access
from expectations.links import workflows
from expectations.links.review import section_choices


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
        "expectations/links/guideline_links.html",
        {
            "access": access,
            "school": access.school,
            "guideline": guideline,
            "statements": statements,
            "choices": choices,
        },
    )

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from expectations.access import get_managed_guideline, school_access
from expectations.links import workflows
from expectations.links.forms import StatementLinksForm
from expectations.links.review import section_choices


@login_required
def guideline_links(request, school_id: int, guideline_id: int):
    """Which agreement section each statement of the current version comes from."""
    access = school_access(request, school_id)
    guideline = get_managed_guideline(access, guideline_id)
    access.require(guideline.can_be_revised_by(access))
    statements = list(guideline.current_version.statements.all())
    choices = section_choices(access.school)
    data = request.POST if request.method == "POST" else None
    form = StatementLinksForm(data, statements=statements, choices=choices)
    if request.method == "POST":
        if form.is_valid():
            workflows.statements_link(
                guideline=guideline,
                changes=form.changes(),
                actor=request.user,
                school=access.school,
                request=request,
            )
            messages.success(request, "The links to the role agreement are saved.")
            return redirect("guideline_detail", access.school.pk, guideline.pk)
        messages.error(request, "Choose one of the listed agreement sections.")
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

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from onboarding import access
from onboarding.agreement_template import workflows
from onboarding.agreement_template.forms import TemplateSectionForm
from onboarding.agreement_template.models import TemplateSection


@login_required
def agreement_template(request, district_id: int):
    district = access.get_district_for_admin(request, district_id)
    sections = list(TemplateSection.objects.filter(template__district=district))
    uses_builtin = not sections
    if uses_builtin:
        sections = workflows.template_sections(district)
    return render(
        request,
        "onboarding/agreement_template/template.html",
        {"district": district, "sections": sections, "uses_builtin": uses_builtin},
    )


@login_required
def agreement_template_section(request, district_id: int, key: str | None = None):
    district = access.get_district_for_admin(request, district_id)
    sections = workflows.template_sections(district)
    section = None
    if key is not None:
        index = next((i for i, s in enumerate(sections) if s.key == key), None)
        if index is None:
            raise Http404
        section = sections[index]
        initial = {"title": section.title, "body": section.body, "position": index + 1}
    else:
        initial = {"position": len(sections) + 1}
    form = TemplateSectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = workflows.template_save_section(
            **form.cleaned_data, district=district, key=key, actor=request.user, request=request
        )
        messages.success(request, f"Saved “{saved.title}” in the district's template.")
        return redirect("agreement_template", district.pk)
    return render(
        request,
        "onboarding/agreement_template/template_section.html",
        {"district": district, "section": section, "form": form},
    )


@login_required
@require_POST
def agreement_template_section_remove(request, district_id: int, key: str):
    district = access.get_district_for_admin(request, district_id)
    if not any(s.key == key for s in workflows.template_sections(district)):
        raise Http404
    workflows.template_remove_section(
        district=district, key=key, actor=request.user, request=request
    )
    messages.success(request, "Section removed from the district's template.")
    return redirect("agreement_template", district.pk)

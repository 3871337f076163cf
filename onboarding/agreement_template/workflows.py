import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify

from onboarding.agreement_template.builtin import SECTIONS
from onboarding.agreement_template.models import AgreementTemplate, TemplateSection
from onboarding.audit.models import AuditEvent
from onboarding.people.models import User


@dataclass
class SectionText:
    """A section's key, title and body, as a template or a version holds it."""

    key: str
    title: str
    body: str


def new_section_key(title: str, taken: set[str]) -> str:
    """A key for a new section, from its title, that no other section has."""
    base = slugify(title)[:40] or "section"
    key = base
    while key in taken:
        key = f"{base}-{secrets.token_hex(2)}"
    return key


def template_sections(district) -> list[SectionText]:
    """The district's own template, or the built-in one."""
    rows = TemplateSection.objects.filter(template__district=district).order_by("position", "pk")
    if rows:
        return [SectionText(r.key, r.title, r.body) for r in rows]
    return [SectionText(key, title, body) for key, title, body in SECTIONS]


def district_template(district, *, actor: User) -> AgreementTemplate:
    """The district's own template, created from the built-in text on first edit."""
    template, created = AgreementTemplate.objects.get_or_create(
        district=district, defaults={"updated_by": actor}
    )
    if created:
        TemplateSection.objects.bulk_create(
            TemplateSection(template=template, key=key, position=i, title=title, body=body)
            for i, (key, title, body) in enumerate(SECTIONS, start=1)
        )
    return template


def template_save_section(
    *, district, key: str | None, title: str, body: str, position: int, actor: User, request=None
) -> TemplateSection:
    with transaction.atomic():
        template = district_template(district, actor=actor)
        body = body.replace("\r\n", "\n")
        if key is None:
            taken = set(template.sections.values_list("key", flat=True))
            section = TemplateSection.objects.create(
                template=template,
                key=new_section_key(title, taken),
                position=position,
                title=title,
                body=body,
            )
        else:
            section = template.sections.get(key=key)
            section.title, section.body, section.position = title, body, position
            section.save()
        sections = sorted(
            template.sections.all(), key=lambda s: (s.position, s.pk != section.pk, s.pk)
        )
        for i, s in enumerate(sections, start=1):
            if s.position != i:
                s.position = i
                s.save(update_fields=["position"])
        template.updated_by = actor
        template.save()
        AuditEvent.record(
            action="agreement_template.section_saved",
            summary=f"Saved “{title}” in the agreement template of {district}",
            target=template,
            actor=actor,
            request=request,
        )
    return section


def template_remove_section(*, district, key: str, actor: User, request=None) -> None:
    with transaction.atomic():
        template = district_template(district, actor=actor)
        section = template.sections.filter(key=key).first()
        if section is None:
            return
        section.delete()
        AuditEvent.record(
            action="agreement_template.section_removed",
            summary=f"Removed “{section.title}” from the agreement template of {district}",
            target=template,
            actor=actor,
            request=request,
        )

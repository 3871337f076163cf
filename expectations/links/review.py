"""Guideline statements linked to the role-agreement sections they come from.

A statement carries the stable key of an agreement section ("discipline",
"searches"...). When an amendment changes such a section, the statements linked to
it are the guideline items a principal should review.
"""

from dataclasses import dataclass

from django.db.models import F

from expectations.models import Guideline, Statement
from onboarding.agreement_template.builtin import SECTIONS as TEMPLATE_SECTIONS
from onboarding.agreements.comparison import compare_versions
from onboarding.agreements.models import Agreement, AgreementSection
from onboarding.schools.models import School


def section_choices(school: School) -> list[tuple[str, str]]:
    """(key, title) of the sections of the school's newest agreement, or of the
    built-in template when the school has none yet."""
    agreement = (
        Agreement.objects.filter(school=school, current_version__isnull=False)
        .exclude(status=Agreement.Status.SUPERSEDED)
        .order_by("-created_at")
        .first()
    )
    if agreement is None:
        return [(key, title) for key, title, _ in TEMPLATE_SECTIONS]
    return list(
        AgreementSection.objects.filter(version=agreement.current_version).values_list(
            "key", "title"
        )
    )


@dataclass(frozen=True)
class ItemToReview:
    section_key: str
    section_title: str
    statement: Statement


def changed_section_titles(amendment: Agreement) -> dict[str, str]:
    """{key: title} of the sections an amendment adds, removes or rewrites compared
    with the agreement it amends."""
    base = amendment.amends
    if base is None or base.current_version_id is None or amendment.current_version_id is None:
        return {}
    rows = compare_versions(base.current_version_id, amendment.current_version_id)
    return {row.key: row.section_title for row in rows if row.change != "unchanged"}


def statements_to_review(amendment: Agreement) -> list[ItemToReview]:
    """The current guideline statements of the school (and its district) linked to a
    section this amendment changes. Two queries."""
    changed = changed_section_titles(amendment)
    if not changed:
        return []
    statements = (
        Statement.objects.filter(
            version__guideline__in=Guideline.objects.for_school(amendment.school),
            version=F("version__guideline__current_version"),
            agreement_section_key__in=changed,
        )
        .select_related("version__guideline")
        .order_by("version__guideline__title", "order")
    )
    return [
        ItemToReview(s.agreement_section_key, changed[s.agreement_section_key], s)
        for s in statements
    ]

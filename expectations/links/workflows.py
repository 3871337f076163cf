from django.db import transaction
from django.utils.translation import ngettext

from expectations.models import Guideline, Statement
from onboarding.audit.models import AuditEvent
from onboarding.people.models import User
from onboarding.schools.models import School


def statements_link(
    *,
    guideline: Guideline,
    changes: dict[Statement, str],
    actor: User,
    school: School | None = None,
    request=None,
) -> None:
    """Link statements to agreement sections. The link is bookkeeping for reviews,
    not text people acknowledged, so it may change on a published version."""
    if not changes:
        return
    with transaction.atomic():
        for statement, key in changes.items():
            statement.agreement_section_key = key
            statement.save(update_fields=["agreement_section_key"])
        AuditEvent.record(
            action="guideline.linked",
            summary=ngettext(
                "Linked %(n)d statement of “%(title)s” to agreement sections",
                "Linked %(n)d statements of “%(title)s” to agreement sections",
                len(changes),
            )
            % {"n": len(changes), "title": guideline.title},
            school=school or guideline.school,
            target=guideline,
            actor=actor,
            request=request,
            links={str(s.pk): key for s, key in changes.items()},
        )

from django.db import IntegrityError, transaction
from django.db.models import Q

from expectations.models import Acknowledgment, GuidelineVersion
from onboarding.audit.models import AuditEvent
from onboarding.people.models import User
from onboarding.schools.models import School


def guideline_acknowledge(
    *,
    person: User,
    version: GuidelineVersion,
    typed_name: str,
    answers: dict,
    school: School,
    request=None,
) -> tuple[Acknowledgment, bool]:
    """Record that `person` acknowledged `version`, exactly once: a double submit, or
    twenty at the same moment, finds the one acknowledgment already there."""
    try:
        with transaction.atomic():
            acknowledgment = Acknowledgment.objects.create(
                person=person,
                version=version,
                school=school,
                typed_name=typed_name,
                answers=answers,
            )
            # It counts in every school of the person, not only this one.
            AuditEvent.record_for_schools(
                School.objects.filter(Q(pk=school.pk) | Q(memberships__user=person)).distinct(),
                action="guideline.acknowledged",
                summary=f"{person} acknowledged “{version.guideline.title}” "
                f"(version {version.number})",
                target=acknowledgment,
                actor=person,
                request=request,
            )
    except IntegrityError:
        # The unique constraint (person, version) lost us the race: the other won.
        return Acknowledgment.objects.get(person=person, version=version), False
    return acknowledgment, True

"""Adding and changing schools and police agencies. Each workflow runs in one
transaction with its audit event."""

from django.db import transaction

from onboarding.audit.models import AuditEvent
from onboarding.schools.forms import AgencyForm, SchoolForm
from onboarding.schools.models import Agency, District, School


@transaction.atomic
def school_add(*, district: District, form: SchoolForm, request) -> School:
    school = form.save(commit=False)
    school.district = district
    school.save()
    AuditEvent.record(
        action="school.created",
        summary=f"Added {school}",
        school=school,
        target=school,
        request=request,
    )
    return school


@transaction.atomic
def school_change(*, form: SchoolForm, request) -> School:
    school = form.save()
    AuditEvent.record(
        action="school.changed",
        summary=f"Changed the details of {school}",
        school=school,
        target=school,
        request=request,
        fields=form.changed_data,
    )
    return school


@transaction.atomic
def agency_add(*, district: District, form: AgencyForm, request) -> Agency:
    agency = form.save(commit=False)
    agency.district = district
    agency.save()
    AuditEvent.record(
        action="agency.created", summary=f"Added {agency}", target=agency, request=request
    )
    return agency

"""Changes to a school's timetable: periods, blackout dates and class sections. Each
runs in one transaction and writes its audit event. (Importing sections is in
events/timetable/imports.py.)"""

from django.db import transaction

from events.timetable.forms import BlackoutForm, PeriodForm, SectionForm
from events.timetable.models import BlackoutDate, ClassSection, Period
from onboarding.audit.models import AuditEvent
from onboarding.people.models import User
from onboarding.schools.models import School


def _calendar_add(item, *, kind: str, school: School, actor: User, request=None):
    item.school = school
    item.save()
    AuditEvent.record(
        action=f"introductions.{kind}_add",
        summary=f"Added {item} to the calendar of {school}",
        school=school,
        target=item,
        actor=actor,
        request=request,
    )
    return item


@transaction.atomic
def period_add(*, school: School, form: PeriodForm, actor: User, request=None) -> Period:
    return _calendar_add(
        form.save(commit=False), kind="period", school=school, actor=actor, request=request
    )


@transaction.atomic
def blackout_add(*, school: School, form: BlackoutForm, actor: User, request=None) -> BlackoutDate:
    return _calendar_add(
        form.save(commit=False), kind="blackout", school=school, actor=actor, request=request
    )


@transaction.atomic
def period_delete(*, period: Period, actor: User, request=None) -> None:
    """Raises ProtectedError when visits were ever booked in the period."""
    period.delete()
    AuditEvent.record(
        action="introductions.period_delete",
        summary=f"Removed {period} from the bell schedule",
        school=period.school,
        actor=actor,
        request=request,
    )


@transaction.atomic
def blackout_delete(*, blackout: BlackoutDate, actor: User, request=None) -> None:
    blackout.delete()
    AuditEvent.record(
        action="introductions.blackout_delete",
        summary=f"Removed the blackout date {blackout}",
        school=blackout.school,
        actor=actor,
        request=request,
    )


@transaction.atomic
def section_add(*, school: School, form: SectionForm, actor: User, request=None) -> ClassSection:
    section = form.save(commit=False)
    section.school = school
    section.save()
    AuditEvent.record(
        action="introductions.section_add",
        summary=f"Added the class section {section}",
        school=school,
        target=section,
        actor=actor,
        request=request,
    )
    return section


@transaction.atomic
def section_edit(*, form: SectionForm, actor: User, request=None) -> ClassSection:
    section = form.save()
    AuditEvent.record(
        action="introductions.section_edit",
        summary=f"Changed the class section {section}",
        school=section.school,
        target=section,
        actor=actor,
        request=request,
    )
    return section

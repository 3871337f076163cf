"""Emails of class introductions: visits set or moved, and the reminder the day before.

A visit set or moved by hand is one email, queued with the change; a plan run tells
every teacher whose visits are new or moved, which is a mailing the worker expands
(`build_plan_visits`): one email per teacher, listing their visits."""

from collections import defaultdict
from collections.abc import Iterable

from django.urls import reverse

from events.introductions.models import IntroductionPlan, Visit
from onboarding.outbox.workflows import email_queue, mailing_start
from onboarding.people.models import User


def _context(teacher: User, visits: list[Visit], *, moved: bool) -> dict:
    school = visits[0].school
    return {
        "teacher": teacher,
        "school": school,
        "visits": visits,
        "moved": moved,
        "classes_path": reverse("introductions_my_classes", args=[school.pk]),
    }


def send_visit_set(visit: Visit, *, moved: bool) -> None:
    """Tell the teacher of a visit set or moved by hand."""
    visit = Visit.objects.with_details().get(pk=visit.pk)
    teacher = visit.section.teacher
    if teacher is None:
        return
    email_queue(
        "visit_scheduled",
        to=teacher,
        context=_context(teacher, [visit], moved=moved),
        concerning=visit,
        school=visit.school,
    )


def plan_visits_mail(
    *, plan: IntroductionPlan, sections: Iterable[int], moved_sections: Iterable[int], actor
) -> None:
    """Tell each teacher the visits of a plan run that are new or moved. The worker
    reads the sections' visits as they are then (a plan run again meanwhile has
    replaced the visits, not the sections)."""
    sections = sorted(set(sections))
    if not sections:
        return
    mailing_start(
        "visit_scheduled",
        builder=f"{__name__}.build_plan_visits",
        arguments={"plan": plan.pk, "sections": sections, "moved_sections": sorted(moved_sections)},
        concerning=plan,
        school=plan.school,
        actor=actor,
    )


def build_plan_visits(emails, *, plan: int, sections: list[int], moved_sections: list[int]) -> None:
    found = IntroductionPlan.objects.filter(pk=plan).first()
    if found is None:
        return
    visits = (
        Visit.objects.active()
        .with_details()
        .filter(school_id=found.school_id, section_id__in=sections)
        .order_by("starts_at", "pk")
    )
    by_teacher: dict[int, list[Visit]] = defaultdict(list)
    for visit in visits:
        if visit.section.teacher_id:
            by_teacher[visit.section.teacher_id].append(visit)
    moved = set(moved_sections)
    for teacher_visits in by_teacher.values():
        teacher = teacher_visits[0].section.teacher
        emails.add(
            "visit_scheduled",
            to=teacher,
            context=_context(
                teacher, teacher_visits, moved=any(v.section_id in moved for v in teacher_visits)
            ),
            concerning=found,
        )


def send_visit_reminder(visit: Visit) -> None:
    teacher = visit.section.teacher
    if teacher is None:
        return
    email_queue(
        "visit_reminder",
        to=teacher,
        context={
            "teacher": teacher,
            "visit": visit,
            "school": visit.school,
            "classes_path": reverse("introductions_my_classes", args=[visit.school_id]),
        },
        concerning=visit,
        school=visit.school,
    )

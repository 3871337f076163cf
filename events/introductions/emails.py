"""Emails of class introductions: visits set or moved, and the reminder the day before."""

from collections.abc import Iterable

from django.urls import reverse

from events.introductions.models import Visit
from sro_portal.mail import send_templated


def send_visits_set(visit_ids: Iterable[int], *, moved: bool) -> None:
    """Tell a teacher the visits to their classes that were just set or moved."""
    visits = list(Visit.objects.with_details().filter(pk__in=list(visit_ids)).order_by("starts_at"))
    if not visits or visits[0].section.teacher is None:
        return
    teacher = visits[0].section.teacher
    school = visits[0].school
    send_templated(
        "visit_scheduled",
        [teacher.email],
        {
            "teacher": teacher,
            "school": school,
            "visits": visits,
            "moved": moved,
            "classes_path": reverse("introductions_my_classes", args=[school.pk]),
        },
    )


def send_visit_reminder(visit: Visit) -> None:
    teacher = visit.section.teacher
    if teacher is None:
        return
    send_templated(
        "visit_reminder",
        [teacher.email],
        {
            "teacher": teacher,
            "visit": visit,
            "school": visit.school,
            "classes_path": reverse("introductions_my_classes", args=[visit.school_id]),
        },
    )

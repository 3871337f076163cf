"""Class introductions: the school's plan pages (principals and district admins),
availability (also the officer), the teacher's classes, and the officer's own
schedule, which is not school-scoped: only officers reach it, everyone else gets a
403. The feed is public behind its secret token."""

from tests import factories as f
from tests.permissions import SCHOOL_MANAGERS, SCHOOL_MEMBERS_NOT_MANAGERS, Route

MANAGERS_ONLY = {
    "ok": SCHOOL_MANAGERS,
    "forbidden": (*SCHOOL_MEMBERS_NOT_MANAGERS, "supervisor"),
    "hidden": ("other_principal",),
}
TEACHER_ACTIONS = {
    "ok": (*SCHOOL_MANAGERS, "staff"),
    "forbidden": ("counselor", "sro", "supervisor"),
    "hidden": ("other_principal",),
}
# The officer's own pages, across the schools they serve: an officer taken off
# `school` still serves `elsewhere` (what the pages list is tested in
# tests/events/schedule/test_removal.py).
OFFICER_ONLY = {
    "ok": ("sro", "removed_sro"),
    "forbidden": (
        "principal",
        "staff",
        "counselor",
        "supervisor",
        "district_admin",
        "other_principal",
        "removed_principal",
        "removed_staff",
        "removed_counselor",
    ),
}


def _school(w):
    return {"school_id": w.school.pk}


def _section(w):
    section = f.ClassSectionFactory(school=w.school, teacher=w.staff)
    return {"school_id": w.school.pk, "section_id": section.pk}


def _section_with_plan(w):
    f.IntroductionPlanFactory(school=w.school)
    return _section(w)


def _visit(w):
    section = f.ClassSectionFactory(school=w.school, teacher=w.staff)
    visit = f.VisitFactory(section=section, officer=w.sro)
    return {"school_id": w.school.pk, "visit_id": visit.pk}


def _plan(w):
    f.IntroductionPlanFactory(school=w.school)
    return _school(w)


def _period(w):
    return {"school_id": w.school.pk, "period_id": f.PeriodFactory(school=w.school).pk}


def _blackout(w):
    return {"school_id": w.school.pk, "blackout_id": f.BlackoutDateFactory(school=w.school).pk}


def _block(w):
    block = f.AvailabilityFactory(school=w.school, officer=w.sro)
    return {"school_id": w.school.pk, "block_id": block.pk}


ROUTES = [
    *[
        Route(name, kwargs=_school, **MANAGERS_ONLY)
        for name in ("introductions", "introductions_settings", "bell_schedule", "sections")
    ],
    Route("sections_import", kwargs=_school, **MANAGERS_ONLY),
    Route(
        "sections",
        kwargs=_school,
        method="post",
        data=lambda w: {"code": "X1", "name": "Algebra", "size": "20"},
        **MANAGERS_ONLY,
    ),
    Route(
        "introductions_settings",
        kwargs=_school,
        method="post",
        data=lambda w: {"start_date": "2026-12-01", "end_date": "2026-12-18", "daily_limit": "3"},
        **MANAGERS_ONLY,
    ),
    Route("introductions_run", kwargs=_plan, method="post", **MANAGERS_ONLY),
    Route(
        "bell_schedule",
        kwargs=_school,
        method="post",
        data=lambda w: {
            "action": "blackout",
            "blackout-date": "2026-12-24",
            "blackout-reason": "Winter break",
        },
        **MANAGERS_ONLY,
    ),
    Route("period_delete", kwargs=_period, method="post", **MANAGERS_ONLY),
    Route("blackout_delete", kwargs=_blackout, method="post", **MANAGERS_ONLY),
    Route("section_edit", kwargs=_section, **MANAGERS_ONLY),
    Route("visit_add", kwargs=_section, **MANAGERS_ONLY),
    Route("visit_move", kwargs=_visit, **MANAGERS_ONLY),
    Route("visit_cancel", kwargs=_visit, method="post", **MANAGERS_ONLY),
    Route(
        "visit_status",
        kwargs=_visit,
        method="post",
        data=lambda w: {"status": "done"},
        ok=(*SCHOOL_MANAGERS, "staff", "sro"),
        forbidden=("counselor", "supervisor"),
        hidden=("other_principal",),
    ),
    Route("section_pick", kwargs=_section_with_plan, method="post", **TEACHER_ACTIONS),
    Route("visit_questions", kwargs=_visit, method="post", **TEACHER_ACTIONS),
    Route(
        "introductions_my_classes",
        kwargs=_school,
        ok=(*SCHOOL_MANAGERS, "staff", "counselor"),
        forbidden=("sro", "supervisor"),
        hidden=("other_principal",),
    ),
    Route(
        "availability",
        kwargs=_school,
        ok=(*SCHOOL_MANAGERS, "sro"),
        forbidden=("staff", "counselor", "supervisor"),
        hidden=("other_principal",),
    ),
    Route(
        "availability_delete",
        kwargs=_block,
        method="post",
        ok=(*SCHOOL_MANAGERS, "sro"),
        forbidden=("staff", "counselor", "supervisor"),
        hidden=("other_principal",),
    ),
    Route("officer_schedule", **OFFICER_ONLY),
    Route("officer_week", **OFFICER_ONLY),
    Route("officer_day", kwargs=lambda w: {"day": "2026-12-01"}, **OFFICER_ONLY),
    Route("officer_feed_regenerate", method="post", **OFFICER_ONLY),
    # An unknown token is a 404; a real one is tested in test_introductions_feed.
    Route(
        "officer_feed",
        kwargs=lambda w: {"token": "not-a-token"},
        public=True,
        public_status=(404,),
    ),
]

ROUTES += [
    Route(
        "agency_officer_week",
        kwargs=lambda w: {"agency_id": w.agency.pk, "officer_id": w.sro.pk},
        ok=("supervisor", "district_admin"),
        hidden=("principal", "staff", "counselor", "sro", "other_principal"),
    ),
]

"""Every change made on the timetable, introductions, talks and schedule pages leaves
one audit event naming who made it, in which school."""

from datetime import timedelta

import pytest
from django.urls import reverse

from events.introductions.models import Visit
from events.timetable.models import Period
from onboarding.audit.models import AuditEvent
from tests import factories as f


def _pick_slot(world):
    setup = f.introductions_setup(school=world.school, officer=world.sro, teacher=world.staff)
    section, day = setup.sections[0], setup.plan.start_date
    while day.weekday() >= 5:
        day += timedelta(days=1)
    url = reverse("section_pick", args=[world.school.pk, section.pk])
    return world.staff, url, {f"s{section.pk}-slot": f"{world.sro.pk}:{day.isoformat()}"}


def _withdraw_pick(world):
    staff, url, data = _pick_slot(world)
    return staff, url, dict.fromkeys(data, "")


def _questions(world):
    visit = f.VisitFactory(
        section=f.ClassSectionFactory(school=world.school, teacher=world.staff), officer=world.sro
    )
    url = reverse("visit_questions", args=[world.school.pk, visit.pk])
    return world.staff, url, {f"v{visit.pk}-student_questions": "Do you like your job?"}


def _section(world):
    period = f.PeriodFactory(school=world.school)
    return {"code": "ART-1", "name": "Art 1", "period": period.pk, "size": "22"}


WRITES = {
    "introductions.period_add": lambda world: (
        world.principal,
        reverse("bell_schedule", args=[world.school.pk]),
        {
            "action": "period",
            "period-name": "Period 1",
            "period-position": "1",
            "period-start_time": "08:00",
            "period-end_time": "08:50",
            "period-weekdays": ["0", "1"],
        },
    ),
    "introductions.blackout_add": lambda world: (
        world.principal,
        reverse("bell_schedule", args=[world.school.pk]),
        {"action": "blackout", "blackout-date": "2026-12-24", "blackout-reason": "Winter break"},
    ),
    "introductions.period_delete": lambda world: (
        world.principal,
        reverse("period_delete", args=[world.school.pk, f.PeriodFactory(school=world.school).pk]),
        {},
    ),
    "introductions.blackout_delete": lambda world: (
        world.principal,
        reverse(
            "blackout_delete",
            args=[world.school.pk, f.BlackoutDateFactory(school=world.school).pk],
        ),
        {},
    ),
    "introductions.section_add": lambda world: (
        world.principal,
        reverse("sections", args=[world.school.pk]),
        _section(world),
    ),
    "introductions.section_edit": lambda world: (
        world.principal,
        reverse(
            "section_edit",
            args=[world.school.pk, f.ClassSectionFactory(school=world.school).pk],
        ),
        _section(world),
    ),
    "introductions.plan_settings": lambda world: (
        world.principal,
        reverse("introductions_settings", args=[world.school.pk]),
        {
            "start_date": f.next_weekday(3).isoformat(),
            "end_date": (f.next_weekday(3) + timedelta(days=11)).isoformat(),
            "daily_limit": "3",
            "selection": "all",
        },
    ),
    "introductions.availability_add": lambda world: (
        world.sro,
        reverse("availability", args=[world.school.pk]),
        {"officer": world.sro.pk, "weekday": 0, "start_time": "08:00", "end_time": "11:00"},
    ),
    "introductions.availability_delete": lambda world: (
        world.sro,
        reverse(
            "availability_delete",
            args=[
                world.school.pk,
                f.AvailabilityFactory(officer=world.sro, school=world.school).pk,
            ],
        ),
        {},
    ),
    "introductions.pick": _pick_slot,
    "introductions.pick withdrawn": _withdraw_pick,
    "introductions.questions": _questions,
    "talk.topic_created": lambda world: (
        world.sro,
        reverse("topic_create", args=[world.school.pk]),
        {"title": "Your rights", "length_minutes": "45", "is_active": "on"},
    ),
    "talk.topic_edited": lambda world: (
        world.sro,
        reverse(
            "topic_edit",
            args=[world.school.pk, f.ClassTalkTopicFactory(officer=world.sro).pk],
        ),
        {"title": "Your rights, revised", "length_minutes": "30"},
    ),
    "introductions.feed_regenerate": lambda world: (
        world.sro,
        reverse("officer_feed_regenerate"),
        {},
    ),
}


@pytest.mark.parametrize("action", sorted(WRITES))
def test_each_write_is_audited_with_its_actor(world, client_for, action):
    user, url, data = WRITES[action](world)
    client = client_for(user)
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    (event,) = AuditEvent.objects.exclude(pk__in=before)
    assert event.action == action.split()[0]
    assert event.actor == user
    if action != "introductions.feed_regenerate":  # the officer's own, of no school
        assert event.school == world.school


def test_a_period_with_visits_stays_and_nothing_is_audited(world, client_for):
    visit = f.VisitFactory(section__school=world.school, status=Visit.Status.CANCELLED)
    response = client_for(world.principal).post(
        reverse("period_delete", args=[world.school.pk, visit.period.pk])
    )
    assert response.status_code == 302
    assert Period.objects.filter(pk=visit.period.pk).exists()
    assert not AuditEvent.objects.filter(action="introductions.period_delete").exists()

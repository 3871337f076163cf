"""The principal's plan: run it, see coverage and unplaced sections with reasons,
move, add and cancel visits with conflict checks; re-running keeps kept visits."""

from datetime import time, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from events.introductions.models import IntroductionPlan, Visit
from onboarding.outbox.models import Email, Mailing
from onboarding.schools.models import Role
from tests import factories as f
from tests.helpers import assert_flat_queries


@pytest.fixture
def setup(world):
    return f.introductions_setup(school=world.school, officer=world.sro, teacher=world.staff)


def _run(client, world):
    return client.post(reverse("introductions_run", args=[world.school.pk]))


def test_principal_sets_the_window_and_limits(world, client_for):
    client = client_for(world.principal)
    start = f.next_weekday(3)
    response = client.post(
        reverse("introductions_settings", args=[world.school.pk]),
        {
            "start_date": start.isoformat(),
            "end_date": (start + timedelta(days=11)).isoformat(),
            "daily_limit": "3",
            "selection": "grades",
            "grades": "9, 10",
        },
    )
    assert response.status_code == 302
    plan = IntroductionPlan.objects.get(school=world.school)
    assert (plan.daily_limit, plan.grade_list) == (3, ["9", "10"])


def test_a_window_ending_before_it_starts_is_refused(world, client_for):
    client = client_for(world.principal)
    response = client.post(
        reverse("introductions_settings", args=[world.school.pk]),
        {
            "start_date": "2027-01-10",
            "end_date": "2027-01-01",
            "daily_limit": "3",
            "selection": "all",
        },
    )
    assert response.status_code == 200
    assert not IntroductionPlan.objects.exists()


def test_running_the_plan_places_every_section_and_tells_the_teacher(
    world, client_for, setup, django_capture_on_commit_callbacks
):
    client = client_for(world.principal)
    with django_capture_on_commit_callbacks(execute=True):
        response = _run(client, world)
    assert response.status_code == 302
    visits = Visit.objects.filter(school=world.school)
    assert visits.count() == 3
    for visit in visits:
        assert visit.section.meets_on(visit.date)
        assert visit.date >= setup.plan.start_date
        assert visit.officer == world.sro
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.staff.email]
    assert "English 9" in mail.outbox[0].body


def test_a_plan_run_tells_each_teacher_once_in_a_mailing_the_worker_expands(
    world, client_for, setup, django_capture_on_commit_callbacks
):
    others = [f.MembershipFactory(school=world.school, role=Role.STAFF).user for _ in range(2)]
    for teacher in others:
        for period in setup.periods[:2]:
            f.ClassSectionFactory(school=world.school, teacher=teacher, period=period)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _run(client_for(world.principal), world)
    # The request planned one mailing and rendered no email.
    assert not Email.objects.exists()
    (mailing,) = Mailing.objects.all()
    assert (mailing.kind, mailing.target_id) == ("visit_scheduled", str(setup.plan.pk))
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(t.email for t in [world.staff, *others])
    for teacher, classes in [(world.staff, 3), *((t, 2) for t in others)]:
        (message,) = [m for m in mail.outbox if m.to == [teacher.email]]
        visits = Visit.objects.filter(section__teacher=teacher).select_related("section")
        assert len(visits) == classes
        assert all(f"- {v.section.name}:" in message.body for v in visits)


def test_visit_times_come_from_the_period_in_the_school_zone(world, client_for, setup):
    world.school.time_zone = "America/New_York"
    world.school.save()
    _run(client_for(world.principal), world)
    visit = Visit.objects.select_related("period").filter(period=setup.periods[0]).first()
    local = visit.starts_at.astimezone(world.school.zone)
    assert (local.hour, local.minute) == (9, 0)
    assert visit.starts_at.utcoffset() == timedelta(0) or visit.starts_at.tzinfo is not None


def test_the_daily_limit_and_reasons_for_unplaced_sections(world, client_for):
    setup = f.introductions_setup(
        school=world.school, officer=world.sro, teacher=world.staff, sections=3, daily_limit=1
    )
    plan = setup.plan
    plan.end_date = plan.start_date  # one day, one visit
    plan.save()
    nobody = f.ClassSectionFactory(
        school=world.school,
        period=f.PeriodFactory(
            school=world.school, name="Late", start_time=time(16, 0), end_time=time(16, 45)
        ),
    )
    _run(client_for(world.principal), world)
    assert Visit.objects.count() == 1
    reasons = {item["section"]: item["reason"] for item in IntroductionPlan.objects.get().unplaced}
    assert reasons[nobody.pk] == "no officer is available during Late on a school day of the window"
    assert "daily limit" in " ".join(reasons.values())
    page = client_for(world.principal).get(reverse("introductions", args=[world.school.pk]))
    assert "No officer is available during Late" in page.content.decode()


def test_rerunning_keeps_done_and_confirmed_visits(world, client_for, setup):
    client = client_for(world.principal)
    _run(client, world)
    done, confirmed, planned = Visit.objects.order_by("pk")
    Visit.objects.filter(pk=done.pk).update(status=Visit.Status.DONE)
    Visit.objects.filter(pk=confirmed.pk).update(status=Visit.Status.CONFIRMED)
    _run(client, world)
    assert Visit.objects.get(pk=done.pk).status == Visit.Status.DONE
    assert Visit.objects.get(pk=confirmed.pk).status == Visit.Status.CONFIRMED
    assert not Visit.objects.filter(pk=planned.pk).exists()
    assert Visit.objects.active().count() == 3


def test_the_plan_never_double_books_an_officer_across_schools(world, client_for, setup):
    # The officer already visits the other school at the first slot of the window.
    other_section = f.ClassSectionFactory(
        school=world.other_school,
        period=f.PeriodFactory(
            school=world.other_school, start_time=time(9, 0), end_time=time(9, 50)
        ),
    )
    f.VisitFactory(
        section=other_section,
        officer=world.sro,
        date=setup.plan.start_date,
        status=Visit.Status.CONFIRMED,
    )
    _run(client_for(world.principal), world)
    visits = list(Visit.objects.active().filter(officer=world.sro).order_by("starts_at"))
    for a, b in zip(visits, visits[1:], strict=False):
        assert a.ends_at <= b.starts_at


def _move(client, world, visit, officer, day):
    return client.post(
        reverse("visit_move", args=[world.school.pk, visit.pk]),
        {"officer": officer.pk, "date": day.isoformat()},
    )


def test_moving_a_visit_onto_a_blackout_date_is_refused_with_the_reason(world, client_for, setup):
    client = client_for(world.principal)
    _run(client, world)
    visit = Visit.objects.first()
    blackout = f.BlackoutDateFactory(
        school=world.school, date=f.next_weekday(8), reason="State testing"
    )
    response = _move(client, world, visit, world.sro, blackout.date)
    assert response.status_code == 400
    assert "is a blackout date (State testing)" in response.content.decode()
    assert Visit.objects.get(pk=visit.pk).date == visit.date


def test_moving_onto_a_booked_time_names_the_clash(world, client_for, setup):
    client = client_for(world.principal)
    _run(client, world)
    first = Visit.objects.filter(period=setup.periods[0]).first()
    same_period = f.ClassSectionFactory(
        school=world.school, period=setup.periods[0], teacher=world.staff
    )
    other = f.VisitFactory(
        section=same_period,
        officer=world.sro,
        date=f.next_weekday(9),
        status=Visit.Status.CONFIRMED,
    )
    response = _move(client, world, first, world.sro, other.date)
    assert response.status_code == 400
    assert "is already booked then" in response.content.decode()


def test_moving_outside_availability_is_refused(world, client_for, setup):
    client = client_for(world.principal)
    _run(client, world)
    visit = Visit.objects.first()
    day = f.next_weekday(10)
    world.sro.availability.filter(weekday=day.weekday()).delete()
    response = _move(client, world, visit, world.sro, day)
    assert "is not available at" in response.content.decode()


def test_a_valid_move_is_confirmed_and_the_teacher_told(
    world, client_for, setup, django_capture_on_commit_callbacks
):
    client = client_for(world.principal)
    _run(client, world)
    visit = Visit.objects.first()
    day = f.next_weekday(11)
    with django_capture_on_commit_callbacks(execute=True):
        response = _move(client, world, visit, world.sro, day)
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.date, visit.status) == (day, Visit.Status.CONFIRMED)
    assert "has moved" in mail.outbox[-1].subject


def test_a_section_cannot_get_a_second_visit(world, client_for, setup):
    client = client_for(world.principal)
    _run(client, world)
    visit = Visit.objects.first()
    response = client.post(
        reverse("visit_add", args=[world.school.pk, visit.section_id]),
        {"officer": world.sro.pk, "date": f.next_weekday(12).isoformat()},
    )
    assert response.status_code == 400
    assert "already has a visit" in response.content.decode()


def test_cancel_frees_the_section(world, client_for, setup):
    client = client_for(world.principal)
    _run(client, world)
    visit = Visit.objects.first()
    client.post(reverse("visit_cancel", args=[world.school.pk, visit.pk]))
    assert Visit.objects.get(pk=visit.pk).status == Visit.Status.CANCELLED
    response = client.post(
        reverse("visit_add", args=[world.school.pk, visit.section_id]),
        {"officer": world.sro.pk, "date": f.next_weekday(12).isoformat()},
    )
    assert response.status_code == 302


def test_another_schools_visit_is_a_404(world, client_for):
    visit = f.VisitFactory(section=f.ClassSectionFactory(school=world.other_school))
    response = client_for(world.principal).get(
        reverse("visit_move", args=[world.school.pk, visit.pk])
    )
    assert response.status_code == 404


def test_plan_page_shows_coverage_in_flat_queries(world, client_for, setup):
    client = client_for(world.principal)
    _run(client, world)
    url = reverse("introductions", args=[world.school.pk])

    def grow():
        for i in range(5):
            section = f.ClassSectionFactory(
                school=world.school, teacher=f.UserFactory(), grade="11"
            )
            f.VisitFactory(section=section, officer=world.sro, date=f.next_weekday(20 + 7 * i))

    assert_flat_queries(client, url, grow)
    page = client.get(url).content.decode()
    assert "Grade 11" in page


@pytest.mark.parametrize("seed", range(6))
def test_random_plans_pass_every_conflict_check(world, client_for, seed):
    """Random schools, availability, blackouts and picks: every visit the plan makes
    passes the same checks as a change by hand, and none is missed that could fit."""
    import random

    from events.introductions.workflows import visit_conflicts

    rng = random.Random(seed)
    f.MembershipFactory(user=world.sro, school=world.other_school, role=Role.SRO)
    second = f.MembershipFactory(school=world.school, role=Role.SRO).user
    periods = [
        f.PeriodFactory(
            school=world.school,
            name=f"P{i}",
            position=i,
            start_time=time(8 + i, 0),
            end_time=time(8 + i, 45),
            weekdays=rng.choice(["01234", "024", "13"]),
        )
        for i in range(1, 5)
    ]
    for officer in (world.sro, second):
        for weekday in range(5):
            if rng.random() < 0.7:
                begin = rng.choice([8, 9, 10])
                f.AvailabilityFactory(
                    officer=officer,
                    school=world.school,
                    weekday=weekday,
                    start_time=time(begin, 0),
                    end_time=time(begin + rng.choice([2, 3, 5]), 0),
                )
    plan = f.IntroductionPlanFactory(school=world.school, daily_limit=rng.choice([1, 2, 3]))
    f.BlackoutDateFactory(
        school=world.school, date=plan.start_date + timedelta(days=rng.randrange(5))
    )
    sections = [
        f.ClassSectionFactory(
            school=world.school,
            period=rng.choice(periods),
            weekdays=rng.choice(["", "", "01", "34"]),
        )
        for _ in range(rng.randrange(5, 25))
    ]
    _run(client_for(world.principal), world)
    visits = list(
        Visit.objects.active().select_related("section__period", "section__school", "officer")
    )
    for visit in visits:
        assert (
            visit_conflicts(
                section=visit.section, officer=visit.officer, day=visit.date, exclude=visit
            )
            == []
        )
    unplaced = {item["section"] for item in IntroductionPlan.objects.get().unplaced}
    assert unplaced | {v.section_id for v in visits} == {s.pk for s in sections}


def test_period_times_follow_daylight_saving_in_the_school_zone(world):
    period = f.PeriodFactory(school=world.school, start_time=time(9, 0), end_time=time(9, 50))
    from datetime import date

    before, _ = period.bounds(date(2027, 3, 12), world.school.zone)  # CST, UTC-6
    after, _ = period.bounds(date(2027, 3, 15), world.school.zone)  # CDT, UTC-5
    assert (before.hour, after.hour) == (15, 14)


@pytest.mark.parametrize("selection", ["grades", "periods", "hand"])
def test_the_plan_takes_only_the_chosen_sections(world, client_for, setup, selection):
    plan = setup.plan
    chosen = setup.sections[0]
    chosen.grade = "12"
    chosen.save()
    plan.selection = selection
    plan.grades = "12"
    plan.save()
    plan.periods.set([chosen.period])
    plan.sections.set([chosen])
    _run(client_for(world.principal), world)
    assert list(Visit.objects.values_list("section", flat=True)) == [chosen.pk]

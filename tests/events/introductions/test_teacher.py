"""The teacher's classes: their sections' visits, a preferred slot before the plan
runs, the class's questions for the officer, and marking a visit done."""

import pytest
from django.urls import reverse

from events.introductions.models import SlotPick, Visit
from tests import factories as f


@pytest.fixture
def setup(world):
    return f.introductions_setup(school=world.school, officer=world.sro, teacher=world.staff)


def test_teacher_sees_only_their_own_sections(world, client_for, setup):
    f.ClassSectionFactory(school=world.school, name="Someone Else's Class")
    page = client_for(world.staff).get(reverse("introductions_my_classes", args=[world.school.pk]))
    content = page.content.decode()
    assert setup.sections[0].name in content
    assert "Someone Else's Class" not in content


def test_a_pick_is_offered_among_feasible_slots_and_kept_by_the_plan(world, client_for, setup):
    section = setup.sections[0]
    client = client_for(world.staff)
    page = client.get(reverse("introductions_my_classes", args=[world.school.pk])).content.decode()
    late = setup.plan.end_date
    while late.weekday() >= 5:
        late -= __import__("datetime").timedelta(days=1)
    value = f"{world.sro.pk}:{late.isoformat()}"
    assert value in page
    response = client.post(
        reverse("section_pick", args=[world.school.pk, section.pk]), {f"s{section.pk}-slot": value}
    )
    assert response.status_code == 302
    assert SlotPick.objects.get(section=section).date == late
    client_for(world.principal).post(reverse("introductions_run", args=[world.school.pk]))
    assert Visit.objects.get(section=section).date == late


def test_a_slot_outside_the_feasible_ones_is_refused(world, client_for, setup):
    section = setup.sections[0]
    blackout = f.BlackoutDateFactory(school=world.school, date=setup.plan.start_date)
    response = client_for(world.staff).post(
        reverse("section_pick", args=[world.school.pk, section.pk]),
        {f"s{section.pk}-slot": f"{world.sro.pk}:{blackout.date.isoformat()}"},
    )
    assert response.status_code == 302
    assert not SlotPick.objects.exists()


def test_another_teacher_cannot_pick_for_my_section(world, client_for, setup):
    other = f.MembershipFactory(school=world.school).user
    response = client_for(other).post(
        reverse("section_pick", args=[world.school.pk, setup.sections[0].pk]), {}
    )
    assert response.status_code == 403


def test_questions_reach_the_officer(world, client_for, setup):
    client_for(world.principal).post(reverse("introductions_run", args=[world.school.pk]))
    visit = Visit.objects.get(section=setup.sections[0])
    response = client_for(world.staff).post(
        reverse("visit_questions", args=[world.school.pk, visit.pk]),
        {f"v{visit.pk}-student_questions": "Do you like your job?"},
    )
    assert response.status_code == 302
    page = client_for(world.sro).get(reverse("officer_schedule")).content.decode()
    assert "Do you like your job?" in page


def test_teacher_marks_the_visit_done(world, client_for, setup):
    client_for(world.principal).post(reverse("introductions_run", args=[world.school.pk]))
    visit = Visit.objects.get(section=setup.sections[0])
    client_for(world.staff).post(
        reverse("visit_status", args=[world.school.pk, visit.pk]), {"status": "done"}
    )
    assert Visit.objects.get(pk=visit.pk).status == Visit.Status.DONE


def test_another_teacher_cannot_mark_my_visit(world, client_for, setup):
    client_for(world.principal).post(reverse("introductions_run", args=[world.school.pk]))
    visit = Visit.objects.get(section=setup.sections[0])
    other = f.MembershipFactory(school=world.school).user
    response = client_for(other).post(
        reverse("visit_status", args=[world.school.pk, visit.pk]), {"status": "done"}
    )
    assert response.status_code == 403
    assert Visit.objects.get(pk=visit.pk).status == Visit.Status.PLANNED

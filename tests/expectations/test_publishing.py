"""Publishing guidelines: starters, the school's own, district-wide, new versions."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from expectations.models import Guideline
from expectations.publishing.starters import DISCIPLINE, OFFICER, STARTERS
from onboarding.audit.models import AuditEvent
from onboarding.schools.models import Role
from tests import factories as f

DUE = (timezone.localdate() + timezone.timedelta(days=21)).isoformat()


def _publish_starter(client, school, key="working-with-the-sro", **data):
    return client.post(
        reverse("guideline_starter_publish", args=[school.pk, key]),
        {"target_roles": ["staff"], "due_date": DUE, "join_window_days": 10, "pass_mark": 100}
        | data,
    )


def test_the_starters_cover_the_issue_in_our_own_words():
    assert set(STARTERS) == {
        "working-with-the-sro",
        "school-law-refresher",
        "mental-health-holds",
        "talking-points",
    }
    discipline_or_officer = [
        s
        for starter in STARTERS.values()
        for s in starter.scenarios
        if s.choices == (DISCIPLINE, OFFICER)
    ]
    assert len(discipline_or_officer) >= 6
    assert {s.correct_choice for s in discipline_or_officer} == {0, 1}
    for starter in STARTERS.values():
        for scenario in starter.scenarios:
            assert 0 <= scenario.correct_choice < len(scenario.choices)
            assert scenario.explanation
    assert STARTERS["mental-health-holds"].has_state_rules
    assert STARTERS["mental-health-holds"].target_roles == (Role.MENTAL_HEALTH,)


def test_principal_publishes_a_starter_to_teachers_who_are_told_by_email(
    world, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _publish_starter(client_for(world.principal), world.school)
    guideline = Guideline.objects.get(school=world.school)
    assert response["Location"] == reverse(
        "guideline_compliance", args=[world.school.pk, guideline.pk]
    )
    assert guideline.target_roles == ["staff"]
    version = guideline.current_version
    assert version.number == 1 and version.due_date.isoformat() == DUE
    assert version.statements.count() == len(STARTERS["working-with-the-sro"].statements)
    assert version.scenarios.count() == len(STARTERS["working-with-the-sro"].scenarios)
    assert [m.to for m in mail.outbox] == [[world.staff.email]]
    assert "acknowledge" in mail.outbox[0].subject
    assert AuditEvent.objects.filter(action="guideline.published", actor=world.principal).exists()
    starters = client_for(world.principal).get(
        reverse("guideline_starters", args=[world.school.pk])
    )
    assert b"see who has acknowledged it" in starters.content


def test_the_mental_health_starter_takes_this_states_rules(world, client_for):
    response = _publish_starter(
        client_for(world.principal),
        world.school,
        key="mental-health-holds",
        target_roles=["mental_health"],
        state_rules="In our state, a **licensed professional** may start a hold.",
    )
    assert response.status_code == 302
    guideline = Guideline.objects.get(school=world.school)
    page = client_for(world.counselor).get(
        reverse("guideline_detail", args=[world.school.pk, guideline.pk])
    )
    assert b"<strong>licensed professional</strong>" in page.content


def test_an_unknown_starter_is_not_found(world, client_for):
    response = client_for(world.principal).get(
        reverse("guideline_starter_publish", args=[world.school.pk, "nothing-like-it"])
    )
    assert response.status_code == 404


def test_a_district_admin_publishes_to_every_school_of_the_district(
    world, client_for, django_capture_on_commit_callbacks
):
    other_staff = f.MembershipFactory(school=world.other_school, role=Role.STAFF).user
    with django_capture_on_commit_callbacks(execute=True):
        _publish_starter(client_for(world.district_admin), world.school, scope="district")
    guideline = Guideline.objects.get()
    assert guideline.school is None and guideline.district == world.district
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.staff.email, other_staff.email])
    # The other school's principal sees it, and their compliance, but may not revise it.
    client = client_for(world.other_principal)
    args = [world.other_school.pk, guideline.pk]
    assert client.get(reverse("guideline_compliance", args=args)).status_code == 200
    assert client.get(reverse("guideline_revise", args=args)).status_code == 403


def test_a_principal_cannot_publish_to_the_whole_district(world, client_for):
    _publish_starter(client_for(world.principal), world.school, scope="district")
    assert Guideline.objects.get().school == world.school


def test_a_principal_writes_a_guideline_of_their_own(world, client_for):
    response = client_for(world.principal).post(
        reverse("guideline_new", args=[world.school.pk]),
        {
            "title": "Lockdown drills",
            "target_roles": ["staff", "mental_health"],
            "body": "Lock the door, lights off.",
            "statements": "I will lock my door.\n\n  I will stay  quiet. \n",
            "due_date": DUE,
            "join_window_days": 7,
            "pass_mark": 100,
        },
    )
    assert response.status_code == 302
    version = Guideline.objects.get(title="Lockdown drills").current_version
    assert [s.text for s in version.statements.all()] == [
        "I will lock my door.",
        "I will stay quiet.",
    ]


@pytest.mark.parametrize("again", [True, False])
def test_a_new_version_tells_readers_only_when_it_needs_acknowledging_again(
    world, client_for, django_capture_on_commit_callbacks, again
):
    guideline = f.published_guideline(school=world.school, target_roles=["staff"], scenarios=2)
    data = {
        "title": "Working with the officer",
        "target_roles": ["staff"],
        "body": "New text.",
        "statements": "I will.",
        "due_date": DUE,
        "join_window_days": 10,
        "pass_mark": 100,
        "change_note": "Shorter.",
        "scenarios": "Q: A phone in class.\n* School\n- Officer\nWhy: A class rule.",
    }
    if again:
        data["requires_reacknowledgment"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.principal).post(
            reverse("guideline_revise", args=[world.school.pk, guideline.pk]), data
        )
    assert response.status_code == 302
    guideline.refresh_from_db()
    assert guideline.title == "Working with the officer"
    assert guideline.current_version.number == 2
    assert [s.situation for s in guideline.current_version.scenarios.all()] == ["A phone in class."]
    assert guideline.required_version.number == (2 if again else 1)
    assert len(mail.outbox) == (1 if again else 0)
    assert AuditEvent.objects.filter(action="guideline.revised").count() == 1


def test_the_revise_form_starts_from_the_current_version(world, client_for):
    guideline = f.published_guideline(school=world.school, body="The current text.")
    page = client_for(world.principal).get(
        reverse("guideline_revise", args=[world.school.pk, guideline.pk])
    )
    content = page.content.decode()
    assert "The current text." in content
    assert "This publishes version 2" in content
    scenario = guideline.current_version.scenarios.first()
    assert f"Q: {scenario.situation}\n* School discipline\n- The officer\nWhy: " in content


def test_scenario_questions_are_written_as_text(world, client_for):
    client = client_for(world.principal)
    url = reverse("guideline_new", args=[world.school.pk])
    data = {
        "title": "Hallway fights",
        "target_roles": ["staff"],
        "body": "Text.",
        "statements": "I will.",
        "due_date": DUE,
        "join_window_days": 7,
        "pass_mark": 100,
        "scenarios": (
            "Q: Two students argue\nloudly in the hall.\n- The officer\n"
            "* An administrator\nWhy: Nobody is in danger;\nit is a school matter.\n\n"
            "Q: A knife falls out of a bag.\n* The officer\n- A teacher\nWhy: A weapon."
        ),
    }
    assert client.post(url, data).status_code == 302
    version = Guideline.objects.get(title="Hallway fights").current_version
    first, second = version.scenarios.all()
    assert first.situation == "Two students argue loudly in the hall."
    assert first.choices == ["The officer", "An administrator"] and first.correct_choice == 1
    assert first.explanation == "Nobody is in danger; it is a school matter."
    assert second.correct_choice == 0

    data["scenarios"] = "Q: A phone in class.\n- School\n- Officer\nWhy: A class rule."
    response = client.post(url, data | {"title": "Another"})
    assert response.status_code == 200
    assert "Question 1 needs exactly one right choice" in response.content.decode()


def test_a_starter_is_published_once_per_school(world, client_for):
    client = client_for(world.principal)
    _publish_starter(client, world.school)
    response = _publish_starter(client, world.school)
    guideline = Guideline.objects.get()
    assert response["Location"] == reverse(
        "guideline_compliance", args=[world.school.pk, guideline.pk]
    )

"""The principal's readiness dashboard, the district table and its CSV: computed
from the school's real data, in a constant number of queries."""

import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.introductions.models import IntroductionPlan, Visit
from events.invitations.models import EventInvitation
from expectations.acknowledging.workflows import guideline_acknowledge
from onboarding.readiness.models import ReadinessSnapshot
from onboarding.readiness.summary import DONE, IN_PROGRESS, MISSING, RULE, readiness_for
from onboarding.schools.models import Role, School
from tests import factories as f
from tests.helpers import assert_flat_queries


def _ready(world, school=None):
    """Make every required line of `school` (the world's school) done."""
    school = school or world.school
    principal = world.principal if school == world.school else None
    if principal is None:
        principal = f.MembershipFactory(school=school, role=Role.PRINCIPAL).user
    f.make_agreement(
        school,
        principal=principal,
        officer=world.sro,
        agency=world.agency,
        status="active",
        sections=[("purpose", "Purpose", "Why we work together.")],
    )
    everyone = f.published_guideline(school=school, title="Working with our SRO")
    holds = f.published_guideline(
        school=school, title="Mental-health holds", target_roles=[Role.MENTAL_HEALTH]
    )
    from onboarding.schools.models import Membership

    for membership in Membership.objects.active().filter(school=school):
        if membership.role in (Role.STAFF, Role.MENTAL_HEALTH):
            f.AcknowledgmentFactory(person=membership.user, version=everyone.current_version)
        if membership.role == Role.MENTAL_HEALTH:
            f.AcknowledgmentFactory(person=membership.user, version=holds.current_version)
    section = f.ClassSectionFactory(school=school)
    f.VisitFactory(section=section, officer=world.sro)
    coffee = f.EventFactory(school=school, title="Coffee with the officer")
    f.EventInvitationFactory(event=coffee, user=world.sro, answer="going")
    return everyone


def test_a_school_with_nothing_is_not_started_and_every_line_says_what_is_missing(world):
    r = readiness_for([world.school])[world.school.pk]
    assert r.state == "not_started"
    required = [line for line in r.lines if line.required]
    assert {line.state for line in required} == {MISSING}
    assert all(line.missing and line.url for line in required)


def test_a_school_with_everything_done_is_ready(world):
    _ready(world)
    r = readiness_for([world.school])[world.school.pk]
    assert [line.key for line in r.lines if line.state != DONE] == []
    assert r.state == "ready"


def test_one_missing_acknowledgment_keeps_the_school_in_progress(world):
    _ready(world)
    f.MembershipFactory(school=world.school, role=Role.STAFF, user__full_name="Nora Late")
    r = readiness_for([world.school])[world.school.pk]
    assert r.line("expectations").state == IN_PROGRESS
    assert r.state == "in_progress"


def test_overdue_people_are_named(world):
    guideline = f.published_guideline(
        school=world.school, due_date=timezone.localdate() - timezone.timedelta(days=3)
    )
    # Joined long before the version, so its due date applies to them.
    type(world.staff_membership).objects.filter(pk=world.staff_membership.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=60)
    )
    r = readiness_for([world.school])[world.school.pk]
    share = next(g for g in r.guidelines if g.guideline == guideline)
    assert world.staff in share.overdue
    assert world.staff.full_name in r.line("expectations").missing


def test_an_agreement_in_signing_says_whose_signature_it_waits_for(world):
    f.make_agreement(
        world.school,
        principal=world.principal,
        officer=world.sro,
        agency=world.agency,
        status="signing",
        sections=[("purpose", "Purpose", "Why.")],
    )
    r = readiness_for([world.school])[world.school.pk]
    line = r.line("agreement")
    assert line.state == IN_PROGRESS
    assert r.waiting_for.user == world.principal
    assert world.principal.full_name in line.missing


def test_introductions_count_scheduled_done_and_missed_sections(world):
    done, missed, _ = (f.ClassSectionFactory(school=world.school) for _ in range(3))
    f.VisitFactory(section=done, officer=world.sro, status=Visit.Status.DONE)
    f.VisitFactory(section=missed, officer=world.sro, status=Visit.Status.MISSED)
    r = readiness_for([world.school])[world.school.pk]
    assert (r.sections_total, r.sections_scheduled, r.visits_done, r.visits_missed) == (3, 1, 1, 1)
    assert r.line("introductions").state == IN_PROGRESS


def test_officer_answers_to_upcoming_invitations_are_counted(world):
    event = f.EventFactory(school=world.school, kind="assembly")
    f.EventInvitationFactory(event=event, user=world.sro, answer=EventInvitation.Answer.PENDING)
    r = readiness_for([world.school])[world.school.pk]
    assert r.line("events").state == DONE
    assert "not answered" in r.line("events").missing
    assert r.line("coffee_hour").state == MISSING


def test_the_dashboard_is_on_the_school_page_for_the_principal(client_for, world):
    body = client_for(world.principal).get(reverse("school_home", args=[world.school.pk]))
    body = body.content.decode()
    assert "ready for its SRO?" in body
    assert RULE in body
    assert reverse("agreement_list", args=[world.school.pk]) in body
    assert reverse("evidence_binder", args=[world.school.pk]) in body


def test_staff_and_the_officer_do_not_see_the_dashboard(client_for, world):
    for user in (world.staff, world.sro, world.supervisor):
        body = client_for(user).get(reverse("school_home", args=[world.school.pk]))
        assert "ready for its SRO?" not in body.content.decode()


def test_the_dashboard_changes_when_a_teacher_acknowledges(client_for, world):
    guideline = f.published_guideline(school=world.school, target_roles=[Role.STAFF])
    url = reverse("school_home", args=[world.school.pk])
    client = client_for(world.principal)
    assert "0 of 1 acknowledgments done" in client.get(url).content.decode()
    # Through the workflow, as the site does: its audit event marks the school's
    # kept readiness as changed.
    guideline_acknowledge(
        person=world.staff,
        version=guideline.current_version,
        typed_name=world.staff.full_name,
        answers={},
        school=world.school,
    )
    assert "1 of 1 acknowledgments done" in client.get(url).content.decode()


def _grow(world, count):
    def grow():
        for _ in range(count):
            school = f.SchoolFactory(district=world.district)
            principal = f.MembershipFactory(school=school, role=Role.PRINCIPAL).user
            teacher = f.MembershipFactory(school=school, role=Role.STAFF).user
            f.MembershipFactory(school=school, role=Role.MENTAL_HEALTH)
            officer = f.MembershipFactory(school=school, role=Role.SRO).user
            f.AgencyMembershipFactory(user=officer, agency=world.agency)
            f.make_agreement(
                school,
                principal=principal,
                officer=officer,
                agency=world.agency,
                status="signing",
                sections=[("purpose", "Purpose", "Why.")],
            )
            guideline = f.published_guideline(school=school, statements=0, scenarios=0)
            f.AcknowledgmentFactory(person=teacher, version=guideline.current_version)
            section = f.ClassSectionFactory(school=school, teacher=teacher)
            f.VisitFactory(section=section, officer=officer, status=Visit.Status.DONE)
            event = f.EventFactory(school=school)
            f.EventInvitationFactory(event=event, user=officer, attended=True)
            f.ClassTalkRequestFactory(school=school, requested_by=teacher)

    return grow


def test_readiness_costs_the_same_queries_for_3_or_12_schools(world):
    _grow(world, 1)()
    schools = list(School.objects.all())
    assert len(schools) == 3
    with CaptureQueriesContext(connection) as few:
        readiness_for(schools)
    _grow(world, 9)()
    schools = list(School.objects.all())
    assert len(schools) == 12
    with CaptureQueriesContext(connection) as many:
        readiness_for(schools)
    assert len(few.captured_queries) == len(many.captured_queries)


def test_district_table_costs_the_same_queries_for_3_or_60_schools(client_for, world):
    _grow(world, 1)()
    client = client_for(world.district_admin)
    # Computing every school's readiness, then reading it kept: both flat.
    forget = ReadinessSnapshot.objects.all().delete
    assert_flat_queries(client, reverse("home"), _grow(world, 27), prepare=forget)
    home = reverse("home")
    assert_flat_queries(client, home, _grow(world, 30), prepare=lambda: client.get(home))
    assert School.objects.count() == 60
    csv_url = reverse("district_readiness_csv", args=[world.district.pk])
    assert_flat_queries(client, csv_url, _grow(world, 3), prepare=forget)


def _table(client, sort):
    body = client.get(reverse("home"), {"sort": sort}).content.decode()
    return body[body.index('id="district-readiness"') :]


def test_the_district_table_sorts_on_the_server_with_aria_sort(client_for, world):
    client = client_for(world.district_admin)
    body = _table(client, "-name")
    assert body.index(world.other_school.name) < body.index(world.school.name)
    assert 'aria-sort="descending"' in body
    body = _table(client, "name")
    assert body.index(world.school.name) < body.index(world.other_school.name)
    assert 'aria-sort="ascending"' in body
    assert 'href="?sort=-name#district-readiness"' in body


def test_the_district_table_sorts_by_readiness(client_for, world):
    _ready(world)
    body = _table(client_for(world.district_admin), "-state")
    assert body.index(world.school.name) < body.index(world.other_school.name)


def test_the_csv_has_every_school_and_escapes_formulas(client_for, world):
    world.other_school.name = "=HYPERLINK(1)"
    world.other_school.save()
    response = client_for(world.district_admin).get(
        reverse("district_readiness_csv", args=[world.district.pk])
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "School"
    names = [row[0] for row in rows[1:]]
    assert world.school.name in names
    assert "'=HYPERLINK(1)" in names


def _plan_sections(world):
    """Three sections of grades 9, 10 and 11; the 9th placed and done, the 10th missed."""
    ninth, tenth, eleventh = (
        f.ClassSectionFactory(school=world.school, grade=grade) for grade in ("9", "10", "11")
    )
    f.VisitFactory(section=ninth, officer=world.sro, status=Visit.Status.DONE)
    f.VisitFactory(section=tenth, officer=world.sro, status=Visit.Status.MISSED)
    return ninth, tenth, eleventh


def _coverage(world):
    r = readiness_for([world.school])[world.school.pk]
    return r.sections_total, r.sections_scheduled, r.visits_done, r.visits_missed, r.unplaced


def test_introductions_count_the_sections_of_the_grades_the_plan_takes(world):
    ninth, tenth, eleventh = _plan_sections(world)
    f.IntroductionPlanFactory(
        school=world.school,
        selection=IntroductionPlan.Selection.GRADES,
        grades=" 9, 11 ",
        # The 9th got its visit since the run; the other two are still waiting.
        unplaced=[{"section": ninth.pk}, {"section": eleventh.pk}, {"reason": "gone"}],
    )
    assert _coverage(world) == (2, 1, 1, 0, 2)


def test_introductions_count_the_sections_of_the_periods_or_the_hand_picked_ones(world):
    ninth, tenth, eleventh = _plan_sections(world)
    plan = f.IntroductionPlanFactory(
        school=world.school, selection=IntroductionPlan.Selection.PERIODS
    )
    plan.periods.set([tenth.period, eleventh.period])
    assert _coverage(world) == (2, 0, 0, 1, 0)
    plan.selection = IntroductionPlan.Selection.HAND
    plan.save()
    plan.sections.set([ninth, tenth])
    assert _coverage(world) == (2, 1, 1, 1, 0)


def test_someone_who_acknowledged_two_versions_that_count_is_counted_once(world):
    guideline = f.published_guideline(school=world.school, target_roles=[Role.STAFF])
    first = guideline.current_version
    # A second version that does not ask again: the first still counts.
    second = f.GuidelineVersionFactory(guideline=guideline, number=2)
    guideline.current_version = second
    guideline.save()
    f.AcknowledgmentFactory(person=world.staff, version=first)
    f.AcknowledgmentFactory(person=world.staff, version=second)
    r = readiness_for([world.school])[world.school.pk]
    share = next(g for g in r.guidelines if g.guideline == guideline)
    assert (share.acknowledged, share.total) == (1, 1)


def test_the_district_table_names_nobody_but_counts_the_same(world):
    f.published_guideline(
        school=world.school, due_date=timezone.localdate() - timezone.timedelta(days=3)
    )
    type(world.staff_membership).objects.filter(pk=world.staff_membership.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=60)
    )
    named = readiness_for([world.school])[world.school.pk]
    unnamed = readiness_for([world.school], name_overdue=False)[world.school.pk]
    assert named.guidelines[0].overdue and not unnamed.guidelines[0].overdue
    assert [(line.key, line.state) for line in named.lines] == [
        (line.key, line.state) for line in unnamed.lines
    ]
    assert (named.acknowledged, named.to_acknowledge) == (
        unnamed.acknowledged,
        unnamed.to_acknowledge,
    )

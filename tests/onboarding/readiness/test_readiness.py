"""The principal's readiness dashboard, the district table and its CSV: computed
from the school's real data, in a constant number of queries."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.introductions.models import IntroductionPlan, Visit
from events.invitations.models import EventInvitation
from expectations.acknowledging.workflows import guideline_acknowledge
from onboarding.audit.models import AuditEvent
from onboarding.exports.building import build
from onboarding.exports.models import Export
from onboarding.readiness.lines import RULE
from onboarding.schools.models import Membership, Role, School
from tests import factories as f
from tests.helpers import assert_flat_queries
from tests.onboarding.readiness import pages

CSV_HEADERS = [
    "School",
    "Readiness",
    "Required lines done",
    "Agreement",
    "Waiting for",
    "Review date",
    "Acknowledged",
    "To acknowledge",
    "Acknowledged %",
    "Sections with a visit",
    "Sections",
    "Coverage %",
    "Introductions done this month",
    "Events attended this month",
]


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


def _joined_long_ago(membership) -> None:
    """Joined long before any guideline version, so its due date applies to them."""
    type(membership).objects.filter(pk=membership.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=60)
    )


def test_a_school_with_nothing_is_not_started_and_every_line_says_what_is_missing(
    world, client_for
):
    client = client_for(world.principal)
    found = pages.lines(client, world.school)
    assert list(found) == [
        "agreement",
        "expectations",
        "mental_health",
        "introductions",
        "coffee_hour",
        "events",
        "talks",
    ]
    assert pages.overall(client, world.school) == "Not started"
    required = {key: line for key, line in found.items() if key != "talks"}
    assert {line["state"] for line in required.values()} == {"Missing"}
    assert all(line["missing"] != "Nothing" and line["url"] for line in required.values())
    assert found["agreement"]["url"] == reverse("agreement_list", args=[world.school.pk])
    assert "(for follow-up)" in found["talks"]["title"]


def test_a_school_with_everything_done_is_ready(world, client_for):
    _ready(world)
    client = client_for(world.principal)
    found = pages.lines(client, world.school)
    assert [key for key, line in found.items() if line["state"] != "Done"] == []
    assert pages.overall(client, world.school) == "Ready"
    assert "6 of 6 required lines done" in pages.dashboard(client, world.school)


def test_one_missing_acknowledgment_keeps_the_school_in_progress(world, client_for):
    _ready(world)
    f.MembershipFactory(school=world.school, role=Role.STAFF, user__full_name="Nora Late")
    client = client_for(world.principal)
    line = pages.lines(client, world.school)["expectations"]
    assert line["state"] == "In progress"
    assert line["missing"] == "1 acknowledgment to come."
    assert pages.overall(client, world.school) == "In progress"


def test_overdue_people_are_named(world, client_for):
    f.published_guideline(
        school=world.school,
        title="Working with our SRO",
        due_date=timezone.localdate() - timezone.timedelta(days=3),
    )
    _joined_long_ago(world.staff_membership)
    client = client_for(world.principal)
    line = pages.lines(client, world.school)["expectations"]
    assert f"overdue: {world.staff.full_name}." in line["missing"]
    acknowledged, overdue = pages.guideline_rows(client, world.school)["Working with our SRO"]
    assert overdue == world.staff.full_name


def test_an_agreement_in_signing_says_whose_signature_it_waits_for(world, client_for):
    agreement = f.make_agreement(
        world.school,
        principal=world.principal,
        officer=world.sro,
        agency=world.agency,
        status="signing",
        sections=[("purpose", "Purpose", "Why.")],
    )
    client = client_for(world.principal)
    line = pages.lines(client, world.school)["agreement"]
    assert line["state"] == "In progress"
    assert (
        line["missing"] == f"Waiting for the signature of {world.principal.full_name} (Principal)."
    )
    assert line["url"] == reverse("agreement_detail", args=[world.school.pk, agreement.pk])
    row = pages.district_row(client_for(world.district_admin), world.school)
    assert row[2] == f"Signing, waiting for {world.principal.full_name}"
    assert row[3] == agreement.review_date.isoformat()


def test_introductions_count_scheduled_done_and_missed_sections(world, client_for):
    done, missed, _ = (f.ClassSectionFactory(school=world.school) for _ in range(3))
    f.VisitFactory(section=done, officer=world.sro, status=Visit.Status.DONE)
    f.VisitFactory(section=missed, officer=world.sro, status=Visit.Status.MISSED)
    line = pages.lines(client_for(world.principal), world.school)["introductions"]
    assert line["summary"] == (
        "1 of 3 class sections have a visit (1 done, 1 missed, 0 not placed)."
    )
    assert line["state"] == "In progress"
    assert line["missing"] == "2 sections without a visit."
    row = pages.district_row(client_for(world.district_admin), world.school)
    assert row[5] == "33% (1 of 3)"


def test_officer_answers_to_upcoming_invitations_are_counted(world, client_for):
    event = f.EventFactory(school=world.school, kind="assembly")
    f.EventInvitationFactory(event=event, user=world.sro, answer=EventInvitation.Answer.PENDING)
    found = pages.lines(client_for(world.principal), world.school)
    assert found["events"]["state"] == "Done"
    assert found["events"]["summary"] == "1 invitation to upcoming events: 1 not answered yet."
    assert "not answered" in found["events"]["missing"]
    assert found["coffee_hour"]["state"] == "Missing"


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
    client = client_for(world.principal)
    assert "0 of 1 acknowledgments done" in pages.dashboard(client, world.school)
    guideline_acknowledge(
        person=world.staff,
        version=guideline.current_version,
        typed_name=world.staff.full_name,
        answers={},
        school=world.school,
    )
    assert "1 of 1 acknowledgments done" in pages.dashboard(client, world.school)


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


def _grow_school(world):
    """More of every kind of data at the world's school."""

    def grow():
        start = getattr(grow, "days", 0)
        grow.days = start + 9
        for i in range(3):
            teacher = f.MembershipFactory(school=world.school, role=Role.STAFF).user
            _joined_long_ago(Membership.objects.get(user=teacher))
            guideline = f.published_guideline(
                school=world.school,
                statements=0,
                scenarios=0,
                due_date=timezone.localdate() - timezone.timedelta(days=3),
            )
            f.AcknowledgmentFactory(person=world.staff, version=guideline.current_version)
            section = f.ClassSectionFactory(school=world.school, teacher=teacher)
            f.VisitFactory(
                section=section,
                officer=world.sro,
                status=Visit.Status.DONE,
                date=f.next_weekday(1 + start + 3 * i),
            )
            event = f.EventFactory(school=world.school)
            f.EventInvitationFactory(event=event, user=world.sro)
            f.ClassTalkRequestFactory(school=world.school, requested_by=teacher)

    return grow


def test_the_dashboard_costs_the_same_queries_whatever_the_data(client_for, world):
    f.make_agreement(
        world.school,
        principal=world.principal,
        officer=world.sro,
        agency=world.agency,
        status="signing",
        sections=[("purpose", "Purpose", "Why.")],
    )
    grow = _grow_school(world)
    grow()
    url = reverse("school_home", args=[world.school.pk])
    client = client_for(world.principal)
    # Counted from the data, then read from the cache: both flat.
    assert_flat_queries(client, url, grow, prepare=cache.clear)
    assert_flat_queries(client, url, grow, prepare=lambda: client.get(url))


def test_district_table_costs_the_same_queries_for_3_or_60_schools(client_for, world):
    _grow(world, 1)()
    client = client_for(world.district_admin)
    home = reverse("home")
    # Counted from the data, then read from the cache: both flat.
    assert_flat_queries(client, home, _grow(world, 27), prepare=cache.clear)
    assert_flat_queries(client, home, _grow(world, 30), prepare=lambda: client.get(home))
    assert School.objects.filter(district=world.district).count() == 60
    # The CSV, built by the worker, too.
    before = _csv_build_queries(world)
    _grow(world, 3)()
    assert _csv_build_queries(world) == before


def _csv_build_queries(world) -> int:
    cache.clear()
    export = Export.objects.create(
        kind=Export.Kind.READINESS_CSV, district=world.district, sort="name",
        key=f"test:{Export.objects.count()}", day=timezone.localdate(),
    )  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        assert build(export.pk).state == Export.State.READY
    return len(queries.captured_queries)


def test_the_district_table_sorts_on_the_server_with_aria_sort(client_for, world):
    client = client_for(world.district_admin)
    body = pages.district_table(client, "-name")
    assert body.index(world.other_school.name) < body.index(world.school.name)
    assert 'aria-sort="descending"' in body
    body = pages.district_table(client, "name")
    assert body.index(world.school.name) < body.index(world.other_school.name)
    assert 'aria-sort="ascending"' in body
    assert 'href="?sort=-name#district-readiness"' in body
    # A key that is no column's sorts by name.
    body = pages.district_table(client, "-nonsense")
    assert body.index(world.school.name) < body.index(world.other_school.name)


def test_the_district_table_sorts_by_readiness_and_by_each_column(client_for, world):
    _ready(world)
    client = client_for(world.district_admin)
    body = pages.district_table(client, "-state")
    assert body.index(world.school.name) < body.index(world.other_school.name)
    for key in ("agreement", "review", "acknowledged", "coverage", "engagement"):
        body = pages.district_table(client, f"-{key}")
        assert f'aria-sort="descending"><a href="?sort={key}#' in body
    body = pages.district_table(client, "-coverage")
    assert body.index(world.school.name) < body.index(world.other_school.name)
    body = pages.district_table(client, "coverage")
    assert body.index(world.other_school.name) < body.index(world.school.name)


def test_the_csv_has_every_school_and_escapes_formulas(client_for, world):
    world.other_school.name = "=HYPERLINK(1)"
    world.other_school.save()
    rows = pages.district_csv(client_for(world.district_admin), world.district)
    assert rows[0] == CSV_HEADERS
    names = [row[0] for row in rows[1:]]
    assert world.school.name in names
    assert "'=HYPERLINK(1)" in names


def test_the_csv_has_the_figures_of_the_table(client_for, world):
    agreement = _ready(world)
    f.MembershipFactory(school=world.school, role=Role.STAFF)
    client = client_for(world.district_admin)
    rows = {row[0]: row for row in pages.district_csv(client, world.district, "-state")}
    mine = dict(zip(CSV_HEADERS, rows[world.school.name], strict=True))
    assert agreement
    assert mine["Readiness"] == "In progress"
    assert mine["Required lines done"] == "5/6"
    assert (mine["Agreement"], mine["Waiting for"]) == ("Active", "")
    assert (mine["Acknowledged"], mine["To acknowledge"], mine["Acknowledged %"]) == (
        "3",
        "4",
        "75",
    )
    assert (mine["Sections with a visit"], mine["Sections"], mine["Coverage %"]) == (
        "1",
        "1",
        "100",
    )
    row = pages.district_row(client, world.school)
    assert row[1] == "In progress 5/6"
    assert row[4] == "75% (3 of 4)"
    other = dict(zip(CSV_HEADERS, rows[world.other_school.name], strict=True))
    assert (other["Agreement"], other["Review date"]) == ("None", "")
    assert pages.district_row(client, world.other_school)[2:4] == ["None", "—"]


def _plan_sections(world):
    """Three sections of grades 9, 10 and 11; the 9th placed and done, the 10th missed."""
    ninth, tenth, eleventh = (
        f.ClassSectionFactory(school=world.school, grade=grade) for grade in ("9", "10", "11")
    )
    f.VisitFactory(section=ninth, officer=world.sro, status=Visit.Status.DONE)
    f.VisitFactory(section=tenth, officer=world.sro, status=Visit.Status.MISSED)
    return ninth, tenth, eleventh


def _coverage(world, client) -> str:
    return pages.lines(client, world.school)["introductions"]["summary"]


def test_introductions_count_the_sections_of_the_grades_the_plan_takes(world, client_for):
    ninth, tenth, eleventh = _plan_sections(world)
    f.IntroductionPlanFactory(
        school=world.school,
        selection=IntroductionPlan.Selection.GRADES,
        grades=" 9, 11 ",
        # The 9th got its visit since the run; the other two are still waiting.
        unplaced=[{"section": ninth.pk}, {"section": eleventh.pk}, {"reason": "gone"}],
    )
    assert _coverage(world, client_for(world.principal)) == (
        "1 of 2 class sections have a visit (1 done, 0 missed, 2 not placed)."
    )


def test_introductions_count_the_sections_of_the_periods_or_the_hand_picked_ones(world, client_for):
    ninth, tenth, eleventh = _plan_sections(world)
    plan = f.IntroductionPlanFactory(
        school=world.school, selection=IntroductionPlan.Selection.PERIODS
    )
    plan.periods.set([tenth.period, eleventh.period])
    client = client_for(world.principal)
    assert _coverage(world, client) == (
        "0 of 2 class sections have a visit (0 done, 1 missed, 0 not placed)."
    )
    plan.selection = IntroductionPlan.Selection.HAND
    plan.save()
    plan.sections.set([ninth, tenth])
    # Changed here without the plan's workflow: its audit event, as the site writes it.
    AuditEvent.record(action="introductions.plan_settings", summary="Plan", school=world.school)
    assert _coverage(world, client) == (
        "1 of 2 class sections have a visit (1 done, 1 missed, 0 not placed)."
    )


def test_someone_who_acknowledged_two_versions_that_count_is_counted_once(world, client_for):
    guideline = f.published_guideline(
        school=world.school, title="Working with our SRO", target_roles=[Role.STAFF]
    )
    first = guideline.current_version
    # A second version that does not ask again: the first still counts.
    second = f.GuidelineVersionFactory(guideline=guideline, number=2)
    guideline.current_version = second
    guideline.save()
    f.AcknowledgmentFactory(person=world.staff, version=first)
    f.AcknowledgmentFactory(person=world.staff, version=second)
    rows = pages.guideline_rows(client_for(world.principal), world.school)
    assert rows["Working with our SRO"] == ("1 of 1 (100%)", "None")


def test_the_district_table_names_nobody_but_counts_the_same(world, client_for):
    f.published_guideline(
        school=world.school, due_date=timezone.localdate() - timezone.timedelta(days=3)
    )
    _joined_long_ago(world.staff_membership)
    line = pages.lines(client_for(world.principal), world.school)["expectations"]
    assert world.staff.full_name in line["missing"]
    assert "0 of 2 acknowledgments done (0%)" in line["summary"]
    table = pages.district_table(client_for(world.district_admin))
    assert world.staff.full_name not in table
    row = pages.district_row(client_for(world.district_admin), world.school)
    assert row[1] == "In progress 0/6"
    assert row[4] == "0% (0 of 2)"

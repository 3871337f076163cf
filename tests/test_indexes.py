"""The large per-school lists read through an index at district scale (PostgreSQL).

The district is built by the same bulk code as `seed_scale` (60 schools, 6,000
staff, and each capability's step: 20,000 acknowledgments, 12,000 visits, 1,200
events, 60 agreements), then ANALYZEd so that the planner sees its real size.

Where a list holds tens of rows (a school's events of a month, a version's
sections, an agreement's comments, an officer's week), PostgreSQL reads them
through an index and sorts those few rows in memory; the tests assert that the
sort is bounded by that school's (or officer's) rows, never the table's. Indexes
in reading order were tried for sections and comments and the planner did not
use them at this size (a sort of 20 rows is cheaper), so none was added.
"""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from events import scale as events_scale
from events.introductions.models import Visit
from events.invitations.models import Event
from events.invitations.views import month_events
from events.schedule.views import week_visits
from expectations import scale as expectations_scale
from onboarding import scale
from onboarding.access import PersonRoles, get_school_access, visible_schools
from onboarding.agreements.models import AgreementSection, SectionComment
from onboarding.audit.models import AuditEvent
from onboarding.people.models import Invitation
from onboarding.people.views import PEOPLE_PER_PAGE
from onboarding.schools.models import Membership
from tests.helpers import explain, requires_postgres

pytestmark = [requires_postgres, pytest.mark.django_db]


@pytest.fixture
def district():
    world = scale.seed(scale.ScaleSizes(pending_invitations_per_school=40), log=lambda _: None)
    expectations_scale.seed(world)
    events_scale.seed(world)
    now = timezone.now()
    AuditEvent.objects.bulk_create(
        AuditEvent(
            school=world.schools[n % len(world.schools)],
            action="test.event",
            summary="Something happened",
            created_at=now - timedelta(minutes=n),
        )
        for n in range(30_000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return world


def seq_scans(plan: str) -> set[str]:
    return set(re.findall(r"Seq Scan on (\w+)", plan))


def full_sorts(plan: str) -> list[str]:
    """Sort nodes (an Incremental Sort on a presorted key is not one)."""
    return re.findall(r"(?:^|->  )Sort  \(.*rows=(\d+)", plan, flags=re.MULTILINE)


def assert_sorts_at_most(plan: str, rows: int) -> None:
    for sorted_rows in full_sorts(plan):
        assert int(sorted_rows) <= rows, plan


def test_people_of_a_school_read_its_memberships_through_the_school_index(district):
    school = district.largest_school
    # The query of the people page (onboarding.views.people), its first page.
    people = (
        Membership.objects.filter(school=school)
        .select_related("user")
        .order_by("-is_active", "user__full_name", "pk")
    )[:PEOPLE_PER_PAGE]
    plan = explain(people)
    assert "onboarding_membership" not in seq_scans(plan), plan
    assert re.search(r"Index (Only )?Scan using \w+ on onboarding_membership", plan), plan
    # The school's id, inlined or bound as a parameter (server-side binding).
    assert re.search(rf"\(school_id = '?{school.pk}'?(::\w+)?\)", plan), plan
    # The roster is ordered by the person's name, which lives in another table, so
    # PostgreSQL sorts: but only this school's rows, never the district's.
    size = len(district.staff_of(school)) + len(district.officers_of_school[school.pk])
    assert_sorts_at_most(plan, 2 * size)


def test_pending_invitations_of_a_school_are_read_through_the_school_index(district):
    school = district.largest_school
    plan = explain(Invitation.objects.pending().filter(school=school))
    assert "onboarding_invitation" not in seq_scans(plan), plan
    # Tens of rows: PostgreSQL prefers sorting them to an index in date order.
    assert_sorts_at_most(plan, 2 * district.sizes.pending_invitations_per_school)


def test_a_schools_audit_log_comes_newest_first_from_the_index(district):
    school = district.largest_school
    plan = explain(AuditEvent.objects.filter(school=school)[:50])
    assert "onboarding_auditevent" not in seq_scans(plan), plan
    # In date order from the index; at most ties of the same instant are sorted by id.
    assert not full_sorts(plan), plan


def test_the_navigation_of_a_supervisor_reads_no_membership_table_in_full(district, rf):
    supervisor = district.supervisors[0]
    plan = explain(visible_schools(PersonRoles(supervisor)))
    assert "onboarding_membership" not in seq_scans(plan), plan

    request = rf.get("/")
    request.user = supervisor
    request.session = {}
    assert get_school_access(request, district.largest_school.pk).is_supervisor


def index_scans(plan: str, table: str) -> list[str]:
    """Names of the indexes the plan reads `table` through (an index scan, or a
    bitmap heap scan of the table fed by a bitmap index scan)."""
    direct = re.findall(rf"Index (?:Only )?Scan using (\w+) on {table}\b", plan)
    bitmap = re.findall(
        rf"Bitmap Heap Scan on {table}\b[^\n]*\n(?:[^\n]*\n)*?\s*->  Bitmap Index Scan on (\w+)",
        plan,
    )
    return direct + bitmap


def test_the_compliance_roster_reads_each_persons_acknowledgments_through_an_index(district):
    school = district.largest_school
    guideline = district.extra["largest_guideline"]
    # The query of the compliance page and its CSV (expectations.status.compliance).
    plan = explain(guideline.members(school))
    assert "expectations_acknowledgment" not in seq_scans(plan), plan
    assert index_scans(plan, "expectations_acknowledgment"), plan
    assert "onboarding_membership" not in seq_scans(plan), plan
    # Sorted by role and name (in the user table): this school's roster only; the
    # latest acknowledgment of one person is picked among their few rows.
    assert_sorts_at_most(plan, 2 * len(district.staff_of(school)))


def test_the_school_calendar_reads_the_months_events_through_the_school_index(district):
    school = district.largest_school
    now = timezone.now()
    principal = district.principals[school.pk][0]
    # The query of the month view (events.invitations.views.month_events), with the
    # visitor's invitation joined.
    plan = explain(month_events(school, principal, now - timedelta(days=35), now))
    assert "events_event" not in seq_scans(plan), plan
    assert "events_eventinvitation" not in seq_scans(plan), plan
    assert index_scans(plan, "events_event"), plan
    assert_sorts_at_most(plan, 2 * Event.objects.filter(school=school).count())


def test_the_officers_week_reads_only_that_weeks_active_visits(district):
    officer = district.busiest_officer
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    # The query of the week view (events.schedule.views.week_visits).
    plan = explain(week_visits(officer, monday, monday + timedelta(days=4)))
    assert "events_visit" not in seq_scans(plan), plan
    # The partial index of migration events/0003: (officer, date, starts_at) of
    # active visits, so neither other days nor cancelled visits are read.
    assert "visit_officer_active_day_idx" in plan, plan
    assert_sorts_at_most(plan, 2 * Visit.objects.filter(officer=officer).count() // 4)


def test_an_agreements_sections_and_comments_are_read_through_their_indexes(district):
    agreement = district.extra["agreements"][0]
    version = agreement.versions.order_by("-number").first()
    # The queries of the agreement page (onboarding.views_agreements.agreement_detail).
    plan = explain(AgreementSection.objects.filter(version=version))
    assert "onboarding_agreementsection" not in seq_scans(plan), plan
    assert index_scans(plan, "onboarding_agreementsection"), plan
    assert_sorts_at_most(plan, 2 * version.sections.count())

    # Threads and replies at once.
    comments = SectionComment.objects.filter(agreement=agreement).select_related(
        "author", "resolved_by"
    )
    plan = explain(comments)
    assert "onboarding_sectioncomment" not in seq_scans(plan), plan
    assert index_scans(plan, "onboarding_sectioncomment"), plan
    assert_sorts_at_most(plan, 2 * agreement.comments.count())

"""The large foundation lists read through an index at district scale (PostgreSQL).

The district is built by the same bulk code as `seed_scale` (60 schools, 6,000
staff), then ANALYZEd so that the planner sees its real size.
"""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from onboarding import scale
from onboarding.access import get_school_access, visible_schools
from onboarding.models import AuditEvent, Invitation, Membership
from tests.helpers import explain, requires_postgres

pytestmark = [requires_postgres, pytest.mark.django_db]


@pytest.fixture
def district():
    world = scale.seed(scale.ScaleSizes(pending_invitations_per_school=40), log=lambda _: None)
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
    # The query of the people page (onboarding.views.people).
    people = (
        Membership.objects.filter(school=school)
        .select_related("user")
        .order_by("-is_active", "user__full_name")
    )
    plan = explain(people)
    assert "onboarding_membership" not in seq_scans(plan), plan
    assert re.search(r"Index (Only )?Scan using \w+ on onboarding_membership", plan), plan
    assert f"(school_id = {school.pk})" in plan, plan
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
    plan = explain(visible_schools(supervisor))
    assert "onboarding_membership" not in seq_scans(plan), plan

    request = rf.get("/")
    request.user = supervisor
    request.session = {}
    assert get_school_access(request, district.largest_school.pk).is_supervisor

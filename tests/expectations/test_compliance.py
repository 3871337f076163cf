"""Compliance: who has acknowledged, who is pending or overdue, by role; reminders at
most once a day; the CSV roster; flat query counts."""

import csv
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from expectations.home import guidelines_for
from expectations.models import ReminderLog
from onboarding.audit.models import AuditEvent
from onboarding.schools.models import Membership, Role
from tests import factories as f
from tests.helpers import assert_flat_queries

DAY = timezone.timedelta(days=1)


def _url(name, guideline, school):
    return reverse(name, args=[school.pk, guideline.pk])


def _backdate(*memberships, days: int = 60):
    Membership.objects.filter(pk__in=[m.pk for m in memberships]).update(
        created_at=timezone.now() - days * DAY
    )


@pytest.fixture
def overdue_guideline(world):
    """Due yesterday, published ten days ago; everyone in the world joined before."""
    guideline = f.published_guideline(
        school=world.school,
        due_date=timezone.localdate() - DAY,
        published_at=timezone.now() - 10 * DAY,
    )
    _backdate(*Membership.objects.filter(school=world.school))
    return guideline


def _counts(content: str, row_id: str) -> dict:
    """Counts of the compliance table's total row, read from its data-count cells."""
    import re

    row = re.search(rf'<tr id="{row_id}">(.*?)</tr>', content, re.S).group(1)
    return {k: int(v) for k, v in re.findall(r'data-count="(\w+)">(\d+)<', row)}


def test_compliance_counts_acknowledged_pending_and_overdue_by_role(
    world, client_for, overdue_guideline
):
    f.AcknowledgmentFactory(person=world.staff, version=overdue_guideline.current_version)
    newcomer = f.MembershipFactory(school=world.school, role=Role.STAFF)  # joined today
    response = client_for(world.principal).get(
        _url("guideline_compliance", overdue_guideline, world.school)
    )
    content = response.content.decode()
    # staff acknowledged; the counselor is overdue; the newcomer has their own window.
    assert _counts(content, "compliance-total") == {"acknowledged": 1, "pending": 1, "overdue": 1}
    assert "<progress" in content and "style=" not in content
    assert newcomer.user.full_name in content


def test_someone_who_joins_later_gets_their_own_due_date(world, overdue_guideline):
    newcomer = f.MembershipFactory(school=world.school, role=Role.STAFF)
    (item,) = guidelines_for(newcomer.user)
    assert item.standing.status == "pending"
    assert item.standing.due_date == timezone.localdate() + 14 * DAY
    (old_hand,) = guidelines_for(world.counselor)
    assert old_hand.standing.status == "overdue"


def test_reminders_go_to_the_pending_at_most_once_a_day(
    world, client_for, overdue_guideline, django_capture_on_commit_callbacks
):
    f.AcknowledgmentFactory(person=world.staff, version=overdue_guideline.current_version)
    client = client_for(world.principal)
    url = _url("guideline_remind", overdue_guideline, world.school)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert [m.to for m in mail.outbox] == [[world.counselor.email]]
    assert overdue_guideline.title in mail.outbox[0].subject
    assert AuditEvent.objects.filter(action="guideline.reminded").count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert len(mail.outbox) == 1
    assert "already had a reminder today" in response.content.decode()
    # A reminder for another guideline the same day does not email the counselor
    # again; the staff member, pending there, gets their first reminder of the day.
    other = f.published_guideline(school=world.school, due_date=timezone.localdate() - DAY)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("guideline_remind", other, world.school))
    assert [m.to for m in mail.outbox[1:]] == [[world.staff.email]]
    assert ReminderLog.objects.count() == 2


def test_the_roster_csv_escapes_formulas(world, client_for, overdue_guideline):
    world.counselor.full_name = '=HYPERLINK("http://evil.example","x")'
    world.counselor.save()
    membership = Membership.objects.get(user=world.staff, school=world.school)
    membership.title = "+1 teacher"
    membership.save()
    f.AcknowledgmentFactory(person=world.staff, version=overdue_guideline.current_version)
    response = client_for(world.principal).get(
        _url("guideline_roster_csv", overdue_guideline, world.school)
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_email = {r["Email"]: r for r in rows}
    assert by_email[world.counselor.email]["Name"].startswith("'=HYPERLINK")
    assert by_email[world.counselor.email]["Status"] == "Overdue"
    assert by_email[world.staff.email]["Title"] == "'+1 teacher"
    assert by_email[world.staff.email]["Status"] == "Acknowledged"
    assert by_email[world.staff.email]["Version acknowledged"] == "1"


def test_the_list_shows_my_guidelines_and_the_principals_overview(
    world, client_for, overdue_guideline
):
    content = client_for(world.staff).get(reverse("guidelines", args=[world.school.pk]))
    assert b"Overdue" in content.content
    assert b"Publish a starter guideline" not in content.content
    content = client_for(world.principal).get(reverse("guidelines", args=[world.school.pk]))
    assert b"0 of 2" in content.content  # staff and counselor, neither acknowledged


def _flat(client, url, grow) -> int:
    client.get(url)  # the first visit of a school stores it in the session
    return assert_flat_queries(client, url, grow)


def _grow_staff(school, guideline, n: int):
    """Add n staff and mental-health staff, a third of them acknowledged, some reminded."""
    for i in range(n):
        role = Role.MENTAL_HEALTH if i % 4 == 0 else Role.STAFF
        member = f.MembershipFactory(school=school, role=role)
        if i % 3 == 0:
            f.AcknowledgmentFactory(person=member.user, version=guideline.current_version)
        elif i % 3 == 1:
            ReminderLog.objects.create(
                person=member.user, guideline=guideline, sent_on=timezone.localdate()
            )


def test_compliance_costs_the_same_queries_for_3_and_300_staff(
    world, client_for, overdue_guideline
):
    client = client_for(world.principal)
    url = _url("guideline_compliance", overdue_guideline, world.school)
    count = _flat(client, url, lambda: _grow_staff(world.school, overdue_guideline, 300))
    # session, user, school access (school, membership), guideline, roster, reminders
    assert count <= 10
    content = client.get(url).content.decode()
    assert sum(_counts(content, "compliance-total").values()) == 302


def test_the_guideline_list_has_flat_queries(world, client_for, overdue_guideline):
    for user in (world.principal, world.staff):
        _flat(
            client_for(user),
            reverse("guidelines", args=[world.school.pk]),
            lambda: _grow_staff(world.school, overdue_guideline, 30),
        )


def test_the_csv_has_flat_queries(world, client_for, overdue_guideline):
    client = client_for(world.principal)
    url = _url("guideline_roster_csv", overdue_guideline, world.school)
    _flat(client, url, lambda: _grow_staff(world.school, overdue_guideline, 30))


def test_my_guidelines_costs_two_queries(world, overdue_guideline, django_assert_num_queries):
    f.published_guideline(school=world.school)
    f.published_guideline(school=None, district=world.district)
    # memberships, guidelines with my latest acknowledgment of each
    with django_assert_num_queries(2):
        items = guidelines_for(world.staff)
    assert len(items) == 3
    memberships = list(world.staff.memberships.select_related("school"))
    # with the memberships the home page's navigation already holds: one query
    with django_assert_num_queries(1):
        assert guidelines_for(world.staff, memberships=memberships) == items


def test_the_roster_shows_only_the_status_asked_for(world, client_for, overdue_guideline):
    f.AcknowledgmentFactory(person=world.staff, version=overdue_guideline.current_version)
    url = _url("guideline_compliance", overdue_guideline, world.school)
    client = client_for(world.principal)

    def roster(query):
        content = client.get(url, query).content.decode()
        return content[content.index('id="roster-heading"') :]

    overdue = roster({"status": "overdue"})
    assert world.counselor.full_name in overdue
    assert world.staff.full_name not in overdue
    assert 'aria-current="page" href="?status=overdue' in overdue
    done = roster({"status": "acknowledged"})
    assert world.staff.full_name in done and world.counselor.full_name not in done
    everyone = roster({"status": "not-a-status"})  # an unknown filter shows everyone
    assert world.staff.full_name in everyone and world.counselor.full_name in everyone


def test_a_large_roster_comes_a_page_at_a_time(world, client_for, overdue_guideline):
    from expectations.compliance.views import ROSTER_PER_PAGE

    people = [f.MembershipFactory(school=world.school, role=Role.STAFF) for _ in range(60)]
    url = _url("guideline_compliance", overdue_guideline, world.school)
    client = client_for(world.principal)
    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    total = (
        Membership.objects.active()
        .filter(school=world.school, role__in=overdue_guideline.target_roles)
        .count()
    )
    assert f"1 to {ROSTER_PER_PAGE} of {total}" in first
    assert f"{ROSTER_PER_PAGE + 1} to {total} of {total}" in second
    shown = [p.user.full_name for p in people if p.user.full_name in first + second]
    assert len(shown) == len(people)
    assert "page=2" in first

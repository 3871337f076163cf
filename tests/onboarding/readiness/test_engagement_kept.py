"""This month's engagement figures: the district table (kept in the cache with the
rest of its figures) and the supervisor's table (kept rendered, under the officers,
the schools they serve and those schools' newest audit events) show every audited
change at the next request, and the figures month_figures_for_schools counts."""

import re
from datetime import datetime, time, timedelta
from unittest import mock

from django.core.cache import cache
from django.urls import reverse

from events.engagement.figures import month_figures_for_schools
from events.introductions.models import Visit
from events.invitations.models import EventKind
from events.invitations.workflows import attendance_record
from onboarding.audit.models import AuditEvent
from onboarding.readiness.dates import this_month
from onboarding.schools.models import Role
from tests import factories as f


def _in_this_month(school, hours: int = 12):
    """Noon on the first of this month, in the school's zone: in the month in every
    zone, whatever the day the test runs."""
    return datetime.combine(this_month(), time(hours), tzinfo=school.zone)


def _event(school, officer, *, kind=EventKind.COFFEE_HOUR, minutes=90, attended=True):
    starts_at = _in_this_month(school)
    event = f.EventFactory(
        school=school,
        kind=kind,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
    )
    f.EventInvitationFactory(event=event, user=officer, answer="going", attended=attended)
    return event


def _visit_done(school, officer, day: int = 1):
    f.VisitFactory(
        section=f.ClassSectionFactory(school=school),
        officer=officer,
        status=Visit.Status.DONE,
        date=this_month().replace(day=day),
    )


def _table(client) -> str:
    body = client.get(reverse("home")).content.decode()
    return body[body.index('id="district-readiness"') :]


def _supervision(client) -> str:
    body = client.get(reverse("home")).content.decode()
    return body[body.index('id="supervision"') :]


def _row(table: str, school) -> str:
    start = table.index(f">{school.name}</a>")
    return table[start : table.index("</tr>", start)]


def _without_tokens(body: str) -> str:
    body = re.sub(r'nonce="[^"]*"', "", body)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)


def _busy_month(world):
    """The officer serves both schools: events attended and missed, a class talk, a
    visit done, an agreement waiting for a signature; a second officer at one."""
    f.MembershipFactory(user=world.sro, school=world.other_school, role=Role.SRO)
    second = f.MembershipFactory(school=world.school, role=Role.SRO).user
    f.AgencyMembershipFactory(user=second, agency=world.agency)
    f.make_agreement(
        world.school,
        principal=world.principal,
        officer=world.sro,
        agency=world.agency,
        status="signing",
        sections=[("purpose", "Purpose", "Why we work together.")],
    )
    _event(world.school, world.sro, minutes=90)
    _event(world.school, world.sro, kind=EventKind.CLASS_TALK, minutes=60)
    _event(world.school, world.sro, attended=False)
    _event(world.school, second, minutes=30)
    _event(world.other_school, world.sro, minutes=120)
    _visit_done(world.school, world.sro, day=1)
    _visit_done(world.school, world.sro, day=2)
    _visit_done(world.other_school, world.sro, day=3)
    return second


def test_homes_read_from_the_cache_are_the_homes_counted_live(world, own_client_for):
    _busy_month(world)
    for user in (world.district_admin, world.supervisor):
        client = own_client_for(user)
        cache.clear()
        live = _without_tokens(client.get(reverse("home")).content.decode())
        kept = _without_tokens(client.get(reverse("home")).content.decode())
        assert kept == live, user


def test_the_figures_shown_are_those_counted_live(world, own_client_for):
    second = _busy_month(world)
    live = month_figures_for_schools([world.school, world.other_school], this_month())
    mine = live[world.school.pk, world.sro.pk]
    assert (mine.introductions, mine.class_talks, mine.attended, mine.invited) == (2, 1, 2, 3)
    assert mine.hours == 2.5
    # The district table: the school's officers together.
    table = _table(own_client_for(world.district_admin))
    assert "2 introductions, 3 events" in _row(table, world.school)
    assert "1 introduction, 1 event<" in _row(table, world.other_school)
    # The supervisor's home: each officer at each school.
    supervision = _supervision(own_client_for(world.supervisor))
    assert "<td>2</td><td>2 of 3</td><td>2.5</td>" in supervision
    assert "<td>1</td><td>1 of 1</td><td>2.0</td>" in supervision
    assert "<td>0</td><td>1 of 1</td><td>0.5</td>" in supervision
    assert " waiting for " in supervision
    assert second.full_name in supervision


def test_attendance_recorded_shows_at_once(world, own_client_for):
    event = _event(world.school, world.sro, attended=False)
    admin, supervisor = own_client_for(world.district_admin), own_client_for(world.supervisor)
    assert "0 introductions, 0 events" in _row(_table(admin), world.school)
    assert "<td>0</td><td>0 of 1</td><td>0.0</td>" in _supervision(supervisor)

    attendance_record(
        event=event,
        attended_ids=set(event.invitations.values_list("pk", flat=True)),
        by=world.principal,
    )

    assert "0 introductions, 1 event<" in _row(_table(admin), world.school)
    assert "<td>0</td><td>1 of 1</td><td>1.5</td>" in _supervision(supervisor)


def test_a_visit_marked_done_shows_at_once(world, own_client_for):
    visit = f.VisitFactory(
        section=f.ClassSectionFactory(school=world.school), officer=world.sro, date=this_month()
    )
    admin, supervisor = own_client_for(world.district_admin), own_client_for(world.supervisor)
    assert "0 introductions, 0 events" in _row(_table(admin), world.school)
    assert "<td>0</td><td>0 of 0</td><td>0.0</td>" in _supervision(supervisor)
    response = own_client_for(world.sro).post(
        reverse("visit_status", args=[world.school.pk, visit.pk]), {"status": "done"}
    )
    assert response.status_code == 302
    assert "1 introduction, 0 events" in _row(_table(admin), world.school)
    assert "<td>1</td><td>0 of 0</td><td>0.0</td>" in _supervision(supervisor)


def test_the_kept_table_is_read_until_a_school_of_it_has_a_new_audit_event(world, own_client_for):
    supervisor = own_client_for(world.supervisor)
    _supervision(supervisor)
    _visit_done(world.school, world.sro)  # without the site's audit event
    assert "<td>0</td><td>0 of 0</td><td>0.0</td>" in _supervision(supervisor)
    AuditEvent.record(action="test.changed", summary="Changed", school=world.school)
    assert "<td>1</td><td>0 of 0</td><td>0.0</td>" in _supervision(supervisor)


def test_an_officer_joining_the_agency_or_a_school_shows_at_once(world, own_client_for):
    """The officers and the schools they serve are the table's key, read each time."""
    supervisor = own_client_for(world.supervisor)
    _supervision(supervisor)
    officer = f.AgencyMembershipFactory(agency=world.agency).user
    row = _officer_row(_supervision(supervisor), officer)
    assert "Serves no school yet" in row
    f.MembershipFactory(user=officer, school=world.other_school, role=Role.SRO)
    row = _officer_row(_supervision(supervisor), officer)
    assert world.other_school.name in row


def test_the_next_month_shows_in_the_supervisors_table(world, own_client_for):
    _visit_done(world.school, world.sro)
    supervisor = own_client_for(world.supervisor)
    assert "<td>1</td><td>0 of 0</td><td>0.0</td>" in _supervision(supervisor)
    next_month = (this_month() + timedelta(days=32)).replace(day=1)
    with mock.patch("onboarding.homes.panels.this_month", return_value=next_month):
        assert "<td>0</td><td>0 of 0</td><td>0.0</td>" in _supervision(supervisor)


def test_the_next_month_is_counted_again(world, own_client_for):
    _visit_done(world.school, world.sro)
    admin = own_client_for(world.district_admin)
    assert "1 introduction, 0 events" in _row(_table(admin), world.school)
    next_month = (this_month() + timedelta(days=32)).replace(day=1)
    with mock.patch("onboarding.readiness.district.this_month", return_value=next_month):
        assert "0 introductions, 0 events" in _row(_table(admin), world.school)


def test_an_officer_counts_only_at_the_schools_they_serve(world, own_client_for):
    """The officer of one school at another school's event: not that school's
    engagement, whichever schools are asked together."""
    _event(world.other_school, world.sro)
    table = _table(own_client_for(world.district_admin))
    assert "0 introductions, 0 events" in _row(table, world.other_school)
    assert month_figures_for_schools([world.school, world.other_school], this_month()) == (
        month_figures_for_schools([world.school], this_month())
    )


def _officer_row(supervision: str, officer) -> str:
    return supervision[supervision.index(f">{officer.full_name}</th>") :].split("</tr>")[0]


def test_an_officer_serving_no_school_has_a_row(world, own_client_for):
    officer = f.AgencyMembershipFactory(agency=world.agency).user
    row = _officer_row(_supervision(own_client_for(world.supervisor)), officer)
    assert "Serves no school yet" in row

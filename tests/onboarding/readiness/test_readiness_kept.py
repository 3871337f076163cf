"""The kept readiness (ReadinessSnapshot): the pages read it while it is valid and
show every change at the next request, with the same figures as the live
computation."""

import pickle
import re
from datetime import timedelta
from types import SimpleNamespace
from unittest import mock

from django.urls import reverse
from django.utils import timezone
from django.utils import timezone as django_timezone

from events.introductions.models import Visit
from expectations.publishing.workflows import guideline_revise
from onboarding.audit.models import AuditEvent
from onboarding.readiness import summary as readiness
from onboarding.readiness.models import ReadinessSnapshot
from onboarding.schools.models import Membership, Role, School
from tests import factories as f
from tests.helpers import count_queries


def _dashboard(client, school) -> str:
    return client.get(reverse("school_home", args=[school.pk])).content.decode()


def _table(client) -> str:
    body = client.get(reverse("home")).content.decode()
    return body[body.index('id="district-readiness"') :]


def _row(table: str, school) -> str:
    start = table.index(f">{school.name}</a>")
    return table[start : table.index("</tr>", start)]


def _acknowledge(client, school, guideline) -> None:
    """Acknowledge as a person does: answers, then the typed name."""
    args = [school.pk, guideline.pk]
    version = guideline.current_version
    answers = {f"statement_{s.pk}": "on" for s in version.statements.all()}
    for scenario in version.scenarios.all():
        answers[f"scenario_{scenario.pk}"] = str(scenario.correct_choice)
    assert client.post(reverse("guideline_answers", args=args), answers).status_code == 302
    user = client.get(reverse("home")).context["user"]
    response = client.post(reverse("guideline_confirm", args=args), {"typed_name": user.full_name})
    assert response.status_code == 302


def test_an_acknowledgment_shows_on_the_dashboard_and_the_district_table_at_once(
    world, own_client_for
):
    guideline = f.published_guideline(school=world.school, target_roles=[Role.STAFF])
    principal = own_client_for(world.principal)
    admin = own_client_for(world.district_admin)
    assert "0 of 1 acknowledgments done" in _dashboard(principal, world.school)
    assert "0% (0 of 1)" in _row(_table(admin), world.school)
    assert ReadinessSnapshot.objects.filter(school=world.school).exists()

    _acknowledge(own_client_for(world.staff), world.school, guideline)

    assert "1 of 1 acknowledgments done" in _dashboard(principal, world.school)
    assert "100% (1 of 1)" in _row(_table(admin), world.school)


def test_a_district_guideline_acknowledged_at_one_school_counts_at_the_other(world, own_client_for):
    """The person works at both schools: the event names one, both change."""
    f.MembershipFactory(user=world.staff, school=world.other_school, role=Role.STAFF)
    guideline = f.published_guideline(
        school=None, district=world.district, target_roles=[Role.STAFF]
    )
    other = own_client_for(world.other_principal)
    assert "0 of 1 acknowledgments done" in _dashboard(other, world.other_school)

    _acknowledge(own_client_for(world.staff), world.school, guideline)

    assert "1 of 1 acknowledgments done" in _dashboard(other, world.other_school)


def test_a_visit_the_officer_marks_done_shows_in_the_coverage(world, own_client_for):
    visit = f.VisitFactory(section=f.ClassSectionFactory(school=world.school), officer=world.sro)
    principal = own_client_for(world.principal)
    assert "(0 done, 0 missed, 0 not placed)" in _dashboard(principal, world.school)

    response = own_client_for(world.sro).post(
        reverse("visit_status", args=[world.school.pk, visit.pk]), {"status": "done"}
    )
    assert response.status_code == 302
    assert Visit.objects.get(pk=visit.pk).status == Visit.Status.DONE

    assert "(1 done, 0 missed, 0 not placed)" in _dashboard(principal, world.school)


def test_a_role_change_shows(world, own_client_for):
    f.published_guideline(school=world.school, target_roles=[Role.MENTAL_HEALTH])
    principal = own_client_for(world.principal)
    assert "0 of 1 acknowledged." in _dashboard(principal, world.school)

    membership = Membership.objects.get(user=world.staff, school=world.school)
    principal.post(
        reverse("membership_role", args=[world.school.pk, membership.pk]),
        {"role": Role.MENTAL_HEALTH},
    )

    assert "0 of 2 acknowledged." in _dashboard(principal, world.school)


def test_a_valid_snapshot_is_read_and_not_computed_again(world, own_client_for):
    """A change made without an audit event (a factory here) is not seen while the
    snapshot is valid: proof that the page reads it. Every change of the site goes
    through a workflow that records its event."""
    guideline = f.published_guideline(school=world.school, target_roles=[Role.STAFF])
    principal = own_client_for(world.principal)
    url = reverse("school_home", args=[world.school.pk])
    ReadinessSnapshot.objects.all().delete()
    computed, _ = count_queries(principal, url)
    kept, _ = count_queries(principal, url)
    assert kept < computed - 4
    f.AcknowledgmentFactory(person=world.staff, version=guideline.current_version)
    assert "0 of 1 acknowledgments done" in _dashboard(principal, world.school)
    School.objects.filter(pk=world.school.pk).readiness_changed()
    assert "1 of 1 acknowledgments done" in _dashboard(principal, world.school)


def test_a_snapshot_older_than_the_limit_is_computed_again(world, own_client_for):
    guideline = f.published_guideline(school=world.school, target_roles=[Role.STAFF])
    principal = own_client_for(world.principal)
    assert "0 of 1 acknowledgments done" in _dashboard(principal, world.school)
    f.AcknowledgmentFactory(person=world.staff, version=guideline.current_version)
    ReadinessSnapshot.objects.update(computed_at=timezone.now() - timedelta(minutes=6))
    assert "1 of 1 acknowledgments done" in _dashboard(principal, world.school)


def _joined_long_ago(school) -> None:
    """Everyone joined before the guidelines, so no join window delays them."""
    Membership.objects.filter(school=school).update(created_at=timezone.now() - timedelta(days=90))


def test_the_next_day_is_computed_again(world, own_client_for):
    """Due today: nobody is overdue yet. Tomorrow the teacher is, by name."""
    today = timezone.localdate(timezone=world.school.zone)
    f.published_guideline(
        school=world.school,
        target_roles=[Role.STAFF],
        due_date=today,
        published_at=timezone.now() - timedelta(days=30),
    )
    _joined_long_ago(world.school)
    principal = own_client_for(world.principal)
    assert f"overdue: {world.staff.full_name}" not in _dashboard(principal, world.school)
    # Tomorrow for the readiness only (the session would not outlive the day).
    tomorrow = timezone.now() + timedelta(days=1)

    def localdate(value=None, timezone=None):
        return django_timezone.localdate(value or tomorrow, timezone)

    fake = SimpleNamespace(now=lambda: tomorrow, localdate=localdate, localtime=timezone.localtime)
    with mock.patch.object(readiness, "timezone", fake):
        body = _dashboard(principal, world.school)
    assert f"overdue: {world.staff.full_name}" in body
    assert ReadinessSnapshot.objects.get(school=world.school).day == today + timedelta(days=1)


def test_the_district_table_without_names_then_the_dashboard_with_them(world, own_client_for):
    """The table keeps no names; the dashboard needs them and computes them."""
    yesterday = timezone.localdate(timezone=world.school.zone) - timedelta(days=1)
    f.published_guideline(
        school=world.school,
        target_roles=[Role.STAFF],
        due_date=yesterday,
        published_at=timezone.now() - timedelta(days=30),
    )
    _joined_long_ago(world.school)
    _table(own_client_for(world.district_admin))
    assert not ReadinessSnapshot.objects.get(school=world.school).with_names
    body = _dashboard(own_client_for(world.principal), world.school)
    assert f"overdue: {world.staff.full_name}" in body
    assert ReadinessSnapshot.objects.get(school=world.school).with_names


def _without_tokens(body: str) -> str:
    body = re.sub(r'nonce="[^"]*"', "", body)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)


def test_pages_read_from_a_snapshot_are_the_pages_computed_live(world, own_client_for):
    """Every line in every state: an agreement waiting for a signature (by name),
    someone overdue, visits, a coffee hour the officer is invited to."""
    f.make_agreement(
        world.school,
        principal=world.principal,
        officer=world.sro,
        agency=world.agency,
        status="signing",
        sections=[("purpose", "Purpose", "Why we work together.")],
    )
    yesterday = timezone.localdate(timezone=world.school.zone) - timedelta(days=1)
    f.published_guideline(
        school=world.school, due_date=yesterday, published_at=timezone.now() - timedelta(days=30)
    )
    _joined_long_ago(world.school)
    f.published_guideline(school=None, district=world.district, target_roles=[Role.STAFF])
    section = f.ClassSectionFactory(school=world.school)
    f.VisitFactory(section=section, officer=world.sro, status=Visit.Status.DONE)
    f.ClassSectionFactory(school=world.school)
    coffee = f.EventFactory(school=world.school)
    f.EventInvitationFactory(event=coffee, user=world.sro, answer="going")
    pages = [
        (own_client_for(world.principal), reverse("school_home", args=[world.school.pk])),
        (own_client_for(world.principal), reverse("home")),
        (own_client_for(world.district_admin), reverse("home")),
        (
            own_client_for(world.district_admin),
            reverse("district_readiness_csv", args=[world.district.pk]),
        ),
    ]
    for client, url in pages:
        ReadinessSnapshot.objects.all().delete()
        live = _without_tokens(client.get(url).content.decode())
        assert ReadinessSnapshot.objects.exists()
        kept = _without_tokens(client.get(url).content.decode())
        assert kept == live, url
    page = _dashboard(own_client_for(world.principal), world.school)
    assert "Waiting for the signature of" in page
    assert re.search(f"overdue: [^.]*{world.staff.full_name}", page)


def test_the_audit_event_bumps_the_schools_it_may_change(world):
    def versions():
        return dict(School.objects.values_list("pk", "readiness_version"))

    before = versions()
    AuditEvent.record(action="talk.requested", summary="A talk", school=world.school)
    after = versions()
    assert after[world.school.pk] == before[world.school.pk] + 1
    assert after[world.other_school.pk] == before[world.other_school.pk]
    # District-wide: every school of the target's district.
    AuditEvent.record(action="district.changed", summary="Changed", target=world.agency)
    assert versions()[world.other_school.pk] == before[world.other_school.pk] + 1
    # Signing in changes no school's readiness.
    now = versions()
    AuditEvent.record(action="account.signed_in", summary="Signed in", actor=world.staff)
    assert versions() == now


def test_a_snapshot_of_another_shape_or_unreadable_is_computed_again(world, own_client_for):
    """Kept by the code before a deploy: computed again, not read."""
    guideline = f.published_guideline(school=world.school, target_roles=[Role.STAFF])
    principal = own_client_for(world.principal)
    assert "0 of 1 acknowledgments done" in _dashboard(principal, world.school)
    f.AcknowledgmentFactory(person=world.staff, version=guideline.current_version)
    kept = ReadinessSnapshot.objects.get(school=world.school)
    _, r = pickle.loads(kept.data)  # noqa: S301
    ReadinessSnapshot.objects.update(data=pickle.dumps(("another shape", r)))
    assert "1 of 1 acknowledgments done" in _dashboard(principal, world.school)
    ReadinessSnapshot.objects.update(data=b"not a pickle")
    assert "1 of 1 acknowledgments done" in _dashboard(principal, world.school)


def test_a_district_guideline_revised_from_one_school_changes_every_school(world, own_client_for):
    """Revised from one school's page (the event names that school): the other
    school's staff must acknowledge again too."""
    guideline = f.published_guideline(
        school=None, district=world.district, target_roles=[Role.STAFF]
    )
    teacher = f.MembershipFactory(school=world.other_school, role=Role.STAFF).user
    f.AcknowledgmentFactory(person=teacher, version=guideline.current_version)
    other = own_client_for(world.other_principal)
    assert "1 of 1 acknowledgments done" in _dashboard(other, world.other_school)
    version = guideline.current_version
    guideline_revise(
        guideline=guideline,
        title=guideline.title,
        target_roles=guideline.target_roles,
        body=version.body + "\n\nA new rule.",
        state_rules="",
        statements=[s.text for s in version.statements.all()],
        pass_mark=100,
        due_date=version.due_date,
        join_window_days=14,
        requires_reacknowledgment=True,
        change_note="A new rule.",
        published_by=world.district_admin,
        school=world.school,
    )
    assert "0 of 1 acknowledgments done" in _dashboard(other, world.other_school)

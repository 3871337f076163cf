"""Every kind of change shows at the next request on the pages that keep a school's
readiness in the cache under a key derived from its newest audit event and local
date (onboarding/readiness/kept.py): the district table and its CSV (their
figures), the principal's home and the dashboard (rendered); and what the cache
gives is what is counted live."""

import re
from datetime import timedelta
from unittest import mock

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from events.introductions.models import Visit
from expectations.publishing.workflows import guideline_revise
from onboarding.audit.models import AuditEvent
from onboarding.readiness import kept
from onboarding.schools.models import Membership, Role
from tests import factories as f
from tests.helpers import count_queries
from tests.onboarding.readiness import pages


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


def _acknowledged(client, school) -> str:
    return pages.district_row(client, school)[4]


def test_an_acknowledgment_shows_on_the_dashboard_and_the_district_table_at_once(
    world, own_client_for
):
    guideline = f.published_guideline(school=world.school, target_roles=[Role.STAFF])
    principal = own_client_for(world.principal)
    admin = own_client_for(world.district_admin)
    assert "0 of 1 acknowledgments done" in pages.dashboard(principal, world.school)
    assert _acknowledged(admin, world.school) == "0% (0 of 1)"

    assert "Staff expectations published and acknowledged" in pages.principal_home(principal)

    _acknowledge(own_client_for(world.staff), world.school, guideline)

    assert "1 of 1 acknowledgments done" in pages.dashboard(principal, world.school)
    assert "Staff expectations published and acknowledged" not in pages.principal_home(principal)
    assert _acknowledged(admin, world.school) == "100% (1 of 1)"
    rows = {row[0]: row for row in pages.district_csv(admin, world.district)}
    assert rows[world.school.name][6:9] == ["1", "1", "100"]


def test_a_district_guideline_acknowledged_at_one_school_counts_at_the_other(world, own_client_for):
    """The person works at both schools: both change."""
    f.MembershipFactory(user=world.staff, school=world.other_school, role=Role.STAFF)
    guideline = f.published_guideline(
        school=None, district=world.district, target_roles=[Role.STAFF]
    )
    other = own_client_for(world.other_principal)
    admin = own_client_for(world.district_admin)
    assert "0 of 1 acknowledgments done" in pages.dashboard(other, world.other_school)
    assert _acknowledged(admin, world.other_school) == "0% (0 of 1)"

    _acknowledge(own_client_for(world.staff), world.school, guideline)

    assert "1 of 1 acknowledgments done" in pages.dashboard(other, world.other_school)
    assert _acknowledged(admin, world.other_school) == "100% (1 of 1)"


def test_a_district_guideline_published_from_the_district_shows_at_every_school(
    world, own_client_for
):
    admin = own_client_for(world.district_admin)
    assert pages.district_row(admin, world.other_school)[4] == "0% (0 of 0)"
    f.MembershipFactory(school=world.other_school, role=Role.STAFF)
    AuditEvent.record(action="test.joined", summary="Joined", school=world.other_school)
    assert pages.district_row(admin, world.other_school)[4] == "0% (0 of 0)"
    response = admin.post(
        reverse("guideline_starter_publish", args=[world.school.pk, "working-with-the-sro"]),
        {
            "scope": "district",
            "target_roles": ["staff"],
            "due_date": (timezone.localdate() + timedelta(days=21)).isoformat(),
            "join_window_days": 10,
            "pass_mark": 100,
        },
    )
    assert response.status_code == 302
    # Written for each school of the district, as it concerns each of them.
    assert AuditEvent.objects.filter(action="guideline.published").count() == 2
    assert pages.district_row(admin, world.other_school)[4] == "0% (0 of 1)"


def test_a_visit_the_officer_marks_done_shows_in_the_coverage(world, own_client_for):
    visit = f.VisitFactory(section=f.ClassSectionFactory(school=world.school), officer=world.sro)
    principal = own_client_for(world.principal)
    assert "(0 done, 0 missed, 0 not placed)" in pages.dashboard(principal, world.school)

    response = own_client_for(world.sro).post(
        reverse("visit_status", args=[world.school.pk, visit.pk]), {"status": "done"}
    )
    assert response.status_code == 302
    assert Visit.objects.get(pk=visit.pk).status == Visit.Status.DONE

    assert "(1 done, 0 missed, 0 not placed)" in pages.dashboard(principal, world.school)


def test_a_class_section_added_shows_in_the_district_table(world, own_client_for):
    admin = own_client_for(world.district_admin)
    assert pages.district_row(admin, world.school)[5] == "0% (0 of 0)"
    period = f.PeriodFactory(school=world.school)
    response = own_client_for(world.principal).post(
        reverse("sections", args=[world.school.pk]),
        {
            "code": "CIV-3",
            "name": "Civics 3",
            "course": "Civics",
            "grade": "9",
            "period": period.pk,
            "size": 25,
        },
    )
    assert response.status_code == 302
    assert pages.district_row(admin, world.school)[5] == "0% (0 of 1)"


def test_a_role_change_shows(world, own_client_for):
    f.published_guideline(school=world.school, target_roles=[Role.MENTAL_HEALTH])
    principal = own_client_for(world.principal)
    admin = own_client_for(world.district_admin)
    assert "0 of 1 acknowledged." in pages.dashboard(principal, world.school)
    assert _acknowledged(admin, world.school) == "0% (0 of 1)"

    membership = Membership.objects.get(user=world.staff, school=world.school)
    principal.post(
        reverse("membership_role", args=[world.school.pk, membership.pk]),
        {"role": Role.MENTAL_HEALTH},
    )

    assert "0 of 2 acknowledged." in pages.dashboard(principal, world.school)
    assert _acknowledged(admin, world.school) == "0% (0 of 2)"


def test_the_kept_table_is_read_until_the_school_has_a_new_audit_event(world, own_client_for):
    """A change made without an audit event (a factory here) is not seen while the
    table is kept: proof that the page reads it. Every change of the site goes
    through a workflow that records its event, for each school it concerns."""
    guideline = f.published_guideline(school=world.school, target_roles=[Role.STAFF])
    admin = own_client_for(world.district_admin)
    url = reverse("home")
    cache.clear()
    computed, _ = count_queries(admin, url)
    kept_page, _ = count_queries(admin, url)
    assert kept_page < computed - 4
    f.AcknowledgmentFactory(person=world.staff, version=guideline.current_version)
    assert _acknowledged(admin, world.school) == "0% (0 of 1)"
    AuditEvent.record(action="test.changed", summary="Changed", school=world.other_school)
    assert _acknowledged(admin, world.school) == "100% (1 of 1)"


def test_the_kept_dashboard_and_home_are_read_until_the_school_has_a_new_audit_event(
    world, own_client_for
):
    guideline = f.published_guideline(school=world.school, target_roles=[Role.STAFF])
    principal = own_client_for(world.principal)
    cache.clear()
    for url in (reverse("home"), reverse("school_home", args=[world.school.pk])):
        computed, _ = count_queries(principal, url)
        kept_page, _ = count_queries(principal, url)
        assert kept_page < computed - 4, url
    f.AcknowledgmentFactory(person=world.staff, version=guideline.current_version)
    assert "0 of 1 acknowledgments done" in pages.dashboard(principal, world.school)
    assert "Staff expectations" in pages.principal_home(principal)
    # Another school's change is not this school's.
    AuditEvent.record(action="test.changed", summary="Changed", school=world.other_school)
    assert "0 of 1 acknowledgments done" in pages.dashboard(principal, world.school)
    AuditEvent.record(action="test.changed", summary="Changed", school=world.school)
    assert "1 of 1 acknowledgments done" in pages.dashboard(principal, world.school)
    assert "Staff expectations" not in pages.principal_home(principal)


def test_a_kept_table_older_than_the_limit_is_counted_again(world, own_client_for):
    guideline = f.published_guideline(school=world.school, target_roles=[Role.STAFF])
    admin = own_client_for(world.district_admin)
    principal = own_client_for(world.principal)
    assert _acknowledged(admin, world.school) == "0% (0 of 1)"
    assert "0 of 1 acknowledgments done" in pages.dashboard(principal, world.school)
    f.AcknowledgmentFactory(person=world.staff, version=guideline.current_version)
    assert "0 of 1 acknowledgments done" in pages.dashboard(principal, world.school)
    later = timezone.now() + timedelta(seconds=kept.KEPT_FOR + 1)
    with mock.patch("django.core.cache.backends.db.tz_now", return_value=later):
        assert _acknowledged(admin, world.school) == "100% (1 of 1)"
        assert "1 of 1 acknowledgments done" in pages.dashboard(principal, world.school)


def test_the_next_day_is_counted_again(world, own_client_for):
    guideline = f.published_guideline(school=world.school, target_roles=[Role.STAFF])
    admin = own_client_for(world.district_admin)
    principal = own_client_for(world.principal)
    assert _acknowledged(admin, world.school) == "0% (0 of 1)"
    assert "0 of 1 acknowledgments done" in pages.dashboard(principal, world.school)
    f.AcknowledgmentFactory(person=world.staff, version=guideline.current_version)
    tomorrow = timezone.localdate(timezone=world.school.zone) + timedelta(days=1)
    with mock.patch.object(kept.timezone, "localdate", return_value=tomorrow):
        assert _acknowledged(admin, world.school) == "100% (1 of 1)"
        assert "1 of 1 acknowledgments done" in pages.dashboard(principal, world.school)


def _without_tokens(body: str) -> str:
    body = re.sub(r'nonce="[^"]*"', "", body)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)


def test_pages_read_from_the_cache_are_the_pages_counted_live(world, own_client_for):
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
    Membership.objects.filter(school=world.school).update(
        created_at=timezone.now() - timedelta(days=90)
    )
    f.published_guideline(school=None, district=world.district, target_roles=[Role.STAFF])
    section = f.ClassSectionFactory(school=world.school)
    f.VisitFactory(section=section, officer=world.sro, status=Visit.Status.DONE)
    f.ClassSectionFactory(school=world.school)
    coffee = f.EventFactory(school=world.school)
    f.EventInvitationFactory(event=coffee, user=world.sro, answer="going")
    admin = own_client_for(world.district_admin)
    principal = own_client_for(world.principal)
    dashboard = reverse("school_home", args=[world.school.pk])
    for client, url in (
        (admin, reverse("home")),
        (admin, reverse("home") + "?sort=-acknowledged"),
        (admin, dashboard),
        (principal, reverse("home")),
        (principal, dashboard),
    ):
        cache.clear()
        live = _without_tokens(client.get(url).content.decode())
        kept_page = _without_tokens(client.get(url).content.decode())
        assert kept_page == live, url
    # The CSV the worker builds: counted live, then built again from the cache.
    cache.clear()
    assert pages.district_csv(admin, world.district) == pages.district_csv(
        admin, world.district, again=True
    )
    row = pages.district_row(admin, world.school)
    assert row[2] == f"Signing, waiting for {world.principal.full_name}"
    page = pages.dashboard(own_client_for(world.principal), world.school)
    assert re.search(f"overdue: [^.]*{world.staff.full_name}", page)


def test_a_district_guideline_revised_from_one_school_changes_every_school(world, own_client_for):
    """Revised from one school's page: the other school's staff must acknowledge
    again too."""
    guideline = f.published_guideline(
        school=None, district=world.district, target_roles=[Role.STAFF]
    )
    teacher = f.MembershipFactory(school=world.other_school, role=Role.STAFF).user
    f.AcknowledgmentFactory(person=teacher, version=guideline.current_version)
    other = own_client_for(world.other_principal)
    admin = own_client_for(world.district_admin)
    assert "1 of 2 acknowledgments done" not in pages.dashboard(other, world.other_school)
    assert "1 of 1 acknowledgments done" in pages.dashboard(other, world.other_school)
    assert _acknowledged(admin, world.other_school) == "100% (1 of 1)"
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
    assert "0 of 1 acknowledgments done" in pages.dashboard(other, world.other_school)
    assert _acknowledged(admin, world.other_school) == "0% (0 of 1)"

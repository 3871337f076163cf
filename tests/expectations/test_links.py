"""Guideline statements linked to role-agreement sections; amendments flag them."""

from django.urls import reverse
from django.utils import timezone

from expectations.models import Guideline, Statement
from onboarding.agreement_template.builtin import SECTIONS as TEMPLATE_SECTIONS
from onboarding.agreements import workflows
from onboarding.audit.models import AuditEvent
from tests import factories as f

DUE = (timezone.localdate() + timezone.timedelta(days=21)).isoformat()


def _publish_starter(client, school, key="working-with-the-sro"):
    client.post(
        reverse("guideline_starter_publish", args=[school.pk, key]),
        {"target_roles": ["staff"], "due_date": DUE, "join_window_days": 10, "pass_mark": 100},
    )
    return Guideline.objects.get(school=school, starter_key=key)


def _keys(guideline) -> list[str]:
    return [s.agreement_section_key for s in guideline.current_version.statements.all()]


def test_starter_statements_come_linked_to_the_agreement_sections(world, client_for):
    guideline = _publish_starter(client_for(world.principal), world.school)
    assert _keys(guideline) == ["discipline", "discipline", "referrals", "referrals"]


def test_principal_links_a_statement_to_a_section(world, client_for):
    guideline = f.published_guideline(school=world.school, target_roles=["staff"])
    first, second = guideline.current_version.statements.all()
    client = client_for(world.principal)
    page = client.get(reverse("guideline_links", args=[world.school.pk, guideline.pk]))
    # The school has no agreement yet: the choices are the built-in template's sections.
    for _key, title, _body in TEMPLATE_SECTIONS:
        assert title in page.content.decode()
    response = client.post(
        reverse("guideline_links", args=[world.school.pk, guideline.pk]),
        {f"statement-{first.pk}": "searches", f"statement-{second.pk}": ""},
    )
    assert response.status_code == 302
    assert _keys(guideline) == ["searches", ""]
    assert AuditEvent.objects.filter(action="guideline.linked", school=world.school).exists()


def test_an_unknown_section_is_refused_and_nothing_changes(world, client_for):
    guideline = f.published_guideline(school=world.school, target_roles=["staff"])
    first = guideline.current_version.statements.first()
    response = client_for(world.principal).post(
        reverse("guideline_links", args=[world.school.pk, guideline.pk]),
        {f"statement-{first.pk}": "no-such-section"},
    )
    assert response.status_code == 200
    assert "Choose one of the listed agreement sections." in response.content.decode()
    assert _keys(guideline)[0] == ""


def test_a_new_version_keeps_the_links_of_unchanged_statements(world, client_for):
    client = client_for(world.principal)
    guideline = _publish_starter(client, world.school)
    statements = [s.text for s in guideline.current_version.statements.all()]
    client.post(
        reverse("guideline_revise", args=[world.school.pk, guideline.pk]),
        {
            "title": guideline.title,
            "target_roles": ["staff"],
            "body": "New text.",
            "statements": "\n".join([statements[0], "A brand new promise."]),
            "due_date": DUE,
            "join_window_days": 10,
            "pass_mark": 100,
            "change_note": "Shorter.",
        },
    )
    guideline.refresh_from_db()
    assert guideline.current_version.number == 2
    assert _keys(guideline) == ["discipline", ""]


def _amend(world, *, change: str):
    active = f.make_agreement(
        world.school,
        principal=world.principal,
        officer=world.sro,
        status="active",
        sections=f.SHORT_SECTIONS,
    )
    amendment = workflows.agreement_amend(agreement=active, actor=world.principal)
    section = next(s for s in f.SHORT_SECTIONS if s[0] == change)
    workflows.agreement_save_section(
        agreement=amendment,
        key=change,
        title=section[1],
        body=section[2] + " Amended.",
        base_version=amendment.current_version.number,
        actor=world.principal,
    )
    return amendment


def test_an_amendment_lists_the_guideline_items_of_the_sections_it_changes(world, client_for):
    client = client_for(world.principal)
    working = _publish_starter(client, world.school)
    talking = _publish_starter(client, world.school, key="talking-points")
    amendment = _amend(world, change="discipline")
    page = client.get(reverse("agreement_detail", args=[world.school.pk, amendment.pk]))
    body = page.content.decode()
    assert "Guideline items to review" in body
    discipline_items = Statement.objects.filter(
        version=working.current_version, agreement_section_key="discipline"
    )
    assert discipline_items.count() == 2
    for statement in discipline_items:
        assert statement.text.replace("'", "&#x27;") in body
    for statement in talking.current_version.statements.all():
        assert statement.text.replace("'", "&#x27;") not in body
    # The officer, a party to the agreement, reviews the text, not the school's items.
    officer_page = client_for(world.sro).get(
        reverse("agreement_detail", args=[world.school.pk, amendment.pk])
    )
    assert "Guideline items to review" not in officer_page.content.decode()


def test_once_the_school_has_an_agreement_its_sections_are_the_choices(world, client_for):
    f.make_agreement(world.school, principal=world.principal, sections=f.SHORT_SECTIONS)
    guideline = f.published_guideline(school=world.school, target_roles=["staff"])
    page = client_for(world.principal).get(
        reverse("guideline_links", args=[world.school.pk, guideline.pk])
    )
    assert "No role in school discipline" in page.content.decode()
    assert "Use of force" not in page.content.decode()


def test_an_amendment_of_unlinked_sections_lists_nothing(world, client_for):
    client = client_for(world.principal)
    _publish_starter(client, world.school)
    amendment = _amend(world, change="purpose")
    body = client.get(
        reverse("agreement_detail", args=[world.school.pk, amendment.pk])
    ).content.decode()
    assert "Guideline items to review" not in body

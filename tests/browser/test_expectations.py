"""Issue 4, done when: the principal publishes a starter guideline to teachers; a
teacher, with the keyboard alone, ticks the statements, fails a scenario, reads the
explanation, passes and confirms; the compliance page counts right; a new version
that needs acknowledging again shows the teacher what changed. Axe checks every page."""

import re

from django.conf import settings

from expectations.models import Guideline
from onboarding.schools.models import Role
from tests import factories as f
from tests.browser.conftest import check_accessibility

DEMO_PASSWORD = settings.DEMO_PASSWORD


def tab_to(page, selector: str, limit: int = 250) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        if page.evaluate(f"document.activeElement && document.activeElement.matches({selector!r})"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def _counts(page) -> dict:
    row = page.locator("#compliance-total")
    return {
        key: int(row.locator(f'[data-count="{key}"]').inner_text())
        for key in ("acknowledged", "pending", "overdue")
    }


def _answer_scenarios(page, version, *, wrong_first: bool) -> None:
    """Choose each answer with the keyboard: Tab into the group, then Space on the
    first choice or the arrow keys to move to another."""
    for i, scenario in enumerate(version.scenarios.all()):
        choice = scenario.correct_choice
        if wrong_first and i == 0:
            choice = 1 - choice
        tab_to(page, f"#id_scenario_{scenario.pk}_0")
        if choice == 0:
            page.keyboard.press("Space")
        for _ in range(choice):
            page.keyboard.press("ArrowDown")


def _submit(page, selector: str) -> None:
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_accessibility(page)


def test_publish_acknowledge_by_keyboard_comply_and_see_what_changed(browser_page):
    b = browser_page
    school = f.SchoolFactory(name="Oak Ridge High School")
    principal = f.MembershipFactory(school=school, role=Role.PRINCIPAL).user
    teacher = f.MembershipFactory(
        school=school, role=Role.STAFF, user__full_name="Priya Patel"
    ).user
    f.MembershipFactory(school=school, role=Role.STAFF)  # a colleague, still pending
    f.MembershipFactory(school=school, role=Role.MENTAL_HEALTH)  # not targeted
    guidelines_path = f"/schools/{school.pk}/guidelines/"

    # The principal publishes "Working with our SRO" to teachers only.
    b.sign_in(principal.email, f.PASSWORD)
    b.visit(guidelines_path)
    b.visit(guidelines_path + "starters/")
    b.visit(guidelines_path + "starters/working-with-the-sro/")
    b.page.get_by_label("Mental-health staff").uncheck()
    b.page.get_by_role("button", name="Publish and tell them").click()
    b.page.wait_for_url("**/compliance/")
    check_accessibility(b.page)
    guideline = Guideline.objects.get(school=school)
    assert guideline.target_roles == ["staff"]
    assert _counts(b.page) == {"acknowledged": 0, "pending": 2, "overdue": 0}
    b.sign_out()

    # The teacher acknowledges it with the keyboard alone.
    b.sign_in(teacher.email, f.PASSWORD)
    b.visit(guidelines_path)
    assert "Working with our School Resource Officer" in b.page.content()
    detail = f"{guidelines_path}{guideline.pk}/"
    b.visit(detail)
    version = guideline.current_version
    for statement in version.statements.all():
        tab_to(b.page, f"#id_statement_{statement.pk}")
        b.page.keyboard.press("Space")
    _answer_scenarios(b.page, version, wrong_first=True)
    _submit(b.page, "#check-answers")
    feedback = b.page.locator("#answers-feedback")
    assert "Read the explanations below and try again" in feedback.inner_text()
    first = version.scenarios.first()
    assert b.page.get_by_text("Not quite.").count() == 1
    assert b.page.get_by_text(first.explanation).is_visible()

    # The ticks and the right answers stay; only the wrong one is changed.
    tab_to(b.page, f"#id_scenario_{first.pk}_{1 - first.correct_choice}")
    b.page.keyboard.press("ArrowUp" if first.correct_choice == 0 else "ArrowDown")
    _submit(b.page, "#check-answers")
    assert "/confirm/" in b.page.url
    assert "on attempt 2" in b.page.content()
    tab_to(b.page, "#id_typed_name")
    b.page.keyboard.type("priya patel")
    with b.page.expect_navigation():
        b.page.keyboard.press("Enter")
    check_accessibility(b.page)
    assert "you acknowledged" in b.page.content()
    b.sign_out()

    # The principal sees the right counts, then publishes a new version.
    b.sign_in(principal.email, f.PASSWORD)
    b.visit(f"{detail}compliance/")
    assert _counts(b.page) == {"acknowledged": 1, "pending": 1, "overdue": 0}
    b.visit(f"{detail}revise/")
    text = b.page.locator("#id_body")
    text.fill(text.input_value().replace("The officer is **not**", "The officer is **never**"))
    b.page.get_by_label("What changed, in a sentence").fill("Firmer wording on discipline.")
    assert b.page.get_by_label("Everyone must acknowledge this version again").is_checked()
    b.page.get_by_role("button", name="Publish", exact=True).click()
    b.page.wait_for_url("**/compliance/")
    check_accessibility(b.page)
    assert _counts(b.page) == {"acknowledged": 0, "pending": 2, "overdue": 0}
    b.sign_out()

    # The teacher sees what changed before acknowledging again.
    b.sign_in(teacher.email, f.PASSWORD)
    b.visit(detail)
    changes = b.page.locator("#guideline-diff")
    assert changes.is_visible()
    assert "Firmer wording on discipline." in b.page.content()
    assert changes.locator("del").filter(has_text="**not**").count() == 1
    assert changes.locator("ins").filter(has_text="**never**").count() == 1
    assert re.search(r"What changed since you acknowledged version 1", b.page.content())


def test_demo_accounts_see_their_guidelines(browser_page, demo):
    from expectations import demo as expectations_demo

    expectations_demo.seed(demo)
    high = demo.schools["high"]
    b = browser_page
    b.sign_in("teacher@example.org", DEMO_PASSWORD)
    b.visit(f"/schools/{high.pk}/guidelines/")
    assert b.page.get_by_text("Overdue").count() >= 1
    talking = Guideline.objects.get(school=high, starter_key="talking-points")
    b.visit(f"/schools/{high.pk}/guidelines/{talking.pk}/")
    assert b.page.locator("#guideline-diff").is_visible()
    law = Guideline.objects.get(school=high, starter_key="school-law-refresher")
    b.visit(f"/schools/{high.pk}/guidelines/{law.pk}/")
    b.page.get_by_text("Your answers").click()
    check_accessibility(b.page)
    assert "You answered:" in b.page.content()
    # On a phone, the pages fit the screen: nothing scrolls sideways.
    b.page.set_viewport_size({"width": 375, "height": 812})
    working = Guideline.objects.get(school=high, starter_key="working-with-the-sro")
    for path in (f"/schools/{high.pk}/guidelines/", f"/schools/{high.pk}/guidelines/{working.pk}/"):
        b.visit(path)
        assert b.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    b.page.set_viewport_size({"width": 1280, "height": 900})
    b.sign_out()

    b.sign_in("sro@example.org", DEMO_PASSWORD)
    b.visit(f"/schools/{high.pk}/guidelines/")
    b.visit(f"/schools/{high.pk}/guidelines/{talking.pk}/")
    b.sign_out()

    b.sign_in("principal@example.org", DEMO_PASSWORD)
    b.visit(f"/schools/{high.pk}/guidelines/")
    for guideline in Guideline.objects.filter(school=high):
        b.visit(f"/schools/{high.pk}/guidelines/{guideline.pk}/compliance/")
    b.visit(f"/schools/{high.pk}/guidelines/{talking.pk}/revise/")
    b.visit(f"/schools/{high.pk}/guidelines/new/")
    b.visit(f"/schools/{high.pk}/guidelines/starters/")
    b.sign_out()

    b.sign_in("counselor@example.org", DEMO_PASSWORD)
    holds = Guideline.objects.get(school=high, starter_key="mental-health-holds")
    b.visit(f"/schools/{high.pk}/guidelines/{holds.pk}/")
    assert "emergency detention" in b.page.content()

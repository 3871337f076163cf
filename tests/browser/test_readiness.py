"""Issue 7, done when: each demo role signs in and its home page shows the demo
district's real state, and the principal's dashboard changes when a teacher
acknowledges a guideline. Axe checks every page."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command

from expectations.models import Guideline
from onboarding.readiness.summary import readiness_for
from onboarding.schools.models import School
from tests.browser.conftest import check_accessibility

PASSWORD = settings.DEMO_PASSWORD


@pytest.fixture
def seeded(transactional_db):
    cache.clear()  # the cache's table outlives the flush between browser tests
    call_command("seed_demo")
    return {s.level: s for s in School.objects.all()}


def _done_line(page) -> str:
    text = page.locator('[data-line="expectations"]').inner_text()
    return re.search(r"(\d+) of (\d+) acknowledgments done", text).group(0)


def test_each_demo_home_shows_the_districts_real_state(browser_page, seeded):
    b = browser_page
    high = seeded["high"]
    state = readiness_for([high])[high.pk]

    b.sign_in("principal@example.org", PASSWORD)
    assert state.state_label in b.page.locator("#readiness-home").locator("..").inner_text()
    b.visit(f"/schools/{high.pk}/")
    assert b.page.locator("[data-readiness-state]").inner_text() == state.state_label
    counted = state.line("expectations").facts
    assert f"{counted['acknowledged']} of {counted['to_acknowledge']} acknowledgments done" in (
        b.page.content()
    )
    b.sign_out()

    b.sign_in("teacher@example.org", PASSWORD)
    assert "Working with our School Resource Officer" in b.page.content()
    assert b.page.get_by_role(
        "heading", name="The officer's next visits to my classes"
    ).is_visible()
    assert "Online safety" in b.page.content()  # her class-talk request
    b.sign_out()

    b.sign_in("sro@example.org", PASSWORD)
    assert b.page.get_by_role("heading", name="Class-talk requests waiting for me").is_visible()
    assert "Priya Patel" in b.page.content()
    assert b.page.get_by_role("link", name="My schedule", exact=True).is_visible()
    b.visit("/officer/schedule/")
    b.sign_out()

    b.sign_in("supervisor@example.org", PASSWORD)
    table = b.page.locator("#supervision").locator("..")
    assert "Officer Jenna Okafor" in table.inner_text()
    assert "Maple Grove Elementary School" in table.inner_text()
    b.sign_out()

    b.sign_in("district@example.org", PASSWORD)
    rows = b.page.locator("#district-readiness").locator("..").locator("tbody tr")
    assert rows.count() == 3
    # Sorted by name to begin with; selecting the heading sorts the other way.
    assert b.page.locator('th[aria-sort="ascending"]').inner_text().startswith("School")
    b.page.get_by_role("link", name=re.compile(r"^School \(sorted ascending")).click()
    b.page.wait_for_load_state()
    check_accessibility(b.page)
    assert b.page.locator('th[aria-sort="descending"]').count() == 1
    first = b.page.locator("#district-readiness").locator("..").locator("tbody tr").first
    assert "Riverside High School" in first.inner_text()
    b.page.get_by_role("link", name="Readiness", exact=True).click()
    b.page.wait_for_load_state()
    check_accessibility(b.page)
    assert b.page.locator('th[aria-sort="ascending"]').inner_text().startswith("Readiness")
    b.visit(f"/schools/{high.pk}/")  # the district admin sees the dashboard too
    assert b.page.locator("[data-readiness-state]").is_visible()
    # On a phone the pages fit the screen and the menu opens from its button.
    b.page.set_viewport_size({"width": 375, "height": 812})
    for path in ("/", f"/schools/{high.pk}/"):
        b.visit(path)
        assert b.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    b.page.get_by_role("button", name="Show the menu").click()
    assert b.page.get_by_role("link", name="Agreement", exact=True).is_visible()


def test_the_dashboard_changes_when_the_teacher_acknowledges(browser_page, seeded):
    b = browser_page
    high = seeded["high"]
    b.sign_in("principal@example.org", PASSWORD)
    b.visit(f"/schools/{high.pk}/")
    before = _done_line(b.page)
    b.sign_out()

    guideline = Guideline.objects.get(school=high, starter_key="working-with-the-sro")
    version = guideline.current_version
    b.sign_in("teacher@example.org", PASSWORD)
    b.visit(f"/schools/{high.pk}/guidelines/{guideline.pk}/")
    for statement in version.statements.all():
        b.page.locator(f"#id_statement_{statement.pk}").check()
    for scenario in version.scenarios.all():
        b.page.locator(f"#id_scenario_{scenario.pk}_{scenario.correct_choice}").check()
    with b.page.expect_navigation():
        b.page.locator("#check-answers").click()
    check_accessibility(b.page)
    b.page.locator("#id_typed_name").fill("Priya Patel")
    with b.page.expect_navigation():
        b.page.locator("#id_typed_name").press("Enter")
    check_accessibility(b.page)
    assert "you acknowledged" in b.page.content()
    b.sign_out()

    b.sign_in("principal@example.org", PASSWORD)
    b.visit(f"/schools/{high.pk}/")
    after = _done_line(b.page)
    done_before, total = (int(n) for n in re.findall(r"\d+", before))
    assert after == f"{done_before + 1} of {total} acknowledgments done"

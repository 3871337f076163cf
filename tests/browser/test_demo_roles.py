"""Each demo account signs in, lands on its home page and visits its pages, with axe
checking every page."""

import pytest
from django.conf import settings

from tests.browser.conftest import check_accessibility

PASSWORD = settings.DEMO_PASSWORD


def test_principal_sees_school_and_people(browser_page, demo):
    b = browser_page
    b.sign_in("principal@example.org", PASSWORD)
    assert b.page.get_by_role("heading", level=1).inner_text() == "Welcome, Dr. Angela Brooks"
    assert b.page.get_by_role("link", name="Riverside High School").first.is_visible()
    high = demo.schools["high"]
    b.visit(f"/schools/{high.pk}/")
    assert "Officer Marcus Reyes" in b.page.content()
    b.visit(f"/schools/{high.pk}/people/")
    assert b.page.get_by_role("cell", name="teacher@example.org").is_visible()
    b.visit(f"/schools/{high.pk}/people/invite/")
    b.visit(f"/schools/{high.pk}/people/import/")
    # Another school's page is a friendly 404 page, itself accessible.
    b.visit(f"/schools/{demo.schools['middle'].pk}/people/", status=404)


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("teacher@example.org", "Riverside High School"),
        ("counselor@example.org", "Mental-health staff"),
        ("sro@example.org", "Lakeview Middle School"),
        ("supervisor@example.org", "Riverside Police Department"),
        ("district@example.org", "Maple Grove Elementary School"),
    ],
)
def test_each_demo_account_lands_on_its_home(browser_page, demo, email, expected):
    b = browser_page
    b.sign_in(email, PASSWORD)
    assert b.page.url.rstrip("/") == b.base
    assert expected in b.page.content()
    b.visit(f"/schools/{demo.schools['high'].pk}/")


def test_sro_switches_between_schools(browser_page, demo):
    b = browser_page
    b.sign_in("sro@example.org", PASSWORD)
    b.page.get_by_role("button", name="Switch school").click()
    b.page.locator(".dropdown-menu").get_by_role("link", name="Lakeview Middle School").click()
    b.page.wait_for_url(f"**/schools/{demo.schools['middle'].pk}/")
    assert b.page.get_by_role("heading", level=1).inner_text() == "Lakeview Middle School"


def test_supervisor_and_district_pages(browser_page, demo):
    b = browser_page
    b.sign_in("supervisor@example.org", PASSWORD)
    b.visit(f"/agencies/{demo.agency.pk}/")
    assert "Officer Jenna Okafor" in b.page.content()
    b.page.get_by_role("link", name="Week of Officer Marcus Reyes").click()
    b.page.wait_for_url("**/week/")
    check_accessibility(b.page)
    heading = b.page.get_by_role("heading", level=1).inner_text()
    assert heading.startswith("Officer Marcus Reyes: week of")
    b.sign_out()
    b.sign_in("district@example.org", PASSWORD)
    b.visit(f"/districts/{demo.district.pk}/")
    assert b.page.get_by_role("link", name="Lakeview Middle School").count() >= 1
    # Add a school with the keyboard-reachable form, then land on inviting its principal.
    b.page.get_by_role("link", name="Add a school").click()
    b.page.wait_for_url("**/schools/new/")
    check_accessibility(b.page)
    b.page.get_by_label("Name").fill("Cedar Park Elementary School")
    b.page.get_by_label("Level").select_option("elementary")
    b.page.get_by_role("button", name="Save").click()
    b.page.wait_for_url("**/people/invite/")
    check_accessibility(b.page)
    assert "Invite a person to Cedar Park Elementary School" in b.page.content()
    b.visit(f"/districts/{demo.district.pk}/agencies/new/")
    b.visit(f"/districts/{demo.district.pk}/invite/")
    b.visit(f"/schools/{demo.schools['high'].pk}/details/")


def test_keyboard_only_sign_in(browser_page, demo):
    b = browser_page
    b.visit("/accounts/login/")
    # The email field has focus on arrival; Tab to the password, Enter submits.
    b.page.keyboard.type("teacher@example.org")
    b.page.keyboard.press("Tab")
    b.page.keyboard.type(PASSWORD)
    b.page.keyboard.press("Enter")
    b.page.wait_for_url(b.base + "/")
    assert b.page.get_by_role("heading", level=1).inner_text() == "Welcome, Priya Patel"
    check_focus_is_visible(b.page)


def check_focus_is_visible(page) -> None:
    """Tabbing from the top reaches the skip link first, and it shows."""
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    assert page.get_by_role("link", name="Skip to main content").is_visible()


def test_pages_work_on_a_phone(browser_page, demo):
    b = browser_page
    b.page.set_viewport_size({"width": 390, "height": 844})
    b.sign_in("principal@example.org", PASSWORD)
    # The menu folds behind a button on a narrow screen and opens on demand.
    people_link = b.page.get_by_role("navigation").get_by_role("link", name="People", exact=True)
    b.visit(f"/schools/{demo.schools['high'].pk}/")
    assert not people_link.is_visible()
    b.page.get_by_role("button", name="Show the menu").click()
    people_link.wait_for(state="visible")
    people_link.click()
    b.page.wait_for_url("**/people/")
    check_accessibility(b.page)
    # Wide tables scroll inside their own box; the page itself never scrolls sideways.
    assert b.page.evaluate("document.documentElement.scrollWidth") <= 390

"""The demo principal corrects a teacher's address on a phone's 320 px, with the
keyboard only; axe checks every page."""

from django.conf import settings

from onboarding.people.models import User
from tests.browser.conftest import check_accessibility


def test_the_principal_corrects_an_address_with_the_keyboard_at_320_px(browser_page, demo):
    b = browser_page
    b.page.set_viewport_size({"width": 320, "height": 800})
    b.sign_in("principal@example.org", settings.DEMO_PASSWORD)
    teacher = User.objects.get(email="teacher@example.org")
    high = demo.schools["high"]
    b.visit(f"/schools/{high.pk}/people/")
    assert b.page.evaluate("document.documentElement.scrollWidth") <= 320

    b.page.get_by_role("link", name=f"Change email address of {teacher.full_name}").focus()
    with b.page.expect_navigation():
        b.page.keyboard.press("Enter")
    check_accessibility(b.page)
    assert b.page.evaluate("document.documentElement.scrollWidth") <= 320
    field = b.page.get_by_label("New email address")
    field.focus()
    field.fill("principal@example.org")  # somebody else's
    with b.page.expect_navigation():
        b.page.keyboard.press("Enter")
    check_accessibility(b.page)
    assert "Another account already uses this address." in b.page.inner_text("body")
    assert b.page.evaluate("document.documentElement.scrollWidth") <= 320

    b.page.get_by_label("New email address").fill("t.teacher@riverside.example.org")
    with b.page.expect_navigation():
        b.page.keyboard.press("Enter")
    check_accessibility(b.page)
    assert "address is now t.teacher@riverside.example.org" in b.page.inner_text("body")
    teacher.refresh_from_db()
    assert teacher.email == "t.teacher@riverside.example.org"

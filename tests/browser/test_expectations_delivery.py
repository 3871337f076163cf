"""The delivery panel as the demo shows it, on a phone's 320 px: the counts, the two
refused emails with the server's answer, and Send again. Axe checks every page."""

from django.conf import settings

from expectations import demo as expectations_demo
from expectations.models import Guideline
from onboarding.outbox.models import Email


def test_the_demo_principal_sees_the_refused_emails_and_sends_them_again(browser_page, demo):
    expectations_demo.seed(demo)
    b = browser_page
    b.page.set_viewport_size({"width": 320, "height": 800})
    b.sign_in("principal@example.org", settings.DEMO_PASSWORD)
    high = demo.schools["high"]
    guideline = Guideline.objects.get(school=high, starter_key="working-with-the-sro")
    b.visit(f"/schools/{high.pk}/guidelines/{guideline.pk}/")

    panel = b.page.locator("#delivery")
    failures = panel.get_by_role("table", name="The emails that failed")
    assert failures.locator("tbody tr").count() == 2
    assert "Recipient address rejected" in failures.inner_text()
    # Nothing wider than the phone: long addresses and answers wrap.
    width = b.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, width

    with b.page.expect_navigation():
        panel.get_by_role("button", name="Send the 2 failed emails again").click()
    b.page.wait_for_load_state()
    assert "The 2 failed emails are on their way again." in b.page.inner_text("body")
    assert not Email.objects.filter(state=Email.State.FAILED).exists()

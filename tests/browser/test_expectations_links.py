"""The principal sees which guideline items an amendment affects, and edits links."""

from django.conf import settings
from django.core.management import call_command

from expectations.models import Guideline
from onboarding.agreements.models import Agreement
from tests.browser.conftest import check_accessibility


def test_amendment_flags_the_guideline_items_of_its_changed_sections(browser_page):
    call_command("seed_demo", verbosity=0)
    b = browser_page
    amendment = Agreement.objects.get(school__name="Riverside High School", amends__isnull=False)
    school = amendment.school
    b.sign_in("principal@example.org", settings.DEMO_PASSWORD)
    b.visit(f"/schools/{school.pk}/agreements/{amendment.pk}/")
    panel = b.page.get_by_role("region", name="Guideline items to review")
    assert "Once the officer has taken over a matter, I will let the officer lead." in (
        panel.inner_text()
    )
    panel.get_by_role("link", name="Working with our School Resource Officer").first.click()
    guideline = Guideline.objects.get(school=school, starter_key="working-with-the-sro")
    b.page.wait_for_url(f"**/guidelines/{guideline.pk}/")
    b.page.get_by_role("link", name="Link to the role agreement").click()
    b.page.wait_for_url("**/links/")
    check_accessibility(b.page)
    first = b.page.get_by_label("I will handle breaches of school rules", exact=False)
    assert first.input_value() == "discipline"

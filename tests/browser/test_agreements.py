"""The role agreement, end to end in a browser, with axe on every page: the
principal drafts from the template, edits, sends for review; the officer comments;
the principal revises; two versions compare; all three parties sign; the PDF names
each signer and the hash; a teacher reads the active agreement."""

import io
import re

from django.conf import settings
from pypdf import PdfReader

from onboarding.agreements import demo as demo_agreements
from onboarding.agreements import workflows
from onboarding.agreements.models import Agreement
from tests.browser.conftest import check_accessibility

PASSWORD = settings.DEMO_PASSWORD


def _click(b, role, name):
    b.page.get_by_role(role, name=name, exact=True).first.click()
    b.page.wait_for_load_state()
    check_accessibility(b.page)


def _sign(b, agreement, email, full_name):
    b.sign_in(email, PASSWORD)
    b.visit(f"/schools/{agreement.school_id}/agreements/{agreement.pk}/sign/")
    b.page.get_by_label("Type your full name to sign").fill(full_name)
    b.page.get_by_label("I have read this version of the agreement and sign it.").check()
    _click(b, "button", f"Sign version {_version(agreement)}")
    assert "Signed. Thank you." in b.page.content()
    b.sign_out()


def _version(agreement) -> int:
    agreement.refresh_from_db()
    return agreement.current_version.number


def test_an_agreement_from_draft_to_signed_pdf(browser_page, demo):
    b = browser_page
    high = demo.schools["high"]
    base = f"/schools/{high.pk}/agreements"

    # The principal drafts from the template.
    b.sign_in("principal@example.org", PASSWORD)
    b.visit(f"/schools/{high.pk}/")
    _click(b, "link", "Role agreement")
    _click(b, "link", "Start an agreement from the template")
    b.page.get_by_label("Start date").fill("2027-01-04")
    _click(b, "button", "Start the draft")
    agreement = Agreement.objects.get(school=high)
    assert b.page.url.endswith(f"{base}/{agreement.pk}/")
    assert "Officer Marcus Reyes" in b.page.content()

    # ... edits a section, with a preview first ...
    b.visit(f"{base}/{agreement.pk}/sections/schedule/")
    b.page.get_by_label("Text").fill("The officer is here on **Mondays** and Thursdays.")
    _click(b, "button", "Preview")
    assert b.page.locator(".agreement-text strong", has_text="Mondays").is_visible()
    _click(b, "button", "Save as a new version")
    assert "Saved as version 2." in b.page.content()
    b.visit(f"{base}/{agreement.pk}/parties/")
    b.visit(f"{base}/{agreement.pk}/")
    _click(b, "button", "Send for review")
    assert "Sent for review" in b.page.content()
    b.sign_out()

    # The officer comments on the schedule.
    b.sign_in("sro@example.org", PASSWORD)
    b.visit(f"{base}/{agreement.pk}/")
    b.page.get_by_label("Comment on “Schedule, workspace and duties at events”").fill(
        "Could Tuesday lunches stay free for students?"
    )
    b.page.locator("#section-schedule").get_by_role("button", name="Add comment").click()
    b.page.wait_for_load_state()
    check_accessibility(b.page)
    assert "Could Tuesday lunches stay free" in b.page.content()
    b.sign_out()

    # The principal revises and resolves the thread.
    b.sign_in("principal@example.org", PASSWORD)
    b.visit(f"{base}/{agreement.pk}/sections/schedule/")
    b.page.get_by_label("Text").fill(
        "The officer is here on **Mondays** and Thursdays, and keeps Tuesday lunches free."
    )
    _click(b, "button", "Save as a new version")
    b.page.locator("#section-schedule").get_by_role("button", name="Resolve").click()
    b.page.wait_for_load_state()
    check_accessibility(b.page)

    # The two versions compare side by side.
    b.visit(f"{base}/{agreement.pk}/compare/?from=2&to=3")
    assert b.page.locator("ins", has_text="keeps").count() >= 1
    assert b.page.locator("del", has_text="Thursdays.").count() >= 1
    b.visit(f"{base}/{agreement.pk}/")
    _click(b, "button", "Send for signing")
    assert "Out for signing" in b.page.content()
    b.sign_out()

    # All three parties sign, in order.
    _sign(b, agreement, "principal@example.org", "Dr. Angela Brooks")
    _sign(b, agreement, "sro@example.org", "Officer Marcus Reyes")
    _sign(b, agreement, "supervisor@example.org", "Sgt. Dana Whitfield")
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.ACTIVE

    # A teacher reads the active agreement, its print view, its verification and PDF.
    b.sign_in("teacher@example.org", PASSWORD)
    b.visit(f"{base}/")
    _click(b, "link", agreement.title)
    assert "Active" in b.page.content()
    b.visit(f"{base}/{agreement.pk}/print/")
    assert "Signature certificate" in b.page.content()
    b.visit(f"{base}/{agreement.pk}/versions/{agreement.current_version.number}/verify/")
    assert "Intact." in b.page.content()
    b.visit(f"{base}/{agreement.pk}/")
    with b.page.expect_download() as download_info:
        b.page.get_by_role("link", name="Download PDF").click()
    pdf = download_info.value
    with open(pdf.path(), "rb") as handle:
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    flat = re.sub(r"\s+", "", text)
    for name in ("Dr. Angela Brooks", "Officer Marcus Reyes", "Sgt. Dana Whitfield"):
        assert re.sub(r"\s+", "", name) in flat
    assert agreement.current_version.sha256 in flat


def test_demo_agreements_read_well_for_each_role(browser_page, demo):
    demo_agreements.seed(demo)
    b = browser_page
    middle = Agreement.objects.get(school=demo.schools["middle"])
    high_active = Agreement.objects.get(school=demo.schools["high"], status="active")
    amendment = Agreement.objects.get(amends=high_active)
    elementary = Agreement.objects.get(school=demo.schools["elementary"])

    b.sign_in("sro@example.org", PASSWORD)
    b.visit(f"/schools/{middle.school_id}/agreements/{middle.pk}/")
    assert "Can we add that?" in b.page.content()
    b.visit(f"/schools/{amendment.school_id}/agreements/{amendment.pk}/")
    assert "This is an amendment of" in b.page.content()
    b.visit(f"/schools/{amendment.school_id}/agreements/{amendment.pk}/compare/")
    b.sign_out()

    b.sign_in("principal@example.org", PASSWORD)
    b.visit(f"/schools/{high_active.school_id}/agreements/")
    b.visit(f"/schools/{high_active.school_id}/agreements/{high_active.pk}/")
    b.visit(f"/schools/{amendment.school_id}/agreements/{amendment.pk}/sections/data/")
    # Someone else saves the same section meanwhile: saving shows the conflict page.
    workflows.agreement_save_section(
        agreement=amendment,
        key="data",
        title="Data collection and reporting",
        body="The district's version.",
        base_version=amendment.current_version.number,
        actor=demo.people["district@example.org"],
    )
    b.page.get_by_label("Text").fill("The principal's version.")
    b.page.get_by_role("button", name="Save as a new version").click()
    b.page.wait_for_load_state()
    check_accessibility(b.page)
    assert "Someone else changed this section" in b.page.content()
    assert b.page.get_by_role("textbox", name="Text").input_value() == "The principal's version."
    b.console_errors.clear()  # the browser logs the 409 status of the conflict page
    b.visit(f"/schools/{amendment.school_id}/agreements/{amendment.pk}/sections/add/")
    b.visit(f"/schools/{amendment.school_id}/agreements/{amendment.pk}/parties/")
    b.visit(f"/schools/{high_active.school_id}/agreements/new/")
    # Another school's agreement is a 404.
    b.visit(f"/schools/{elementary.school_id}/agreements/{elementary.pk}/", status=404)
    b.sign_out()

    b.sign_in("district@example.org", PASSWORD)
    b.visit(f"/schools/{elementary.school_id}/agreements/{elementary.pk}/")
    b.visit(f"/districts/{demo.district.pk}/agreement-template/")
    b.visit(f"/districts/{demo.district.pk}/agreement-template/purpose/")
    b.visit(f"/districts/{demo.district.pk}/agreement-template/add/")

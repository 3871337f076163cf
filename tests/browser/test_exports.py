"""Issue 13, long work in the worker: a principal asks for the evidence binder, the
page shows its progress in a live region while the worker builds it, then the
download link, without reloading. Axe checks every page.

The live server runs in the test process, whose settings run tasks at once (in the
request); this test puts the database backend back, so that the build waits for the
worker, which the test then runs (`db_worker --batch`) while the page polls."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command

from onboarding.exports.models import Export
from onboarding.schools.models import School
from tests.browser.conftest import check_accessibility


@pytest.fixture
def worker_backend(settings):
    """Tasks on the database backend, as in production: built by the worker."""
    cache.clear()  # the cache's table outlives the flush between browser tests
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_a_principal_prepares_the_binder_and_sees_it_built(browser_page, demo, worker_backend):
    b = browser_page
    page = b.page
    high = School.objects.get(name="Riverside High School")
    b.sign_in("principal@example.org", settings.DEMO_PASSWORD)
    b.visit(f"/schools/{high.pk}/")
    page.get_by_role("button", name="Evidence binder (PDF)").click()
    page.wait_for_url(f"**/schools/{high.pk}/binder/?year=*")
    check_accessibility(page)
    page.get_by_role("button", name="Prepare the evidence binder (PDF)").click()
    page.wait_for_url("**/exports/*/")
    check_accessibility(page)

    region = page.get_by_role("status")
    assert "Waiting for the worker to start." in region.inner_text()
    assert region.get_attribute("aria-live") == "polite"
    assert region.locator("progress").count() == 1
    assert region.get_by_role("link", name="Refresh").is_visible()
    export = Export.objects.get()
    assert export.state == Export.State.QUEUED  # the request did not build it

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    download = region.get_by_role("link", name=re.compile(r"^Download evidence-binder-.+\.pdf \("))
    download.wait_for(timeout=10_000)  # the page's script saw it ready
    assert "/exports/" in page.url and region.locator("progress").count() == 0
    assert region.get_by_role("button", name="Build again").is_visible()
    check_accessibility(page)
    with page.expect_download() as downloading:
        download.click()
    with open(downloading.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert not b.console_errors, b.console_errors

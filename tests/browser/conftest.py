"""Browser tests: Playwright driving Debian's Chromium against the live server.

Every page a test visits goes through `visit()` or `check_accessibility()`, which
runs axe and fails on any WCAG violation. On a machine without Chromium the tests
skip with the reason; under CI (CI=true) a missing browser fails instead.
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(
            f"Chromium is required for the browser tests under CI and is missing at {CHROMIUM}."
        )
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}}


def check_accessibility(page) -> None:
    """Fail with axe's report when the page has any WCAG 2.1 A/AA violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


class Browser:
    """A page bound to the live server, with sign-in and checked navigation."""

    def __init__(self, page, live_server):
        self.page = page
        self.base = live_server.url
        self.console_errors: list[str] = []
        page.on(
            "console",
            lambda message: self.console_errors.append(message.text)
            if message.type == "error"
            else None,
        )

    def visit(self, path: str, *, status: int = 200):
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == status, (path, response and response.status)
        check_accessibility(self.page)
        # The browser logs the page's own error status; anything else is a real
        # problem (a script error, a CSP violation, a missing asset).
        expected = f"the server responded with a status of {status}"
        errors = [e for e in self.console_errors if status == 200 or expected not in e]
        assert not errors, errors
        self.console_errors.clear()
        return response

    def sign_in(self, email: str, password: str) -> None:
        self.visit("/accounts/login/")
        self.page.get_by_label("Email address").fill(email)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_load_state()
        assert "/accounts/login/" not in self.page.url, f"Sign-in failed for {email}"
        check_accessibility(self.page)

    def sign_out(self) -> None:
        self.page.get_by_role("button", name="Sign out").click()
        self.page.wait_for_url("**/accounts/login/")


@pytest.fixture
def browser_page(page, live_server, transactional_db):
    return Browser(page, live_server)


@pytest.fixture
def demo(transactional_db):
    """The demo district, as `make run` shows it."""
    from onboarding import demo

    return demo.seed()

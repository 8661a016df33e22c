"""Browser tests: a real server on 127.0.0.1 (its own database, made by the migrations and
loaded with the demo data) and Debian's Chromium driven by Playwright, with axe-core."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from werkzeug.serving import make_server

from app import create_app
from app.core.schema import upgrade
from config import TestConfig
from tests.conftest import fresh_database, worker_name

CHROMIUM = os.environ.get("PAROLE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
DEMO_PASSWORD = "parole-demo-2026"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


_LIVE: dict[str, object] = {}


@pytest.fixture(scope="session")
def live_app(live_server: str) -> object:
    """The Flask app behind the live server: tests use it to prepare data with services
    (inside `with live_app.app_context():`, then `db.session.commit()`)."""
    return _LIVE["app"]


@pytest.fixture(scope="session")
def live_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    url = fresh_database(f"parole_browser_{worker_name(request)}", tmp_path_factory.mktemp("live"))
    upgrade(url)
    app = create_app(TestConfig, DATABASE_URL=url)
    with app.app_context():
        from app.demo.base import load_demo

        load_demo()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    from app.falc import language

    language.nlp()  # as a worker warms it up: no page waits seconds for the first check
    _LIVE["app"] = app
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    app.extensions["parole.db"].engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}: install the Debian package chromium."
        if os.environ.get("REQUIRE_ALL") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):  # noqa: ANN001, ANN201
    context = browser.new_context(base_url=live_server, viewport={"width": 1024, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    yield page
    context.close()


class AxeChecker:
    """Collects axe violations page after page; the test asserts once at the end."""

    def __init__(self) -> None:
        self.axe = Axe()
        self.reports: list[str] = []
        self.checked: list[str] = []

    def check(self, page, label: str) -> None:  # noqa: ANN001
        results = self.axe.run(
            page,
            options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
        )
        self.checked.append(label)
        if results.violations_count:
            self.reports.append(f"--- {label} ({page.url})\n{results.generate_report()}")

    def assert_clean(self) -> None:
        assert self.checked, "no page was checked"
        assert not self.reports, "\n".join(self.reports)


@pytest.fixture
def axe() -> AxeChecker:
    return AxeChecker()


def login(page, identifier: str, secret: str) -> None:  # noqa: ANN001
    page.goto("/login")
    page.fill("#identifier", identifier)
    page.fill("#secret", secret)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/login" not in page.url, page.content()[:1500]


def set_preferences(page, language: str, easy_read: bool) -> None:  # noqa: ANN001
    page.goto("/preferences")
    page.check(f"#language-{0 if language == 'fr' else 1}")
    box = page.locator("input[name=display][value=easy_read]")
    box.check() if easy_read else box.uncheck()
    page.locator("input[name=display][value=high_contrast]").uncheck()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == language


def submit(page) -> None:  # noqa: ANN001
    """Press the last submit button of the main content, then wait for the next page."""
    page.locator("main form button[type=submit]:not([value=check])").last.click()
    page.wait_for_load_state()


def expect_error_state(page) -> None:  # noqa: ANN001
    """After a failed submit: the title says so, one error summary, and it has the focus."""
    assert page.title().startswith(("Erreur :", "Error:")), page.title()
    assert page.locator(".error-summary").count() == 1
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")


def focused(page) -> dict:  # noqa: ANN001
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return {tag: e.tagName, id: e.id, text: (e.innerText || '').trim(),"
        " name: e.getAttribute('name'), value: e.getAttribute('value'),"
        " type: e.getAttribute('type'), href: e.getAttribute('href'),"
        " change: e.getAttribute('data-change'),"
        " action: e.form ? e.form.getAttribute('action') : null}; }"
    )


def tab_until(page, predicate, limit: int = 60) -> dict:  # noqa: ANN001
    """Press Tab until the focused element matches `predicate` (keyboard-only tests)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = focused(page)
        if predicate(state):
            return state
    raise AssertionError(f"never reached the element on {page.url}; last focus: {focused(page)}")


def keyboard_login(page, identifier: str, secret: str) -> None:  # noqa: ANN001
    """Log in with the keyboard only: Tab to the identifier, type, Tab, type, Enter."""
    page.goto("/login")
    tab_until(page, lambda s: s["id"] == "identifier")
    page.keyboard.type(identifier)
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "secret"
    page.keyboard.type(secret)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/login" not in page.url

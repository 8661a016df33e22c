"""Every page of the foundation, in French and English, in normal and easy-read display,
including error states: 0 axe-core violations (WCAG 2.2 A/AA and best practices)."""

from __future__ import annotations

import itertools
import re

import pytest

from tests.browser.conftest import DEMO_PASSWORD, expect_error_state, login, set_preferences, submit

VARIANTS = list(itertools.product(["fr", "en"], [False, True]))
IDS = [f"{lang}-{'easy' if easy else 'normal'}" for lang, easy in VARIANTS]


@pytest.mark.parametrize(("lang", "easy"), VARIANTS, ids=IDS)
def test_visitor_pages(page, axe, lang, easy):
    set_preferences(page, lang, easy)
    expected_class = "easy-read" if easy else None
    for url in ["/", "/accessibility", "/preferences", "/login", "/no-such-page"]:
        page.goto(url)
        assert page.locator("h1").count() == 1
        if expected_class:
            assert expected_class in (page.locator("body").get_attribute("class") or "")
        axe.check(page, url)
    page.goto("/login")
    page.fill("#identifier", f"nobody-{lang}-{easy}@example.invalid")
    page.fill("#secret", "wrong")
    submit(page)
    expect_error_state(page)
    assert page.input_value("#identifier") == f"nobody-{lang}-{easy}@example.invalid"
    axe.check(page, "login after a failed submit")
    page.goto("/login")
    submit(page)
    expect_error_state(page)
    axe.check(page, "login submitted empty")
    axe.assert_clean()
    # The only console errors allowed: the 404 of the page visited on purpose, the 400 of
    # the login form sent with errors.
    assert [e for e in page.console_errors if "404" not in e and "status of 400" not in e] == []


@pytest.mark.parametrize(("lang", "easy"), VARIANTS, ids=IDS)
def test_participant_pages(page, axe, lang, easy):
    login(page, "paul@demo.parole.invalid", DEMO_PASSWORD)
    set_preferences(page, lang, easy)
    for url in ["/", "/account", "/account/secret", "/preferences"]:
        page.goto(url)
        axe.check(page, url)
    page.goto("/account/secret")
    page.fill("#current_secret", "not the right one")
    page.fill("#new_secret", "short")
    page.fill("#confirm", "other")
    submit(page)
    expect_error_state(page)
    axe.check(page, "change secret with errors")
    for url in ["/admin/", "/participants/"]:
        page.goto(url)
        axe.check(page, f"{url} forbidden page")
    set_preferences(page, "fr", False)
    axe.assert_clean()


@pytest.mark.parametrize(("lang", "easy"), VARIANTS, ids=IDS)
def test_facilitator_pages_and_first_login_with_a_card(page, browser, live_server, axe, lang, easy):
    login(page, "animatrice@demo.parole.invalid", DEMO_PASSWORD)
    set_preferences(page, lang, easy)
    for url in ["/", "/participants/", "/participants/new"]:
        page.goto(url)
        axe.check(page, url)
    submit(page)
    expect_error_state(page)
    axe.check(page, "create account with errors")
    page.fill("#display_name", f"Test {lang} {easy}")
    page.fill("#consent_note", "Accord donné pendant la réunion.")
    submit(page)
    axe.check(page, "login card")
    card = page.locator(".login-card").inner_text()
    identifier = re.search(r"[A-Z]{4}-\d{2}", card).group(0)
    code = re.search(r"\b\d{6}\b", card).group(0)
    assert page.locator("img.qr").evaluate("img => img.naturalWidth") > 0
    page.locator("main a").last.click()
    page.wait_for_load_state()
    axe.check(page, "participant page")
    set_preferences(page, "fr", False)

    context = browser.new_context(base_url=live_server)
    newcomer = context.new_page()
    set_preferences(newcomer, lang, easy)
    login(newcomer, identifier, code)
    assert newcomer.url.endswith("/account/choose-code")
    axe.check(newcomer, "choose code")
    newcomer.fill("#new_secret", "111111")
    newcomer.fill("#confirm", "111111")
    submit(newcomer)
    expect_error_state(newcomer)
    axe.check(newcomer, "choose code with errors")
    newcomer.fill("#new_secret", "864209")
    newcomer.fill("#confirm", "864209")
    submit(newcomer)
    assert newcomer.url.endswith("/"), newcomer.locator("main").inner_text()
    context.close()
    axe.assert_clean()


@pytest.mark.parametrize(("lang", "easy"), VARIANTS, ids=IDS)
def test_admin_pages(page, axe, lang, easy):
    login(page, "admin@demo.parole.invalid", DEMO_PASSWORD)
    set_preferences(page, lang, easy)
    for url in ["/", "/admin/", "/admin/organisations/new"]:
        page.goto(url)
        axe.check(page, url)
    submit(page)
    expect_error_state(page)
    axe.check(page, "new organisation with errors")
    page.goto("/admin/")
    page.locator("main table a").first.click()
    page.wait_for_load_state()
    axe.check(page, "organisation page")
    # An unknown address gets the same neutral answer as a known one (never tell who exists).
    page.fill("#identifier", "nobody@example.invalid")
    page.locator("main form:has(#identifier) button[type=submit]").click()
    page.wait_for_load_state()
    assert not page.title().startswith(("Erreur :", "Error:"))
    axe.check(page, "organisation page after an invitation")
    page.fill("#identifier", "")
    page.locator("main form:has(#identifier) button[type=submit]").click()
    page.wait_for_load_state()
    expect_error_state(page)
    axe.check(page, "organisation page with errors")
    set_preferences(page, "fr", False)
    axe.assert_clean()

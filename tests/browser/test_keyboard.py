"""Keyboard only: from the home page, log in with a code account and reach the
preferences page using Tab, typing and Enter only."""

from __future__ import annotations

from tests.browser.conftest import focused, tab_until


def test_keyboard_only_login_with_code_then_preferences(page):
    page.goto("/")
    first = tab_until(page, lambda s: True, limit=1)
    assert first["href"] == "#main", "the skip link must come first"
    tab_until(page, lambda s: s["href"] == "/login")
    page.keyboard.press("Enter")
    page.wait_for_url("**/login")
    tab_until(page, lambda s: s["id"] == "identifier")
    page.keyboard.type("DEMO-01")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "secret"
    page.keyboard.type("482913")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: not url.endswith("/login"))
    assert "Bernard" in page.locator("h1").inner_text()
    tab_until(page, lambda s: s["href"] == "/preferences")
    page.keyboard.press("Enter")
    page.wait_for_url("**/preferences")
    assert page.locator("h1").inner_text() in ("Affichage et langue", "Display and language")
    # and the preferences form itself is usable: Tab to the easy-read box, Space, Enter.
    tab_until(page, lambda s: s["id"] == "display-0")
    # other tests may have left this account in easy-read display: Space toggles it
    was_easy = page.is_checked("#display-0")
    page.keyboard.press("Space")
    assert page.is_checked("#display-0") is not was_easy
    tab_until(
        page,
        lambda s: (
            s["tag"] == "BUTTON" and s["text"] in ("Enregistrer mes choix", "Save my choices")
        ),
    )
    with page.expect_navigation():  # the URL stays /preferences: wait for the new page itself
        page.keyboard.press("Enter")
    is_easy = "easy-read" in (page.locator("body").get_attribute("class") or "")
    assert is_easy is not was_easy


def test_pages_reflow_at_320_pixels_and_200_percent_zoom(browser, live_server):
    """WCAG 1.4.10: no horizontal scrolling at 320 CSS pixels (what 1280 px at 400 % gives)."""
    context = browser.new_context(base_url=live_server, viewport={"width": 320, "height": 640})
    page = context.new_page()
    for url in ["/", "/login", "/preferences", "/accessibility", "/moderation/charter"]:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, (url, width)
    context.close()

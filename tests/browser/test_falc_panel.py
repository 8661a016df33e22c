"""The easy-read check panel of the round editor, in Chromium with axe-core: every state
(nothing found, tips only, things to simplify, an alert, the simple check without the language
model) in French, French easy-read and English easy-read in one page; the one-click
replacement with the keyboard only."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import Organisation, Person
from app.falc import language
from tests.browser.conftest import DEMO_PASSWORD, focused, login, set_preferences, tab_until
from tests.conftest import WAIT
from tests.consultation_factories import make_round

FACILITATOR = "animatrice@demo.parole.invalid"
VARIANTS = [("fr", False), ("fr", True), ("en", True)]
LONG = (
    "Le conseil départemental, qui a adopté le schéma départemental d'insertion, souhaite "
    "recueillir l'avis des personnes concernées afin d'améliorer l'aide proposée par les "
    "services sociaux du territoire."
)
STATES = [
    ("nothing", "Nous payons le bus."),
    ("tips", "Nous ne payons pas le bus."),
    ("warnings", "Payez le bus au préalable."),
    ("alert", LONG),
]
_counter = itertools.count(1)


@pytest.fixture
def draft_round(live_app) -> int:  # noqa: ANN001
    with live_app.app_context():
        org = db.session.scalar(
            select(Organisation).where(Organisation.name == "CRPA Région Exemple (démo)")
        )
        facilitator = db.session.scalar(select(Person).where(Person.email == FACILITATOR))
        round_, _ = make_round(org, facilitator, title=f"Panneau {next(_counter)}")
        db.session.commit()
        return round_.id


def type_and_wait(page, text: str) -> None:  # noqa: ANN001
    """Type in the field and wait for the live check's new summary."""
    page.evaluate("document.getElementById('why_easy-falc-status').textContent = ''")
    page.fill("#why_easy", text)
    page.locator("#why_easy-falc-status:not(:empty)").wait_for(timeout=WAIT * 1000)


def findings(page, severity: str) -> int:  # noqa: ANN001
    return page.locator(f"#why_easy-falc .falc-finding--{severity}").count()


def test_check_panel_in_every_state_and_language(page, axe, draft_round, monkeypatch):
    login(page, FACILITATOR, DEMO_PASSWORD)
    for lang, easy in VARIANTS:
        variant = f"{lang}{'-easy' if easy else ''}"
        set_preferences(page, lang, easy)
        page.goto(f"/consultations/{draft_round}/edit")
        for state, text in STATES:
            type_and_wait(page, text)
            status = page.locator("#why_easy-falc-status").inner_text()
            assert "100" in status, status
            counts = {s: findings(page, s) for s in ("info", "warning", "alert")}
            if state == "nothing":
                assert counts == {"info": 0, "warning": 0, "alert": 0}
                assert ("Aucun problème" if lang == "fr" else "No problem") in status
            elif state == "tips":
                assert counts["info"] >= 1 and counts["warning"] == counts["alert"] == 0
                assert "conseil" in status or "1 tip" in status
            elif state == "warnings":
                assert counts["warning"] >= 1 and counts["alert"] == 0
                button = page.locator("#why_easy-falc button.falc-replace").first
                assert button.is_visible()
                assert ("Remplacer par" if lang == "fr" else "Replace with") in button.inner_text()
                assert ("à simplifier" if lang == "fr" else "to simplify") in status
            else:
                assert counts["alert"] >= 1
                # (the French plural forms come with the catalogue's next extraction)
                assert "à changer" in status or "to change" in status
            # the details are never read out as the field's description
            described = page.get_attribute("#why_easy", "aria-describedby") or ""
            assert "falc" not in described
            axe.check(page, f"round editor, check panel: {state} ({variant})")
        # The simple check, as when the language model cannot load in the server's process.
        with monkeypatch.context() as patch:
            patch.setitem(language._state, "loaded", True)
            patch.setitem(language._state, "nlp", None)
            type_and_wait(page, f"Voici les modalités du {variant}.")
            assert page.locator("#why_easy-falc .falc-fallback").count() == 1
            axe.check(page, f"round editor, check panel without the language model ({variant})")
    set_preferences(page, "fr", False)
    axe.assert_clean()


def test_one_click_replacement_with_the_keyboard_only(page, draft_round):
    login(page, FACILITATOR, DEMO_PASSWORD)
    set_preferences(page, "fr", False)
    page.goto(f"/consultations/{draft_round}/edit")
    text = "Payez le bus au préalable, puis gardez le ticket."
    type_and_wait(page, text)
    button = page.locator("#why_easy-falc button.falc-replace[data-original='au préalable']")
    replacement = button.get_attribute("data-replacement")
    assert replacement and button.is_visible()
    page.focus("#why_easy")
    state = tab_until(page, lambda s: s["tag"] == "BUTTON" and "Remplacer par" in s["text"])
    assert replacement in state["text"]
    page.evaluate("document.getElementById('why_easy-falc-status').textContent = ''")
    page.keyboard.press("Enter")
    expected = text.replace("au préalable", replacement)
    assert page.input_value("#why_easy") == expected
    # focus back in the field, the caret just after the new words; the check runs again
    assert focused(page)["id"] == "why_easy"
    caret = page.evaluate("document.getElementById('why_easy').selectionStart")
    assert caret == expected.index(replacement) + len(replacement)
    page.locator("#why_easy-falc-status:not(:empty)").wait_for(timeout=WAIT * 1000)
    assert page.locator("#why_easy-falc button[data-original='au préalable']").count() == 0

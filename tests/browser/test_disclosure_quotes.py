"""Quotes held back in Chromium (app/consultations/disclosure.py, rule 8): 6 people, 5 wrote and
1 preferred not to answer (both hidden), 5 quotes chosen (tests/disclosure_rounds.py). The
results page, the texts page and the public page each show 4 quotes and the sentence that
some written answers may not be shown; the facilitator reads how many are held back. axe-core
finds nothing in any of these states, in French, French easy-read and English easy-read."""

from __future__ import annotations

import pytest

from tests.browser.conftest import login, set_preferences
from tests.disclosure_rounds import QUOTE_TEXTS, a_round_with_five_quotes
from tests.factories import PASSWORD

VARIANTS = [("fr", False), ("fr", True), ("en", True)]
IDS = ["fr-normal", "fr-easy", "en-easy"]
PROTECTED = {
    "fr": "certaines réponses écrites ne sont peut-être pas montrées",
    "en": "some written answers may not be shown",
}


@pytest.fixture(scope="module")
def walk(live_app) -> dict:  # noqa: ANN001
    return a_round_with_five_quotes(live_app, english=False)


def _quotes(page) -> list[str]:  # noqa: ANN001
    text = page.locator("main").inner_text()
    return [t for t in QUOTE_TEXTS if t in text]


@pytest.mark.parametrize(("lang", "easy"), VARIANTS, ids=IDS)
def test_participants_read_four_quotes_and_why_some_may_be_missing(page, axe, walk, lang, easy):  # noqa: ANN001
    login(page, walk["participant"], PASSWORD)
    set_preferences(page, lang, easy)
    base = f"/consultations/{walk['round']}/results"
    for url, state in ((base, "results"), (f"{base}/questions/{walk['question']}/texts", "texts")):
        page.goto(url)
        axe.check(page, f"{state} with quotes held back ({lang}, easy={easy})")
        assert len(_quotes(page)) == 4
        assert PROTECTED[lang] in page.locator("main").inner_text()
    axe.assert_clean()


def test_the_public_page_and_the_facilitators_note(page, axe, walk):  # noqa: ANN001
    page.goto(walk["public"])
    axe.check(page, "public page with quotes held back")
    assert len(_quotes(page)) == 4 and PROTECTED["fr"] in page.locator("main").inner_text()
    login(page, walk["facilitator"], PASSWORD)
    set_preferences(page, "en", False)
    page.goto(f"/consultations/{walk['round']}/results")
    axe.check(page, "results with the facilitator's note of quotes held back")
    note = page.locator("main .notice-box", has_text="chosen quote")
    assert "1 chosen quote is not shown to participants" in note.inner_text()
    assert len(_quotes(page)) == 4
    axe.assert_clean()

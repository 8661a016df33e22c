"""Disclosure control in Chromium: a participant reads the results of a round where exactly
one person answered with help (tests/disclosure_rounds.py). On the results page, the charts
and the summary PDF she reaches from the round's page, there is no breakdown by way of
answering and no table where her answer is the only hidden number (the total minus the shown
numbers would give it back). axe-core finds nothing, in French, French easy-read and English
easy-read; the facilitator's page, with its note of hidden numbers, too."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from tests.browser.conftest import login, set_preferences
from tests.disclosure_rounds import a_round_with_one_helped_person
from tests.factories import PASSWORD

VARIANTS = [("fr", False), ("fr", True), ("en", True)]
IDS = ["fr-normal", "fr-easy", "en-easy"]
HIDDEN = {"fr": "caché", "en": "hidden"}


@pytest.fixture(scope="module")
def helped_round(live_app) -> dict:  # noqa: ANN001
    return a_round_with_one_helped_person(live_app)


def _tables(page) -> list[dict[str, str]]:  # noqa: ANN001
    """Each results table: its answers and their number as shown (the second column)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('main table')].map(t => Object.fromEntries(
            [...t.querySelectorAll('tbody tr')].map(r => [
                r.querySelector('th').innerText.trim(),
                r.querySelectorAll('td')[0].innerText.replace(/^.*\\n/, '').trim()])))"""
    )


@pytest.mark.parametrize(("lang", "easy"), VARIANTS, ids=IDS)
def test_participant_cannot_read_the_helped_persons_answers(page, axe, helped_round, lang, easy):  # noqa: ANN001
    hidden = HIDDEN[lang]
    login(page, helped_round["participant"], PASSWORD)
    set_preferences(page, lang, easy)
    round_url = f"/consultations/{helped_round['round']}"
    page.goto(f"{round_url}/results")
    axe.check(page, f"results with one helped person ({lang}, easy={easy})")
    text = page.locator("main").inner_text()
    # No breakdown by way of answering: no line and no column for the people helped.
    assert not re.search("Answered with help|Réponse avec de l'aide", text)
    assert page.locator("main th", has_text=re.compile("Avec de l|With help")).count() == 0
    tables = _tables(page)
    single, scale, yes_no = tables[:3]
    # Her answers are hidden, and never the only hidden number of a table with a total.
    assert single["Dans la rue"] == hidden and yes_no["Non"] == hidden
    assert list(scale.values())[0] == hidden
    for table in tables:
        assert sum(v == hidden for v in table.values()) != 1, table
    # The charts draw no bar and print no number for a hidden count.
    for chart in page.locator("main img.chart").all():
        svg = page.request.get(chart.get_attribute("src")).text()
        assert hidden in svg
        assert "<rect" in svg and not re.search(r">1</text>", svg)
    # The summary PDF, reached from the round's page, prints the same hidden numbers.
    page.goto(round_url)
    axe.check(page, f"round page ({lang}, easy={easy})")
    link = page.locator("main a[href$='summary.pdf']")
    pdf = page.request.get(link.get_attribute("href"))
    words = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    words = re.sub(r"\s+", " ", words)
    assert f"Dans la rue : {hidden}" in words and f"Non : {hidden}" in words
    assert f"Oui : {hidden}" in words
    axe.assert_clean()


def test_facilitator_sees_the_same_tables_and_a_note(page, axe, helped_round):  # noqa: ANN001
    login(page, helped_round["participant"], PASSWORD)
    set_preferences(page, "fr", False)
    page.goto(f"/consultations/{helped_round['round']}/results")
    participant = _tables(page)
    page.context.clear_cookies()
    login(page, helped_round["facilitator"], PASSWORD)
    set_preferences(page, "fr", False)
    page.goto(f"/consultations/{helped_round['round']}/results")
    axe.check(page, "results, facilitator, with the note of hidden numbers")
    assert _tables(page) == participant
    assert page.locator("main .notice-box").count() == 1
    axe.assert_clean()

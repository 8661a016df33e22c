"""Quotes must not give a hidden number back (app/consultations/disclosure.py, rule 8).

The walk that found it: 6 people, threshold 5. Question 4 (free text): 5 wrote, 1 preferred
not to answer; both numbers are hidden (1 is small, 5 would give it back). The facilitator
chose the 5 texts. Counting 5 quotes, a reader knew that at least 5 wrote, so exactly 5 (the
one who did not is at least 1). Now every page shows 4 quotes at most, and says that some
written answers may not be shown; only the staff read how many chosen quotes are held back."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from tests.conftest import login
from tests.disclosure_rounds import QUOTE_TEXTS as TEXTS
from tests.disclosure_rounds import a_round_with_five_quotes
from tests.factories import PASSWORD

PROTECTED = "To protect the people who answered, some written answers may not be shown."


@pytest.fixture
def walk(app):
    return a_round_with_five_quotes(app)


def _quotes(html: str) -> list[str]:
    return [t for t in TEXTS if t in html]


def test_five_chosen_quotes_show_four_when_they_would_give_the_five_back(client, walk):
    login(client, "p0@w.test", PASSWORD)
    base = f"/consultations/{walk['round']}"
    results = client.get(f"{base}/results").get_data(as_text=True)
    assert "Answers: hidden. Preferred not to answer: hidden." in results
    assert len(_quotes(results)) == 4 and PROTECTED in results
    # Never the number chosen, nor a note saying that some were held back.
    assert "Quotes chosen by the facilitator" not in results and "in all)" not in results
    assert "chosen quote" not in results
    texts = client.get(f"{base}/results/questions/{walk['question']}/texts").get_data(as_text=True)
    assert len(_quotes(texts)) == 4 and "out of 4" in texts and PROTECTED in texts
    pdf = client.get(f"{base}/summary.pdf").data
    printed = re.sub(
        r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    )
    assert len(_quotes(printed)) == 4 and PROTECTED in printed


def test_the_public_page_shows_the_same_four_quotes(client, walk):
    html = client.get(walk["public"] + "?lang=en").get_data(as_text=True)
    assert len(_quotes(html)) == 4 and PROTECTED in html
    assert "Other quotes were chosen" not in html
    french = client.get(walk["public"]).get_data(as_text=True)
    assert len(_quotes(french)) == 4
    assert "certaines réponses écrites ne sont peut-être pas montrées" in french


def test_staff_read_how_many_chosen_quotes_are_held_back_and_why(client, walk):
    login(client, "fac@w.test", PASSWORD)
    html = client.get(f"/consultations/{walk['round']}/results").get_data(as_text=True)
    assert len(_quotes(html)) == 4  # the same quotes as participants
    assert (
        "1 chosen quote is not shown to participants: with it, someone could work out a hidden number."
        in html
    )

"""Disclosure control through the pages: a round where one person answered with help. Her
answers were the only ones of their kind; nothing a participant (or the staff) gets from the
results page, the charts or the summary PDF tells what she answered."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from tests.conftest import login
from tests.disclosure_rounds import (
    a_round_with_a_conditional_question,
    a_round_with_one_helped_person,
)


@pytest.fixture
def helped_round(app):
    return a_round_with_one_helped_person(app)


def _tables(html: str) -> list[str]:
    return re.findall(r"<table.*?</table>", html, re.S)


def _rows(table: str) -> dict[str, str]:
    """The first cell of each row of a table's body: the answer, and its number as shown."""
    body = table.split("<tbody>", 1)[1]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        heading = re.search(r'<th scope="row">(.*?)</th>', row, re.S).group(1).strip()
        number = re.sub(r"<span[^>]*>.*?</span>", "", re.findall(r"<td>(.*?)</td>", row, re.S)[0])
        # Counts read "5 personnes sur 9" (French plurals may still be English): the count.
        rows[heading] = re.sub(r" (personnes?|people|person) (sur|out of) \d+$", "", number.strip())
    return rows


def test_results_page_hides_the_helped_persons_answers_and_any_way_back(client, helped_round):
    login(client, helped_round["participant"], _password())
    html = client.get(f"/consultations/{helped_round['round']}/results").get_data(as_text=True)
    # No breakdown by way of answering: it would show her alone in the column "With help".
    assert "Avec de l&#39;aide" not in html and "Avec de l'aide" not in html
    assert "Répondu avec de l" not in html
    assert "sont cachés : un groupe est trop petit" in html
    single, scale, yes_no = (_rows(t) for t in _tables(html)[:3])
    # Her choice is hidden, and so is another one: 9 answers - 5 shown cannot give hers.
    assert single == {"Un appartement": "5", "Un foyer": "caché", "Dans la rue": "caché"}
    assert list(scale.values()) == ["caché", "0", "0", "5", "caché"]
    # 8 "Oui" and her "Non": the "Oui" is hidden too, or 9 - 8 would give her answer back.
    assert yes_no == {"Oui": "caché", "Non": "caché"}
    assert "moyenne" not in html.lower()  # an average with the counts would give hers back
    assert "9 personnes ont envoyé leurs réponses." in html


def test_staff_see_the_same_numbers_with_a_note_of_how_many_are_hidden(client, helped_round):
    url = f"/consultations/{helped_round['round']}/results"
    login(client, helped_round["participant"], _password())
    participant = client.get(url).get_data(as_text=True)
    staff_client = client.application.test_client()
    login(staff_client, helped_round["facilitator"], _password())
    staff = staff_client.get(url).get_data(as_text=True)
    # The same numbers; staff also read the percentage beside each count that is shown.
    assert [_rows(t) for t in _tables(staff)] == [_rows(t) for t in _tables(participant)]
    assert "Pourcentage" in staff and "Pourcentage" not in participant
    note = re.search(r'<p class="notice-box">(.*?)</p>', staff, re.S)
    assert note and ("6 nombres sont cachés" in note.group(1) or "6 numbers are" in note.group(1))
    assert 'class="notice-box"' not in participant


def test_chart_has_no_bar_for_a_hidden_count(client, helped_round):
    login(client, helped_round["participant"], _password())
    base = f"/consultations/{helped_round['round']}/results/questions"
    svg = client.get(f"{base}/{helped_round['questions'][0]}/chart.svg").get_data(as_text=True)
    assert svg.count("caché") == 2
    bars = re.findall(r'<rect x="340"[^>]*width="(\d+)"', svg)
    assert len(bars) == 1  # "Un appartement" only: the hidden counts have no length
    numbers = re.findall(r">(\d+)</text>", svg)
    assert numbers == ["5"]
    yes_no = client.get(f"{base}/{helped_round['questions'][2]}/chart.svg").get_data(as_text=True)
    assert yes_no.count("caché") == 2 and not re.findall(r">(\d+)</text>", yes_no)


def test_summary_pdf_prints_the_same_hidden_numbers(client, helped_round):
    login(client, helped_round["participant"], _password())
    data = client.get(f"/consultations/{helped_round['round']}/summary.pdf").data
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    text = re.sub(r"\s+", " ", text)
    assert "Dans la rue : caché" in text and "Un foyer : caché" in text
    assert "Oui : caché" in text and "Non : caché" in text
    assert "1. Pas du tout content : caché" in text
    assert "Un appartement : 5" in text and "Avec de l" not in text


def _password() -> str:
    from tests.factories import PASSWORD

    return PASSWORD


@pytest.mark.parametrize(("yes", "no"), [(12, 6), (14, 3)])
def test_conditional_question_says_who_saw_it_and_follows_that_count(client, app, yes, no):
    world = a_round_with_a_conditional_question(app, yes, no)
    login(client, world["participant"], _password())
    html = client.get(f"/consultations/{world['round']}/results").get_data(as_text=True)
    first, second = (_rows(t) for t in _tables(html)[:2])
    data = client.get(f"/consultations/{world['round']}/summary.pdf").data
    text = re.sub(
        r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    )
    if no >= 5:
        shown_to = re.compile(
            r"Question (shown to the 12 people|montrée aux 12 personnes) .*«\s?Oui\s?» "
        )
        assert shown_to.search(html) and shown_to.search(text)
        assert second == {"Moins de 20": "6", "20 ou plus": "6"}
    else:
        # 3 "Non" are hidden, and so are the 14 "Oui" (17 - 3): the people who saw question 2
        # are those 14, so none of its numbers is shown.
        assert first == {"Oui": "caché", "Non": "caché"}
        assert "seulement aux personnes qui ont répondu « Oui » à la question 1" in html
        assert "seulement aux personnes qui ont répondu « Oui » à la question 1" in text
        assert second == {"Moins de 20": "caché", "20 ou plus": "caché"}
        assert "Réponses : caché. Préfèrent ne pas répondre : caché." in html

"""The results page reads in words (issue 23): "5 personnes sur 10" rather than "50 %", the
average as "En moyenne : 3 sur 5"; percentages only for staff, beside the counts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

from app.accounts.models import Role
from app.consultations import services
from app.consultations.models import RoundStatus
from app.consultations.services import FeedbackData
from tests.conftest import login
from tests.consultation_factories import open_round
from tests.disclosure_rounds import _answer
from tests.factories import PASSWORD
from tests.worlds import a_round, an_organisation, saved


@pytest.fixture
def ten_answers(app: Flask) -> dict[str, Any]:
    """Ten people: five "Un appartement", face 4, "Oui"; five "Un foyer", face 2, "Non"."""
    with saved(app):
        team = an_organisation("CRPA Mots", domain="w.test", fac=Role.FACILITATOR)
        people = team.join_many("p", 10)
        facilitator = team["fac"]
        round_ = a_round(team.org, facilitator)
        open_round(round_, facilitator, people)
        for n, person in enumerate(people):
            first = n < 5
            _answer(
                person,
                round_,
                "Un appartement" if first else "Un foyer",
                4 if first else 2,
                "Oui" if first else "Non",
            )
        services.transition(facilitator, round_, RoundStatus.CLOSED)
        services.add_feedback_item(
            facilitator, round_, FeedbackData("a", "b", "a facile", "b facile")
        )
        services.transition(facilitator, round_, RoundStatus.RESULTS)
        return {"url": f"/consultations/{round_.id}/results"}


def _page(app: Flask, who: str, url: str) -> str:
    client = app.test_client()
    login(client, who, PASSWORD)
    return re.sub(r"<span[^>]*>.*?</span>", "", client.get(url).get_data(as_text=True))


# French plurals are applied at the end of the round: either language is accepted until then.
FIVE_OF_TEN = re.compile(r"<td>\s*5 (personnes sur|people out of) 10\s*</td>")


def test_participants_read_counts_as_people_out_of_a_total_without_percentages(
    app: Flask, ten_answers: dict[str, Any]
) -> None:
    html = _page(app, "p0@w.test", ten_answers["url"])
    assert len(FIVE_OF_TEN.findall(html)) == 6  # two choices, two faces, yes and no
    assert "Pourcentage" not in html and "50\xa0%" not in html and "50 %" not in html


def test_the_average_of_a_scale_reads_in_words(app: Flask, ten_answers: dict[str, Any]) -> None:
    html = _page(app, "p0@w.test", ten_answers["url"])
    assert "En moyenne : 3 sur 5" in html
    assert "Moyenne : 3,0" not in html


def test_staff_see_the_percentage_beside_the_count(app: Flask, ten_answers: dict[str, Any]) -> None:
    html = _page(app, "fac@w.test", ten_answers["url"])
    assert len(FIVE_OF_TEN.findall(html)) == 6
    assert html.count("<td>50\xa0%</td>") == 6

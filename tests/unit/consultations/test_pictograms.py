"""Pictures of the possible answers found by a French word: the catalogue covers the common
answers, every picture is a drawing of the right size without text, and a search ignores
accents, case and plurals and knows synonyms in French and in English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app import db
from app.consultations import pictograms, services
from app.consultations.kinds import ChoiceData
from app.consultations.models import QuestionKind
from app.core.errors import DomainError
from tests.consultation_factories import make_round

FOLDER = Path(__file__).resolve().parents[3] / "static" / "img" / "pictograms"
COMMON = [
    "yes",
    "no",
    "maybe",
    "face-1",
    "face-2",
    "face-3",
    "face-4",
    "face-5",
    "house",
    "transport",
    "car",
    "walk",
    "money",
    "food",
    "health",
    "doctor",
    "child",
    "people",
    "alone",
    "with-help",
    "phone",
    "computer",
    "paper",
    "counter",
    "calendar",
    "clock",
    "school",
    "work",
    "letter",
    "question",
    "pause",
]


def test_catalogue_covers_common_answers_with_a_drawing_each():
    names = {p.name for p in pictograms.CATALOGUE}
    assert len(names) >= 30 and set(COMMON) <= names
    for name in names:
        svg = (FOLDER / f"{name}.svg").read_text()
        assert 'viewBox="0 0 48 48"' in svg, name
        assert "<text" not in svg and "<script" not in svg and "<image" not in svg, name
        # A dark outline or fill on every drawing: visible on white paper and in forced colours.
        assert re.search(r'(stroke|fill)="#1a1a1a"', svg) or 'fill="#1d4f91"' in svg, name
    assert {p.name for p in pictograms.CATALOGUE} == {p.stem for p in FOLDER.glob("*.svg")}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("maison", "house"),
        ("Logement", "house"),  # a synonym, capital letter
        ("medecin", "doctor"),  # accents left out
        ("Médecins", "doctor"),  # a plural
        ("téléphone", "phone"),
        ("voiture", "car"),
        ("à pied", "walk"),
        ("argent", "money"),
        ("je ne sais pas", "maybe"),
        ("guichet", "counter"),
        ("house", "house"),  # English words too
        ("bus", "transport"),
    ],
)
def test_search_finds_a_picture_by_french_word_synonym_or_without_accents(typed, expected):
    found = pictograms.search(typed)
    assert found and found[0].name == expected, [p.name for p in found]


def test_search_by_the_start_of_a_word_and_nothing_for_an_unknown_word():
    assert "calendar" in [p.name for p in pictograms.search("calend")]
    assert pictograms.search("xylophone") == []
    assert pictograms.search("   ") == []


@pytest.mark.usefixtures("ctx")
def test_a_choice_takes_a_french_word_and_stores_the_picture_name():
    round_, facilitator = make_round(questions=False)
    question = services.add_question(
        facilitator,
        round_,
        QuestionKind.SINGLE,
        "Comment venez-vous ?",
        "Comment venez-vous ?",
        [
            ChoiceData("En bus", "autobus"),
            ChoiceData("À pied", "Marche"),
            ChoiceData("En voiture", "car"),
        ],
    )
    db.session.expire_all()
    assert [(c.pictogram, c.pictogram_alt) for c in question.choices] == [
        (name, str(pictograms.BY_NAME[name].alt)) for name in ("transport", "walk", "car")
    ]
    with pytest.raises(DomainError) as refused:
        services.add_question(
            facilitator,
            round_,
            QuestionKind.SINGLE,
            "Autre ?",
            "Autre ?",
            [ChoiceData("Un", "licorne"), ChoiceData("Deux")],
        )
    assert refused.value.field == "choices"

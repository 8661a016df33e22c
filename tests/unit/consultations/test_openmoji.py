"""The OpenMoji pictures: about five hundred drawings people know from their phones, each with
French words to find it and a French text read in its place; searched with the hand-made ones
by a French word, accents, case and plurals ignored; given to the PDFs by name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.consultations import pictograms

ROOT = Path(__file__).resolve().parents[3]


def test_openmoji_catalogue_has_a_french_text_words_and_a_file_for_every_picture():
    entries = json.loads(pictograms.OPENMOJI_DATA.read_text("utf-8"))
    assert 300 <= len(entries) <= 600
    names = [e["name"] for e in entries]
    assert len(set(names)) == len(names)
    assert not set(names) & {p.name for p in pictograms.CATALOGUE}  # the 36 keep their names
    for entry in entries:
        assert entry["alt_fr"].strip() and entry["alt_en"].strip(), entry["name"]
        assert any(w.strip() for w in entry["words_fr"]), entry["name"]
        svg = pictograms.OPENMOJI_FOLDER / entry["file"]
        assert svg.is_file(), entry["file"]
        assert "<script" not in svg.read_text("utf-8"), entry["file"]
    shipped = {p.name for p in pictograms.OPENMOJI_FOLDER.glob("*.svg")}
    assert shipped == {e["file"] for e in entries}  # no file left over
    assert "CC BY-SA 4.0" in (pictograms.OPENMOJI_FOLDER / "LICENSE.txt").read_text("utf-8")


@pytest.mark.parametrize(
    ("typed", "alt"),
    [
        ("maison", "Maison"),
        ("MAISONS", "Maison"),  # capitals, a plural
        ("bus", "Bus"),
        ("argent", "Sac plein d’argent"),
        ("medecin", "Stéthoscope"),  # accents left out
        ("Médecins", "Stéthoscope"),
    ],
)
def test_search_finds_openmoji_pictures_by_french_word(app, typed, alt):
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        found = [str(p.alt) for p in pictograms.search(typed) if p.name.startswith("om-")]
    assert alt in found, (typed, found)


def test_search_puts_the_hand_made_picture_first_for_a_word_both_sets_know(app):
    with app.test_request_context():
        found = [p.name for p in pictograms.search("maison")]
    assert found[0] == "house" and any(n.startswith("om-") for n in found)


def test_openmoji_picture_is_named_in_the_language_of_the_page(app):
    with app.test_request_context(headers={"Cookie": "parole_lang=en"}):
        english = pictograms.pictogram_alt("om-1f3e0")
    with app.test_request_context():
        french = pictograms.pictogram_alt("om-1f3e0")
    assert (english, french) == ("House", "Maison")
    assert pictograms.pictogram_alt("om-1f3e0") == "Maison"  # no request: the French of paper


def test_pdf_gets_the_file_and_words_of_a_picture_by_name(app):
    assert pictograms.pictogram_file("om-1f68c") == pictograms.OPENMOJI_FOLDER / "1F68C.svg"
    assert pictograms.pictogram_file("house") == pictograms.FOLDER / "house.svg"
    assert pictograms.pictogram_file("nothing-of-that-name") is None
    assert pictograms.pictogram_file(None) is None
    assert pictograms.pictogram_alt("om-1f68c") == "Bus"
    assert pictograms.pictogram_alt("nothing-of-that-name") == ""
    with app.test_request_context():
        assert pictograms.url("om-1f68c").endswith("/static/img/openmoji/1F68C.svg")
        assert pictograms.url("house").endswith("/static/img/pictograms/house.svg")


def test_resolve_turns_a_french_word_into_an_openmoji_name_when_no_hand_made_picture_has_it():
    assert pictograms.resolve("maison") == "house"
    assert pictograms.resolve("stéthoscope") == "om-1fa7a"
    assert pictograms.resolve("om-1f68c") == "om-1f68c"

"""The printed questionnaire shows the pictures of the possible answers, the faces of a scale
and, after each question, a box "I do not understand this question" to tick."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from flask_babel import force_locale
from pypdf import PdfReader

from app.consultations import printing
from tests.consultation_factories import make_round

pytestmark = pytest.mark.usefixtures("ctx")
FOLDER = Path(__file__).resolve().parents[3] / "static" / "img" / "pictograms"


def _colours(name: str) -> set[str]:
    """The colours (not black, not white) of a picture, as the PDF writes them ("r g b rg")."""
    found = set()
    for hex_ in re.findall(r'fill="#([0-9a-f]{6})"', (FOLDER / f"{name}.svg").read_text()):
        if hex_ in ("1a1a1a", "ffffff"):
            continue
        rgb = [int(hex_[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        found.add(" ".join(f"{c:.6f}".rstrip("0").rstrip(".") for c in rgb) + " rg")
    return found


def _own_colour(name: str) -> str:
    """A colour of this picture that the question mark (on every page) does not have."""
    return sorted(_colours(name) - _colours("question") - _colours("face-3"))[0]


def _pages(round_) -> list[tuple[str, str]]:  # noqa: ANN001
    with force_locale("en"):
        reader = PdfReader(io.BytesIO(printing.questionnaire_pdf(round_, [None])))
    return [(p.extract_text(), p.get_contents().get_data().decode("latin-1")) for p in reader.pages]


def test_paper_questionnaire_draws_pictures_faces_and_a_box_to_say_not_understood():
    round_, _facilitator = make_round()  # single (a house on its first answer), scale, yes/no, text
    pages = _pages(round_)
    questions = pages[1:]
    assert len(questions) == 4
    for text, _drawing in questions:
        assert "I do not understand this question" in text.replace("\n", " ")
    single, scale, yes_no, long_text = (drawing for _text, drawing in questions)
    assert _own_colour("house") in single
    for value in (1, 2, 4, 5):
        assert _own_colour(f"face-{value}") in scale
    assert _colours("face-3") <= set(re.findall(r"[0-9.]+ [0-9.]+ [0-9.]+ rg", scale))
    assert _own_colour("yes") in yes_no and _own_colour("no") in yes_no
    # the question mark of "I do not understand" is on every page, the house only on its own
    for drawing in (single, scale, yes_no, long_text):
        assert _colours("question") <= set(re.findall(r"[0-9.]+ [0-9.]+ [0-9.]+ rg", drawing))
    assert _own_colour("house") not in long_text and _own_colour("face-1") not in long_text
    assert "I do not understand this question" in pages[0][0].replace("\n", " ")

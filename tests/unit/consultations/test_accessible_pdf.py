"""The large-print PDFs of a round (the easy-read version, the paper questionnaire, the results
summary) are tagged for screen readers, printed at 14 pt at least, never break a date, an
amount or a sentence, shorten long web addresses to a short link and a QR code, name the
proofreaders who agreed to it, and mark an English passage as English."""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterator

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
from flask_babel import force_locale

from app import db
from app.accounts.models import Role
from app.consultations import printing, services
from app.core.urls import external_url
from app.falc import proofreading
from app.falc.proofreading import MarkInput
from tests.consultation_factories import make_round, open_round
from tests.factories import make_person

pytestmark = pytest.mark.usefixtures("ctx")

LONG_URL = "https://www.service-public.fr/particuliers/vosdroits/F12242?lang=fr#droits"
ENGLISH = "Please tell us what you think of the new plan, and we will read it with care."


def _round():
    round_, facilitator = make_round()
    round_.small_group_threshold = 1  # the summary shows its numbers
    open_round(round_, facilitator, [make_person((round_.organisation, Role.PARTICIPANT))])
    return round_, facilitator


def _three_pdfs(round_, facilitator) -> dict[str, bytes]:  # noqa: ANN001
    return {
        "easy": printing.easy_pdf(round_),
        "questionnaire": printing.questionnaire_pdf(round_, [None]),
        "summary": printing.summary_pdf(round_, services.compute_results(facilitator, round_)),
    }


def _elements(data: bytes) -> list[dict[str, str]]:
    """Every element of the structure tree: its type, its alternative text, its language."""
    found = []
    with pikepdf.open(_file(data)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/StructElem":
                found.append(
                    {
                        "type": str(obj.S),
                        "alt": str(obj.get("/Alt", "")),
                        "lang": str(obj.get("/Lang", "")),
                    }
                )
    return found


def _file(data: bytes):  # noqa: ANN202
    import io

    return io.BytesIO(data)


def _pages(data: bytes) -> list[str]:
    """The text of each page as drawn, line by line (pdfium)."""
    document = pdfium.PdfDocument(data)
    return [page.get_textpage().get_text_range().replace("\r\n", "\n") for page in document]


def _words(text: str) -> str:
    return " ".join(text.split())


def _font_sizes(data: bytes) -> Iterator[tuple[float, str]]:
    """(size in points as printed, character) for every visible character of every page."""
    document = pdfium.PdfDocument(data)
    matrix = pdfium_raw.FS_MATRIX()
    for page in document:
        text = page.get_textpage()
        for index in range(text.count_chars()):
            char = text.get_text_range(index, 1)
            if not char.strip():
                continue
            pdfium_raw.FPDFText_GetMatrix(text.raw, index, ctypes.byref(matrix))
            scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
            yield pdfium_raw.FPDFText_GetFontSize(text.raw, index) * scale, char


def test_pdfs_are_tagged_with_their_title_language_headings_and_lists():
    round_, facilitator = _round()
    for name, data in _three_pdfs(round_, facilitator).items():
        with pikepdf.open(_file(data)) as pdf:
            assert "/StructTreeRoot" in pdf.Root, name
            assert pdf.Root.MarkInfo.Marked is True, name
            assert str(pdf.Root.Lang) == "fr", name
            assert pdf.Root.ViewerPreferences.DisplayDocTitle is True, name
            assert str(pdf.docinfo["/Title"]) == "Le logement : votre avis", name
        types = [e["type"] for e in _elements(data)]
        assert "/H1" in types and "/P" in types, name
    questionnaire = _elements(printing.questionnaire_pdf(round_, [None]))
    assert {"/H2", "/L", "/LI"} <= {e["type"] for e in questionnaire}


def _figures(data: bytes) -> list[str]:
    return [e["alt"] for e in _elements(data) if e["type"] == "/Figure"]


def test_questionnaire_pictures_and_qr_code_are_figures_with_their_words():
    round_, _facilitator = _round()  # the first answer of question 1 has the house
    data = printing.questionnaire_pdf(round_, [None])
    figures = _figures(data)
    # beside the QR code, the address to type, on the cover (the first page)
    address = external_url("consultations.show", round_id=round_.id).split("://", 1)[1]
    assert f"Ou tapez cette adresse : {address}" in _words(_pages(data)[0])
    assert "Maison" in figures
    assert "Point d'interrogation" in figures  # "I do not understand this question"
    assert "Visage très content" in figures  # the scale's faces
    assert "Code QR pour répondre sur internet" in figures
    assert all(figures)
    # The words the facilitator gave a picture are the ones read
    round_.questions[0].choices[0].pictogram_alt = "Un grand immeuble"
    figures = _figures(printing.questionnaire_pdf(round_, [None]))
    assert "Un grand immeuble" in figures and "Maison" not in figures


def test_no_text_is_smaller_than_14_points_footer_included():
    round_, facilitator = _round()
    for name, data in _three_pdfs(round_, facilitator).items():
        sizes = list(_font_sizes(data))
        assert sizes, name
        small = {char for size, char in sizes if size < 13.95}
        assert not small, f"{name}: {sorted(small)}"
        assert any("Parole - page 1" in _words(page) for page in _pages(data)), name


BROKEN = re.compile(
    r"\d\n(?:janvier|février|mars|€|euros|h\b|\d{3}\b)"  # "27 / janvier", "12 / €", "1 / 250"
    r"|(?:janvier|février|mars)\n\d{4}"  # "janvier / 2026"
    r"|\n[:;?!]"  # a colon alone at the start of a line
    r"|\b06(?:\s\d\d){0,3}\n\d\d"  # "06 12 / 34 56 78"
)


def test_dates_amounts_phone_numbers_and_colons_never_break_across_lines():
    round_, facilitator = _round()
    # The same sentence pushed one word further each time: a date, an amount, a time and a
    # colon fall in turn at the end of a line.
    round_.why_easy = "\n".join(
        "Nous " + "vous " * n + "attendons le 27 janvier 2026 à 14 h 30 : "
        "le repas coûte 1 250 € pour 12 500 personnes, soit 2,10 € ; appelez le 06 12 34 56 78 !"
        for n in range(18)
    )
    for name, data in _three_pdfs(round_, facilitator).items():
        text = "\n".join(_pages(data))
        assert not BROKEN.search(text), f"{name}: {BROKEN.search(text)}"
    text = _words("\n".join(_pages(printing.easy_pdf(round_))))
    assert "le 27 janvier 2026 à 14 h 30 : le repas coûte 1 250 €" in text


def test_a_sentence_is_never_split_across_two_pages():
    round_, _facilitator = _round()
    sentences = [
        f"Phrase {n} : nous parlons du logement, du travail et des transports en commun "
        f"pendant la réunion{' du matin' * (n % 4)}."
        for n in range(1, 41)
    ]
    round_.why_easy = " ".join(sentences)
    pages = [_words(page) for page in _pages(printing.easy_pdf(round_))]
    assert len(pages) >= 3
    for sentence in sentences:
        assert any(_words(sentence) in page for page in pages), sentence


def test_a_long_web_address_is_a_short_link_with_a_qr_code():
    round_, facilitator = _round()
    round_.why_easy = f"Pour tout savoir, allez sur {LONG_URL} avec votre téléphone."
    data = printing.easy_pdf(round_)
    text = _words("\n".join(_pages(data)))
    assert "allez sur service-public.fr avec votre téléphone." in text
    assert "vosdroits" not in text
    figures = _figures(data)
    assert "Code QR pour ouvrir service-public.fr" in figures
    with pikepdf.open(_file(data)) as pdf:
        links = [
            str(annotation.A.URI)
            for page in pdf.pages
            for annotation in page.get("/Annots", [])
            if "/A" in annotation
        ]
    assert links == [LONG_URL]


def test_an_english_passage_is_marked_english_in_a_french_document():
    round_, facilitator = _round()
    round_.why_easy = f"Votre avis compte pour nous.\n{ENGLISH}"
    data = printing.easy_pdf(round_)
    marked = [e for e in _elements(data) if e["lang"]]
    assert [e["lang"] for e in marked] == ["en"]
    with pikepdf.open(_file(data)) as pdf:
        assert str(pdf.Root.Lang) == "fr"
    # In English, the French texts are the ones marked (the interface is in English)
    with force_locale("en"):
        english = printing.easy_pdf(round_)
    with pikepdf.open(_file(english)) as pdf:
        assert str(pdf.Root.Lang) == "en"
    assert {e["lang"] for e in _elements(english) if e["lang"]} == {"fr"}


def _approve(round_, facilitator, people) -> None:  # noqa: ANN001
    """The proofreaders read every easy text of the round and understood every sentence."""
    texts = [("title_easy", round_.title_easy), ("subject_easy", round_.subject_easy)]
    texts += [(f"question_{q.id}", q.text_easy) for q in round_.questions if q.text_easy]
    for field, text in texts:
        sent = proofreading.request_proofreading(
            facilitator,
            round_.organisation,
            "consultation_round",
            round_.id,
            field,
            text,
            [p.id for p in people],
            required_understood=len(people),
            label=field,
        )
        for person in people:
            proofreading.submit_marks(
                person, sent, [MarkInput(i, True) for i in range(len(sent.sentences))]
            )
    db.session.flush()


def test_proofreaders_who_agreed_are_named_and_the_others_not():
    round_, facilitator = _round()
    org = round_.organisation
    people = {
        name: make_person((org, Role.PARTICIPANT), name=f"{name} Exemple")
        for name in ("Nadia", "Paul", "Karim")
    }
    consent = "Elle a dit oui pendant la réunion."
    proofreading.register_proofreader(facilitator, people["Nadia"], consent, show_name=True)
    proofreading.register_proofreader(facilitator, people["Paul"], consent, show_name=True)
    proofreading.register_proofreader(facilitator, people["Karim"], consent, show_name=False)
    before = _words("\n".join(_pages(printing.easy_pdf(round_))))
    assert "Relu par" not in before  # not proofread yet
    _approve(round_, facilitator, list(people.values()))
    for name, data in _three_pdfs(round_, facilitator).items():
        text = _words("\n".join(_pages(data)))
        assert "Relu par Nadia et Paul." in text, name
        assert "Karim" not in text, name
    # One text edited after the proofreading: nobody vouches for the document any more
    round_.subject_easy += " Merci."
    assert "Relu par" not in _words("\n".join(_pages(printing.easy_pdf(round_))))

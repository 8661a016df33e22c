"""What the PDF maker may read (our static files and the two font files, nothing from the
network), where a line may not break, and which passages it marks as English."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core import html_pdf

NBSP, NNBSP = "\u00a0", "\u202f"


def test_pdf_maker_reads_static_files_and_fonts_only():
    fetcher = html_pdf._fetcher()
    picture = html_pdf.STATIC / "img" / "pictograms" / "house.svg"
    assert fetcher.fetch(picture.as_uri()).read().startswith(b"<svg")
    for font in html_pdf._fonts().values():
        assert len(fetcher.fetch(font).read()) > 100_000
    assert fetcher.fetch("data:text/plain;base64,b2s=").read() == b"ok"
    refused = [
        "https://example.org/logo.png",
        "http://127.0.0.1:5000/static/css/parole.css",
        "ftp://example.org/x",
        Path("/etc/hostname").as_uri(),
        (html_pdf.STATIC / ".." / "instance" / "parole.db").as_uri(),
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf").as_uri(),
    ]
    for url in refused:
        with pytest.raises(ValueError, match="Not fetched in a PDF"):
            fetcher.fetch(url)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("au 27 janvier 2026", f"au 27{NBSP}janvier{NBSP}2026"),
        ("lundi 3 février", f"lundi{NBSP}3{NBSP}février"),
        ("le 1er mars", f"le 1er{NBSP}mars"),
        ("1 250 000 euros", f"1{NBSP}250{NBSP}000{NBSP}euros"),
        ("2,10 €", f"2,10{NBSP}€"),
        ("à 14 h 30", f"à 14{NBSP}h{NBSP}30"),
        ("Code : P-ABC", f"Code{NNBSP}: P-ABC"),
        ("Vraiment ?", f"Vraiment{NNBSP}?"),
        ("« oui »", f"«{NNBSP}oui{NNBSP}»"),
        ("au 06 12 34 56 78", f"au 06{NBSP}12{NBSP}34{NBSP}56{NBSP}78"),
        ("Trois personnes viennent.", "Trois personnes viennent."),
    ],
)
def test_no_line_break_inside_dates_amounts_times_or_before_a_colon(text, kept):
    assert html_pdf.keep(text) == kept


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Please tell us what you think of the plan.", "en"),
        ("Vous pouvez nous dire ce que vous pensez du plan.", "fr"),
        ("Le logement", "fr"),  # too short to tell: the content's language
        ("OK", "fr"),
    ],
)
def test_english_passages_are_told_from_french_ones(text, language):
    assert html_pdf.lang_of(text, "fr") == language


def test_long_web_address_becomes_its_site_with_a_qr_code():
    pieces = html_pdf.links(
        "Voir https://www.service-public.fr/particuliers/vosdroits/F12242. Ou https://caf.fr."
    )
    assert [(p.text, p.url, bool(p.qr)) for p in pieces] == [
        ("Voir ", "", False),
        ("service-public.fr", "https://www.service-public.fr/particuliers/vosdroits/F12242", True),
        (". Ou ", "", False),
        ("caf.fr", "https://caf.fr", False),
        (".", "", False),
    ]


@pytest.mark.usefixtures("ctx")
def test_making_a_pdf_leaves_pillow_strict_for_the_receipts():
    """WeasyPrint would switch Pillow to accept truncated images for the whole process: after a
    PDF is made, a truncated photo is still refused by the receipts' cleaner."""
    from PIL import ImageFile

    from app.consultations import printing
    from app.expenses import receipts
    from tests.unit.consultations.test_accessible_pdf import _round
    from tests.unit.expenses.test_receipts import CORPUS

    round_, _facilitator = _round()
    printing.easy_pdf(round_)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    case = CORPUS["truncated_png"]
    with pytest.raises(receipts.ReceiptRejected) as caught:
        receipts.clean(case.build(), case.filename, case.declared_type)
    assert caught.value.reason == "damaged"

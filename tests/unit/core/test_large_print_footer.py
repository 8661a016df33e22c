"""The documents still made with fpdf2 (kit report, earnings statement, attestations) print
their footer at 14 pt, as large as the rest: no text under 14 pt in a large-print document."""

from __future__ import annotations

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw

from app.core.pdf import LargePrint


def test_large_print_footer_is_14_points_on_every_page():
    pdf = LargePrint("Relevé", footer_text="Parole, page")
    for _ in range(2):
        pdf.add_page()
        pdf.para("Une ligne du document.", 16)
    document = pdfium.PdfDocument(pdf.bytes())
    matrix = pdfium_raw.FS_MATRIX()
    for number, page in enumerate(document, start=1):
        text = page.get_textpage()
        whole = text.get_text_range()
        start = whole.index(f"Parole, page {number}")
        for index in range(start, start + len(f"Parole, page {number}")):
            pdfium_raw.FPDFText_GetMatrix(text.raw, index, ctypes.byref(matrix))
            scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
            assert pdfium_raw.FPDFText_GetFontSize(text.raw, index) * scale >= 13.95

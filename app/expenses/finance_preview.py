"""Receipts shown inside the review page: a photo as the picture it is (re-encoded to JPEG
without metadata when it was uploaded, receipts.py), a PDF as a picture of its first page,
drawn on the server with pypdfium2 (the PDF engine of Chromium). The raw PDF never opens in
the page: only the picture, so nothing in the file can run in the reviewer's browser."""

from __future__ import annotations

import io
from pathlib import Path

from app.accounts.models import Person
from app.expenses import services

MAX_WIDTH = 1000  # pixels: readable on a screen, small enough to draw quickly
MAX_SCALE = 3.0


def preview(actor: Person, receipt_id: int) -> tuple[bytes, str]:
    """The picture to show and its type. Raises NotFound for anyone who may not see it."""
    found, path = services.receipt_for(actor, receipt_id)
    if found.mime == "application/pdf":
        return _first_page(Path(path)), "image/png"
    return Path(path).read_bytes(), "image/jpeg" if found.mime == "image/jpeg" else "image/png"


def _first_page(path: Path) -> bytes:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(path)
    try:
        page = pdf[0]
        width = page.get_width() or MAX_WIDTH
        scale = min(MAX_WIDTH / width, MAX_SCALE)
        image = page.render(scale=scale).to_pil()
        out = io.BytesIO()
        image.convert("RGB").save(out, "PNG", optimize=True)
        return out.getvalue()
    finally:
        pdf.close()

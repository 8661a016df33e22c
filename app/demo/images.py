"""The demo's pictures of receipts and invoices (drawn, no file shipped)."""

from __future__ import annotations

import io


def receipt_photo() -> bytes:
    """A train ticket, as a phone would photograph it."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (360, 480), "white")
    draw = ImageDraw.Draw(image)
    for y, text in enumerate(("SNCF TER", "Lille > Arras", "Aller simple", "23,40 EUR")):
        draw.text((30, 40 + 60 * y), text, fill="black")
    out = io.BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()

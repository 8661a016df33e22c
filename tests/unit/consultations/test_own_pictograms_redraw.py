"""Hostile SVGs sent as an organisation's own picture: entities (a file read, a billion
laughs) are refused with the plain message, a picture pointing to a file or a web address is
drawn without it, and a PNG declaring an enormous size is refused before it is decoded."""

from __future__ import annotations

import io
import struct
import time
import zlib

import pytest
from PIL import Image

from app.consultations import own_pictograms
from app.core.errors import DomainError

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><text y="50">&xxe;</text></svg>"""
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><text y="50">&d;</text></svg>"""
OUTSIDE = b"""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
 width="100" height="100"><rect width="100" height="100" fill="#ffffff"/>
<image xlink:href="file:///etc/hostname" width="100" height="100"/>
<image href="http://127.0.0.1:9/x.png" width="100" height="100"/></svg>"""


def _huge_png() -> bytes:
    """A valid small PNG whose header says 50,000 x 50,000 pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 50_000, 50_000, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("svg", [XXE, LAUGHS], ids=["file-entity", "billion-laughs"])
def test_svg_with_entities_is_refused_with_a_plain_message(app, svg):
    with app.app_context(), pytest.raises(DomainError) as refused:
        own_pictograms.redraw(svg)
    assert refused.value.field == "picture"
    assert "not a picture" in str(refused.value.message)


def test_svg_pointing_outside_is_drawn_without_what_it_points_to(app):
    with app.app_context():
        png = own_pictograms.redraw(OUTSIDE)
    with Image.open(io.BytesIO(png)) as img:
        assert img.format == "PNG" and img.convert("RGB").getpixel((128, 128)) == (255, 255, 255)


def test_png_declaring_an_enormous_size_is_refused_before_decoding(app):
    started = time.monotonic()
    with app.app_context(), pytest.raises(DomainError):
        own_pictograms.redraw(_huge_png())
    assert time.monotonic() - started < 5  # refused from the header, not decoded

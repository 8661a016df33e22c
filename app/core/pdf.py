"""Large-print PDFs (fpdf2): sans-serif 16 pt and more, left-aligned, one idea per line.

DejaVu Sans (Debian's fonts-dejavu-core) covers every French character; without it we fall
back to Helvetica and replace the few characters Latin-1 lacks."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import segno
from fpdf import FPDF

logging.getLogger("fontTools").setLevel(logging.WARNING)  # it logs every subset at INFO

FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu")]
BODY_SIZE = 16
FOOTER_SIZE = 14  # no text under 14 pt in a large-print document, the footer neither
LATIN1_FIXES = str.maketrans(
    {
        "œ": "oe",
        "Œ": "OE",
        "’": "'",
        "‘": "'",
        "“": '"',
        "”": '"',
        "…": "...",
        "–": "-",
        "—": "-",
        "\u202f": " ",
        "\u00a0": " ",
    }
)


def _font_dir() -> Path | None:
    for folder in FONT_DIRS:
        if (folder / "DejaVuSans.ttf").exists() and (folder / "DejaVuSans-Bold.ttf").exists():
            return folder
    return None


class LargePrint(FPDF):
    """A4 pages, wide margins, big sans-serif text, never justified."""

    def __init__(self, title: str, footer_text: str = "") -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_margins(20, 20, 20)
        self.set_auto_page_break(auto=True, margin=22)
        self.footer_text = footer_text
        folder = _font_dir()
        if folder is not None:
            self.add_font("Body", "", str(folder / "DejaVuSans.ttf"))
            self.add_font("Body", "B", str(folder / "DejaVuSans-Bold.ttf"))
            self.family = "Body"
            self.unicode = True
        else:
            self.family = "Helvetica"
            self.unicode = False
        self.set_title(self.clean(title))
        self.set_lang("fr")
        self.set_creator("Parole")

    def clean(self, text: str) -> str:
        text = text or ""
        return (
            text
            if self.unicode
            else text.translate(LATIN1_FIXES).encode("latin-1", "replace").decode("latin-1")
        )

    def footer(self) -> None:
        if not self.footer_text:
            return
        self.set_y(-17)
        self.set_font(self.family, "", FOOTER_SIZE)
        self.cell(0, 8, self.clean(f"{self.footer_text} {self.page_no()}"), align="L")

    def heading(self, text: str, size: int = 24) -> None:
        self.set_font(self.family, "B", size)
        self.multi_cell(0, size * 0.55, self.clean(text), align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(4)

    def para(self, text: str, size: int = BODY_SIZE, bold: bool = False) -> None:
        self.set_font(self.family, "B" if bold else "", size)
        for line in (text or "").splitlines() or [""]:
            self.multi_cell(
                0, size * 0.5, self.clean(line), align="L", new_x="LMARGIN", new_y="NEXT"
            )
        self.ln(3)

    def checkbox(self, label: str, size: int = 18, picture: Path | None = None) -> None:
        """A box to tick, then its picture when it has one (an SVG file), then its label:
        large enough for a shaky hand."""
        box = 9
        picture_size = 12
        if picture is not None and self.will_page_break(picture_size + 4):
            self.add_page()
        y = self.get_y()
        self.rect(self.l_margin, y, box, box)
        x = self.l_margin + box + 5
        if picture is not None:
            self.image(str(picture), x=x, y=y - 1.5, w=picture_size, h=picture_size)
            x += picture_size + 4
        self.set_xy(x, y)
        self.set_font(self.family, "", size)
        self.multi_cell(0, box, self.clean(label), align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(4)

    def writing_lines(self, count: int) -> None:
        for _ in range(count):
            self.ln(11)
            self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(6)

    def qr(self, url: str, size: float = 40) -> None:
        buffer = io.BytesIO()
        segno.make(url, error="m").save(buffer, kind="png", scale=8, border=2)
        buffer.seek(0)
        self.image(buffer, x=self.l_margin, w=size, h=size)
        self.ln(4)

    def bytes(self) -> bytes:
        return bytes(self.output())

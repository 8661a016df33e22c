"""Tagged large-print PDFs made from HTML and one print stylesheet (WeasyPrint, PDF/UA-1).

`render_pdf("print/easy.html", title=..., lang="fr", **context)` renders a Jinja template of
templates/print/ and gives the PDF's bytes: a structure tree (headings, paragraphs, lists,
figures with their alternative text), MarkInfo Marked, DisplayDocTitle, the document's /Lang
and each passage in another language marked with its own `lang`.

WeasyPrint reads nothing from the network and no file outside our static folder, except the
two DejaVu font files the PDFs use (Debian's fonts-dejavu-core, app/core/pdf.py's font dir);
pictures are SVG files of static/img/ or `data:` URLs made here (the QR codes).

The helpers given to the templates:
- `keep(text)`: no line break inside a date, an amount, a time or a large number, nor before
  ":", ";", "?", "!" or a closing quote (non-breaking spaces);
- `lang_of(text)`: "en" for a passage written in English, else the content's language;
- `links(text)`: the text cut at its web addresses, each long one replaced by a short link
  (its site's name) and given a QR code.
"""

from __future__ import annotations

import base64
import io
import logging
import mimetypes
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import segno
from flask import render_template

from app.core.pdf import _font_dir

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # a line per step at INFO

STATIC = Path(__file__).resolve().parents[2] / "static"
STYLESHEET = STATIC / "css" / "print.css"
NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow: before ":" ";" "?" "!" as French typography wants
SHORT_URL = 30  # a web address longer than this is printed as its site's name and a QR code

_MONTHS = (
    "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre"
    "|décembre|decembre|january|february|march|april|may|june|july|august|september|october"
    "|november|december"
)
_DAYS = "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_KEEP_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    # "27 janvier 2026", "1er mars", "lundi 3 février": one block
    (re.compile(rf"\b({_DAYS})\s+(?=\d)", re.IGNORECASE), rf"\1{NBSP}"),
    (re.compile(rf"\b(\d{{1,2}}(?:er)?)\s+(?=(?:{_MONTHS})\b)", re.IGNORECASE), rf"\1{NBSP}"),
    (re.compile(rf"\b((?:{_MONTHS}))\s+(?=\d{{4}}\b)", re.IGNORECASE), rf"\1{NBSP}"),
    # "1 250 000", "12 500 €", "2,10 €", "14 h 30"
    (re.compile(r"(?<=\d)\s+(?=\d{3}\b)"), NBSP),
    (re.compile(r"(?<=\d)\s+(?=(?:€|euros?\b|EUR\b|%|h\b|heures?\b|km\b|min\b))"), NBSP),
    (re.compile(r"(?<=\bh)\s+(?=\d)"), NBSP),
    # French punctuation never alone at the start of a line; « and » stay with their words
    (re.compile(r"\s+(?=[:;?!»])"), NNBSP),
    (re.compile(r"(?<=«)\s+"), NNBSP),
)


# "06 12 34 56 78", "+33 6 12 34 56 78": a phone number on one line
_PHONE = re.compile(r"(?:\+\d{2}\s?\d|\b0\d)(?:[\s.]\d{2}){4}\b")


def keep(text: Any) -> str:
    """The text with non-breaking spaces where a line must not break."""
    text = "" if text is None else str(text)
    text = _PHONE.sub(lambda match: match.group(0).replace(" ", NBSP), text)
    for pattern, replacement in _KEEP_RULES:
        text = pattern.sub(replacement, text)
    return text


_ENGLISH = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "is",
        "are",
        "you",
        "your",
        "we",
        "our",
        "this",
        "that",
        "with",
        "for",
        "be",
        "will",
        "can",
        "have",
        "not",
        "it",
        "in",
        "on",
        "at",
        "please",
        "what",
        "when",
        "where",
        "who",
        "how",
        "do",
        "does",
        "was",
        "were",
    ]
)
_FRENCH = frozenset(
    [
        "le",
        "la",
        "les",
        "et",
        "de",
        "des",
        "du",
        "un",
        "une",
        "est",
        "sont",
        "vous",
        "votre",
        "nous",
        "notre",
        "ce",
        "cette",
        "avec",
        "pour",
        "sera",
        "peut",
        "pas",
        "il",
        "elle",
        "en",
        "au",
        "aux",
        "à",
        "qui",
        "que",
        "quoi",
        "quand",
        "où",
        "comment",
        "fait",
    ]
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def lang_of(text: Any, default: str = "fr") -> str:
    """The language a passage is written in: "en" when its small words are English ones
    ("the", "you", "will"...), "fr" when they are French, `default` when it cannot tell."""
    words = [w.lower() for w in _WORD.findall(str(text or ""))]
    english = sum(w in _ENGLISH for w in words)
    french = sum(w in _FRENCH for w in words)
    if english >= 2 and english > french:
        return "en"
    if french >= 2 and french > english:
        return "fr"
    return default


_URL = re.compile(r"\bhttps?://[^\s<>\"']+[^\s<>\"'.,;:!?)»]", re.IGNORECASE)


@dataclass(frozen=True)
class Piece:
    """A part of a text: plain words, or a web address with what is printed for it."""

    text: str
    url: str = ""
    qr: str = ""  # a data: URL of the QR code, for a long address only

    @property
    def is_link(self) -> bool:
        return bool(self.url)


def bare_url(url: str) -> str:
    """A web address as people type it: "parole.example.org/consultations/12"."""
    return re.sub(r"^https?://(www\.)?", "", url, flags=re.IGNORECASE).rstrip("/")


def short_link(url: str) -> str:
    """What is printed for a web address: itself when short, else its site's name."""
    bare = bare_url(url)
    if len(bare) <= SHORT_URL:
        return bare
    return bare.split("/", 1)[0]


def qr_data_url(url: str) -> str:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=8, border=2, xmldecl=False)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def links(text: Any) -> list[Piece]:
    text = "" if text is None else str(text)
    pieces: list[Piece] = []
    last = 0
    for match in _URL.finditer(text):
        if match.start() > last:
            pieces.append(Piece(text[last : match.start()]))
        url = match.group(0)
        shown = short_link(url)
        long = shown != bare_url(url)
        pieces.append(Piece(shown, url=url, qr=qr_data_url(url) if long else ""))
        last = match.end()
    if last < len(text):
        pieces.append(Piece(text[last:]))
    return pieces


def file_url(path: Path) -> str:
    return path.resolve().as_uri()


@cache
def _fonts() -> dict[str, str]:
    """The font files of the PDFs (regular, bold), as file URLs; empty without DejaVu."""
    folder = _font_dir()
    if folder is None:
        return {}
    return {
        "regular": file_url(folder / "DejaVuSans.ttf"),
        "bold": file_url(folder / "DejaVuSans-Bold.ttf"),
    }


def _allowed(path: Path) -> bool:
    path = path.resolve()
    if path.is_relative_to(STATIC.resolve()):
        return True
    return path.as_uri() in _fonts().values()


def _fetcher() -> Any:
    from urllib.parse import unquote, urlsplit

    _import_weasyprint()
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnly(URLFetcher):
        """Our static files, the two font files and `data:` URLs; nothing else."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(unquote(urlsplit(url).path))
                if _allowed(path) and path.is_file():
                    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(
                        url, body=path.read_bytes(), headers={"Content-Type": kind}
                    )
            raise ValueError(f"Not fetched in a PDF: {scheme} URL")

    return StaticOnly(allowed_protocols=("file", "data"), fail_on_errors=False)


@cache
def _mark_languages() -> None:
    """Give each structure element made for an HTML element with its own `lang` a /Lang
    (WeasyPrint 70 writes only the document's): a screen reader then reads an English
    passage with an English voice. Wraps the tag-tree builder of the pinned version; the
    test of /Lang on an English passage fails if a new version changes it."""
    _import_weasyprint()
    from weasyprint.pdf import tags

    build = tags._build_box_tree

    def build_with_lang(box: Any, *args: Any) -> Any:
        element_node = getattr(box, "element", None)
        language = None
        if element_node is not None and getattr(box, "element_tag", None) != "html":
            language = element_node.get("lang")
        for element in build(box, *args):
            if language and "Lang" not in element:
                element["Lang"] = pydyf_string(language)
            yield element

    tags._build_box_tree = build_with_lang


def pydyf_string(text: str) -> Any:
    import pydyf

    return pydyf.String(text)


def _import_weasyprint() -> None:
    """WeasyPrint, imported once, without its global change to Pillow: its images module sets
    `ImageFile.LOAD_TRUNCATED_IMAGES = True` for the whole process, which would let the
    receipts' and pictures' cleaners accept truncated or corrupt images in every worker that
    once made a PDF. Our PDFs hold only our own images; Pillow stays strict."""
    import weasyprint  # noqa: F401
    import weasyprint.images  # noqa: F401
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = False  # Pillow's own default, which Parole relies on


def render_pdf(template: str, *, title: str, lang: str, **context: Any) -> bytes:
    """The PDF of `template` (templates/print/), tagged for screen readers (PDF/UA-1)."""
    _import_weasyprint()
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    _mark_languages()
    html = render_template(
        template,
        title=title,
        lang=lang,
        fonts=_fonts(),
        stylesheet=file_url(STYLESHEET),
        static=lambda name: file_url(STATIC / name),
        keep=keep,
        lang_of=lang_of,
        links=links,
        **context,
    )
    fetcher = _fetcher()
    document = HTML(string=html, base_url=file_url(STATIC) + "/", url_fetcher=fetcher)
    font_config = FontConfiguration()
    fonts = _fonts()
    faces = (
        [
            CSS(
                string="".join(
                    f'@font-face {{ font-family: "Parole Print"; font-weight: {weight}; '
                    f'src: url("{fonts[key]}"); }}'
                    for key, weight in (("regular", "normal"), ("bold", "bold"))
                ),
                font_config=font_config,
                url_fetcher=fetcher,
            )
        ]
        if fonts
        else []
    )
    return document.write_pdf(
        stylesheets=faces,
        font_config=font_config,
        pdf_variant="pdf/ua-1",
        pdf_tags=True,
        custom_metadata=False,
    )

"""The only HTML cleaner. Every piece of user-written rich text goes through here."""

from __future__ import annotations

import re
import unicodedata

import bleach
from markupsafe import Markup

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3", "blockquote"}
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})
# bleach drops the tags it does not allow but keeps their text: what a script or a style
# holds is dropped first, so that "alert(1)" or CSS never shows up as text on a page.
SCRIPT_OR_STYLE = re.compile(r"(?is)<(script|style)\b.*?(</\1\s*>|$)")


def clean_html(text: str | None) -> Markup:
    """Keep a small set of structural tags, drop everything else (scripts, styles, events)."""
    if not text:
        return Markup("")
    cleaned = bleach.clean(
        SCRIPT_OR_STYLE.sub("", text),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )
    return Markup(cleaned)  # noqa: S704 - bleach output is safe by construction


# A run of whitespace (line breaks, tabs, Unicode separators) becomes one space; a single
# non-breaking space (French typography: "10 h", "Pourquoi ?") is ordinary text and stays.
_WHITESPACE_RUN = re.compile(r"\s+")
_KEPT_SPACES = frozenset({"\u00a0", "\u202f"})
# The zero-width joiner holds emoji sequences (families, flags) together: kept.
_KEPT_FORMAT = frozenset({"\u200d"})


def _space(match: re.Match[str]) -> str:
    run = match.group()
    return run if run in _KEPT_SPACES else " "


def single_line(text: str | None) -> str:
    """One line of plain text: safe in a mail header, a title, a log line.

    Whitespace runs (CR, LF, tabs, Unicode line separators) collapse to one space, other
    control and invisible format characters (NUL, ESC, bidi overrides, zero-width space) are
    dropped, and the ends are stripped.
    """
    if not text:
        return ""
    text = _WHITESPACE_RUN.sub(_space, text)
    kept = "".join(
        char
        for char in text
        if char in _KEPT_FORMAT or unicodedata.category(char) not in ("Cc", "Cf")
    )
    return _WHITESPACE_RUN.sub(_space, kept).strip()

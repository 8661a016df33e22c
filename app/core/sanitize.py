"""The only HTML cleaner. Every piece of user-written rich text goes through here."""

from __future__ import annotations

import re

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

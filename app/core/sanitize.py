"""The only HTML cleaner. Every piece of user-written rich text goes through here."""

from __future__ import annotations

import bleach
from markupsafe import Markup

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3", "blockquote"}
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})


def clean_html(text: str | None) -> Markup:
    """Keep a small set of structural tags, drop everything else (scripts, styles, events)."""
    if not text:
        return Markup("")
    cleaned = bleach.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )
    return Markup(cleaned)  # noqa: S704 - bleach output is safe by construction

"""The language of what people wrote (round and question texts, choices, missions, fiches...).

Rounds, missions and fiches carry no language of their own yet: their words are the
organisation's, French. `content_language` is the single place to change when they do.
In a page displayed in another language (English), each user-written text is wrapped in an
element with `lang="fr"` so that a screen reader reads it with a French voice (WCAG 3.1.2);
in the French display nothing is added.

In templates:
    <h1>{{ round.title|in_content_language }}</h1>        -> <span lang="fr">...</span> in English
    <div{{ content_lang_attr() }}>{{ text|sanitize }}</div> -> lang="fr" on an existing block
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import get_locale
from markupsafe import Markup, escape

DEFAULT_CONTENT_LANGUAGE = "fr"


def content_language(obj: Any = None) -> str:
    """The language `obj`'s user-written texts are in: today always French (the language of
    every organisation using Parole)."""
    return DEFAULT_CONTENT_LANGUAGE


def _page_language() -> str:
    locale = get_locale()
    return locale.language if locale else DEFAULT_CONTENT_LANGUAGE


def content_lang_attr(obj: Any = None) -> Markup:
    """` lang="fr"` to put on an element that holds only user-written text, when the page is
    in another language; nothing otherwise."""
    language = content_language(obj)
    if language == _page_language():
        return Markup("")
    return Markup(' lang="{}"').format(language)


def in_content_language(value: Any, obj: Any = None) -> Markup | Any:
    """`value` (escaped unless already markup) inside `<span lang="fr">` when the page is in
    another language; unchanged otherwise. Empty values stay empty."""
    if value is None or value == "":
        return value
    attr = content_lang_attr(obj)
    if not attr:
        return value
    return Markup("<span{}>{}</span>").format(attr, escape(value))


def init_app(app: Flask) -> None:
    app.jinja_env.filters["in_content_language"] = in_content_language
    app.jinja_env.globals["content_lang_attr"] = content_lang_attr
    app.jinja_env.globals["content_language"] = content_language

"""Language and display preferences: for a person from their account, for a visitor
from cookies. French is the default."""

from __future__ import annotations

from flask import current_app, request
from flask_login import current_user

LANG_COOKIE = "parole_lang"
DISPLAY_COOKIE = "parole_display"
COOKIE_MAX_AGE = 365 * 24 * 3600


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if current_user and getattr(current_user, "is_authenticated", False):
        return str(current_user.language)
    value = request.cookies.get(LANG_COOKIE) if request else None
    return value if value in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def display_preferences() -> dict[str, bool]:
    if current_user and getattr(current_user, "is_authenticated", False):
        return {"easy_read": current_user.easy_read, "high_contrast": current_user.high_contrast}
    raw = request.cookies.get(DISPLAY_COOKIE, "")
    flags = set(raw.split("."))
    return {"easy_read": "easy" in flags, "high_contrast": "contrast" in flags}


def display_cookie_value(easy_read: bool, high_contrast: bool) -> str:
    parts = [name for name, on in (("easy", easy_read), ("contrast", high_contrast)) if on]
    return ".".join(parts) or "standard"

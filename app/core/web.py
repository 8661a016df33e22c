"""Web glue shared by every blueprint: error pages, template helpers, the rollback rule,
and the redirect to "choose your code" after a first login."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, OperationalError
from werkzeug.exceptions import HTTPException

from app import db
from app.core.errors import DomainError
from app.core.forms import UNKEPT_IN_TEXT
from app.core.i18n import display_preferences
from app.core.permissions import can
from app.core.sanitize import clean_html

log = logging.getLogger(__name__)

ERROR_TEXTS = {
    400: (
        _l("Something is wrong with this request"),
        _l("The page could not use what was sent. Go back, reload the page and try again."),
    ),
    403: (
        _l("You cannot see this page"),
        _l(
            "Your account does not give access to this page. If you think it should, ask your facilitator."
        ),
    ),
    404: (_l("This page does not exist"), _l("The address may be wrong, or the page was removed.")),
    405: (
        _l("Something is wrong with this request"),
        _l("The page could not use what was sent. Go back, reload the page and try again."),
    ),
    410: (_l("This link has expired"), _l("The link is too old. Make a new one.")),
    413: (_l("The file is too big"), _l("Send a smaller file, or a photo with fewer details.")),
    429: (_l("Too many tries"), _l("Wait a few minutes, then try again.")),
    503: (
        _l("Parole is very busy"),
        _l("Please try again in a moment. What you sent was not saved: send it again."),
    ),
    500: (
        _l("Something went wrong on our side"),
        _l(
            "It is not your fault. Try again in a few minutes. Nothing you wrote was lost if you saw a confirmation."
        ),
    ),
}

EXEMPT_FROM_CODE_CHOICE = {
    "accounts.choose_code",
    "accounts.logout",
    "accounts.preferences",
    "static",
}


def render_error(status: int, message: Any = None) -> tuple[str, int]:
    title, text = ERROR_TEXTS.get(status, ERROR_TEXTS[500])
    return (
        render_template("errors/error.html", status=status, title=title, text=message or text),
        status,
    )


def _unread_notifications() -> int:
    if not current_user.is_authenticated:
        return 0
    from app.core.notifications import unread_count

    return unread_count(current_user)


def init_app(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["sanitize"] = clean_html
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def _globals() -> dict[str, Any]:
        return {
            "can": lambda action, obj=None: can(current_user, action, obj),
            "unread_notifications": _unread_notifications,
            "display": display_preferences(),
            "current_locale": str(get_locale() or app.config["BABEL_DEFAULT_LOCALE"]),
        }

    @app.before_request
    def _refuse_broken_input() -> None:
        """What no page can use is refused with a 400 before any view reads it: an address
        or a query string with a control character (PostgreSQL refuses NUL in a text), a
        multipart body with a part that has no name (werkzeug files it under None)."""
        if _has_unkept(request.path) or any(
            _has_unkept(name) or _has_unkept(value)
            for name, value in request.args.items(multi=True)
        ):
            abort(400)
        if request.mimetype == "multipart/form-data" and (
            None in request.form or None in request.files
        ):
            abort(400)

    @app.before_request
    def _first_login_code() -> Any:
        if (
            getattr(current_user, "is_authenticated", False)
            and current_user.must_choose_code
            and request.endpoint not in EXEMPT_FROM_CODE_CHOICE
        ):
            return redirect(url_for("accounts.choose_code"), 303)
        return None

    @app.teardown_request
    def _rollback(exc: BaseException | None) -> None:
        # Anything not committed by the view is thrown away.
        db.session.rollback()

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError) -> Any:
        db.session.rollback()
        return render_error(
            400,
            _l(
                "This form was open for too long or was sent twice. Reload the page, then send it again."
            ),
        )

    @app.errorhandler(DomainError)
    def _domain(exc: DomainError) -> Any:
        db.session.rollback()
        return render_error(exc.status_code if exc.status_code >= 400 else 400, exc.message)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Any:
        db.session.rollback()
        if exc.code in (301, 302, 303, 307, 308):
            return exc
        response = render_error(exc.code or 500)
        return response

    @app.errorhandler(DataError)
    def _refused_by_database(exc: DataError) -> Any:
        """A value the database cannot store (PostgreSQL: a NUL in a text) that no form
        stopped: the request is refused, nothing is written."""
        db.session.rollback()
        if "NUL" not in str(exc.orig or exc):
            return _unexpected(exc)
        log.warning(
            "Text with a NUL refused by the database on %s %s", request.method, request.path
        )
        return render_error(400)

    @app.errorhandler(OperationalError)
    def _busy(exc: OperationalError) -> Any:
        """The database is busy (SQLite's write lock held too long by another process, or a
        PostgreSQL lock or connection timeout): nothing was written; say so and ask to retry."""
        db.session.rollback()
        if not _is_busy(exc):
            return _unexpected(exc)
        log.warning("Database busy on %s %s", request.method, request.path)
        # The page must not read the database again (the menu loads the logged-in person):
        # it is shown as to someone logged out, which changes nothing to their session.
        from flask import g
        from flask_login import AnonymousUserMixin

        g._login_user = AnonymousUserMixin()
        response = render_error(503)
        return response[0], 503, {"Retry-After": "5"}

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Any:
        db.session.rollback()
        log.exception("Unhandled error on %s %s", request.method, request.path)
        if app.debug and not app.testing:
            raise exc
        return render_error(500)

    @app.after_request
    def _no_store_for_people(response: Any) -> Any:
        if getattr(current_user, "is_authenticated", False):
            response.headers.setdefault("Cache-Control", "no-store")
        return response


BUSY_MESSAGES = (
    "database is locked",  # SQLite: busy_timeout passed
    "database is busy",
    "lock timeout",  # PostgreSQL: lock_timeout
    "canceling statement due to statement timeout",
    "too many clients",
)


def _has_unkept(text: str | None) -> bool:
    return UNKEPT_IN_TEXT.search(text or "") is not None


def _is_busy(exc: OperationalError) -> bool:
    text = str(exc.orig or exc)
    return any(marker in text for marker in BUSY_MESSAGES)


def safe_next(value: Any, fallback: str) -> str:
    """Where a `next` field may send the browser: a path of this site ("/..." but not "//...")
    with no scheme, no backslash and no control character (a CR/LF would break the answer's
    headers); anything else goes to `fallback`. Keeps a redirect from leading off the site."""
    if not isinstance(value, str) or not value.startswith("/") or value.startswith("//"):
        return fallback
    if "\\" in value or any(ord(char) < 32 or ord(char) == 127 for char in value):
        return fallback
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return fallback
    return value


def flash_ok(message: Any) -> None:
    flash(str(message), "success")


def current_actor() -> Any:
    """The logged-in person as a real object (not Flask-Login's proxy), for services."""
    return current_user._get_current_object()  # type: ignore[attr-defined]


def commit_or_show_error(form: Any, call: Callable[[], Any]) -> tuple[bool, Any]:
    """Run one service call for a form: commit when it succeeds (one commit per request);
    when the service refuses, roll back and put its message next to the field it names.
    Returns (succeeded, what the service returned). Objects loaded before a failure are
    expired by the rollback: views load them again to show the page."""
    try:
        result = call()
    except DomainError as exc:
        db.session.rollback()
        form.add_domain_error(exc)
        return False, None
    db.session.commit()
    return True, result

"""Web glue shared by every blueprint: error pages, template helpers, the rollback rule,
and the redirect to "choose your code" after a first login."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Literal
from urllib.parse import parse_qsl, urlsplit

from flask import (
    Flask,
    Request,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin, current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import inspect as inspect_object
from sqlalchemy.exc import DataError, DBAPIError, InterfaceError, OperationalError
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.formparser import FormDataParser
from werkzeug.routing import IntegerConverter

from app import db
from app.core import calendar, content_language, formatting, numbers
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


# The database cannot be reached (stopped, restarting, network cut): nothing can be read or
# written, and nothing already acknowledged is lost.
UNREACHABLE = (
    _l("Parole is not answering right now"),
    _l("Nothing you sent before is lost. Try again in a few minutes."),
)
# The database is there but takes no writes (read-only file or server, disk full).
NOT_SAVED = (
    _l("Parole cannot save anything right now"),
    _l(
        "What you just sent was not saved: send it again in a few minutes. "
        "What you sent before is kept."
    ),
)

# What an error page knows of the person without the database, kept in the (signed) session
# cookie by `_remember_preferences` on the pages before.
SESSION_LANGUAGE = "parole_lang"
SESSION_DISPLAY = "parole_display"


def render_error(status: int, message: Any = None, title: Any = None) -> tuple[str, int]:
    """An error page that reads nothing from the database: the database may be the reason
    of the error, and the session's objects were rolled back. The menu is the minimal one
    (base.html, `error_page`), the language and display come from the session or cookies."""
    default_title, text = ERROR_TEXTS.get(status, ERROR_TEXTS[500])
    g.parole_error_page = True
    if "_login_user" not in g:
        # Nobody reads the person for this page (the lookup may be what failed).
        g._login_user = AnonymousUserMixin()
    with force_locale(_language_without_database()):
        page = render_template(
            "errors/error.html",
            status=status,
            title=title or default_title,
            text=message or text,
            error_page=True,
            logged_in=bool(session.get("_user_id")),
        )
    return page, status


def _language_without_database() -> str:
    from app.core.i18n import LANG_COOKIE

    # The order of app.core.i18n.select_locale, the account's language being remembered in
    # the session. Like every other page, not the browser's Accept-Language: a visitor who
    # reads French pages gets a French error page.
    languages = current_app.config["LANGUAGES"]
    for value in (session.get(SESSION_LANGUAGE), request.cookies.get(LANG_COOKIE)):
        if value in languages:
            return str(value)
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


def _display_without_database() -> dict[str, bool]:
    from app.core.i18n import DISPLAY_COOKIE

    raw = session.get(SESSION_DISPLAY)
    if not isinstance(raw, str):
        raw = request.cookies.get(DISPLAY_COOKIE, "")
    flags = set(raw.split("."))
    return {"easy_read": "easy" in flags, "high_contrast": "contrast" in flags}


def _unread_notifications() -> int:
    if g.get("parole_error_page") or not current_user.is_authenticated:
        return 0
    from app.core.notifications import unread_count

    return unread_count(current_user)


def init_app(app: Flask) -> None:
    # Before any blueprint: every `<int:...>` of every route is bounded (see BoundedInt).
    app.url_map.converters["int"] = BoundedInt
    app.request_class = ParoleRequest
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["sanitize"] = clean_html
    app.jinja_env.filters["hour_note"] = hour_note
    formatting.init_app(app)  # money(), number(), date_only(), date_time() in every template
    numbers.init_app(app)  # people_of(), hours(), |clock, |day_name: words people read
    content_language.init_app(app)  # user-written French marked lang="fr" in other displays
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def _globals() -> dict[str, Any]:
        if g.get("parole_error_page"):
            # Nothing from the database (render_error): no permission, no count, no account.
            return {
                "can": lambda action, obj=None: False,
                "unread_notifications": lambda: 0,
                "display": _display_without_database(),
                "current_locale": str(get_locale() or app.config["BABEL_DEFAULT_LOCALE"]),
            }
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
        # The endpoint first: static files never load the person (no query per stylesheet,
        # and the page of a database that is down still gets its styles).
        if request.endpoint in EXEMPT_FROM_CODE_CHOICE or request.endpoint == "static":
            return None
        if (
            getattr(current_user, "is_authenticated", False)
            and current_user.must_choose_code
            and request.endpoint not in EXEMPT_FROM_CODE_CHOICE
        ):
            return redirect(url_for("accounts.choose_code"), 303)
        return None

    @app.teardown_request
    def _rollback(exc: BaseException | None) -> None:
        # Anything not committed by the view is thrown away. Never raises: with the database
        # gone the answer is already made (an error here would replace it with the server's
        # bare "Internal Server Error"), and the connection is dropped from the pool.
        _rollback_quietly()

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError) -> Any:
        _rollback_quietly()
        return render_error(
            400,
            _l(
                "This form was open for too long or was sent twice. Reload the page, then send it again."
            ),
        )

    @app.errorhandler(DomainError)
    def _domain(exc: DomainError) -> Any:
        _rollback_quietly()
        return render_error(exc.status_code if exc.status_code >= 400 else 400, exc.message)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Any:
        _rollback_quietly()
        if exc.code in (301, 302, 303, 307, 308):
            return exc
        response = render_error(exc.code or 500)
        return response

    @app.errorhandler(DataError)
    def _refused_by_database(exc: DataError) -> Any:
        """A value the database cannot store (PostgreSQL: a NUL in a text) that no form
        stopped: the request is refused, nothing is written."""
        _rollback_quietly()
        if _sqlstate(exc.orig) in OUT_OF_RANGE_CODES:
            log.warning(
                "Value out of range refused by the database on %s %s", request.method, request.path
            )
            return render_error(400)
        if "NUL" not in str(exc.orig or exc):
            return _unexpected(exc)
        log.warning(
            "Text with a NUL refused by the database on %s %s", request.method, request.path
        )
        return render_error(400)

    @app.errorhandler(DBAPIError)
    def _database_trouble(exc: DBAPIError) -> Any:
        """The database is busy (SQLite's write lock held too long by another process, or a
        PostgreSQL lock or connection timeout), takes no writes (read-only, disk full) or
        cannot be reached: nothing of this request was written; say so, 503, and ask to retry.
        Also when the logged-in person's lookup is what failed (the page reads nothing)."""
        _rollback_quietly()
        trouble = database_trouble(exc)
        if trouble is None:
            return _unexpected(exc)
        log.warning(
            "Database %s (%s) on %s %s",
            trouble,
            type(exc.orig or exc).__name__,
            request.method,
            request.path,
        )
        if trouble == "unreachable":
            title, text = UNREACHABLE
            page = render_error(503, text, title=title)
            return page[0], 503, {"Retry-After": "60"}
        if trouble == "not saved":
            title, text = NOT_SAVED
            page = render_error(503, text, title=title)
            return page[0], 503, {"Retry-After": "60"}
        page = render_error(503)
        return page[0], 503, {"Retry-After": "5"}

    @app.errorhandler(OverflowError)
    def _too_big(exc: OverflowError) -> Any:
        """A number or a date beyond what Python or the database can hold (SQLite takes no
        integer beyond 2^63, a date cannot go before the year 1) that no form or address
        stopped: what was sent cannot be used, 400; logged with its place, to be stopped
        earlier."""
        _rollback_quietly()
        log.warning("Number or date too big on %s %s", request.method, request.path, exc_info=True)
        return render_error(400)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Any:
        _rollback_quietly()
        if _is_unreachable(exc):  # the driver's own error, not wrapped by SQLAlchemy
            log.warning(
                "Database unreachable (%s) on %s %s",
                type(exc).__name__,
                request.method,
                request.path,
            )
            title, text = UNREACHABLE
            page = render_error(503, text, title=title)
            return page[0], 503, {"Retry-After": "60"}
        log.exception("Unhandled error on %s %s", request.method, request.path)
        if app.debug and not app.testing:
            raise exc
        return render_error(500)

    @app.after_request
    def _no_store_for_people(response: Any) -> Any:
        # Read from the session, not the database: it runs after error pages too.
        if session.get("_user_id"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.before_request
    def _remember_preferences() -> None:
        """Keep the logged-in person's language and display in their session, for the error
        pages that cannot read the account. Only what the login lookup loaded (no query),
        and the session is written only when it changes."""
        person = g.get("_login_user")
        if not getattr(person, "is_authenticated", False):
            return
        try:
            loaded = inspect_object(person).dict
        except Exception:  # noqa: BLE001 - not a mapped object: nothing to remember
            return
        if "language" in loaded and session.get(SESSION_LANGUAGE) != str(loaded["language"]):
            session[SESSION_LANGUAGE] = str(loaded["language"])
        if "easy_read" in loaded and "high_contrast" in loaded:
            from app.core.i18n import display_cookie_value

            display = display_cookie_value(bool(loaded["easy_read"]), bool(loaded["high_contrast"]))
            if session.get(SESSION_DISPLAY) != display:
                session[SESSION_DISPLAY] = display


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


# The database takes no writes: SQLite's file or `PRAGMA query_only`, a full disk; PostgreSQL
# read_only_sql_transaction (a standby, default_transaction_read_only) and disk_full.
NOT_SAVED_MESSAGES = ("attempt to write a readonly database", "database or disk is full")
NOT_SAVED_CODES = ("25006", "53100")
# PostgreSQL: numeric_value_out_of_range, datetime_field_overflow (a value no form stopped).
OUT_OF_RANGE_CODES = ("22003", "22008")
# SQLite cannot open or read its file.
UNREACHABLE_MESSAGES = ("unable to open database file", "disk I/O error")


def _sqlstate(error: BaseException | None) -> str | None:
    return getattr(error, "sqlstate", None) or getattr(error, "pgcode", None)


def _is_unreachable(error: BaseException | None) -> bool:
    """The driver's error says the server cannot be reached: psycopg's OperationalError or
    InterfaceError without a SQL state (no answer from a server: refused, closed, lost) or
    with a connection one (08...) or a shutdown one (57P01-57P03)."""
    if error is None:
        return False
    module = type(error).__module__ or ""
    if not module.startswith("psycopg"):
        return False
    names = {cls.__name__ for cls in type(error).__mro__}
    if not names & {"OperationalError", "InterfaceError"}:
        return False
    state = _sqlstate(error)
    return state is None or state.startswith(("08", "57P"))


def database_trouble(exc: DBAPIError) -> str | None:
    """What a database error means for the person: "unreachable", "not saved", "busy", or
    None (a fault of ours: the generic error page)."""
    text = str(exc.orig or exc)
    if exc.connection_invalidated or isinstance(exc, InterfaceError) or _is_unreachable(exc.orig):
        return "unreachable"
    if (
        any(marker in text for marker in NOT_SAVED_MESSAGES)
        or _sqlstate(exc.orig) in NOT_SAVED_CODES
    ):
        return "not saved"
    if isinstance(exc, OperationalError):
        if _is_busy(exc):
            return "busy"
        if any(marker in text for marker in UNREACHABLE_MESSAGES):
            return "unreachable"
    return None


def _rollback_quietly() -> None:
    """Throw away what was not committed, and never raise: when the database is gone the
    rollback fails too, the session is then closed (its connection leaves the pool)."""
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the error page must still be shown
        log.warning("Rollback failed; the session is closed")
        try:
            db.get_db().session.remove()
        except Exception:  # noqa: BLE001
            log.warning("Closing the session failed too")


def bounded_int(value: Any) -> int:
    """int() for what a person sent: a number no integer column holds is not a number here
    (ValueError), like "abc"."""
    number = int(value)
    if not -BoundedInt.MAX - 1 <= number <= BoundedInt.MAX:
        raise ValueError("out of range")
    return number


class Parameters(ImmutableMultiDict):
    """The query string's and the form's values: `get(name, type=int)` gives the default for
    a number beyond an integer column, as for one that is not a number (a database error
    otherwise: SQLite cannot even take it as a parameter)."""

    def get(self, key: Any, default: Any = None, type: Any = None) -> Any:  # noqa: A002
        return super().get(key, default, bounded_int if type is int else type)

    def getlist(self, key: Any, type: Any = None) -> Any:  # noqa: A002
        return super().getlist(key, bounded_int if type is int else type)


class UTF8FormParser(FormDataParser):
    """Forms are sent in UTF-8 (every page says so). What is not valid UTF-8, sent raw or
    percent-encoded (`caf%E9`, Latin-1), becomes U+FFFD, the replacement character, as in
    multipart forms; the form's text fields then say that characters were not recognised
    (app.core.forms), and the rest of the form, its CSRF token first, is read as usual.
    Werkzeug would drop the whole form for one raw byte (so the page said that the form was
    open too long) and keep `%E9` as those three characters."""

    def _parse_urlencoded(
        self, stream: Any, mimetype: str, content_length: int | None, options: dict[str, str]
    ) -> Any:
        items = parse_qsl(
            stream.read().decode("utf-8", "replace"),
            keep_blank_values=True,
            encoding="utf-8",
            errors="replace",
        )
        return stream, self.cls(items), self.cls()


class ParoleRequest(Request):
    parameter_storage_class = Parameters
    form_data_parser_class = UTF8FormParser


class BoundedInt(IntegerConverter):
    """Flask's `int` URL converter, bounded: a number beyond what an integer column holds
    (2^31 - 1 on PostgreSQL, the smaller of the two databases) names no object, so the page
    does not exist (404), instead of a database error. Also the years of the pages by year."""

    MAX = 2**31 - 1

    def __init__(
        self,
        map: Any,
        fixed_digits: int = 0,
        min: Any = None,
        max: Any = None,
        signed: bool = False,
    ) -> None:  # noqa: A002 - werkzeug's names
        super().__init__(map, fixed_digits, min, self.MAX if max is None else max, signed)

    def to_python(self, value: str) -> Any:
        if len(value.lstrip("-0")) > len(str(self.MAX)):
            # A number with thousands of digits is refused before it is read
            # (Python refuses to read more than 4,300 digits).
            from werkzeug.routing import ValidationError

            raise ValidationError()
        return super().to_python(value)


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


def hour_note(moment: Any) -> str:
    """After an hour that happens twice that day in France (2:00 to 2:59 on the last Sunday
    of October), which one it is: " (summer time)" or " (winter time)"; nothing otherwise.
    A time typed in a form is the first one, summer time (calendar.at)."""
    from flask_babel import gettext as _

    which = calendar.repeated_hour(moment) if moment is not None else None
    if which == "summer":
        return " " + _("(summer time)")
    if which == "winter":
        return " " + _("(winter time)")
    return ""


def flash_ok(message: Any) -> None:
    flash(str(message), "success")


def current_actor() -> Any:
    """The logged-in person as a real object (not Flask-Login's proxy), for services."""
    return current_user._get_current_object()  # type: ignore[attr-defined]


def form_status(*forms: Any) -> int:
    """The status of a page that shows forms: 400 when one of them has an error (the request
    as sent cannot be acted on; see "Forms and errors" in docs/architecture.md), 200
    otherwise. Forms that are None (not on this page) are left out."""
    return 400 if any(f is not None and f.errors for f in forms) else 200


def commit_or_show_error(
    form: Any | None,
    call: Callable[[], Any],
    *,
    before_commit: Callable[[Any], Any] | None = None,
    on_refusal: Literal["message", "page"] = "message",
) -> tuple[bool, Any]:
    """The one way a view does its work for a POST: run one service call, commit once.

    When the service refuses (`DomainError`), roll back and tell the person: next to the
    field the error names on `form` (or above the form), or, for a button with no form to
    show again (`form=None`), as an error message flashed on the next page. The view then
    answers the form with status 400 (the request as sent cannot be acted on; see "Forms and
    errors" in docs/architecture.md) or redirects after a flashed message.

    `on_refusal="page"` (with `form=None`) is for a button whose refusal is an error page
    with its own status (403 not allowed, 404 gone, 409 no longer possible): roll back and
    raise the `DomainError` again, for the error handler to show that page.

    `before_commit(result)` runs after the call succeeded and before the commit, in the same
    transaction (the answering views record where they will redirect with
    `idempotency.will_redirect(location)`). Returns (succeeded, what the service returned).
    Objects loaded before a failure are expired by the rollback: views load them again to
    show the page."""
    try:
        result = call()
    except DomainError as exc:
        db.session.rollback()
        if on_refusal == "page":
            raise
        if form is None:
            flash(str(exc.message), "error")
        else:
            form.add_domain_error(exc)
        return False, None
    if before_commit is not None:
        before_commit(result)
    db.session.commit()
    return True, result

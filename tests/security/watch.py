"""A pytest plugin that watches the whole test run, not one test.

1. Headers: `Watch` is a WSGI middleware put around the session `app` (tests/conftest.py).
   Every response the test clients get (pages, errors, static files, downloads, redirects)
   must carry a Content-Security-Policy without 'unsafe-inline' or 'unsafe-eval' and with
   frame-ancestors 'none', X-Content-Type-Options: nosniff and a Referrer-Policy.
2. Logs: a handler on the root logger keeps every record of the run (the app's loggers,
   werkzeug and flask at DEBUG; the others at their own level, see `start_log_capture`).
   At the end the records are searched for secrets: the test passwords, every login code
   the app makes, IBANs (checksum-valid), the session cookies and login tokens the
   middleware saw, and the values sent in POST fields named like answer, text, comment,
   secret, code, iban... The middleware reads those from the request body itself (and puts
   the body back), so no test has to declare what it sends.

Problems do not fail one test: they are printed in their own section at the end and make
the run fail (exit status 1), on each xdist worker and summed on the controller."""

from __future__ import annotations

import io
import json
import logging
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests import figures

# -- what a response must carry ------------------------------------------------------------

REQUIRED = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy")


def header_problems(headers: Iterable[tuple[str, str]]) -> list[str]:
    """What is missing or wrong in these response headers (empty list: all good)."""
    found: dict[str, str] = {}
    for name, value in headers:
        found.setdefault(name.lower(), value)
    problems = []
    csp = found.get("content-security-policy")
    if csp is None:
        problems.append("Content-Security-Policy missing")
    else:
        lowered = csp.lower()
        if "'unsafe-inline'" in lowered:
            problems.append("CSP allows 'unsafe-inline'")
        if "'unsafe-eval'" in lowered:
            problems.append("CSP allows 'unsafe-eval'")
        directives = {
            part.strip().split(" ", 1)[0]: part.strip()
            for part in lowered.split(";")
            if part.strip()
        }
        if directives.get("frame-ancestors", "").split()[1:] != ["'none'"]:
            problems.append("CSP without frame-ancestors 'none'")
    nosniff = found.get("x-content-type-options")
    if nosniff is None:
        problems.append("X-Content-Type-Options missing")
    elif nosniff.strip().lower() != "nosniff":
        problems.append(f"X-Content-Type-Options is {nosniff!r}")
    if not found.get("referrer-policy", "").strip():
        problems.append("Referrer-Policy missing")
    return problems


# -- what the run must not log ---------------------------------------------------------------

STATIC_SECRETS = ("correct horse battery", "parole-demo-2026")
# Form fields whose values are secrets or a person's own words.
SENSITIVE_FIELD = re.compile(
    r"answer|text|body|comment|description|secret|code|iban|password|confirm|note|reason|"
    r"explanation|distress|dietary|insult|why|you_said",
    re.IGNORECASE,
)
NOT_SENSITIVE_FIELD = re.compile(r"csrf|^action$|_id$|^next$", re.IGNORECASE)
MIN_SECRET_LENGTH = 6
SESSION_COOKIE = "parole_session"
IBAN_RE = re.compile(r"\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}\b")
TOKEN_RE = re.compile(r"[A-Za-z0-9._~-]{6,}")  # cookies, login tokens, codes


def iban_is_valid(candidate: str) -> bool:
    compact = candidate.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    moved = compact[4:] + compact[:4]
    digits = "".join(str(int(ch, 36)) for ch in moved)
    return int(digits) % 97 == 1


def find_ibans(text: str) -> list[str]:
    return [m.group(0) for m in IBAN_RE.finditer(text) if iban_is_valid(m.group(0))]


def redact(text: str, secret: str, width: int = 40) -> str:
    """An excerpt around the secret, with the secret itself masked."""
    at = text.find(secret)
    start, end = max(0, at - width), at + len(secret) + width
    shown = secret[:2] + "*" * max(3, len(secret) - 4) + secret[-2:]
    return (text[start:at] + shown + text[at + len(secret) : end]).replace("\n", "\\n")


@dataclass
class Record:
    logger: str
    level: str
    text: str


@dataclass
class State:
    """Everything the plugin collects in one process (one xdist worker)."""

    checked: int = 0
    violations: list[str] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    secrets: dict[str, str] = field(default_factory=dict)  # value -> where it came from
    lock: threading.Lock = field(default_factory=threading.Lock)

    def secret(self, value: Any, origin: str) -> None:
        if not isinstance(value, str):
            return
        value = value.strip()
        if len(value) >= MIN_SECRET_LENGTH and value not in self.secrets:
            with self.lock:
                self.secrets.setdefault(value, origin)


STATE = State()
for _value in STATIC_SECRETS:
    STATE.secret(_value, "test password")


class CaptureHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self._formatter = logging.Formatter()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
            if record.exc_info:
                text += "\n" + self._formatter.formatException(record.exc_info)
            if record.stack_info:
                text += "\n" + record.stack_info
        except Exception as exc:  # a broken log call is not our business here
            text = f"<unformattable record: {exc!r}>"
        STATE.records.append(Record(record.name, record.levelname, text))


# Loggers whose DEBUG records are kept. SQLAlchemy stays at its own level (WARNING, as in
# production): its INFO/DEBUG output is the SQL echo, which prints every stored value by
# design and is never on outside a developer's terminal.
DEBUG_LOGGERS = ("app", "werkzeug", "flask", "flask_login", "flask_wtf", "parole")
_handler = CaptureHandler()


def start_log_capture() -> None:
    root = logging.getLogger()
    if _handler not in root.handlers:
        root.addHandler(_handler)
    for name in DEBUG_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)


def scan_records(records: list[Record], secrets: dict[str, str]) -> list[str]:
    """Where a secret appears in the records: 'logger LEVEL (origin): excerpt'."""
    single = {value: origin for value, origin in secrets.items() if TOKEN_RE.fullmatch(value)}
    multi = {value: origin for value, origin in secrets.items() if value not in single}
    found = []
    for record in records:
        hits: dict[str, str] = {}
        for token in TOKEN_RE.findall(record.text):
            for piece in {token, token.strip("._~-")}:
                if piece in single:
                    hits[piece] = single[piece]
        for value, origin in multi.items():
            if value in record.text:
                hits[value] = origin
        for iban in find_ibans(record.text):
            hits[iban] = "an IBAN"
        for value, origin in hits.items():
            found.append(f"{record.logger} {record.level} ({origin}): {redact(record.text, value)}")
    return found


# -- the middleware --------------------------------------------------------------------------


def _form_values(environ: dict, body: bytes) -> list[tuple[str, str]]:
    from werkzeug.formparser import parse_form_data

    kind = environ.get("CONTENT_TYPE", "")
    if kind.startswith("application/json"):
        try:
            data = json.loads(body or b"null")
        except ValueError:
            return []
        return list(data.items()) if isinstance(data, dict) else []
    if not kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return []
    copy = dict(environ)
    copy["wsgi.input"] = io.BytesIO(body)
    copy["CONTENT_LENGTH"] = str(len(body))
    _stream, form, _files = parse_form_data(
        copy, stream_factory=lambda *args, **kwargs: io.BytesIO(), silent=True
    )
    return list(form.items(multi=True))


class Watch:
    """WSGI middleware: checks each response's headers and notes the secrets it sees go by
    (sensitive POST fields, session cookies and the login token inside them)."""

    def __init__(self, app: Any, wsgi_app: Callable) -> None:
        self.app = app
        self.wsgi_app = wsgi_app

    def _note_request(self, environ: dict) -> None:
        if environ.get("REQUEST_METHOD") not in ("POST", "PUT", "PATCH"):
            return
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return
        stream = environ.get("wsgi.input")
        if stream is None or length <= 0:
            return
        body = stream.read(length)
        environ["wsgi.input"] = io.BytesIO(body)
        try:
            values = _form_values(environ, body)
        except Exception:  # a malformed body is the app's problem, not ours
            return
        for name, value in values:
            if SENSITIVE_FIELD.search(name) and not NOT_SENSITIVE_FIELD.search(name):
                STATE.secret(value, f"POST field {name!r}")

    def _note_cookie(self, value: str) -> None:
        cookie = value.split(";", 1)[0]
        name, _, content = cookie.partition("=")
        if name.strip() != self.app.config.get("SESSION_COOKIE_NAME", SESSION_COOKIE):
            return
        content = content.strip().strip('"')
        if not content:
            return
        STATE.secret(content, "session cookie")
        try:
            data = self.app.session_interface.get_signing_serializer(self.app).loads(content)
        except Exception:
            return
        if isinstance(data, dict):
            STATE.secret(data.get("sid"), "login token")

    def __call__(self, environ: dict, start_response: Callable) -> Any:
        try:
            self._note_request(environ)
        except Exception as exc:  # never break the app under test
            STATE.violations.append(f"watch could not read the request: {exc!r}")

        def checking_start_response(status: str, headers: list, exc_info: Any = None) -> Any:
            problems = header_problems(headers)
            with STATE.lock:
                STATE.checked += 1
                for problem in problems:
                    STATE.violations.append(
                        f"{environ.get('REQUEST_METHOD')} {environ.get('PATH_INFO')} "
                        f"-> {status}: {problem}"
                    )
            for name, value in headers:
                if name.lower() == "set-cookie":
                    self._note_cookie(value)
            if exc_info is not None:
                return start_response(status, headers, exc_info)
            return start_response(status, headers)

        return self.wsgi_app(environ, checking_start_response)


def install(app: Any) -> Any:
    """Put the watch around an app once; returns the app."""
    if not isinstance(app.wsgi_app, Watch):
        app.wsgi_app = Watch(app, app.wsgi_app)
    return app


def _record_codes() -> None:
    """Login codes made by the app are secrets too: note each one as it is made."""
    from app.accounts import services

    original = services._new_code
    if getattr(original, "_watched", False):
        return

    def recording() -> str:
        code = original()
        STATE.secret(code, "login code")
        return code

    recording._watched = True  # type: ignore[attr-defined]
    services._new_code = recording


# -- pytest hooks --------------------------------------------------------------------------------

_REPORT_KEY = "parole_watch"


def final_problems() -> tuple[list[str], list[str]]:
    leaks = scan_records(STATE.records, STATE.secrets)
    return STATE.violations, leaks


class _Controller:
    def __init__(self) -> None:
        self.headers: list[str] = []
        self.leaks: list[str] = []

    @pytest.hookimpl
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        raw = getattr(node, "workeroutput", {}).get(_REPORT_KEY)
        if raw:
            data = json.loads(raw)
            self.headers += data["headers"]
            self.leaks += data["leaks"]


_controller: _Controller | None = None
_local: dict[str, list[str]] = {"headers": [], "leaks": []}


def pytest_configure(config: pytest.Config) -> None:
    global _controller
    start_log_capture()
    _record_codes()
    if config.pluginmanager.hasplugin("xdist") and not hasattr(config, "workerinput"):
        _controller = _Controller()
        config.pluginmanager.register(_controller, "parole-watch-controller")


@pytest.hookimpl(tryfirst=True)  # before figures.py sends the counts to the controller
def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    # Checks of this process (a worker, or the only process without xdist)...
    headers, leaks = final_problems()
    if STATE.checked:
        figures.add("headers: responses checked", STATE.checked)
    if STATE.records:
        figures.add("logs: records scanned", len(STATE.records))
    if STATE.secrets:
        figures.add("logs: secrets looked for", len(STATE.secrets))
    if hasattr(config, "workerinput"):
        # figures.py reads workeroutput in its own sessionfinish: ours runs first.
        config.workeroutput[_REPORT_KEY] = json.dumps({"headers": headers, "leaks": leaks})
    # ... and what the xdist workers sent to the controller.
    if _controller is not None:
        headers, leaks = headers + _controller.headers, leaks + _controller.leaks
    _local["headers"], _local["leaks"] = headers, leaks
    if (headers or leaks) and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any) -> None:
    headers, leaks = _local["headers"], _local["leaks"]
    if not headers and not leaks:
        return
    terminalreporter.section("Parole watch: problems found across the whole run", red=True)
    if headers:
        terminalreporter.write_line(f"{len(headers)} response(s) without the security headers:")
        for line in sorted(set(headers))[:200]:
            terminalreporter.write_line(f"  {line}")
    if leaks:
        terminalreporter.write_line(f"{len(leaks)} secret(s) found in the logs:")
        for line in sorted(set(leaks))[:200]:
            terminalreporter.write_line(f"  {line}")


# -- apps built for one test ---------------------------------------------------------------------


def build_app(config: Any, database_url: str = "sqlite://", **overrides: Any) -> Any:
    """A fresh app (for test-only routes or another config), watched like the session app.
    Its own empty in-memory database by default: the worker's database is held by the
    test's outer transaction (SQLite takes the write lock at BEGIN). Call `close_app`."""
    from app import create_app

    return install(create_app(config, DATABASE_URL=database_url, **overrides))


def close_app(app: Any) -> None:
    app.extensions["parole.db"].engine.dispose()

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
3. Tables: on a phone the thead of a `.table` is moved off-screen and each row becomes a
   stack of cells (static/css/parole.css), so every data cell starts with the header of its
   column (macro `cell_label`, templates/macros/ui.html, shown only on narrow screens). Each
   HTML page (status 200) with a `<table class="table">` that has a thead is parsed: every
   `<td>` after the thead must hold a `span.cell-label` whose text is the text of the header
   cell of its column (colspan counted). A cell of buttons or links that say what they do
   may opt out with `class="cell-action"`; a column with an empty header needs no label.

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
from html.parser import HTMLParser
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


# -- what a table must show on a phone -------------------------------------------------------


def _text(parts: list[str]) -> str:
    return " ".join("".join(parts).split())


@dataclass
class _Cell:
    tag: str
    column: int
    span: int
    exempt: bool
    text: list[str] = field(default_factory=list)
    label: list[str] | None = None  # text of the first span.cell-label, None: no label
    label_depth: int = 0  # > 0 while inside that span


@dataclass
class _Table:
    watched: bool
    caption: list[str] = field(default_factory=list)
    in_caption: bool = False
    in_thead: bool = False
    has_thead: bool = False
    headers: list[str] = field(default_factory=list)  # one per column (colspan expanded)
    row: int = 0
    column: int = 0
    cell: _Cell | None = None
    labelled: int = 0
    missing: list[str] = field(default_factory=list)


class TableLabels(HTMLParser):
    """Finds the data cells of `.table` tables that do not repeat their column header."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[_Table] = []
        self.labelled = 0
        self.problems: list[str] = []  # one line per table with unlabelled cells

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "table":
            self.open.append(_Table(watched="table" in classes))
            return
        if not self.open:
            return
        table = self.open[-1]
        if tag == "caption":
            table.in_caption = True
        elif tag == "thead":
            table.in_thead = table.has_thead = True
        elif tag in ("tbody", "tfoot"):
            table.in_thead = False
        elif tag == "tr":
            self._end_cell(table)
            table.column = 0
            table.row += 0 if table.in_thead else 1
        elif tag in ("th", "td"):
            self._end_cell(table)
            try:
                span = max(1, int(dict(attrs).get("colspan") or 1))
            except ValueError:
                span = 1
            table.cell = _Cell(tag, table.column, span, exempt="cell-action" in classes)
        elif tag == "span" and table.cell is not None:
            cell = table.cell
            if cell.label_depth:
                cell.label_depth += 1
            elif cell.label is None and "cell-label" in classes:
                cell.label, cell.label_depth = [], 1

    def handle_endtag(self, tag: str) -> None:
        if not self.open:
            return
        table = self.open[-1]
        if tag == "table":
            self._end_cell(table)
            self._end_table(self.open.pop())
        elif tag == "caption":
            table.in_caption = False
        elif tag == "thead":
            self._end_cell(table)
            table.in_thead = False
        elif tag in ("th", "td", "tr"):
            self._end_cell(table)
        elif tag == "span" and table.cell is not None and table.cell.label_depth:
            table.cell.label_depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.open:
            return
        table = self.open[-1]
        if table.in_caption:
            table.caption.append(data)
        cell = table.cell
        if cell is not None:
            cell.text.append(data)
            if cell.label_depth and cell.label is not None:
                cell.label.append(data)

    def _end_cell(self, table: _Table) -> None:
        cell, table.cell = table.cell, None
        if cell is None:
            return
        table.column += cell.span
        if not table.watched:
            return
        if table.in_thead:
            if cell.tag == "th":
                end = cell.column + cell.span
                table.headers += [""] * (end - len(table.headers))
                table.headers[cell.column : end] = [_text(cell.text)] * cell.span
            return
        if cell.tag != "td" or not table.has_thead or cell.exempt:
            return
        header = table.headers[cell.column] if cell.column < len(table.headers) else ""
        if not header:
            return
        if cell.label is not None and _text(cell.label) == header:
            table.labelled += 1
            return
        found = "no span.cell-label" if cell.label is None else f"label {_text(cell.label)!r}"
        table.missing.append(f"row {table.row}, column {cell.column + 1} {header!r}: {found}")

    def _end_table(self, table: _Table) -> None:
        self.labelled += table.labelled
        if table.missing:
            name = _text(table.caption) or (table.headers[0] if table.headers else "?")
            self.problems.append(
                f"table {name!r}: {len(table.missing)} data cell(s) without the label of "
                f"their column, first {table.missing[0]}"
            )


def table_label_problems(html: str) -> tuple[int, list[str]]:
    """(data cells labelled, one problem line per table with unlabelled cells)."""
    parser = TableLabels()
    parser.feed(html)
    parser.close()
    while parser.open:  # a table never closed
        parser._end_table(parser.open.pop())
    return parser.labelled, parser.problems


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
    labelled: int = 0  # table data cells that repeat their column header
    tables: list[str] = field(default_factory=list)  # tables with cells that do not
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
            if not isinstance(name, str):
                continue  # a multipart part without a name (the app answers 400)
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

        seen: dict[str, str] = {}

        def checking_start_response(status: str, headers: list, exc_info: Any = None) -> Any:
            seen["status"] = status
            seen["content-type"] = next(
                (value for name, value in headers if name.lower() == "content-type"), ""
            )
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

        body = self.wsgi_app(environ, checking_start_response)
        kind = seen.get("content-type", "")
        if not (seen.get("status", "").startswith("200 ") and kind.startswith("text/html")):
            return body
        # An HTML page: read it whole (the app does not stream HTML), check it, give it back.
        try:
            data = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        if b"<table" in data:
            self._check_tables(environ, kind, data)
        return [data]

    def _check_tables(self, environ: dict, kind: str, data: bytes) -> None:
        charset = kind.partition("charset=")[2].split(";")[0].strip() or "utf-8"
        where = f"{environ.get('REQUEST_METHOD')} {environ.get('PATH_INFO')}"
        try:
            labelled, problems = table_label_problems(data.decode(charset, "replace"))
        except Exception as exc:  # never break the app under test
            labelled, problems = 0, [f"the tables could not be read: {exc!r}"]
        with STATE.lock:
            STATE.labelled += labelled
            STATE.tables += [f"{where}: {problem}" for problem in problems]


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


KINDS = ("headers", "tables", "leaks")


def final_problems() -> dict[str, list[str]]:
    leaks = scan_records(STATE.records, STATE.secrets)
    return {"headers": STATE.violations, "tables": STATE.tables, "leaks": leaks}


class _Controller:
    def __init__(self) -> None:
        self.problems: dict[str, list[str]] = {kind: [] for kind in KINDS}

    @pytest.hookimpl
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        raw = getattr(node, "workeroutput", {}).get(_REPORT_KEY)
        if raw:
            data = json.loads(raw)
            for kind in KINDS:
                self.problems[kind] += data.get(kind, [])


_controller: _Controller | None = None
_local: dict[str, list[str]] = {kind: [] for kind in KINDS}


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
    problems = final_problems()
    if STATE.checked:
        figures.add("headers: responses checked", STATE.checked)
    if STATE.labelled:
        figures.add("tables: data cells labelled for phones", STATE.labelled)
    if STATE.records:
        figures.add("logs: records scanned", len(STATE.records))
    if STATE.secrets:
        figures.add("logs: secrets looked for", len(STATE.secrets))
    if hasattr(config, "workerinput"):
        # figures.py reads workeroutput in its own sessionfinish: ours runs first.
        config.workeroutput[_REPORT_KEY] = json.dumps(problems)
    # ... and what the xdist workers sent to the controller.
    for kind in KINDS:
        _local[kind] = problems[kind] + (_controller.problems[kind] if _controller else [])
    if any(_local.values()) and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any) -> None:
    headers, tables, leaks = _local["headers"], _local["tables"], _local["leaks"]
    if not headers and not tables and not leaks:
        return
    terminalreporter.section("Parole watch: problems found across the whole run", red=True)
    if headers:
        terminalreporter.write_line(f"{len(headers)} response(s) without the security headers:")
        for line in sorted(set(headers))[:200]:
            terminalreporter.write_line(f"  {line}")
    if tables:
        terminalreporter.write_line(
            f"{len(set(tables))} table(s) with data cells not labelled for phones "
            "(macro cell_label, templates/macros/ui.html):"
        )
        for line in sorted(set(tables))[:200]:
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

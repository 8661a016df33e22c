"""The kill -9 drill: Parole on gunicorn (3 sync workers) while a killer sends SIGKILL to
random workers at random moments (gunicorn's master starts new ones).

Participants, each with their own session in one thread pool of http.client browsers, answer
the 4 questions of an open round and send their answers; every answer form carries its
idempotency key, and a browser that loses its connection (or gets the busy page) sends the
SAME form again, key included. Each participant also sends their second answer twice at
the same moment (a double click). A few participants also file an expense with a receipt.

Afterwards, with gunicorn stopped: every acknowledged submission (a 303 received) is in the
database, with its key; nothing is there twice (one answer per person and question, one sent
response per person, one "sent" audit entry per response); the database is sound
(`PRAGMA integrity_check` and `foreign_key_check` on SQLite, orphan queries on PostgreSQL);
no receipt row points to a missing file.

The smoke variant (60 submissions, 2 kills) runs in `make test`; the full drill (1,000
submissions, 20 kills) is marked slow (`make test-slow`). Both run on PostgreSQL when
PAROLE_TEST_DATABASE_URL is set. The schema is made from the models, as in the other
multi-process tests: tests/unit/core/test_migrations.py proves that `flask db upgrade`
makes the same one.
"""

from __future__ import annotations

import http.client
import io
import os
import random
import re
import signal
import socket
import subprocess
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from sqlalchemy import text

from app import create_app, db
from app.accounts.models import Role
from app.db import Base, get_db, make_engine
from app.expenses.receipts import path_for
from config import TestConfig
from tests import figures
from tests.bench.load import read_form, receipt_jpeg, replace, store_cookies
from tests.conftest import fresh_database, is_postgres, worker_name
from tests.consultation_factories import make_round, open_round
from tests.factories import PASSWORD, make_org, make_person

ROOT = Path(__file__).resolve().parents[3]
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
WORKERS = 3
QUESTIONS = 4  # make_round's: single choice, scale, yes/no, long text
ATTEMPTS = 40


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    submissions: int = 0
    acks: list[tuple[str, str, int, str]] = field(default_factory=list)  # email, kind, n, key
    requests: int = 0
    double_clicks: int = 0
    retries: int = 0
    kills: int = 0
    receipts: int = 0
    failures: list[str] = field(default_factory=list)

    def add(self, **counts: int) -> None:
        with self.lock:
            for name, n in counts.items():
                setattr(self, name, getattr(self, name) + n)


# ----------------------------------------------------------------------------- preparation


def _prepare(url: str, people: int) -> int:
    """An open round of 4 questions, `people` invited participants; the round's id."""
    app = create_app(TestConfig, DATABASE_URL=url)
    with app.app_context():  # the factories hash PASSWORD once per process, not once per person
        Base.metadata.create_all(get_db().engine)
        org = make_org("Drill")
        facilitator = make_person((org, Role.FACILITATOR), email="drill-fac@drill.test")
        invited = [
            make_person((org, Role.PARTICIPANT), email=f"p{n:04d}@drill.test")
            for n in range(people)
        ]
        round_, _ = make_round(org, facilitator)
        open_round(round_, facilitator, invited)
        db.session.commit()
        round_id = round_.id
        get_db().session.remove()
    app.extensions["parole.db"].engine.dispose()
    return round_id


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_gunicorn(url: str, work: Path) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        PAROLE_ENV="development",
        PAROLE_INSTANCE_DIR=str(work),
        UPLOAD_ROOT=str(work / "uploads"),
    )
    env.pop("FLASK_DEBUG", None)
    proc = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [
            str(GUNICORN),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--timeout",
            "60",
            # The app is loaded once in the master: a worker started after a kill is ready at
            # once (the engine is made in each worker after the fork, see app/db.py).
            "--preload",
            "--no-control-socket",
            "app:create_app()",
        ],
        cwd=ROOT,
        env=env,
        stdout=(work / "gunicorn.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn stopped: {(work / 'gunicorn.log').read_text()[-2000:]}")
        if len(_workers(proc.pid)) == WORKERS:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return proc, port
            except OSError:
                pass
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("gunicorn did not start")


def _workers(master: int) -> list[int]:
    """The master's children (the workers), from /proc."""
    path = Path(f"/proc/{master}/task/{master}/children")
    try:
        return [int(pid) for pid in path.read_text().split()]
    except OSError:
        return []


def _stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGINT)  # quick shutdown: every browser is done by now
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


# ----------------------------------------------------------------------------- browsers


class Browser:
    """One person's browser: a cookie jar, and requests sent again, unchanged, when the
    connection breaks or the busy page (503) comes back."""

    def __init__(self, port: int, stats: Stats) -> None:
        self.port, self.stats = port, stats
        self.cookies: dict[str, str] = {}

    def _once(self, method: str, path: str, body: bytes | None, ctype: str | None):  # noqa: ANN202
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if ctype:
            headers["Content-Type"] = ctype
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
        finally:
            conn.close()
        store_cookies(self.cookies, resp)
        location = urlsplit(resp.getheader("Location") or "").path
        return resp.status, location, data.decode("utf-8", "replace")

    def send(
        self, method: str, path: str, body: bytes | None = None, ctype: str | None = None
    ) -> tuple[int, str, str]:
        for attempt in range(ATTEMPTS):
            if attempt:
                self.stats.add(retries=1)
                time.sleep(0.05 + random.random() * 0.2 * min(attempt, 5))  # noqa: S311
            self.stats.add(requests=1)
            try:
                status, location, page = self._once(method, path, body, ctype)
            except (OSError, http.client.HTTPException):
                continue  # the worker died under us: send the same request again
            if status == 503:
                continue  # busy: "try again in a moment"
            return status, location, page
        raise AssertionError(f"{method} {path}: no answer after {ATTEMPTS} attempts")

    def get(self, path: str) -> str:
        status, _, page = self.send("GET", path)
        assert status == 200, f"GET {path}: HTTP {status}"
        return page

    def post(self, path: str, fields: list[tuple[str, str]], files: dict | None = None) -> str:
        """POST a form and expect the 303; the redirect's path."""
        if files:
            boundary = uuid.uuid4().hex
            out = io.BytesIO()
            for name, value in fields:
                out.write(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                    f"{value}\r\n".encode()
                )
            for name, (filename, content, mime) in files.items():
                out.write(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                    f'filename="{filename}"\r\nContent-Type: {mime}\r\n\r\n'.encode()
                )
                out.write(content + b"\r\n")
            out.write(f"--{boundary}--\r\n".encode())
            body, ctype = out.getvalue(), f"multipart/form-data; boundary={boundary}"
        else:
            body, ctype = urlencode(fields).encode(), "application/x-www-form-urlencoded"
        status, location, page = self.send("POST", path, body, ctype)
        assert status == 303, f"POST {path}: HTTP {status}: {page[:300]}"
        return location


def _key(fields: list[tuple[str, str]]) -> str:
    key = dict(fields).get("idempotency_key")
    assert key, "the answer form carries no idempotency key"
    return key


def _participant(port: int, stats: Stats, email: str, round_id: int, receipt: bytes | None) -> None:
    browser = Browser(port, stats)
    page = browser.get("/login")
    action, fields, _ = read_form(page, "login")
    browser.post(action or "/login", replace(fields, identifier=email, secret=PASSWORD))
    page = browser.get(f"/consultations/{round_id}")
    action, fields, _ = read_form(page, "/start")
    location = browser.post(action, fields)
    base = re.search(r"/consultations/responses/(\d+)/", location)
    assert base, f"POST start led to {location}"
    for position in range(1, QUESTIONS + 1):
        page = browser.get(f"{base.group(0)}questions/{position}")
        action, fields, _ = read_form(page, "/questions/")
        stats.add(submissions=1)
        if position == 2:
            _double_click(browser, stats, action, fields)
        else:
            browser.post(action, fields)
        with stats.lock:
            stats.acks.append((email, "answer", position, _key(fields)))
    page = browser.get(f"{base.group(0)}review")
    action, fields, _ = read_form(page, "/submit")
    stats.add(submissions=1)
    location = browser.post(action, fields)
    assert location.endswith("/done"), location
    with stats.lock:
        stats.acks.append((email, "send", 0, _key(fields)))
    if receipt is not None:
        _expense_with_receipt(browser, receipt)
        stats.add(receipts=1)


def _double_click(browser: Browser, stats: Stats, action: str, fields: list) -> None:
    """The same form sent twice at the same moment: one copy saves, the other gets the same
    redirect from the stored key (on PostgreSQL, after a unique violation), never an error."""
    with ThreadPoolExecutor(max_workers=2) as pair:
        locations = list(pair.map(lambda _: browser.post(action, fields), range(2)))
    assert locations[0] == locations[1], locations
    stats.add(double_clicks=1)


def _expense_with_receipt(browser: Browser, receipt: bytes) -> None:
    """As tests/bench/load.py does: a request, a cost line, a receipt (no keys here)."""
    action, fields, _ = read_form(browser.get("/expenses/new"), "/expenses/new")
    fields = replace(
        fields,
        kind="reimbursement",
        activity_type="consultation",
        activity_label="Réunion (exercice)",
        activity_on="",
        consent_note="",
    )
    show = browser.post(action, fields)
    action, fields, _ = read_form(browser.get(show), "/lines")
    fields = replace(fields, category="train", amount="12,50", kilometres="", hours="")
    browser.post(action, [(k, v) for k, v in fields if k != "flat_rate"])
    action, fields, files = read_form(browser.get(show), "/receipts")
    browser.post(action, fields, {files[0]: ("ticket.jpg", receipt, "image/jpeg")})


def _killer(master: int, stats: Stats, kills: int, total: int, done: threading.Event) -> None:
    """Kill a random worker at random moments spread over the run: after each share of the
    submissions has started, wait a random instant, then SIGKILL."""
    rng = random.Random()  # noqa: S311 - not for security
    for number in range(1, kills + 1):
        threshold = total * number / (kills + 1)
        while stats.submissions < threshold and not done.is_set():
            time.sleep(0.01)
        if done.is_set():
            return
        time.sleep(rng.uniform(0, 0.3))
        pids = _workers(master)
        if not pids:
            continue
        try:
            os.kill(rng.choice(pids), signal.SIGKILL)
        except ProcessLookupError:
            continue
        stats.add(kills=1)


# ----------------------------------------------------------------------------- checks


def _check(url: str, stats: Stats, uploads: Path) -> None:
    engine = make_engine(url)
    try:
        with engine.connect() as c:
            answered = {
                (email, position)
                for email, position in c.execute(
                    text(
                        "SELECT p.email, q.position FROM consultation_answers a"
                        " JOIN consultation_responses r ON r.id = a.response_id"
                        " JOIN consultation_invitations i ON i.id = r.invitation_id"
                        " JOIN people p ON p.id = i.person_id"
                        " JOIN consultation_questions q ON q.id = a.question_id"
                    )
                )
            }
            sent = set(
                c.execute(
                    text(
                        "SELECT p.email FROM consultation_responses r"
                        " JOIN consultation_invitations i ON i.id = r.invitation_id"
                        " JOIN people p ON p.id = i.person_id WHERE r.submitted_at IS NOT NULL"
                    )
                ).scalars()
            )
            keys = set(c.execute(text("SELECT key FROM idempotency_keys")).scalars())
            twice = {
                "answers": c.execute(
                    text(
                        "SELECT response_id, question_id FROM consultation_answers"
                        " GROUP BY response_id, question_id HAVING COUNT(*) > 1"
                    )
                ).all(),
                "responses": c.execute(
                    text(
                        "SELECT i.person_id FROM consultation_responses r"
                        " JOIN consultation_invitations i ON i.id = r.invitation_id"
                        " WHERE r.submitted_at IS NOT NULL"
                        " GROUP BY i.person_id HAVING COUNT(*) > 1"
                    )
                ).all(),
                "sent audit entries": c.execute(
                    text(
                        "SELECT object_id FROM audit_entries"
                        " WHERE action = 'consultation.response_sent'"
                        " GROUP BY object_id HAVING COUNT(*) > 1"
                    )
                ).all(),
                "keys": c.execute(
                    text("SELECT key FROM idempotency_keys GROUP BY key HAVING COUNT(*) > 1")
                ).all(),
            }
            if url.startswith("sqlite"):
                soundness = {
                    "integrity_check": c.execute(text("PRAGMA integrity_check")).scalars().all(),
                    "foreign_key_check": c.execute(text("PRAGMA foreign_key_check")).all(),
                }
                expected_soundness = {"integrity_check": ["ok"], "foreign_key_check": []}
            else:
                orphans = {
                    "answers without response": (
                        "consultation_answers x LEFT JOIN consultation_responses y"
                        " ON y.id = x.response_id"
                    ),
                    "choices without answer": (
                        "consultation_answer_choices x LEFT JOIN consultation_answers y"
                        " ON y.id = x.answer_id"
                    ),
                    "keys without person": (
                        "idempotency_keys x LEFT JOIN people y ON y.id = x.person_id"
                    ),
                    "receipts without line": (
                        "expense_receipts x LEFT JOIN expense_lines y ON y.id = x.line_id"
                    ),
                }
                soundness = {
                    name: c.execute(
                        text(f"SELECT COUNT(*) FROM {join} WHERE y.id IS NULL")
                    ).scalar()  # noqa: S608
                    for name, join in orphans.items()
                }
                soundness["invalid constraints"] = c.execute(
                    text("SELECT COUNT(*) FROM pg_constraint WHERE NOT convalidated")
                ).scalar()
                expected_soundness = dict.fromkeys(soundness, 0)
            receipt_keys = (
                c.execute(text("SELECT storage_key FROM expense_receipts")).scalars().all()
            )
    finally:
        engine.dispose()

    acked_answers = {(email, n) for email, kind, n, _ in stats.acks if kind == "answer"}
    acked_sends = {email for email, kind, _, _ in stats.acks if kind == "send"}
    assert acked_answers - answered == set(), "acknowledged answers missing"
    assert acked_sends - sent == set(), "acknowledged sendings missing"
    assert {key for *_, key in stats.acks} - keys == set(), "acknowledged keys missing"
    assert twice == dict.fromkeys(twice, []), f"saved twice: {twice}"
    assert soundness == expected_soundness
    missing = [key for key in receipt_keys if not path_for(uploads / "receipts", key).is_file()]
    assert missing == [], f"receipt rows without their file: {missing}"
    assert len(receipt_keys) >= stats.receipts


# ----------------------------------------------------------------------------- the drill


def _drill(request, tmp_path, label: str, people: int, kills: int, with_receipts: int) -> None:
    started = time.monotonic()
    url = fresh_database(f"parole_crash_{label}_{worker_name(request)}", tmp_path)
    round_id = _prepare(url, people)
    prepared = time.monotonic()
    server, port = _start_gunicorn(url, tmp_path)
    serving = time.monotonic()
    stats, done = Stats(), threading.Event()
    total = people * (QUESTIONS + 1)
    receipt = receipt_jpeg()
    killer = threading.Thread(target=_killer, args=(server.pid, stats, kills, total, done))
    try:
        killer.start()
        with ThreadPoolExecutor(max_workers=min(people, 24)) as pool:
            futures = [
                pool.submit(
                    _participant,
                    port,
                    stats,
                    f"p{n:04d}@drill.test",
                    round_id,
                    receipt if n < with_receipts else None,
                )
                for n in range(people)
            ]
            for future in futures:
                try:
                    future.result()
                except AssertionError as exc:
                    stats.failures.append(str(exc))
    finally:
        done.set()
        killer.join()
        _stop(server)
    elapsed = time.monotonic() - started
    database = "PostgreSQL" if is_postgres() else "SQLite"
    print(
        f"\ncrash drill ({label}, {database}): {stats.submissions} submissions,"
        f" {len(stats.acks)} acknowledged, {stats.kills} kills, {stats.retries} retries,"
        f" {stats.requests} requests, {stats.double_clicks} double clicks,"
        f" {stats.receipts} receipts, {elapsed:.1f} s (preparing {prepared - started:.1f} s,"
        f" starting gunicorn {serving - prepared:.1f} s)"
    )
    figures.add("crash drill: submissions", stats.submissions)
    figures.add("crash drill: acknowledged", len(stats.acks))
    figures.add("crash drill: worker kills", stats.kills)
    figures.add("crash drill: retries", stats.retries)
    figures.add("crash drill: double clicks", stats.double_clicks)
    _check(url, stats, tmp_path / "uploads")
    assert stats.failures == [], stats.failures[:5]
    assert stats.kills == kills
    assert len(stats.acks) == stats.submissions == total


def test_smoke_drill_60_submissions_2_kills(request, tmp_path):
    _drill(request, tmp_path, "smoke", people=12, kills=2, with_receipts=2)


@pytest.mark.slow
def test_full_drill_1000_submissions(request, tmp_path):
    _drill(request, tmp_path, "full", people=200, kills=20, with_receipts=10)

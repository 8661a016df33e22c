"""The hostile receipts of tests/unit/expenses/test_receipts.py, sent through the real page
(POST /expenses/lines/<id>/receipts, as the owner of a draft request), one after another.

For each file: refused with the clear message the cleaner gives (and nothing stored), or
stored neutralised; nothing is written outside the upload root (every file this process
opens for writing is recorded by an audit hook, and the test's folders are listed before
and after); and the download of what was stored is never something a browser would run:
only image/jpeg, image/png or application/pdf, as an attachment, with nosniff."""

from __future__ import annotations

import io
import os
import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale
from markupsafe import escape
from sqlalchemy import select

from app import db
from app.accounts.models import Person, Role
from app.db import utcnow
from app.expenses import receipts, services
from app.expenses.models import (
    ActivityType,
    Category,
    ExpenseLine,
    Receipt,
    RequestKind,
)
from app.expenses.receipts import KEY_RE, ReceiptRejected
from tests import figures
from tests.conftest import csrf_from, login
from tests.factories import PASSWORD, make_org, make_person
from tests.unit.expenses.test_receipts import CORPUS

SAFE_TYPES = {"image/jpeg", "image/png", "application/pdf"}
MAGIC = {"image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG", "application/pdf": b"%PDF-"}
ACTIVE = (b"<script", b"<html", b"<?php", b"<svg", b"<x:xmpmeta")


# Every file this process opens to write, while `_writes` is a list. --------------------------

_writes: list[str] | None = None
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def _audit(event: str, args: tuple) -> None:
    if _writes is None:
        return
    path: Any = None
    if event == "open":
        target, mode, flags = args
        if (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & _WRITE_FLAGS
        ):
            path = target
    elif event in ("os.rename", "os.link", "os.symlink"):
        path = args[1]
    elif event in ("os.mkdir", "tempfile.mkstemp", "tempfile.mkdtemp", "shutil.copyfile"):
        path = args[-1] if event == "shutil.copyfile" else args[0]
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if isinstance(path, str | os.PathLike):
        _writes.append(os.path.abspath(os.fspath(path)))


_hooked = False


def _start_recording() -> list[str]:
    global _writes, _hooked
    if not _hooked:
        sys.addaudithook(_audit)  # cannot be removed: it does nothing while _writes is None
        _hooked = True
    _writes = []
    return _writes


def _stop_recording() -> None:
    global _writes
    _writes = None


def tree(folder: Path) -> set[Path]:
    return set(folder.rglob("*")) if folder.exists() else set()


# The draft request ---------------------------------------------------------------------------


@pytest.fixture
def draft(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    monkeypatch.setitem(app.config, "UPLOAD_ROOT", str(tmp_path / "uploads"))
    # The whole corpus goes onto one cost: lift the per-cost cap here (tested on its own below).
    monkeypatch.setitem(app.config, "RECEIPT_MAX_PER_LINE", 1000)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # any temporary file lands here
    with app.app_context():
        org = make_org()
        owner = make_person((org, Role.PARTICIPANT), email="owner.uploads@example.test")
        request = services.create_request(
            owner, owner, org, RequestKind.REIMBURSEMENT, ActivityType.CONSULTATION, "Réunion"
        )
        line = services.add_line(owner, request, services.LineInput(Category.TRAIN, amount="12,50"))
        db.session.commit()
        return {
            "request": request.id,
            "line": line.id,
            "root": tmp_path / "uploads" / "receipts",
            "scratch": scratch,
            "tmp_path": tmp_path,
        }


def expected_message(app: Flask, data: bytes, max_bytes: int) -> str:
    """What the cleaner says about this file, in French as the page is."""
    try:
        receipts.clean(data, max_bytes=max_bytes)
    except ReceiptRejected as exc:
        with app.test_request_context("/"), force_locale("fr"):
            return str(escape(str(exc.message)))
    raise AssertionError("the cleaner accepts this file")


def receipts_of(app: Flask, line_id: int) -> list[Receipt]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(Receipt).where(Receipt.line_id == line_id).order_by(Receipt.id)
            )
        )


def download_problems(response) -> list[str]:  # noqa: ANN001
    problems = []
    kind = response.mimetype
    if response.status_code != 200:
        problems.append(f"download status {response.status_code}")
    if kind not in SAFE_TYPES:
        problems.append(f"served as {response.content_type}")
    disposition = response.headers.get("Content-Disposition", "")
    if not disposition.startswith("attachment"):
        problems.append(f"Content-Disposition {disposition!r}")
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("no nosniff")
    body = response.data
    if kind in MAGIC and not body.startswith(MAGIC[kind]):
        problems.append(f"body does not start like {kind}")
    if kind != "application/pdf":
        lowered = body.lower()
        problems += [f"body contains {marker!r}" for marker in ACTIVE if marker in lowered]
    return problems


def test_every_hostile_file_through_the_receipt_page(app, draft):
    client = app.test_client()
    login(client, "owner.uploads@example.test", PASSWORD)
    page = f"/expenses/{draft['request']}"
    url = f"/expenses/lines/{draft['line']}/receipts"
    field = f"line{draft['line']}-receipt"
    token = csrf_from(client.get(page).get_data(as_text=True))
    root, scratch, tmp_path = draft["root"], draft["scratch"], draft["tmp_path"]
    default_limit = app.config["RECEIPT_MAX_BYTES"]
    problems: list[str] = []
    accepted = 0
    before_tree = tree(tmp_path)

    writes = _start_recording()
    try:
        for name, case in CORPUS.items():
            data = case.build()
            stored_before = receipts_of(app, draft["line"])
            files_before = tree(root)
            app.config["RECEIPT_MAX_BYTES"] = case.max_bytes
            try:
                response = client.post(
                    url,
                    data={
                        "csrf_token": token,
                        field: (io.BytesIO(data), case.filename, case.declared_type),
                    },
                    content_type="multipart/form-data",
                )
            finally:
                app.config["RECEIPT_MAX_BYTES"] = default_limit
            html = response.get_data(as_text=True)
            stored = receipts_of(app, draft["line"])
            new_files = tree(root) - files_before
            if case.reason is not None:
                message = expected_message(app, data, case.max_bytes)
                if response.status_code != 400:
                    problems.append(f"{name}: status {response.status_code}, expected 400")
                if 'class="error-summary"' not in html or message not in html:
                    problems.append(f"{name}: the page does not say {message!r}")
                if len(stored) != len(stored_before) or new_files:
                    problems.append(f"{name}: refused but something was stored: {new_files}")
            else:
                accepted += 1
                if response.status_code != 303:
                    problems.append(f"{name}: status {response.status_code}, expected 303")
                    continue
                added = [r for r in stored if r.id not in {s.id for s in stored_before}]
                if len(added) != 1:
                    problems.append(f"{name}: {len(added)} receipts stored")
                    continue
                receipt = added[0]
                if receipt.mime != "image/jpeg" or not KEY_RE.fullmatch(receipt.storage_key):
                    problems.append(f"{name}: stored as {receipt.mime} {receipt.storage_key}")
                on_disk = (root / receipt.storage_key).read_bytes()
                if on_disk == data or any(m in on_disk.lower() for m in ACTIVE):
                    problems.append(f"{name}: stored without being neutralised")
                download = client.get(f"/expenses/receipts/{receipt.id}")
                problems += [f"{name}: {p}" for p in download_problems(download)]
                if download.data != on_disk:
                    problems.append(f"{name}: download differs from the stored file")
            figures.add("uploads: hostile files through the route")
    finally:
        _stop_recording()

    # The audit hook did see the receipts being written (else it proves nothing)...
    assert any(Path(p).resolve().is_relative_to(root.resolve()) for p in writes)
    # ...and nothing was written outside the upload root: what this process opened to write...
    outside = sorted(
        {
            path
            for path in writes
            if Path(path).exists()
            and not Path(path).resolve().is_relative_to(root.resolve())
            and "__pycache__" not in path
            and path != os.devnull
            and not Path(path).is_dir()
        }
    )
    problems += [f"file written outside the upload root: {path}" for path in outside]
    # ...and what appeared in the test's folders (the temporary folder included).
    for path in tree(tmp_path) - before_tree:
        if path in (root.parent, root):
            continue
        if not path.is_relative_to(root):
            problems.append(f"new file outside the upload root: {path}")
        elif path.is_file() and not KEY_RE.fullmatch(path.relative_to(root).as_posix()):
            problems.append(f"unexpected name in the upload root: {path}")
    assert not list(scratch.iterdir())
    assert problems == [], "\n".join(problems)
    assert accepted == sum(case.reason is None for case in CORPUS.values())
    # Every stored receipt is a file of the root, and every file of the root a receipt.
    stored_keys = {r.storage_key for r in receipts_of(app, draft["line"])}
    on_disk = {p.relative_to(root).as_posix() for p in tree(root) if p.is_file()}
    assert stored_keys == on_disk and len(stored_keys) == accepted


@pytest.mark.parametrize("mime", ["text/html", "image/svg+xml", "image/webp", ""])
def test_a_receipt_with_a_bad_type_in_the_database_is_still_only_a_download(app, draft, mime):
    """Defence in depth: the cleaner only stores JPEG and PDF, but if another type ever got
    into the database, the download must not be served as a page or a scriptable picture."""
    client = app.test_client()
    login(client, "owner.uploads@example.test", PASSWORD)
    with app.app_context():
        owner = db.session.scalar(
            select(Person).where(Person.email == "owner.uploads@example.test")
        )
        line = db.session.get(ExpenseLine, draft["line"])
        receipt = services.attach_receipt(owner, line, CORPUS["jpeg_with_gps_exif"].build())
        receipt.mime = mime
        db.session.commit()
        receipt_id = receipt.id
    response = client.get(f"/expenses/receipts/{receipt_id}")
    assert response.status_code == 200
    assert response.mimetype in SAFE_TYPES | {"application/octet-stream"}
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    figures.add("uploads: hostile files through the route")


def send_receipt(client: Any, draft: dict, data: bytes, name: str = "ticket.jpg") -> Any:
    page = f"/expenses/{draft['request']}"
    token = csrf_from(client.get(page).get_data(as_text=True))
    field = f"line{draft['line']}-receipt"
    return client.post(
        f"/expenses/lines/{draft['line']}/receipts",
        data={"csrf_token": token, field: (io.BytesIO(data), name, "image/jpeg")},
        content_type="multipart/form-data",
    )


def in_french(app: Flask, text: str) -> str:
    with app.test_request_context("/"), force_locale("fr"):
        from flask_babel import gettext

        return str(escape(gettext(text)))


def test_receipts_beyond_the_limit_per_cost_are_refused_with_a_message(app, draft, monkeypatch):
    monkeypatch.setitem(app.config, "RECEIPT_MAX_PER_LINE", 5)
    client = app.test_client()
    login(client, "owner.uploads@example.test", PASSWORD)
    photo = CORPUS["jpeg_with_gps_exif"].build()
    for _ in range(5):
        assert send_receipt(client, draft, photo).status_code == 303
    refused = send_receipt(client, draft, photo)
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert 'class="error-summary"' in html
    with app.test_request_context("/"), force_locale("fr"):
        from flask_babel import gettext

        message = gettext(
            "This cost already has %(n)s receipts. That is the limit. Remove one to add another.",
            n=5,
        )
    assert str(escape(message)) in html
    assert len(receipts_of(app, draft["line"])) == 5
    assert len([p for p in tree(draft["root"]) if p.is_file()]) == 5


def test_receipts_beyond_the_daily_number_are_refused(app, draft, monkeypatch):
    """A tiny file can be a big photo to decode: the number per day is capped too."""
    monkeypatch.setitem(app.config, "RECEIPT_MAX_PER_DAY", 2)
    client = app.test_client()
    login(client, "owner.uploads@example.test", PASSWORD)
    photo = CORPUS["jpeg_with_gps_exif"].build()
    assert send_receipt(client, draft, photo).status_code == 303
    assert send_receipt(client, draft, photo).status_code == 303
    refused = send_receipt(client, draft, photo)
    assert refused.status_code == 400
    message = in_french(
        app,
        "You have sent many files today. Try again tomorrow, or ask your facilitator for help.",
    )
    assert message in refused.get_data(as_text=True)
    assert len(receipts_of(app, draft["line"])) == 2


def test_uploads_beyond_the_daily_allowance_are_refused_until_the_next_day(app, draft, monkeypatch):
    client = app.test_client()
    login(client, "owner.uploads@example.test", PASSWORD)
    photo = CORPUS["jpeg_with_gps_exif"].build()
    assert send_receipt(client, draft, photo).status_code == 303
    kept = receipts_of(app, draft["line"])[0].size
    # Room for what is already kept and not for one more file of this size.
    monkeypatch.setitem(app.config, "RECEIPT_MAX_BYTES_PER_DAY", kept + len(photo) - 1)
    refused = send_receipt(client, draft, photo)
    assert refused.status_code == 400
    message = in_french(
        app,
        "You have sent many files today. Try again tomorrow, or ask your facilitator for help.",
    )
    assert message in refused.get_data(as_text=True)
    assert len(receipts_of(app, draft["line"])) == 1
    # A day later, the allowance is back.
    receipt_id = receipts_of(app, draft["line"])[0].id
    with app.app_context():
        db.session.get(Receipt, receipt_id).uploaded_at = utcnow() - timedelta(hours=24, minutes=1)
        db.session.commit()
    again = send_receipt(client, draft, photo)
    assert again.status_code == 303, again.get_data(as_text=True)

"""Receipts shown inside the review page: a photo as the picture it is (re-encoded to JPEG
without metadata when it was uploaded, receipts.py), a PDF as a picture of its first page.
The raw PDF never opens in the page: only the picture, so nothing in the file can run in the
reviewer's browser.

The PDF is drawn by pypdfium2 (the PDF engine of Chromium) in a child process
(`preview_worker.py`, run with `python -m`), never in the app's: the child limits itself
(address space `MEMORY_BYTES`, `CPU_SECONDS` of processor time, no core file) and the app
waits at most `RECEIPT_PREVIEW_SECONDS` (config.py) before ending it. A PDF that cannot be
drawn in these limits gets a plain sentence and a download link on the page, never a 500.
The child gets no secret: an environment of its own with only the path to Python's modules.

Pictures (and failures) are kept in memory for the last `CACHE_SIZE` receipts, so the page
and the picture it shows draw the PDF once (a receipt's stored file never changes)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path

from flask import current_app

from app.accounts.models import Person
from app.expenses import receipts, services
from app.expenses.models import Receipt

MAX_WIDTH = 1000  # pixels: readable on a screen, small enough to draw quickly
MEMORY_BYTES = 768 * 1024 * 1024
CPU_SECONDS = 20
CACHE_SIZE = 32
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PROJECT_ROOT = Path(__file__).resolve().parents[2]

log = logging.getLogger(__name__)
_cache: OrderedDict[str, bytes | None] = OrderedDict()
_cache_lock = threading.Lock()


def preview(actor: Person, receipt_id: int) -> tuple[bytes | None, str]:
    """The picture to show and its type; (None, "") when a PDF cannot be drawn. Raises
    NotFound for anyone who may not see the receipt."""
    found, path = services.receipt_for(actor, receipt_id)
    if found.mime == "application/pdf":
        data = _drawn(found, Path(path))
        return (data, "image/png") if data is not None else (None, "")
    return Path(path).read_bytes(), "image/jpeg" if found.mime == "image/jpeg" else "image/png"


def drawable(found: Iterable[Receipt]) -> dict[int, bool]:
    """For the review page: which receipts show as a picture (a PDF that could not be drawn
    shows a sentence and a download link instead)."""
    shown = {}
    for receipt in found:
        if receipt.mime != "application/pdf":
            shown[receipt.id] = True
            continue
        path = receipts.path_for(services.upload_root(), receipt.storage_key)
        shown[receipt.id] = _drawn(receipt, Path(path)) is not None
    return shown


def _drawn(receipt: Receipt, path: Path) -> bytes | None:
    with _cache_lock:
        if receipt.storage_key in _cache:
            _cache.move_to_end(receipt.storage_key)
            return _cache[receipt.storage_key]
    data = render_pdf(path, timeout=current_app.config["RECEIPT_PREVIEW_SECONDS"])
    if data is None:
        log.warning("receipt %s: its PDF could not be drawn", receipt.id)
    with _cache_lock:
        _cache[receipt.storage_key] = data
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return data


def render_pdf(
    path: Path,
    *,
    timeout: float,
    memory_bytes: int = MEMORY_BYTES,
    cpu_seconds: int = CPU_SECONDS,
    max_width: int = MAX_WIDTH,
) -> bytes | None:
    """The first page as a PNG, drawn by a child process within these limits; None when it
    failed, was killed by a limit, or took longer than `timeout` seconds."""
    command = [
        sys.executable,
        "-m",
        "app.expenses.preview_worker",
        str(path),
        str(max_width),
        str(memory_bytes),
        str(cpu_seconds),
    ]
    environment = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(PROJECT_ROOT)}
    try:
        done = subprocess.run(  # noqa: S603 - our own module, a path we stored
            command,
            cwd=PROJECT_ROOT,
            env=environment,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except (subprocess.TimeoutExpired, OSError):
        return None
    if done.returncode != 0 or not done.stdout.startswith(PNG_MAGIC):
        return None
    return done.stdout

"""Idempotency keys: a form that is sent twice counts once.

Each answer form carries a hidden random key, made when the page is rendered
(`form_start(..., idempotency_key=new_key())` in templates/macros/forms.html). When the form is
sent, the view records the key, the person, the endpoint and where it will redirect
(`remember`) in the same transaction as the work, before doing it. If the same POST arrives
again (the connection broke before the 303 arrived and the browser or a person sent it again,
a double click, a gunicorn worker killed after its commit), `replay` finds the key and the view
answers with the same redirect, without doing the work a second time.

The unique constraint on `key` is the guarantee: two copies sent at the same moment cannot
both insert it. On PostgreSQL the second waits on the first's row, gets a unique violation,
and replays what the first stored; on SQLite BEGIN IMMEDIATE makes the second wait for the
first's commit, and it then finds the key before doing anything.

A key is honoured only for the person who sent it first, on the same endpoint, with the same
form content (the fingerprint): an old page shown again by the browser's back button and sent
with another answer is saved, not mistaken for a copy. A POST without a key (a page opened
before keys existed) works as before.

Like services, these functions flush and never commit, and take the person explicitly; the
views read the key and the fingerprint from the request with `key_from` and `fingerprint`.

Every other form: `protect(bp)` does the same for all POSTs of a blueprint, around its views,
with no change to them. Every form rendered by `form_start` or `button_form`
(templates/macros/forms.html) carries a fresh key. Before the view, the key is recorded with
the person, the endpoint and the fingerprint of what was sent (uploaded files included, by
their SHA-256), in the request's transaction; the view's own commit makes it permanent together
with the work. After the view, if it committed, the key is given the view's answer: its
redirect, or "not replayed" when it answered with a page or a file. A copy of the same POST
then gets the same 303 without the view running. A copy of a POST that answered with a page
(a new login code shown once, a card to print) is not run again either: it gets a page that
says the form was already sent (409). A view that did not commit (a form shown again with its
errors, a refusal) leaves no key: the corrected form is simply sent again. A copy that arrives
while the first is still working waits for it (PostgreSQL: on the key's unique index; SQLite:
on the write lock) and answers as above. `@exempt` on a view leaves it out (login, logout:
no work to repeat and nobody logged in yet).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, current_app, g, redirect, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app import db
from app.core.models import IdempotencyKey

FIELD = "idempotency_key"
_VALID = re.compile(r"[A-Za-z0-9_-]{16,64}")
_NOT_CONTENT = {FIELD, "csrf_token"}
# `location` of a key whose first POST is still at work (recorded, answer not known yet), and of
# one whose first POST answered with a page or a file rather than a redirect.
PENDING = ""
NOT_REPLAYED = "*"
# How long a copy waits for the first POST's answer to be recorded (it is done a few
# milliseconds after the first's commit; a worker killed in between leaves it pending).
PENDING_WAIT = 10.0


def new_key() -> str:
    """A fresh key for a form being rendered (32 URL-safe characters, 192 random bits)."""
    return secrets.token_urlsafe(24)


def key_from(form: Mapping[str, Any]) -> str | None:
    """The key a sent form carries, or None (no key, or not one of ours)."""
    value = form.get(FIELD) or ""
    return value if _VALID.fullmatch(value) else None


def fingerprint(form: Any, files: Any = None) -> str:
    """A digest of what the form sent (a werkzeug MultiDict), without the CSRF token and key;
    with `files` (request.files), each file's name and the SHA-256 of its content too, so that
    another photo sent with the same form is not taken for a copy."""
    items = sorted(
        (name, value) for name in form if name not in _NOT_CONTENT for value in form.getlist(name)
    )
    for name in sorted(files or ()):
        for upload in files.getlist(name):
            digest = hashlib.sha256()
            upload.stream.seek(0)
            for chunk in iter(lambda upload=upload: upload.stream.read(65536), b""):
                digest.update(chunk)
            upload.stream.seek(0)
            items.append((name, f"{upload.filename}:{digest.hexdigest()}"))
    return hashlib.sha256(json.dumps(items).encode()).hexdigest()


def replay(key: str, person: Any, endpoint: str, fingerprint: str) -> str | None:
    """Where the first sending of this form redirected, if this person already sent this
    exact form to this endpoint and it was committed; None otherwise."""
    row = db.session.scalar(select(IdempotencyKey).where(IdempotencyKey.key == key))
    if row is None or row.person_id != person.id or row.endpoint != endpoint:
        return None
    if row.fingerprint != fingerprint or row.location in (PENDING, NOT_REPLAYED):
        return None
    return row.location


def remember(key: str, person: Any, endpoint: str, location: str, fingerprint: str) -> bool:
    """Record the key in the current transaction, before the work it guards. False when the
    key is taken already (a copy of this POST committed meanwhile, or the key is someone
    else's): the caller then replays, or goes on as if the form had no key."""
    try:
        with db.session.begin_nested():
            db.session.add(
                IdempotencyKey(
                    key=key,
                    person_id=person.id,
                    endpoint=endpoint,
                    location=location,
                    fingerprint=fingerprint,
                )
            )
    except IntegrityError:
        return False
    return True


# --- every POST of a blueprint ---------------------------------------------------------


def exempt(view: Callable[..., Any]) -> Callable[..., Any]:
    """Leave a view out of `protect`: each POST to it runs (logging in, logging out)."""
    view._parole_not_idempotent = True  # type: ignore[attr-defined]
    return view


def protect(bp: Blueprint) -> Blueprint:
    """Make every POST of this blueprint that carries a key count once (see the module's
    docstring). Call it once where the blueprint is made."""
    bp.before_request(_before_view)
    bp.after_request(_after_view)
    bp.teardown_request(_forget_claim)
    bp.add_app_template_global(new_key, "new_idempotency_key")
    return bp


@dataclass
class _Claim:
    key: str
    committed: bool = False

    def done(self) -> None:
        self.committed = True


def _before_view() -> Any:
    g.pop("parole_idempotency", None)
    if request.method != "POST" or not getattr(current_user, "is_authenticated", False):
        return None
    view = current_app.view_functions.get(request.endpoint or "")
    key = key_from(request.form)
    if key is None or getattr(view, "_parole_not_idempotent", False):
        return None
    person = current_user._get_current_object()  # type: ignore[attr-defined]
    endpoint = request.endpoint or ""
    sent = fingerprint(request.form, request.files)
    row = _row(key)
    if row is None and remember(key, person, endpoint, PENDING, sent):
        claim = _Claim(key)
        db.get_db().after_commit(claim.done)
        g.parole_idempotency = claim
        return None
    return _answer_copy(key, person.id, endpoint, sent)


def _row(key: str) -> IdempotencyKey | None:
    return db.session.scalar(
        select(IdempotencyKey)
        .where(IdempotencyKey.key == key)
        .execution_options(populate_existing=True)
    )


def _answer_copy(key: str, person_id: int, endpoint: str, sent: str) -> Any:
    """The key is recorded already: the answer of its first POST when this is a copy of it,
    None (work as without a key) when it is someone else's key or another form."""
    deadline = time.monotonic() + PENDING_WAIT
    while True:
        row = _row(key)
        if (
            row is None
            or row.person_id != person_id
            or row.endpoint != endpoint
            or row.fingerprint != sent
        ):
            return None
        if row.location != PENDING or time.monotonic() > deadline:
            break
        db.session.rollback()  # let the first POST record its answer (SQLite: the write lock)
        time.sleep(0.05)
    location = row.location
    db.session.rollback()
    if location not in (PENDING, NOT_REPLAYED):
        return redirect(location, 303)
    return render_template(
        "errors/error.html",
        status=409,
        title=_l("This form was already sent"),
        text=_l(
            "What you sent is saved. It was not done a second time. "
            "Open the page again to see where things are."
        ),
    ), 409


def will_redirect(location: str) -> None:
    """Say, before the commit, where this POST will redirect: the answer is then stored in
    the same transaction as the work, so a copy sent after a server process was killed
    between the commit and the answer still gets the same redirect (without this, the key
    stays "at work" and the copy gets the "already sent" page)."""
    claim = g.get("parole_idempotency")
    if claim is None:
        return
    db.session.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.key == claim.key)
        .values(location=location[:500])
    )


def _after_view(response: Any) -> Any:
    claim = g.pop("parole_idempotency", None)
    if claim is None or not claim.committed:
        return response  # nothing saved: the key goes with the rollback at the end
    location = NOT_REPLAYED
    if response.status_code in (301, 302, 303, 307, 308) and response.location:
        location = response.location[:500]
    db.session.rollback()  # only what the view committed counts
    db.session.execute(
        update(IdempotencyKey).where(IdempotencyKey.key == claim.key).values(location=location)
    )
    db.session.commit()
    return response


def _forget_claim(exc: BaseException | None) -> None:
    g.pop("parole_idempotency", None)

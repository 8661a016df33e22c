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
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import db
from app.core.models import IdempotencyKey

FIELD = "idempotency_key"
_VALID = re.compile(r"[A-Za-z0-9_-]{16,64}")
_NOT_CONTENT = {FIELD, "csrf_token"}


def new_key() -> str:
    """A fresh key for a form being rendered (32 URL-safe characters, 192 random bits)."""
    return secrets.token_urlsafe(24)


def key_from(form: Mapping[str, Any]) -> str | None:
    """The key a sent form carries, or None (no key, or not one of ours)."""
    value = form.get(FIELD) or ""
    return value if _VALID.fullmatch(value) else None


def fingerprint(form: Any) -> str:
    """A digest of what the form sent (a werkzeug MultiDict), without the CSRF token and key."""
    items = sorted(
        (name, value) for name in form if name not in _NOT_CONTENT for value in form.getlist(name)
    )
    return hashlib.sha256(json.dumps(items).encode()).hexdigest()


def replay(key: str, person: Any, endpoint: str, fingerprint: str) -> str | None:
    """Where the first sending of this form redirected, if this person already sent this
    exact form to this endpoint and it was committed; None otherwise."""
    row = db.session.scalar(select(IdempotencyKey).where(IdempotencyKey.key == key))
    if row is None or row.person_id != person.id or row.endpoint != endpoint:
        return None
    if row.fingerprint != fingerprint:
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

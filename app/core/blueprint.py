"""The `main` blueprint: the home page and the pages every visitor can read (views.py), the
notifications, and the outbox page of platform administrators (outbox_views.py)."""

from flask import Blueprint

from app.core import idempotency

# Every POST counts once (a double click, a form sent again after a lost connection): see
# app/core/idempotency.py.
bp = idempotency.protect(Blueprint("main", __name__))

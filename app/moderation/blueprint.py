"""The moderation blueprint; routes live in views.py (reports, queue, decisions, appeals)."""

from flask import Blueprint

from app.core import idempotency

# Every POST counts once (a double click, a form sent again after a lost connection): see
# app/core/idempotency.py.
bp = idempotency.protect(Blueprint("moderation", __name__, url_prefix="/moderation"))

"""The consultations blueprint; routes live in views.py (rounds, results, feedback)
and answering_views.py (answering one question per screen)."""

from flask import Blueprint

from app.core import idempotency

# Every POST counts once (a double click, a form sent again after a lost connection): see
# app/core/idempotency.py.
bp = idempotency.protect(Blueprint("consultations", __name__, url_prefix="/consultations"))

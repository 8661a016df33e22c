"""The expenses blueprint; routes live in views.py (requests, receipts, review, payment)."""

from flask import Blueprint

from app.core import idempotency

# Every POST counts once (a double click, a form sent again after a lost connection): see
# app/core/idempotency.py.
bp = idempotency.protect(Blueprint("expenses", __name__, url_prefix="/expenses"))

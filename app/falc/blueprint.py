"""The easy-read blueprint: proofreading pages (proofreading_views.py) and the live check
used by the authoring pages (analysis_views.py)."""

from flask import Blueprint

from app.core import idempotency

# Every POST counts once (a double click, a form sent again after a lost connection): see
# app/core/idempotency.py.
bp = idempotency.protect(Blueprint("falc", __name__, url_prefix="/relecture"))

"""The co-training blueprint; routes live in views.py (finding a mission, signing up, my
sign-ups, my co-trainer profile) and manage_views.py (the institute's side: missions,
sign-ups, attendance, messages)."""

from flask import Blueprint

from app.core import idempotency

# Every POST of co-training counts once (a double click, a form sent again after a lost
# connection): see app/core/idempotency.py.
bp = idempotency.protect(Blueprint("trainings", __name__, url_prefix="/co-training"))

"""The kit blueprint; routes live in fiche_views.py (the ten fiches, editing and history),
checklist_views.py (checklists of a round or a mission, the organisation's dashboard) and
report_views.py (the yearly evaluation report)."""

from flask import Blueprint

from app.core import idempotency

# Every POST counts once (a double click, a form sent again after a lost connection): see
# app/core/idempotency.py.
bp = idempotency.protect(Blueprint("kit", __name__, url_prefix="/kit"))

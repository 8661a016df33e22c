"""The three blueprints of accounts: `accounts` (login, preferences, "My data": views.py and
data_views.py, no prefix), `participants` (a facilitator's people: participants_views.py) and
`admin` (organisations and roles: admin_views.py)."""

from flask import Blueprint

from app.core import idempotency

# Every POST counts once (a double click, a form sent again after a lost connection): see
# app/core/idempotency.py.
accounts_bp = idempotency.protect(Blueprint("accounts", __name__))
participants_bp = idempotency.protect(
    Blueprint("participants", __name__, url_prefix="/participants")
)
admin_bp = idempotency.protect(Blueprint("admin", __name__, url_prefix="/admin"))

"""The audit log: services call `record()`; nothing else writes to it."""

from __future__ import annotations

from typing import Any

from app import db
from app.core.models import AuditEntry


def record(
    actor: Any,
    action: str,
    obj: Any = None,
    *,
    organisation_id: int | None = None,
    **details: Any,
) -> AuditEntry:
    """Add an audit entry to the current transaction.

    `details` must hold identifiers and states only, never names, codes or addresses.
    """
    actor = getattr(actor, "_get_current_object", lambda: actor)()
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=type(obj).__tablename__ if obj is not None else "-",
        object_id=getattr(obj, "id", None),
        organisation_id=organisation_id,
        details=details,
    )
    db.session.add(entry)
    db.session.flush()
    return entry

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


def move_and_record(
    actor: Any,
    action: str,
    obj: Any,
    target: Any,
    *,
    organisation_id: int | None = None,
    **details: Any,
) -> AuditEntry:
    """Move `obj` (a row with a `status`) to the state `target` and record the move, from
    which state to which: the one last step of every lifecycle (consultation rounds, expense
    requests, training missions and sign-ups). The entry's organisation is the object's
    unless another is given. The caller checks first that the move is allowed."""
    details.update(from_status=obj.status.value, to_status=target.value)
    obj.status = target
    db.session.flush()
    if organisation_id is None:
        organisation_id = obj.organisation_id
    return record(actor, action, obj, organisation_id=organisation_id, **details)

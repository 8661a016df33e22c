"""One permission predicate for views, services and templates: `can(actor, action, obj)`.

Rules are registered by name; an unknown action, an anonymous actor or an inactive
account is denied. Each domain registers its rules in its own `permissions.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Rule = Callable[[Any, Any], bool]
_RULES: dict[str, Rule] = {}


def rule(action: str) -> Callable[[Rule], Rule]:
    def register(func: Rule) -> Rule:
        if action in _RULES:
            raise RuntimeError(f"Permission rule {action!r} registered twice.")
        _RULES[action] = func
        return func

    return register


def can(actor: Any, action: str, obj: Any = None) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if not getattr(actor, "is_active", False):
        return False
    check = _RULES.get(action)
    if check is None:
        return False
    return bool(check(actor, obj))


def require(actor: Any, action: str, obj: Any = None) -> None:
    """Raise NotAllowed unless `can(actor, action, obj)`. Services call it first."""
    from flask_babel import lazy_gettext as _l

    from app.core.errors import NotAllowed

    if not can(actor, action, obj):
        raise NotAllowed(_l("You are not allowed to do this."))


def registered_actions() -> list[str]:
    return sorted(_RULES)

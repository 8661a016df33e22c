"""A consultation with an open discussion, its staff and participants (flush, never commit)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.accounts.models import Role
from tests.consultation_factories import make_round, open_round
from tests.factories import make_org, make_person


@dataclass
class Discussion:
    org: Any
    round: Any
    facilitator: Any
    moderator: Any
    second_moderator: Any
    admin: Any
    author: Any
    reader: Any


def make_discussion(prefix: str = "") -> Discussion:
    org = make_org()
    facilitator = make_person(
        (org, Role.FACILITATOR), name="Sophie Martin", email=f"{prefix}fac@m.test"
    )
    moderator = make_person((org, Role.MODERATOR), name="Karim Benali", email=f"{prefix}mod@m.test")
    second = make_person((org, Role.MODERATOR), name="Luc Durand", email=f"{prefix}mod2@m.test")
    admin = make_person((org, Role.ADMIN), name="Anne Admin", email=f"{prefix}admin@m.test")
    author = make_person((org, Role.PARTICIPANT), name="Paul", email=f"{prefix}author@m.test")
    reader = make_person((org, Role.PARTICIPANT), name="Nadia", email=f"{prefix}reader@m.test")
    round_, _ = make_round(org, facilitator)
    round_.discussion_enabled = True
    open_round(round_, facilitator, [author, reader])
    return Discussion(org, round_, facilitator, moderator, second, admin, author, reader)

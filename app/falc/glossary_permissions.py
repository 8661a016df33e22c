"""Who edits the organisation's glossary: its facilitators and administrators."""

from __future__ import annotations

from typing import Any

from app.accounts.models import Organisation, Person, Role
from app.accounts.permissions import has_role
from app.core.permissions import rule


@rule("falc.edit_glossary")
def _edit_glossary(actor: Person, organisation: Any) -> bool:
    return isinstance(organisation, Organisation) and (
        has_role(actor, Role.FACILITATOR, organisation) or has_role(actor, Role.ADMIN, organisation)
    )

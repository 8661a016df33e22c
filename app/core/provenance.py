"""Assisted entry: a facilitator types something in for a person.

Every record that can be entered for someone else uses `AssistedEntryMixin`: it keeps who
typed it and the consent note, the page shows it (macro `provenance()` in ui.html) and
exports keep it (`provenance_export()`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from app.core.errors import DomainError
from app.core.permissions import require
from app.core.personal import personal

CONSENT_MIN_LENGTH = 5


@dataclass(frozen=True)
class Provenance:
    """Who entered a record for whom. `entered_by` is None when people enter it themselves."""

    entered_by: Any | None
    consent_note: str | None

    @property
    def is_assisted(self) -> bool:
        return self.entered_by is not None


def self_entry() -> Provenance:
    return Provenance(entered_by=None, consent_note=None)


def assisted_entry(actor: Any, subject: Any, consent_note: str | None) -> Provenance:
    """Check that `actor` may act for `subject` and that consent was written down."""
    if actor is subject or getattr(actor, "id", None) == getattr(subject, "id", -1):
        return self_entry()
    require(actor, "person.act_for", subject)
    note = (consent_note or "").strip()
    if len(note) < CONSENT_MIN_LENGTH:
        raise DomainError(
            _l("Write how the person agreed that you fill this in for them."),
            field="consent_note",
        )
    # The agreement is recorded for "My data" (accounts registers that hook); a person who
    # took it back is not helped again until they give it themselves.
    for hook in _assisted_entry_hooks:
        hook(actor, subject, note)
    return Provenance(entered_by=actor, consent_note=note)


AssistedEntryHook = Callable[[Any, Any, str], None]
_assisted_entry_hooks: list[AssistedEntryHook] = []


def on_assisted_entry(hook: AssistedEntryHook) -> AssistedEntryHook:
    """Register `hook(actor, subject, consent_note)`, called by every assisted entry once its
    consent note is checked, in the same transaction (it may raise a `DomainError`). Core
    knows no domain: accounts registers the recording of the agreement from its `init_app`.
    Registering the same hook again does nothing (`create_app` may run more than once)."""
    if hook not in _assisted_entry_hooks:
        _assisted_entry_hooks.append(hook)
    return hook


class AssistedEntryMixin:
    """Columns `entered_by_id` and `consent_note` for records entered for someone."""

    @declared_attr
    def entered_by_id(cls) -> Mapped[int | None]:  # noqa: N805
        return mapped_column(ForeignKey("people.id", ondelete="SET NULL"))

    consent_note: Mapped[str | None] = mapped_column(Text, info=personal())

    def apply_provenance(self, provenance: Provenance) -> None:
        self.entered_by_id = provenance.entered_by.id if provenance.entered_by else None
        self.consent_note = provenance.consent_note

    @property
    def is_assisted(self) -> bool:
        return self.entered_by_id is not None

    def provenance_export(self) -> dict[str, Any]:
        return {
            "entered_with_help": self.is_assisted,
            "entered_by_id": self.entered_by_id,
            "consent_note": self.consent_note,
        }

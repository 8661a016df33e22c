"""Easy-read checks for the authoring pages: the analyser with the organisation's glossary."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import db
from app.core import audit
from app.core.errors import DomainError
from app.core.permissions import require
from app.falc.analyser import ALERT, Report, analyse
from app.falc.models import GlossaryEntry


def glossary_of(organisation_id: int | None) -> dict[str, str]:
    if organisation_id is None:
        return {}
    rows = db.session.execute(
        select(GlossaryEntry.term, GlossaryEntry.explanation).where(
            GlossaryEntry.organisation_id == organisation_id
        )
    ).all()
    return dict(rows)


def check_text(organisation_id: int | None, text: str) -> Report:
    return analyse(text or "", glossary_of(organisation_id) or None)


def check_fields(organisation_id: int | None, texts: Mapping[str, str]) -> dict[str, Report]:
    """Reports for the non-empty texts, by field name (the glossary is read once)."""
    glossary = glossary_of(organisation_id) or None
    return {name: analyse(text, glossary) for name, text in texts.items() if (text or "").strip()}


def alerts_in(reports: Mapping[str, Report]) -> dict[str, int]:
    """Number of alerts per field, for the confirmation before publishing."""
    counts = {
        name: sum(1 for f in r.findings if f.severity == ALERT) for name, r in reports.items()
    }
    return {name: n for name, n in counts.items() if n}


def add_glossary_entry(actor, organisation, term: str, explanation: str) -> GlossaryEntry:  # noqa: ANN001
    require(actor, "falc.edit_glossary", organisation)
    clean_term = (term or "").strip()
    clean_explanation = (explanation or "").strip()
    if not clean_term:
        raise DomainError(_l("Write the word or the initials."), field="term")
    if not clean_explanation:
        raise DomainError(_l("Write the explanation in simple words."), field="explanation")
    existing = db.session.scalar(
        select(GlossaryEntry).where(
            GlossaryEntry.organisation_id == organisation.id, GlossaryEntry.term == clean_term
        )
    )
    if existing is not None:
        existing.explanation = clean_explanation
        entry = existing
    else:
        entry = GlossaryEntry(
            organisation_id=organisation.id, term=clean_term, explanation=clean_explanation
        )
        db.session.add(entry)
    db.session.flush()
    audit.record(actor, "falc.glossary_saved", entry, organisation_id=organisation.id)
    return entry


def remove_glossary_entry(actor, entry: GlossaryEntry) -> None:  # noqa: ANN001
    from app.accounts.models import Organisation

    organisation = db.session.get(Organisation, entry.organisation_id)
    require(actor, "falc.edit_glossary", organisation)
    audit.record(actor, "falc.glossary_removed", entry, organisation_id=entry.organisation_id)
    db.session.delete(entry)
    db.session.flush()

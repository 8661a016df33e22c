"""Easy-read checks for the authoring pages: the analyser with the organisation's glossary."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import db
from app.core import audit
from app.core.errors import DomainError
from app.core.permissions import require
from app.falc.analyser import ALERT, WARNING, Report, analyse
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


@dataclass(frozen=True)
class TextCheck:
    """One text people will receive, as they will receive it, with what the check found."""

    key: str
    label: str
    text: str  # the easy version, or the full one when the easy version is empty
    report: Report
    easy_missing: bool  # the easy version is empty: the full text will be used
    warnings: int  # the empty easy version counts as one
    alerts: int

    @property
    def found(self) -> int:
        return self.warnings + self.alerts


@dataclass(frozen=True)
class CheckResult:
    """The check of every text people will receive, in the order they were given."""

    texts: tuple[TextCheck, ...]

    @property
    def flagged(self) -> tuple[TextCheck, ...]:
        return tuple(t for t in self.texts if t.found)

    @property
    def warnings(self) -> int:
        return sum(t.warnings for t in self.texts)

    @property
    def alerts(self) -> int:
        return sum(t.alerts for t in self.texts)

    @property
    def clean(self) -> bool:
        return not self.flagged


def _severity_counts(report: Report) -> dict[str, int]:
    counts = getattr(report, "counts", None)
    if counts:
        return dict(counts)
    found: dict[str, int] = {}
    for finding in report.findings:
        found[finding.severity] = found.get(finding.severity, 0) + 1
    return found


def publication_check(
    organisation_id: int | None, texts: Mapping[str, tuple[str, str, str | None]]
) -> CheckResult:
    """Check what people will receive: for each key, (label, text, easy version). The easy
    version is None for a text that has none (costs, contact, choices); an empty easy
    version means the full text will be used, which is itself a warning. Warnings and alerts
    are counted (tips are not); empty texts are not shown to anybody and are left out."""
    glossary = glossary_of(organisation_id) or None
    checked = []
    for key, (label, text, easy) in texts.items():
        full = (text or "").strip()
        easy_missing = easy is not None and not easy.strip() and bool(full)
        received = full if easy is None or easy_missing else easy.strip()
        if not received:
            continue
        report = analyse(received, glossary)
        counts = _severity_counts(report)
        checked.append(
            TextCheck(
                key=key,
                label=label,
                text=received,
                report=report,
                easy_missing=easy_missing,
                warnings=counts.get(WARNING, 0) + (1 if easy_missing else 0),
                alerts=counts.get(ALERT, 0),
            )
        )
    return CheckResult(tuple(checked))


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

"""The kit's ten fiches as content: read them, change them (with a revision of what was
there before), and insert the missing ones from Parole's first version.

Services flush, never commit; the actor is always an explicit argument."""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import db
from app.accounts.models import Person
from app.core.audit import record
from app.core.errors import DomainError, NotFound
from app.core.permissions import require
from app.core.sanitize import clean_html
from app.db import utcnow
from app.kit.models import PARTS, Fiche, FicheRevision, Phase
from app.kit.seed_content import seed_fiches

TEXT_FIELDS = ("title", *PARTS, "easy", "source", "edition")
# Every field a revision keeps, in the order the history shows them.
CONTENT_FIELDS = ("number", "phase", "title", *PARTS, "easy", "source", "edition", "verified")
TITLE_MAX = 200
EDITION_MAX = 100


def all_fiches() -> list[Fiche]:
    return list(db.session.scalars(select(Fiche).order_by(Fiche.number)))


def find(number: int) -> Fiche | None:
    return db.session.scalar(select(Fiche).where(Fiche.number == number))


def get(number: int) -> Fiche:
    fiche = find(number)
    if fiche is None:
        raise NotFound(_l("This fiche of the kit does not exist."))
    return fiche


def content_of(fiche: Fiche) -> dict[str, Any]:
    """Every field of the fiche, as plain JSON values."""
    content: dict[str, Any] = {name: getattr(fiche, name) for name in CONTENT_FIELDS}
    content["phase"] = Phase(fiche.phase).value
    content["updated_at"] = fiche.updated_at.isoformat() if fiche.updated_at else None
    content["updated_by_id"] = fiche.updated_by_id
    return content


def sanitise_part(text: str) -> str:
    """A part of a fiche as the simple HTML the pages show."""
    return str(clean_html(text or "")).strip()


def _clean(data: Mapping[str, Any], fiche: Fiche) -> dict[str, Any]:
    """The new content, checked and sanitised. Fields not given keep their value."""
    if data.get("number") is not None and str(data["number"]).strip() != str(fiche.number):
        raise DomainError(_l("The number of a fiche cannot change."), field="number")
    new: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        value = data.get(name, getattr(fiche, name))
        new[name] = (value or "").strip()
    if not new["title"]:
        raise DomainError(_l("Write the title of the fiche."), field="title")
    if len(new["title"]) > TITLE_MAX:
        raise DomainError(
            _l("The title is too long: %(max)s characters at most.", max=TITLE_MAX), field="title"
        )
    if len(new["edition"]) > EDITION_MAX:
        raise DomainError(
            _l("The edition is too long: %(max)s characters at most.", max=EDITION_MAX),
            field="edition",
        )
    phase = data.get("phase", fiche.phase)
    try:
        new["phase"] = Phase(phase)
    except ValueError:
        raise DomainError(_l("Choose the phase: before, during or after."), field="phase") from None
    for name in PARTS:
        new[name] = sanitise_part(new[name])
    new["verified"] = bool(data.get("verified", fiche.verified))
    return new


def update(actor: Any, fiche: Fiche, data: Mapping[str, Any]) -> Fiche:
    """Change a fiche. The previous content is kept as a revision first; the four parts
    are sanitised; nothing is saved when nothing changed."""
    fiche = db.lock(fiche)  # sent twice: the second finds nothing changed and saves nothing
    require(actor, "kit.edit", fiche)
    new = _clean(data, fiche)
    changed = [name for name, value in new.items() if getattr(fiche, name) != value]
    if not changed:
        return fiche
    db.session.add(FicheRevision(fiche=fiche, content=content_of(fiche), saved_by_id=actor.id))
    for name in changed:
        setattr(fiche, name, new[name])
    fiche.updated_at = utcnow()
    fiche.updated_by_id = actor.id
    db.session.flush()
    record(actor, "kit.fiche_changed", fiche, number=fiche.number, fields=sorted(changed))
    return fiche


def new_fiche(content: Mapping[str, Any]) -> Fiche:
    """A Fiche from seed content (not added to the session)."""
    return Fiche(
        number=content["number"],
        phase=Phase(content["phase"]),
        title=content["title"],
        **{name: sanitise_part(content[name]) for name in PARTS},
        easy=content["easy"],
        source=content["source"],
        edition=content["edition"],
        verified=bool(content["verified"]),
        updated_at=utcnow(),
    )


def ensure_seeded() -> int:
    """Insert the fiches that are missing, from Parole's first version. A fiche that
    exists is never changed, edited or not. Returns how many were inserted."""
    existing = set(db.session.scalars(select(Fiche.number)))
    added = 0
    for content in seed_fiches():
        if content["number"] in existing:
            continue
        db.session.add(new_fiche(content))
        added += 1
    if added:
        db.session.flush()
    return added


# --- history ------------------------------------------------------------------------------

# Unchanged stretches longer than this (in words) are shortened in a diff.
CONTEXT_WORDS = 12


@dataclass
class FieldChange:
    name: str
    before: Any
    after: Any
    # (op, text) with op "same", "removed", "added" or "gap" (unchanged words left out).
    segments: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class HistoryEntry:
    revision: FicheRevision
    saved_by: Person | None
    saved_at: datetime
    changes: list[FieldChange]


def plain_text(value: Any) -> str:
    """Readable text of a part: one line per paragraph or list item, no tags."""
    text = str(value or "")
    text = re.sub(r"(?i)<li[^>]*>", "\n• ", text)
    text = re.sub(r"(?i)</(p|li|ul|ol|h2|h3|blockquote)>|<br\s*/?>", "\n", text)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """Words removed and added between two texts, with a little unchanged context."""
    old, new = before.split(), after.split()
    segments: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            words = old[i1:i2]
            if len(words) > 2 * CONTEXT_WORDS:
                head = words[:CONTEXT_WORDS] if segments else []
                tail = words[-CONTEXT_WORDS:] if i2 < len(old) or j2 < len(new) else []
                if head:
                    segments.append(("same", " ".join(head)))
                segments.append(("gap", ""))
                if tail:
                    segments.append(("same", " ".join(tail)))
            else:
                segments.append(("same", " ".join(words)))
            continue
        if i2 > i1:
            segments.append(("removed", " ".join(old[i1:i2])))
        if j2 > j1:
            segments.append(("added", " ".join(new[j1:j2])))
    return segments


def _comparable(name: str, value: Any) -> Any:
    return plain_text(value) if name in PARTS else value


def changes_between(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[FieldChange]:
    changes = []
    for name in CONTENT_FIELDS:
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        change = FieldChange(name, _comparable(name, old), _comparable(name, new))
        if isinstance(change.before, str) and isinstance(change.after, str):
            change.segments = word_diff(change.before, change.after)
        changes.append(change)
    return changes


def history(fiche: Fiche) -> list[HistoryEntry]:
    """Each change, newest first: who, when, and what it changed. A revision holds the
    content before its change; what came after is the next revision, or the fiche now."""
    revisions = list(
        db.session.scalars(
            select(FicheRevision)
            .where(FicheRevision.fiche_id == fiche.id)
            .order_by(FicheRevision.id.desc())
        )
    )
    entries = []
    after = content_of(fiche)
    for revision in revisions:
        before = revision.content or {}
        entries.append(
            HistoryEntry(
                revision=revision,
                saved_by=revision.saved_by,
                saved_at=revision.saved_at,
                changes=changes_between(before, after),
            )
        )
        after = before
    return entries

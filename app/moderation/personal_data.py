"""What moderation holds about a person, for "My data" (the framework is
app/accounts/personal_data.py)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.accounts import personal_data
from app.accounts.models import Person
from app.accounts.personal_data import PersonalDataProvider, Section, iso, rows
from app.moderation.models import AuthorMeasure as Measure
from app.moderation.models import ModerationAppeal as Appeal
from app.moderation.models import ModerationItem as Item
from app.moderation.models import ModerationReport as Report


def _moderation(person: Person) -> dict[str, Any]:
    return {
        "reports_made": [
            {"why": str(r.reason), "comment": r.comment, "at": iso(r.created_at)}
            for r in rows(select(Report).where(Report.reporter_id == person.id))
        ],
        "your_texts_checked": [
            {
                "kind": i.content_type,
                "status": str(i.status),
                "at": iso(i.created_at),
                "decisions": [
                    {
                        "action": str(d.action),
                        "reason": d.reason,
                        "your_text_before": d.original_text,
                        "at": iso(d.created_at),
                    }
                    for d in i.decisions
                ],
            }
            for i in rows(select(Item).where(Item.author_id == person.id))
        ],
        "appeals": [
            {
                "text": a.text,
                "status": str(a.status),
                "at": iso(a.created_at),
                "closed_at": iso(a.closed_at),
            }
            for a in rows(select(Appeal).where(Appeal.author_id == person.id))
        ],
        "measures": [
            {
                "kind": str(m.kind),
                "from": iso(m.starts_at),
                "until": iso(m.ends_at),
                "reason": m.reason,
                "lifted_at": iso(m.lifted_at),
            }
            for m in rows(select(Measure).where(Measure.person_id == person.id))
        ],
    }


PROVIDER = PersonalDataProvider(
    domain="moderation",
    sections=(Section("moderation", 130, _moderation),),
    exported={
        "moderation_appeals.author_id": "moderation",
        "moderation_items.author_id": "moderation",
        "moderation_measures.person_id": "moderation",
        "moderation_reports.reporter_id": "moderation",
    },
    labels={
        "moderation": _l("Moderation"),
        "reports_made": _l("Reports you made"),
        "your_texts_checked": _l("Your texts checked by moderation"),
        "decisions": _l("Decisions"),
        "action": _l("What was done"),
        "your_text_before": _l("Your text before"),
        "appeals": _l("Your requests to look at a decision again"),
        "closed_at": _l("Closed on"),
        "measures": _l("Measures about you"),
        "from": _l("From"),
        "lifted_at": _l("Lifted on"),
    },
)


def register() -> None:
    """Called by this domain's `init_app`."""
    personal_data.register(PROVIDER)

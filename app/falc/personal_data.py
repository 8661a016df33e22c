"""What the proofreading (relecture) holds about a person, for "My data" and the agreement
to show their name (the framework is app/accounts/personal_data.py)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import db
from app.accounts import personal_data
from app.accounts.models import ConsentKind, Person
from app.accounts.personal_data import PersonalDataProvider, Section, iso, rows
from app.falc.proofreading_models import Proofreader, ProofreadingAssignment, SentenceMark


def _proofreading(person: Person) -> dict[str, Any]:
    return {
        "proofreader": [
            {"since": iso(p.agreed_at), "name_shown": p.show_name, "active": p.active}
            for p in rows(select(Proofreader).where(Proofreader.person_id == person.id))
        ],
        "texts_to_read": [
            {"text": a.proofreading.label, "done_at": iso(a.done_at)}
            for a in rows(
                select(ProofreadingAssignment).where(ProofreadingAssignment.person_id == person.id)
            )
        ],
        "sentences_marked": [
            {
                "text": m.proofreading.label,
                "sentence": m.sentence_index + 1,
                "sentence_understood": m.understood,
                "comment": m.comment,
                "at": iso(m.created_at),
                **m.provenance_export(),
            }
            for m in rows(
                select(SentenceMark)
                .where(SentenceMark.person_id == person.id)
                .order_by(SentenceMark.created_at)
            )
        ],
    }


def _consent_withdrawn(person: Person, kind: ConsentKind) -> None:
    """The person no longer agrees to show their name as a proofreader: it is hidden."""
    if kind != ConsentKind.PROOFREADER_NAME:
        return
    for proofreader in db.session.scalars(
        select(Proofreader).where(Proofreader.person_id == person.id)
    ):
        proofreader.show_name = False


PROVIDER = PersonalDataProvider(
    domain="falc",
    sections=(Section("proofreading", 120, _proofreading),),
    exported={
        "falc_proofreaders.person_id": "proofreading",
        "falc_proofreading_assignments.person_id": "proofreading",
        "falc_sentence_marks.person_id": "proofreading",
    },
    consent_withdrawn=_consent_withdrawn,
    labels={
        "proofreading": _l("Proofreading"),
        "proofreader": _l("Proofreader"),
        "name_shown": _l("Name shown"),
        "active": _l("Active"),
        "texts_to_read": _l("Texts given to you to read"),
        "done_at": _l("Finished on"),
        "sentences_marked": _l("Sentences read"),
        "sentence": _l("Sentence number"),
        "sentence_understood": _l("You understood it"),
    },
)


def register() -> None:
    """Called by this domain's `init_app`."""
    personal_data.register(PROVIDER)

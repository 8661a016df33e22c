"""Correcting the words of a question after the round was announced.

While the round is being prepared, the question editor changes everything (services:
`edit_question`). Once it is announced, people may have read the question, and once it is
open they may have answered it: the words may still be corrected (a typo, a clearer word),
never the meaning. So the text, its easy-to-read version and the words of each possible
answer may change; the kind, the number and the order of the possible answers and their
pictures stay as they are, so that every answer already given keeps its meaning.

Each correction is dated on the question (`edited_at`: "Changed on 8 December" beside it on
the answering pages, the review and the results) and recorded in the audit log with the
names of the parts that changed. The limit: until the round is closed (`Allow.WORDING`).
After closing, the answers are counted on the words people read, so nothing changes."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from app import db
from app.accounts.models import Person
from app.consultations import lifecycle, services
from app.consultations.lifecycle import Allow
from app.consultations.models import Question
from app.core import audit
from app.core.errors import DomainError
from app.core.permissions import require
from app.db import utcnow


def change_question(actor: Person, question: Question, data: services.QuestionData) -> bool:
    """The question editor's "Save": a full change while the round is being prepared, a
    correction of the words after it was announced. False when nothing changed."""
    if lifecycle.allows(question.round, Allow.QUESTIONS):
        services.edit_question(actor, question, data)
        return True
    return correct_question(actor, question, data)


def correct_question(
    actor: Person, question: Question, data: services.QuestionData, now: datetime | None = None
) -> bool:
    """Correct the words of a question of an announced or open round (see the module's
    docstring for what may change). False when the words are the same: nothing is dated."""
    round_ = db.lock(question.round)
    require(actor, "consultations.manage", round_)
    lifecycle.check(round_, Allow.WORDING)
    text, text_easy = data.text.strip(), data.text_easy.strip()
    if not text:
        raise DomainError(_l("Write the question."), field="text")
    if not text_easy:
        raise DomainError(
            _l("People already read this question: keep an easy-to-read version."),
            field="text_easy",
        )
    changed = [
        name
        for name, value in (("text", text), ("text_easy", text_easy))
        if getattr(question, name) != value
    ]
    labels = _corrected_labels(question, data)
    if labels != [c.label for c in question.choices]:
        changed.append("choices")
    if not changed:
        return False
    question.text, question.text_easy = text, text_easy
    for choice, label in zip(question.choices, labels, strict=True):
        choice.label = label
    question.edited_at = now or utcnow()
    db.session.flush()
    audit.record(
        actor,
        "consultation.question_corrected",
        question,
        organisation_id=round_.organisation_id,
        status=round_.status.value,
        changed=",".join(changed),
    )
    return True


def _corrected_labels(question: Question, data: services.QuestionData) -> list[str]:
    """The new words of each possible answer, in the same order; refused when an answer is
    added, removed or given another picture."""
    current = list(question.choices)
    if not question.kind.has_choices or not current:
        return []
    given = [c for c in data.choices if c.label.strip()]
    if question.kind.type.clean_choices(given) != given:
        return [c.label for c in current]  # a kind with fixed answers (yes or no)
    clean = services._clean_choices(question.kind, given)
    if len(clean) != len(current):
        raise DomainError(
            _l(
                "People already read this question. Correct the words of the possible answers, "
                "in the same order: do not add or remove one."
            ),
            field="choices",
        )
    for choice, new in zip(current, clean, strict=True):
        if (new.pictogram or None) != (choice.pictogram or None):
            raise DomainError(
                _l("People already read this question: its pictures cannot change."),
                field="choices",
            )
    return [new.label.strip() for new in clean]

"""Typing in a whole paper questionnaire on one page (for the facilitator, keyboard-fast).

The page sends the questionnaire's code and, for each question, what is on the paper: the
answer, the box "I prefer not to answer", the box "I do not understand this question". This
service saves it all in one go: it finds the questionnaire by its code (as the
question-by-question entry does: `services.start_paper_response`), saves every answer with
the kinds' own rules (`services.save_answer`), counts each ticked "I do not understand" box
as a confusion (`services.record_confusion`, as the button of the answering pages) and sends
the answers. When some answers break a rule, nothing is saved: every refusal is given back at
once, each on its question, so the facilitator corrects them all and sends the page again.

A question left empty on the paper counts as "I prefer not to answer" (the paper says people
may always leave a question). An answer together with "I prefer not to answer" is refused:
the facilitator looks at the paper again."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from app.accounts.models import Person
from app.consultations import services
from app.consultations.kinds import AnswerInput
from app.consultations.models import ConsultationRound, Question, Response
from app.core import audit
from app.core.errors import DomainError


@dataclass
class PaperQuestion:
    """What the paper says for one question. `answer` is None when nothing is written."""

    answer: AnswerInput | None = None
    declined: bool = False
    confused: bool = False


@dataclass
class PaperQuestionnaire:
    code: str
    # By question id; a question missing here was left empty on the paper.
    questions: Mapping[int, PaperQuestion] = field(default_factory=dict)


def field_name(question: Question) -> str:
    """The name of a question's answer on the page (its errors are given under it)."""
    return f"q{question.position}"


class PaperEntryRefused(DomainError):
    """Several answers of the page break a rule: `errors` has one message per field name."""

    def __init__(self, errors: dict[str, Any]) -> None:
        super().__init__(
            _l("Some answers cannot be saved. Correct them, then save the questionnaire again.")
        )
        self.errors = errors


def enter_paper_questionnaire(
    actor: Person, round_: ConsultationRound, data: PaperQuestionnaire
) -> Response:
    """Save and send every answer of one paper questionnaire, or nothing (PaperEntryRefused,
    or the code's refusal on the field "code")."""
    response = services.start_paper_response(actor, round_, data.code)
    errors: dict[str, Any] = {}
    for question in round_.questions:
        given = data.questions.get(question.id) or PaperQuestion()
        name = field_name(question)
        if given.declined and given.answer is not None:
            errors[name] = _l(
                'Both an answer and "I prefer not to answer" are ticked. Look at the paper '
                "again and keep one."
            )
            continue
        answer = given.answer if given.answer is not None else AnswerInput(declined=True)
        try:
            services.save_answer(actor, response, question, answer)
        except DomainError as refused:
            errors[name] = refused.message
    if errors:
        raise PaperEntryRefused(errors)  # the view rolls everything back
    confused = [
        q for q in round_.questions if (data.questions.get(q.id) or PaperQuestion()).confused
    ]
    for question in confused:
        services.record_confusion(actor, response, question)
    services.submit_response(actor, response)
    audit.record(
        actor,
        "consultation.paper_entered",
        response,
        organisation_id=round_.organisation_id,
        questions=len(round_.questions),
        confusions=len(confused),
    )
    return response

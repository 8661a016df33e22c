"""The form of the one-page paper entry: the code, then for each question its answer field
(the kind's own, with short labels and no pictures), "I prefer not to answer" and "I do not
understand this question". Built per round at run time; the rules live in the services."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import BooleanField

from app.consultations.kinds import AnswerInput, kind_of
from app.consultations.models import ConsultationRound, Question
from app.consultations.paper_entry import (
    PaperEntryRefused,
    PaperQuestion,
    PaperQuestionnaire,
    field_name,
)
from app.core.errors import DomainError
from app.core.forms import Form, required_text


def _plain(label: Any) -> Any:
    """A choice's words without its picture: typing from paper needs short labels."""
    return label.striptags() if isinstance(label, Markup) else label


def _answer_field(question: Question) -> Any:
    unbound = kind_of(question).answer_field(question)
    for key in ("choices", "options"):
        if key in unbound.kwargs:
            unbound.kwargs[key] = [(value, _plain(text)) for value, text in unbound.kwargs[key]]
    label = f"{question.position}. {question.easy()}"
    unbound.args = (label, *unbound.args[1:])
    return unbound


class PaperEntryForm(Form):
    """The fields of the questions are added by `paper_entry_form()`."""

    code = required_text(
        _l("Code of the paper questionnaire"),
        16,
        description=_l("It is printed at the top of the questionnaire. For example: P-ACDEFH"),
    )
    questions: list[Question] = []

    def parts(self, question: Question) -> tuple[Any, Any, Any]:
        """The answer field, "I prefer not to answer" and "I do not understand" of a question."""
        name = field_name(question)
        return self[name], self[f"{name}_declined"], self[f"{name}_confused"]

    def questionnaire(self) -> PaperQuestionnaire:
        """What was typed, for `paper_entry.enter_paper_questionnaire`."""
        given = {}
        for question in self.questions:
            answer, declined, confused = self.parts(question)
            kind = kind_of(question)
            given[question.id] = PaperQuestion(
                answer=None
                if kind.is_empty(answer.data)
                else AnswerInput(**kind.form_input(answer.data)),
                declined=bool(declined.data),
                confused=bool(confused.data),
            )
        return PaperQuestionnaire(code=self.code.data or "", questions=given)

    def add_domain_error(self, exc: DomainError) -> None:
        """Every refusal of the page at once: each next to its question, and the summary."""
        super().add_domain_error(exc)
        if isinstance(exc, PaperEntryRefused):
            for name, message in exc.errors.items():
                super().add_domain_error(DomainError(message, field=name))


def paper_entry_form(round_: ConsultationRound) -> PaperEntryForm:
    fields: dict[str, Any] = {"questions": list(round_.questions)}
    for question in round_.questions:
        name = field_name(question)
        fields[name] = _answer_field(question)
        fields[f"{name}_declined"] = BooleanField(_l("I prefer not to answer"))
        fields[f"{name}_confused"] = BooleanField(_l("I do not understand this question"))
    return type("RoundPaperEntryForm", (PaperEntryForm,), fields)()

"""Forms of the answering pages: one question per screen, assisted and paper entry.

The answer field is built for the kind of the question. It only carries the shape of the
input: the rules (an answer is needed, one choice only, text length) live in
`services.save_answer`, which reports them on the field named "answer".
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field, SelectField
from wtforms.validators import InputRequired

from app.consultations.kinds import (
    SCALE_LABELS,  # noqa: F401 (the answering pages show a scale answer with its words)
    QuestionType,
    kind_of,
    pictogram_url,  # noqa: F401 (the answering pages show pictures)
)
from app.consultations.models import Answer, Question
from app.core.forms import ConsentNoteField, Form, required_text

# The submit buttons of the question page all carry name="action".
ACTIONS = ("next", "back", "decline", "confused")


class AnswerForm(Form):
    """The page of one question. `answer` is added by `answer_form()` for the question kind."""

    answer: Field
    kind: QuestionType

    def answer_input(self) -> dict[str, Any]:
        """What the person entered, as keyword arguments for `services.AnswerInput`."""
        return self.kind.form_input(self.answer.data)

    @property
    def is_empty(self) -> bool:
        return self.kind.is_empty(self.answer.data)


def initial_value(question: Question, answer: Answer | None) -> Any:
    """The saved answer, to fill the page in again when the person comes back."""
    if answer is None or answer.declined:
        return None
    return kind_of(question).initial_value(answer)


def answer_form(question: Question, answer: Answer | None = None) -> AnswerForm:
    """The form for `question`. Give the saved `answer` on a GET only: after a POST the page
    shows what was sent (a radio group sent empty must stay empty)."""
    kind = kind_of(question)
    form_class = type(
        "QuestionAnswerForm",
        (AnswerForm,),
        {"answer": kind.answer_field(question), "kind": kind},
    )
    return form_class(data={"answer": initial_value(question, answer)})


class SendForm(Form):
    """The final button of the review page: nothing to fill in, the CSRF token only."""


def optional_int(value: Any) -> int | None:
    """For a select whose first option, "Choose...", has an empty value."""
    return int(value) if value not in (None, "") else None


class AssistForm(Form):
    person_id = SelectField(
        _l("The person you fill in the answers for"),
        coerce=optional_int,
        validators=[InputRequired(_l("Choose the person."))],
    )
    consent_note = ConsentNoteField()


class PaperForm(Form):
    code = required_text(
        _l("Code of the paper questionnaire"),
        16,
        description=_l("It is printed at the top of the questionnaire. For example: P-ACDEFH"),
    )

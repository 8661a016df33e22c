"""Forms of the answering pages: one question per screen, assisted and paper entry.

The answer field is built for the kind of the question. It only carries the shape of the
input: the rules (an answer is needed, one choice only, text length) live in
`services.save_answer`, which reports them on the field named "answer".
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import Field, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from app.consultations.models import SCALE_LABELS, Answer, Question, QuestionKind
from app.consultations.services import SCALE_VALUES
from app.core.forms import MISSING, Form, MultiCheckboxField, strip_filter

SHORT_TEXT_LIMIT = 200
LONG_TEXT_LIMIT = 5000


# The submit buttons of the question page all carry name="action".
ACTIONS = ("next", "back", "decline", "confused")


def pictogram_url(name: str) -> str:
    return url_for("static", filename=f"img/pictograms/{name}.svg")


def picture_label(src: str, alt: Any, text: Any) -> Markup:
    """A choice label with its picture. Every value is escaped: labels come from authors."""
    return Markup(
        '<img class="pictogram" src="{}" alt="{}" width="48" height="48"> <span>{}</span>'
    ).format(src, alt or "", text)


def scale_choices() -> list[tuple[int, Markup]]:
    return [
        (value, picture_label(pictogram_url(f"face-{value}"), "", SCALE_LABELS[value]))
        for value in SCALE_VALUES
    ]


def choice_options(question: Question) -> list[tuple[int, Any]]:
    options: list[tuple[int, Any]] = []
    for choice in question.choices:
        if choice.pictogram:
            label: Any = picture_label(
                pictogram_url(choice.pictogram), choice.pictogram_alt, choice.label
            )
        else:
            label = choice.label
        options.append((choice.id, label))
    return options


class AnswerForm(Form):
    """The page of one question. `answer` is added by `answer_form()` for the question kind."""

    answer: Field
    is_scale: bool = False

    def answer_input(self) -> dict[str, Any]:
        """What the person entered, as keyword arguments for `services.AnswerInput`."""
        data = self.answer.data
        if isinstance(self.answer, MultiCheckboxField):
            return {"choice_ids": [int(v) for v in data or []]}
        if isinstance(self.answer, RadioField):
            if data is None:
                return {}
            return {"value_int": data} if self.is_scale else {"choice_ids": [data]}
        return {"value_text": data or ""}

    @property
    def is_empty(self) -> bool:
        data = self.answer.data
        if isinstance(data, str):
            return not data.strip()
        return not data


def _answer_field(question: Question) -> Field:
    kind = question.kind
    label = _l("Your answer")
    if kind == QuestionKind.SCALE:
        return RadioField(
            label,
            description=_l("Choose the face that shows what you feel."),
            choices=scale_choices(),
            coerce=int,
            validate_choice=False,
        )
    if kind == QuestionKind.MULTIPLE:
        return MultiCheckboxField(
            label,
            description=_l("You can choose several answers."),
            choices=choice_options(question),
            coerce=int,
            validate_choice=False,
        )
    if kind.has_choices:  # one answer: single choice, yes or no
        return RadioField(
            label,
            description=_l("Choose one answer."),
            choices=choice_options(question),
            coerce=int,
            validate_choice=False,
        )
    if kind == QuestionKind.SHORT_TEXT:
        return StringField(
            label,
            description=_l("A few words. %(n)s characters at most.", n=SHORT_TEXT_LIMIT),
        )
    return TextAreaField(
        label,
        description=_l("Write as much as you want, up to %(n)s characters.", n=LONG_TEXT_LIMIT),
    )


def initial_value(question: Question, answer: Answer | None) -> Any:
    """The saved answer, to fill the page in again when the person comes back."""
    if answer is None or answer.declined:
        return None
    if question.kind == QuestionKind.SCALE:
        return answer.value_int
    if question.kind == QuestionKind.MULTIPLE:
        return [s.choice_id for s in answer.selections]
    if question.kind.has_choices:
        return answer.selections[0].choice_id if answer.selections else None
    return answer.value_text


def answer_form(question: Question, answer: Answer | None = None) -> AnswerForm:
    """The form for `question`. Give the saved `answer` on a GET only: after a POST the page
    shows what was sent (a radio group sent empty must stay empty)."""
    form_class = type(
        "QuestionAnswerForm",
        (AnswerForm,),
        {"answer": _answer_field(question), "is_scale": question.kind == QuestionKind.SCALE},
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
    consent_note = TextAreaField(
        _l("How did the person agree?"),
        description=_l("For example: she asked me to write her answers during the meeting."),
        filters=[strip_filter],
        validators=[DataRequired(MISSING), Length(min=5, max=1000)],
    )


class PaperForm(Form):
    code = StringField(
        _l("Code of the paper questionnaire"),
        description=_l("It is printed at the top of the questionnaire. For example: P-ACDEFH"),
        filters=[strip_filter],
        validators=[DataRequired(MISSING), Length(max=16)],
    )

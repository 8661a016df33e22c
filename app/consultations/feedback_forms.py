"""Forms of the feedback pages: where an item stands (also part of the item's form), its
dated news, and an evaluation typed in from a paper questionnaire. Shapes only: the rules
(the reason of "not kept", a progress from 0 to 100...) are in app/consultations/feedback.py."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.consultations.models import FEEDBACK_STATUS_LABELS, FeedbackStatus
from app.core.forms import ConsentNoteField, Form, optional_text, strip_filter


def status_field() -> RadioField:
    return RadioField(
        _l("Where it stands"),
        choices=[(status.value, label) for status, label in FEEDBACK_STATUS_LABELS.items()],
        default=FeedbackStatus.UNDER_STUDY.value,
        # Not sent (an older page): a new item is "under study", a changed one stays as it is.
        validators=[Optional()],
    )


def progress_field() -> IntegerField:
    return IntegerField(
        _l("Progress, in percent"),
        description=_l("A number from 0 to 100. Leave it empty if it does not apply."),
        validators=[Optional(), NumberRange(0, 100, _l("Write a number between 0 and 100."))],
    )


def reason_field() -> Any:
    return optional_text(
        _l("Why it is not kept"),
        2000,
        description=_l('Needed for "Not kept". Say why in simple words: people will read it.'),
        field_class=TextAreaField,
    )


class FeedbackNewsForm(Form):
    """Dated news of an item."""

    status = status_field()
    progress = progress_field()
    text = optional_text(
        _l("The news"),
        5000,
        description=_l("What happened since the last news."),
        field_class=TextAreaField,
    )
    text_easy = optional_text(
        _l("The news, easy-to-read version"),
        5000,
        description=_l("Short sentences, common words. People read this version first."),
        field_class=TextAreaField,
    )
    reason = reason_field()


def _evaluation_field(name: str) -> RadioField:
    from app.consultations.models import EVALUATION_ANSWER_LABELS, EVALUATION_QUESTIONS

    return RadioField(
        EVALUATION_QUESTIONS[name],
        choices=[(a.value, label) for a, label in EVALUATION_ANSWER_LABELS.items()],
        validators=[InputRequired(_l('Choose an answer, or choose "I prefer not to answer".'))],
    )


class PaperEvaluationForm(Form):
    """The evaluation written on paper, typed in by a facilitator."""

    code = SelectField(
        _l("Code of the paper questionnaire"),
        description=_l("The questionnaires already typed in, without their evaluation yet."),
        validators=[InputRequired(_l("Choose the code."))],
    )
    understood = _evaluation_field("understood")
    could_speak = _evaluation_field("could_speak")
    costs_covered = _evaluation_field("costs_covered")
    sees_change = _evaluation_field("sees_change")
    comment = TextAreaField(
        _l("Something else the person wrote?"),
        filters=[strip_filter],
        validators=[Length(max=2000)],
    )
    consent_note = ConsentNoteField()

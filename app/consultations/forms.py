"""Forms of the authoring, lifecycle and feedback pages."""

from __future__ import annotations

from datetime import datetime, time

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.consultations.feedback_forms import progress_field, reason_field, status_field
from app.consultations.kinds import KINDS, ChoiceData, editor_help
from app.core import calendar
from app.core.dates import DayField
from app.core.forms import MISSING, Form, optional_text, required_text, strip_filter

BAD_DATE = _l("Write a date like this: 21/03/2027.")


def day_start(day) -> datetime:  # noqa: ANN001
    """A day chosen in France, as the UTC moment it starts (9:00 there)."""
    return calendar.at(day, time(9, 0))


def day_end(day) -> datetime:  # noqa: ANN001
    return calendar.at(day, time(23, 59))


def easy_hint() -> str:
    return _l(
        "Short sentences, common words, one idea per sentence. People read this version first."
    )


class RoundForm(Form):
    field_aliases = {
        "opens_at": "opens_on",
        "closes_at": "closes_on",
        "feedback_due_at": "feedback_due_on",
    }
    organisation_id = SelectField(
        _l("Organisation"), coerce=int, validators=[InputRequired(MISSING)]
    )
    title = StringField(
        _l("Title"), filters=[strip_filter], validators=[DataRequired(MISSING), Length(max=200)]
    )
    title_easy = StringField(
        _l("Title, easy-to-read version"),
        description=easy_hint(),
        filters=[strip_filter],
        validators=[Length(max=200)],
    )
    subject = TextAreaField(
        _l("What is it about?"), filters=[strip_filter], validators=[Length(max=5000)]
    )
    subject_easy = TextAreaField(
        _l("What is it about? Easy-to-read version"),
        description=easy_hint(),
        filters=[strip_filter],
        validators=[Length(max=5000)],
    )
    why = TextAreaField(
        _l("Why your opinion matters"), filters=[strip_filter], validators=[Length(max=5000)]
    )
    why_easy = TextAreaField(
        _l("Why your opinion matters, easy-to-read version"),
        filters=[strip_filter],
        validators=[Length(max=5000)],
    )
    what_next = TextAreaField(
        _l("What will be done with the answers"),
        filters=[strip_filter],
        validators=[Length(max=5000)],
    )
    what_next_easy = TextAreaField(
        _l("What will be done with the answers, easy-to-read version"),
        filters=[strip_filter],
        validators=[Length(max=5000)],
    )
    costs_covered = TextAreaField(
        _l("Costs paid for people who take part"),
        description=_l("For example: bus ticket, meal, childcare."),
        filters=[strip_filter],
        validators=[Length(max=2000)],
    )
    contact_name = StringField(
        _l("Who to ask for help"),
        description=_l("A first name and a phone number, or the name of the team."),
        filters=[strip_filter],
        validators=[Length(max=120)],
    )
    pictogram = optional_text(
        _l("Picture on the home page of the people invited"),
        80,
        description=_l("A word, in French or in English. For example: maison. Empty: no picture."),
    )
    discussion_enabled = BooleanField(
        _l("Open a discussion space"),
        description=_l("Invited people can write messages to each other. A person checks them."),
    )
    discussion_moderation = SelectField(
        _l("Messages of the discussion"),
        choices=[
            ("", _l("As the organisation decides")),
            ("post", _l("Shown at once. A person checks them after.")),
            ("pre", _l("A person checks them before they are shown.")),
        ],
        validators=[Optional()],
    )
    opens_on = DayField(
        _l("Opening day"),
        description=_l("For example: 21/03/2027"),
        validators=[InputRequired(BAD_DATE)],
    )
    closes_on = DayField(
        _l("Closing day"),
        description=_l("For example: 21/03/2027"),
        validators=[InputRequired(BAD_DATE)],
    )
    feedback_due_on = DayField(
        _l("Feedback to people at the latest on"),
        description=_l("Leave empty for 2 months after closing."),
        validators=[Optional()],
    )


class QuestionForm(Form):
    kind = SelectField(
        _l("Kind of question"),
        choices=[(k.value, kind.label) for k, kind in KINDS.items()],
        description=editor_help(),
        validators=[InputRequired(MISSING)],
    )
    text = required_text(_l("The question"), 1000, field_class=TextAreaField)
    text_easy = TextAreaField(
        _l("The question, easy-to-read version"),
        description=easy_hint(),
        filters=[strip_filter],
        validators=[Length(max=1000)],
    )
    choices = TextAreaField(
        _l("Possible answers"),
        description=_l(
            "One answer per line. To add a picture, write a word after a | sign, for example: A flat | maison. Find the pictures below."
        ),
        filters=[strip_filter],
        validators=[Length(max=3000)],
    )
    # Its choices are set by the view: the answers of the questions before this one
    # (app/consultations/conditions.py); the service checks the choice.
    condition_choice_id = SelectField(
        _l("Show this question only if the answer to an earlier question is"),
        description=_l("The other people do not see it: they go to the next question."),
        coerce=int,
        default=0,
        choices=[],
    )

    def choice_list(self) -> list[ChoiceData]:
        """The possible answers, one a line, each with the name of its picture after a "|"
        ("A flat | house"); empty lines are left out. The service checks the names."""
        choices = []
        for line in (self.choices.data or "").splitlines():
            label, _sep, picture = line.partition("|")
            if label.strip():
                choices.append(ChoiceData(label.strip(), picture.strip() or None))
        return choices


class StepForm(Form):
    """The button of a step of the round (announce, open, close...). `confirm` is "1" when
    the author saw the easy-to-read alerts and publishes anyway, or opens (closes) the round
    before its own date."""

    confirm = HiddenField()


class InviteForm(Form):
    person_ids = SelectField(
        _l("Person to invite"), coerce=int, validators=[InputRequired(MISSING)]
    )


class PaperCodesForm(Form):
    count = IntegerField(
        _l("Number of paper questionnaires"),
        validators=[
            InputRequired(_l("Write a number.")),
            NumberRange(1, 500, _l("Choose a number between 1 and 500.")),
        ],
    )


class FeedbackForm(Form):
    question_id = SelectField(_l("Question"), coerce=int, validators=[Optional()])
    theme = StringField(
        _l("Theme"),
        description=_l("If the feedback is about several questions."),
        filters=[strip_filter],
        validators=[Length(max=200)],
    )
    you_said = required_text(
        _l("You said"),
        5000,
        description=_l(
            'A summary of what people answered. The page writes "You said:" before it: do not write it.'
        ),
        field_class=TextAreaField,
    )
    you_said_easy = required_text(
        _l("You said, easy-to-read version"),
        5000,
        description=_l('The page writes "You said:" before it: do not write it.'),
        field_class=TextAreaField,
    )
    we_did = required_text(
        _l("We did, or we will do"),
        5000,
        description=_l("The decision, who decided, and when."),
        field_class=TextAreaField,
    )
    we_did_easy = required_text(_l("We did, easy-to-read version"), 5000, field_class=TextAreaField)
    who = StringField(_l("Who acts"), filters=[strip_filter], validators=[Length(max=200)])
    when = StringField(
        _l("When"),
        description=_l("A date like 31/12/2027 is followed: the kit asks for news after it."),
        filters=[strip_filter],
        validators=[Length(max=200)],
    )
    # Where it stands (app/consultations/feedback_forms.py).
    status = status_field()
    progress = progress_field()
    reason = reason_field()


def _evaluation_field(name: str) -> RadioField:
    from app.consultations.models import EVALUATION_ANSWER_LABELS, EVALUATION_QUESTIONS

    return RadioField(
        EVALUATION_QUESTIONS[name],
        choices=[(a.value, label) for a, label in EVALUATION_ANSWER_LABELS.items()],
        validators=[InputRequired(_l('Choose an answer, or choose "I prefer not to answer".'))],
    )


class EvaluationForm(Form):
    understood = _evaluation_field("understood")
    could_speak = _evaluation_field("could_speak")
    costs_covered = _evaluation_field("costs_covered")
    sees_change = _evaluation_field("sees_change")
    comment = TextAreaField(
        _l("Something else to tell us?"), filters=[strip_filter], validators=[Length(max=2000)]
    )


class CommentForm(Form):
    question_id = SelectField(_l("About"), coerce=int, validators=[Optional()])
    body = required_text(
        _l("Your message"),
        2000,
        description=_l("Everybody invited can read it. Do not write phone numbers or addresses."),
        field_class=TextAreaField,
    )

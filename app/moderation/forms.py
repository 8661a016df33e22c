"""Moderation forms. Choices that depend on the organisation are set by the views."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.core.forms import MISSING, Form, optional_text, required_text
from app.moderation.models import ACTION_LABELS, POLICY_LABELS, REPORT_LABELS

CHOOSE = _l("Choose one answer.")


class DecisionForm(Form):
    action = RadioField(
        _l("Your decision"),
        choices=[(a.value, label) for a, label in ACTION_LABELS.items()],
        validators=[InputRequired(CHOOSE)],
    )
    reason_id = SelectField(
        _l("Reason for the author"),
        description=_l("The author reads this sentence."),
        coerce=int,
        validators=[Optional()],
    )
    note = optional_text(_l("A few words more for the author"), 1000, field_class=TextAreaField)
    redacted = optional_text(
        _l("Text without the personal information"),
        5000,
        description=_l("Only for “Publish without the personal information”. Change the text."),
        field_class=TextAreaField,
    )


class MeasureForm(Form):
    reason_id = SelectField(_l("Reason for the author"), coerce=int, validators=[Optional()])


class BanForm(Form):
    reason = required_text(
        _l("Why this person may not write any more"),
        1000,
        description=_l("The person reads it. Write it simply."),
        field_class=TextAreaField,
    )


class ReportForm(Form):
    reason = RadioField(
        _l("What is the problem?"),
        choices=[(r.value, label) for r, label in REPORT_LABELS.items()],
        validators=[InputRequired(CHOOSE)],
    )
    comment = optional_text(_l("Do you want to say more?"), 500, field_class=TextAreaField)


class EditForm(Form):
    body = required_text(
        _l("Your message"),
        2000,
        description=_l("Everybody invited can read it. Do not write phone numbers or addresses."),
        field_class=TextAreaField,
    )


class AppealForm(Form):
    text = optional_text(
        _l("Why do you disagree?"),
        1000,
        description=_l("You can leave it empty. Another moderator will look at your message."),
        field_class=TextAreaField,
    )


class SettingsForm(Form):
    default_policy = RadioField(
        _l("Messages in this organisation"),
        choices=[(p.value, label) for p, label in POLICY_LABELS.items()],
        validators=[InputRequired(CHOOSE)],
    )
    referent_id = SelectField(
        _l("Referent"),
        description=_l("This person receives the urgent alerts."),
        coerce=int,
        validators=[Optional()],
    )
    premoderation_days = IntegerField(
        _l("Days of checks before publication, after abuse"),
        validators=[InputRequired(MISSING), NumberRange(min=1, max=90)],
    )
    pause_days = IntegerField(
        _l("Days of pause, after more abuse"),
        validators=[InputRequired(MISSING), NumberRange(min=1, max=90)],
    )
    insults = TextAreaField(
        _l("Insults to hold"),
        description=_l("One per line. Empty: the list of Parole."),
        validators=[Optional(), Length(max=20000)],
    )
    distress = TextAreaField(
        _l("More words of distress"),
        description=_l("One per line. They add to the list of Parole."),
        validators=[Optional(), Length(max=20000)],
    )
    staff_names = TextAreaField(
        _l("Names of staff members who have no account"),
        description=_l("One per line. A message with one of these names waits for a check."),
        validators=[Optional(), Length(max=20000)],
    )


class ReasonForm(Form):
    text = required_text(_l("Reason"), 300, field_class=TextAreaField)
    active = BooleanField(_l("Moderators can choose it"), default=True)

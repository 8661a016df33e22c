"""Moderation forms. Choices that depend on the organisation are set by the views."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.core.forms import MISSING, Form, strip_filter
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
    note = TextAreaField(
        _l("A few words more for the author"),
        filters=[strip_filter],
        validators=[Optional(), Length(max=1000)],
    )
    redacted = TextAreaField(
        _l("Text without the personal information"),
        description=_l("Only for “Publish without the personal information”. Change the text."),
        filters=[strip_filter],
        validators=[Optional(), Length(max=5000)],
    )


class MeasureForm(Form):
    reason_id = SelectField(_l("Reason for the author"), coerce=int, validators=[Optional()])


class BanForm(Form):
    reason = TextAreaField(
        _l("Why this person may not write any more"),
        description=_l("The person reads it. Write it simply."),
        filters=[strip_filter],
        validators=[DataRequired(MISSING), Length(max=1000)],
    )


class ReportForm(Form):
    reason = RadioField(
        _l("What is the problem?"),
        choices=[(r.value, label) for r, label in REPORT_LABELS.items()],
        validators=[InputRequired(CHOOSE)],
    )
    comment = TextAreaField(
        _l("Do you want to say more?"),
        filters=[strip_filter],
        validators=[Optional(), Length(max=500)],
    )


class EditForm(Form):
    body = TextAreaField(
        _l("Your message"),
        description=_l("Everybody invited can read it. Do not write phone numbers or addresses."),
        filters=[strip_filter],
        validators=[DataRequired(MISSING), Length(max=2000)],
    )


class AppealForm(Form):
    text = TextAreaField(
        _l("Why do you disagree?"),
        description=_l("You can leave it empty. Another moderator will look at your message."),
        filters=[strip_filter],
        validators=[Optional(), Length(max=1000)],
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
    text = TextAreaField(
        _l("Reason"),
        filters=[strip_filter],
        validators=[DataRequired(MISSING), Length(max=300)],
    )
    active = BooleanField(_l("Moderators can choose it"), default=True)

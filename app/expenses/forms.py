"""Expense forms. Amounts stay strings here: the service reads them the French way."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.core.forms import MISSING, ConsentNoteField, Form, MultiCheckboxField, strip_filter
from app.expenses import categories
from app.expenses.models import ACTIVITY_LABELS, KIND_LABELS, METHOD_LABELS, PayChoice

CHOOSE = _l("Choose one answer.")
AMOUNT_HINT = _l("For example: 12,50")


class NewRequestForm(Form):
    organisation_id = SelectField(_l("Who pays?"), coerce=int, validators=[InputRequired(MISSING)])
    kind = RadioField(
        _l("What do you ask for?"),
        choices=[(k.value, label) for k, label in KIND_LABELS.items()],
        validators=[InputRequired(CHOOSE)],
    )
    activity_type = RadioField(
        _l("For which activity?"),
        choices=[(a.value, label) for a, label in ACTIVITY_LABELS.items()],
        validators=[InputRequired(CHOOSE)],
    )
    activity_label = StringField(
        _l("Name of the activity"),
        description=_l("For example: meeting of 3 March about housing."),
        filters=[strip_filter],
        validators=[Optional(), Length(max=300)],
    )
    activity_on = DateField(
        _l("Day of the activity"),
        description=_l("For example: 21/03/2027"),
        format=["%d/%m/%Y", "%Y-%m-%d"],
        validators=[Optional()],
    )
    consent_note = ConsentNoteField(required=False)


class LineForm(Form):
    category = SelectField(
        _l("What did you pay for?"),
        choices=categories.choices(),
        validators=[InputRequired(CHOOSE)],
    )
    amount = StringField(
        _l("Amount in euros"),
        description=_l("For example: 12,50. Not needed for a car or a meal at the flat rate."),
        filters=[strip_filter],
        validators=[Optional(), Length(max=20)],
    )
    kilometres = StringField(
        _l("Kilometres, for a car"),
        filters=[strip_filter],
        validators=[Optional(), Length(max=20)],
    )
    hours = StringField(
        _l("Hours of childcare"),
        description=_l("Or write the amount you paid."),
        filters=[strip_filter],
        validators=[Optional(), Length(max=20)],
    )
    flat_rate = BooleanField(_l("Meal at the flat rate (no receipt needed)"))
    description = StringField(
        _l("What was it?"),
        description=_l("For example: train Lille to Arras."),
        filters=[strip_filter],
        validators=[Optional(), Length(max=300)],
    )


class ReceiptForm(Form):
    receipt = FileField(
        _l("Photo or PDF of the receipt"),
        description=_l("You can take a photo with your phone."),
        render_kw={"accept": "image/*,application/pdf"},
        validators=[DataRequired(_l("Choose a photo or a PDF."))],
    )


class PayForm(Form):
    notice_read = BooleanField(_l("I have read this information."))
    pay_choice = RadioField(
        _l("What do you choose?"),
        choices=[
            (PayChoice.PAID.value, _l("I want to be paid")),
            (PayChoice.REIMBURSED_ONLY.value, _l("Only pay back my costs")),
            (PayChoice.VOLUNTEER.value, _l("I come as a volunteer")),
        ],
        validators=[InputRequired(CHOOSE)],
    )
    hours = StringField(
        _l("Hours of work"), filters=[strip_filter], validators=[Optional(), Length(max=20)]
    )
    hourly_rate = StringField(
        _l("Pay per hour, in euros"),
        description=AMOUNT_HINT,
        filters=[strip_filter],
        validators=[Optional(), Length(max=20)],
    )


class CompensationForm(Form):
    amount = StringField(
        _l("Amount for the time spent, in euros"),
        description=_l("Use the rates of your organisation. For example: 45,50"),
        filters=[strip_filter],
        validators=[DataRequired(_l("Write the amount, for example 12,50.")), Length(max=20)],
    )


class ReviewForm(Form):
    decision = RadioField(
        _l("Your decision"),
        choices=[
            ("approve", _l("Accept (all or part)")),
            ("needs_info", _l("Ask for more information")),
            ("refuse", _l("Refuse")),
        ],
        validators=[InputRequired(CHOOSE)],
    )
    reason = TextAreaField(
        _l("Reason for the person"),
        description=_l("Needed to refuse, to accept less, or to ask a question. Simple words."),
        filters=[strip_filter],
        validators=[Optional(), Length(max=1000)],
    )


class PaymentForm(Form):
    method = RadioField(
        _l("How was it paid?"),
        choices=[(m.value, label) for m, label in METHOD_LABELS.items()],
        validators=[InputRequired(CHOOSE)],
    )
    reference = StringField(
        _l("Reference"),
        description=_l("For example: the transfer number or the receipt book page."),
        filters=[strip_filter],
        validators=[Optional(), Length(max=120)],
    )
    handed_over_by_id = SelectField(_l("Who handed it over?"), coerce=int, validators=[Optional()])
    third_party_name = StringField(
        _l("Who received the money?"),
        filters=[strip_filter],
        validators=[Optional(), Length(max=200)],
    )


class BankForm(Form):
    iban = StringField(
        _l("IBAN"),
        description=_l("It is on your bank paper (RIB). It starts with FR76 in France."),
        filters=[strip_filter],
        validators=[DataRequired(MISSING), Length(max=50)],
    )
    holder_name = StringField(
        _l("Name of the account holder"),
        filters=[strip_filter],
        validators=[Optional(), Length(max=200)],
    )


class ExpenseSettingsForm(Form):
    km_rate = StringField(_l("Rate per kilometre, in euros"), validators=[DataRequired(MISSING)])
    meal_flat_rate = StringField(_l("Meal flat rate, in euros"), validators=[DataRequired(MISSING)])
    childcare_hourly_rate = StringField(
        _l("Childcare per hour, in euros"), validators=[DataRequired(MISSING)]
    )
    sworn_categories = MultiCheckboxField(
        _l("Costs that can be declared without a receipt"),
        choices=categories.choices(),
    )
    sworn_ceiling = StringField(
        _l("Limit without a receipt, per cost, in euros"), validators=[DataRequired(MISSING)]
    )
    second_approval_above = StringField(
        _l("Two people check a request above, in euros"), validators=[DataRequired(MISSING)]
    )
    payment_days = StringField(
        _l("Days to pay after acceptance"), validators=[DataRequired(MISSING)]
    )

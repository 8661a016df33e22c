"""Expense forms. Amounts stay strings here: the service reads them the French way."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.core.dates import DayField
from app.core.forms import (
    MISSING,
    ConsentNoteField,
    Form,
    optional_text,
    required_text,
    strip_filter,
)
from app.expenses import categories, mileage
from app.expenses.models import ACTIVITY_LABELS, KIND_LABELS, METHOD_LABELS, PayChoice

CHOOSE = _l("Choose one answer.")
AMOUNT_HINT = _l("For example: 12,50")


class NewRequestForm(Form):
    organisation_id = SelectField(_l("Who pays?"), coerce=int, validators=[InputRequired(MISSING)])
    kind = RadioField(
        _l("What do you ask for?"),
        choices=[(k.value, label) for k, label in KIND_LABELS.items() if k.person_asks],
        validators=[InputRequired(CHOOSE)],
    )
    activity_type = RadioField(
        _l("For which activity?"),
        choices=[(a.value, label) for a, label in ACTIVITY_LABELS.items()],
        validators=[InputRequired(CHOOSE)],
    )
    activity_label = optional_text(
        _l("Name of the activity"),
        300,
        description=_l("For example: meeting of 3 March about housing."),
    )
    activity_on = DayField(
        _l("Day of the activity"),
        description=_l("For example: 21/03/2027"),
        validators=[Optional()],
    )
    consent_note = ConsentNoteField(required=False)


class LineForm(Form):
    category = SelectField(
        _l("What did you pay for?"),
        choices=categories.choices(),
        validators=[InputRequired(CHOOSE)],
    )
    amount = optional_text(
        _l("Amount in euros"),
        20,
        description=_l("For example: 12,50. Not needed for a car or a meal at the flat rate."),
    )
    kilometres = optional_text(
        _l("Kilometres, for a car"),
        20,
        description=_l("The distance you drove, there and back. For example: 32."),
    )
    vehicle_power = RadioField(
        _l("Power of the car"),
        choices=mileage.power_choices(),
        description=_l("It is on the registration paper (carte grise), at P.6."),
        validators=[Optional()],
    )
    electric = BooleanField(_l("It is an electric car"))
    from_place = optional_text(
        _l("Leaving from, for a car"), 120, description=_l("For example: 3 rue des Lilas, Arras.")
    )
    to_place = optional_text(
        _l("Going to, for a car"), 120, description=_l("For example: centre social, Lens.")
    )
    hours = optional_text(
        _l("Hours of childcare"), 20, description=_l("Or write the amount you paid.")
    )
    flat_rate = BooleanField(_l("Meal at the flat rate (no receipt needed)"))
    description = optional_text(
        _l("What was it?"), 300, description=_l("For example: train Lille to Arras.")
    )


class StatementForm(Form):
    """The sworn statement of one cost: the box's label is the exact sentence (set by the
    view); the consent note is shown to a facilitator who signs for the person."""

    agreed = BooleanField(_l("I declare on my honour that this cost is real."))
    consent_note = ConsentNoteField(required=False)


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
    hours = optional_text(_l("Hours of work"), 20)
    hourly_rate = optional_text(_l("Pay per hour, in euros"), 20, description=AMOUNT_HINT)


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
    reason = optional_text(
        _l("Reason for the person"),
        1000,
        description=_l("Needed to refuse, to accept less, or to ask a question. Simple words."),
        field_class=TextAreaField,
    )


class PaymentForm(Form):
    method = RadioField(
        _l("How was it paid?"),
        choices=[(m.value, label) for m, label in METHOD_LABELS.items()],
        validators=[InputRequired(CHOOSE)],
    )
    reference = optional_text(
        _l("Reference"),
        120,
        description=_l("For example: the transfer number or the receipt book page."),
    )
    handed_over_by_id = SelectField(_l("Who handed it over?"), coerce=int, validators=[Optional()])
    third_party_name = optional_text(_l("Who received the money?"), 200)


class BankForm(Form):
    iban = required_text(
        _l("IBAN"),
        50,
        description=_l("It is on your bank paper (RIB). It starts with FR76 in France."),
    )
    holder_name = optional_text(_l("Name of the account holder"), 200)


class ExpenseSettingsForm(Form):
    km_rate = StringField(
        _l("Rate per kilometre, in euros"),
        description=_l("Leave it empty to use the tax scale (barème kilométrique) for the car."),
        filters=[strip_filter],
        validators=[Optional(), Length(max=20)],
    )
    meal_flat_rate = StringField(_l("Meal flat rate, in euros"), validators=[DataRequired(MISSING)])
    childcare_hourly_rate = StringField(
        _l("Childcare per hour, in euros"), validators=[DataRequired(MISSING)]
    )
    second_approval_above = StringField(
        _l("Two people check a request above, in euros"), validators=[DataRequired(MISSING)]
    )
    payment_days = StringField(
        _l("Days to pay after acceptance"), validators=[DataRequired(MISSING)]
    )


def _add_rule_fields(form_class: type[ExpenseSettingsForm]) -> None:
    """For every kind of cost of the table, a box "allowed without a receipt" (`sworn_<kind>`)
    and its limit (`ceiling_<kind>`, empty: no limit), shown as a table on the settings page."""
    for value, label in categories.choices():
        setattr(
            form_class,
            f"sworn_{value}",
            BooleanField(_l("%(cost)s: allowed without a receipt", cost=label)),
        )
        setattr(
            form_class,
            f"ceiling_{value}",
            StringField(
                _l("%(cost)s: limit in euros", cost=label),
                description=_l("Empty: no limit."),
                filters=[strip_filter],
                validators=[Optional(), Length(max=20)],
            ),
        )


_add_rule_fields(ExpenseSettingsForm)

"""Forms of how a person is paid and of a direct purchase. Amounts stay strings here: the
services read them the French way."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import RadioField, SelectField
from wtforms.validators import DataRequired, InputRequired, Optional

from app.core.forms import MISSING, ConsentNoteField, Form, optional_text, required_text
from app.expenses import categories
from app.expenses.payment_models import PAYEE_METHOD_LABELS, PAYEE_ROLE_LABELS

CHOOSE = _l("Choose one answer.")


class PreferenceForm(Form):
    method = RadioField(
        _l("How do you want to be paid?"),
        choices=[(m.value, label) for m, label in PAYEE_METHOD_LABELS.items()],
        validators=[InputRequired(CHOOSE)],
    )
    iban = optional_text(
        _l("IBAN of the account to pay"),
        50,
        description=_l(
            "For a transfer. It is on the bank paper (RIB). Leave it empty to keep the one saved."
        ),
    )
    third_party_name = optional_text(
        _l("Name of the person who manages your money"),
        200,
        description=_l("Only if they receive the money for you."),
    )
    third_party_role = SelectField(
        _l("Their role"),
        choices=[("", _l("Choose"))] + [(r.value, label) for r, label in PAYEE_ROLE_LABELS.items()],
        validators=[Optional()],
    )
    document = FileField(
        _l("Photo or PDF of the judge's decision"),
        description=_l("Only for a guardian or curator. It shows who manages your money."),
        render_kw={"accept": "image/*,application/pdf"},
    )
    consent_note = ConsentNoteField(required=False)


class DirectPurchaseForm(Form):
    person_id = SelectField(_l("For whom?"), coerce=int, validators=[InputRequired(MISSING)])
    activity_label = required_text(
        _l("Name of the activity"),
        300,
        description=_l("For example: meeting of 3 March about housing."),
    )
    category = SelectField(
        _l("What did the organisation buy?"),
        choices=categories.choices(),
        validators=[InputRequired(CHOOSE)],
    )
    what = required_text(
        _l("What was it?"), 300, description=_l("For example: train ticket Lille to Arras.")
    )
    supplier = required_text(
        _l("Supplier"), 200, description=_l("Who the organisation pays. For example: SNCF.")
    )
    amount = required_text(_l("Amount in euros"), 20, description=_l("For example: 23,40"))
    invoice = FileField(
        _l("Photo or PDF of the invoice"),
        render_kw={"accept": "image/*,application/pdf"},
        validators=[DataRequired(_l("Choose a photo or a PDF."))],
    )

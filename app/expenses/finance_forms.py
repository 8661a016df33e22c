"""Forms of finance's queue: the filters (a GET form) and a batch of requests ticked."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import DataRequired, Optional

from app.core.forms import Form, MultiCheckboxField, optional_text, required_text
from app.expenses.finance import QUEUE_STATES
from app.expenses.models import KIND_STAFF_LABELS, STATUS_LABELS


class QueueFilterForm(Form):
    """What the queue shows: nothing to protect, the page is read only."""

    class Meta:
        csrf = False

    organisation = SelectField(_l("Organisation"), validators=[Optional()])
    kind = SelectField(
        _l("Kind of request"),
        choices=[("", _l("All kinds"))]
        + [(k.value, label) for k, label in KIND_STAFF_LABELS.items()],
        validators=[Optional()],
    )
    state = SelectField(
        _l("State"),
        choices=[("", _l("All states"))] + [(s.value, STATUS_LABELS[s]) for s in QUEUE_STATES],
        validators=[Optional()],
    )


class BatchForm(Form):
    request_ids = MultiCheckboxField(
        _l("Requests ticked"),
        coerce=int,
        validators=[DataRequired(_l("Tick at least one request."))],
    )
    action = SelectField(
        _l("What to do"),
        choices=[("approve", _l("Accept")), ("pay", _l("Pay by bank transfer"))],
        validators=[DataRequired()],
    )
    reference = optional_text(
        _l("Reference of the transfers"),
        120,
        description=_l("For example the number on the bank's order. Only to pay."),
    )


class AccountForm(Form):
    holder = required_text(_l("Name of the account holder"), 70)
    iban = required_text(_l("IBAN of the organisation's account"), 50)
    bic = required_text(_l("BIC of the bank"), 15, description=_l("8 or 11 letters and digits."))


def _ledger_fields() -> dict[str, Any]:
    from app.expenses.accounting import suggested
    from app.expenses.categories import CATEGORIES

    natures = {
        "pay": _l("Pay for work"),
        "compensation": _l("Compensation for time"),
        "advance": _l("Advances to people"),
        "bank": _l("Bank"),
        "cash": _l("Cash box"),
    }
    labels = {c.value: rule.label for c, rule in CATEGORIES.items()} | natures
    accounts = suggested()
    return {
        f"ledger_{key}": optional_text(
            label, 20, description=_l("Suggested: %(account)s", account=accounts[key])
        )
        for key, label in labels.items()
    }


# One optional account number per kind of cost and per other line of an entry.
LedgerForm = type("LedgerForm", (Form,), {"__module__": __name__, **_ledger_fields()})
LEDGER_KEYS = [name.removeprefix("ledger_") for name in _ledger_fields()]

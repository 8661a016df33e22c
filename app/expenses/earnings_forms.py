"""The organisation's reference amounts for the earnings warning (one optional amount per
benefit; empty: the documented default)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Length, Optional, ValidationError

from app.core.errors import DomainError
from app.core.forms import Form, strip_filter
from app.expenses import money
from app.expenses.earnings import DEFAULT_THRESHOLDS


class ThresholdsForm(Form):
    def amounts(self) -> dict[str, Decimal | None]:
        return {
            t.key: money.parse_amount(self[t.key].data, t.key) if self[t.key].data else None
            for t in DEFAULT_THRESHOLDS
        }


def _validate(form: Any, field: Any) -> None:
    if field.data:
        try:
            money.parse_amount(field.data, field.name)
        except DomainError as error:
            raise ValidationError(str(error)) from None


for _threshold in DEFAULT_THRESHOLDS:
    setattr(
        ThresholdsForm,
        _threshold.key,
        StringField(
            _l(
                "%(benefit)s: amount in a year, in euros",
                benefit=_threshold.benefit[:1].upper() + _threshold.benefit[1:],
            ),
            description=_l("Leave it empty to use the amount of reference, shown above."),
            filters=[strip_filter],
            validators=[Optional(), Length(max=20), _validate],
        ),
    )

"""Forms of the easy-read pages owned by the lead (glossary)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from app.core.forms import MISSING, Form, strip_filter


class GlossaryForm(Form):
    term = StringField(
        _l("Word or initials"),
        description=_l("For example: RSA"),
        filters=[strip_filter],
        validators=[DataRequired(MISSING), Length(max=40)],
    )
    explanation = StringField(
        _l("Explanation in simple words"),
        description=_l("For example: revenu de solidarité active, money paid each month"),
        filters=[strip_filter],
        validators=[DataRequired(MISSING), Length(max=300)],
    )

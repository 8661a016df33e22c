"""The form of the curation page: one per free answer (app/consultations/curation.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, TextAreaField

from app.consultations.kinds import LongText
from app.core.forms import Form, optional_text


class QuoteForm(Form):
    """Made with `prefix=f"a{answer_id}"`: the page holds one form per answer."""

    chosen = BooleanField(
        _l("Show this answer as a quote"),
        description=_l("Participants read only the answers you choose."),
    )
    text = optional_text(
        _l("Text shown"),
        LongText.limit + 200,
        description=_l(
            "You can shorten it, or replace a part with […]. The answer itself is kept as written."
        ),
        field_class=TextAreaField,
    )

"""Forms of the easy-read pages owned by the lead (glossary)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.core.forms import Form, required_text


class GlossaryForm(Form):
    term = required_text(_l("Word or initials"), 40, description=_l("For example: RSA"))
    explanation = required_text(
        _l("Explanation in simple words"),
        300,
        description=_l("For example: revenu de solidarité active, money paid each month"),
    )

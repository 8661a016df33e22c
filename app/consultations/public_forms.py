"""The form of a round's public page setting (app/consultations/public.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField

from app.core.forms import Form


class PublicPageForm(Form):
    shown = BooleanField(
        _l("Show this round on our public page"),
        description=_l("Everybody can read it on the internet, without logging in."),
    )

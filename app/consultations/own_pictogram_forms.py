"""The form that uploads an organisation's own picture (own_pictograms.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms.validators import DataRequired

from app.core.forms import Form, required_text


class OwnPictogramForm(Form):
    picture = FileField(
        _l("Picture (PNG or SVG)"),
        description=_l("A simple drawing, square if possible. 1 MB at most."),
        render_kw={"accept": "image/png,image/svg+xml"},
        validators=[DataRequired(_l("Choose a picture."))],
    )
    title = required_text(
        _l("Name of the picture"),
        60,
        description=_l("The word you type to find it. For example: salle de réunion."),
    )
    alt = required_text(
        _l("What the picture shows"),
        200,
        description=_l(
            "Read aloud in place of the picture. For example: La grande salle du foyer."
        ),
    )

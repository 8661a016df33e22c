"""The form that changes a fiche of the kit (platform administrators)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from app.core.forms import MISSING, Form, strip_filter
from app.kit.models import PHASE_LABELS, Phase

# No angle brackets here: translated hints are shown as they are, not escaped.
PART_HINT = _l(
    "Simple HTML only: the tags p (paragraph), ul and li (list), strong (bold). "
    "Other tags, scripts and attributes are removed when you save."
)


def _part(label: str) -> TextAreaField:
    return TextAreaField(
        label,
        description=PART_HINT,
        filters=[strip_filter],
        validators=[Length(max=20_000)],
        render_kw={"rows": 12},
    )


class FicheForm(Form):
    title = StringField(
        _l("Title"), filters=[strip_filter], validators=[DataRequired(MISSING), Length(max=200)]
    )
    phase = RadioField(
        _l("Phase"),
        choices=[(phase.value, PHASE_LABELS[phase]) for phase in Phase],
        validators=[InputRequired(MISSING)],
    )
    why = _part(_l("Why this step?"))
    how = _part(_l("How to go about it?"))
    tools = _part(_l("What tools are there?"))
    success_factors = _part(_l("What makes it work?"))
    easy = TextAreaField(
        _l("Easy-to-read version"),
        description=_l(
            "Plain text. Short sentences, common words, one idea per line. "
            "Leave an empty line between groups of ideas. People read this version first."
        ),
        filters=[strip_filter],
        validators=[Length(max=10_000)],
        render_kw={"rows": 14},
    )
    source = TextAreaField(
        _l("Sources"),
        description=_l("The documents and passages this fiche draws on."),
        filters=[strip_filter],
        validators=[Length(max=5_000)],
    )
    edition = StringField(
        _l("Edition"),
        description=_l('For example "Parole, première version 2026".'),
        filters=[strip_filter],
        validators=[Length(max=100)],
    )
    verified = BooleanField(
        _l("Checked against the official kit"),
        description=_l(
            "Tick only after someone compared this fiche with the official text of the "
            "HCTS participation kit."
        ),
    )

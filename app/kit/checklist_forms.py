"""The small form next to a checklist item that Parole cannot compute: done or not, and a
note. The service checks that a note is written when the item is ticked as done."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, TextAreaField
from wtforms.validators import Length

from app.core.forms import Form, strip_filter
from app.kit.checklist import NOTE_MAX


class TickForm(Form):
    done = BooleanField(_l("It is done"))
    note = TextAreaField(
        _l("Note"),
        description=_l("What was done, and by whom. Needed when you tick it as done."),
        filters=[strip_filter],
        validators=[Length(max=NOTE_MAX)],
    )

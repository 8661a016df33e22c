"""Forms of onboarding by e-mail: shape and length only, in plain words (rules: onboarding.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length

from app.core.forms import MISSING, Form, strip_filter

PASSWORD_HINT = _l(
    "At least 10 characters, or 4 words. Long and easy to remember is best, "
    "for example: green cat in the rain."
)


class InviteByEmailForm(Form):
    organisation_id = SelectField(
        _l("Organisation"), coerce=int, validators=[InputRequired(_l("Choose an organisation."))]
    )
    role = SelectField(_l("Role"), validators=[InputRequired(_l("Choose a role."))])
    display_name = StringField(
        _l("Name the person wants to use"),
        description=_l("A first name is enough. The other people in the group may see it."),
        filters=[strip_filter],
        validators=[DataRequired(MISSING), Length(max=120)],
    )
    email = StringField(
        _l("E-mail address of the person"),
        description=_l("The person will receive the link to join at this address."),
        filters=[strip_filter],
        validators=[DataRequired(MISSING), Length(max=254)],
    )


class ChoosePasswordForm(Form):
    password = PasswordField(
        _l("Your password"),
        description=PASSWORD_HINT,
        validators=[DataRequired(MISSING), Length(max=200)],
    )
    confirm = PasswordField(
        _l("Your password, once more"),
        validators=[
            DataRequired(MISSING),
            EqualTo("password", _l("The two passwords are not the same.")),
        ],
    )


class ForgottenPasswordForm(Form):
    email = StringField(
        _l("Your e-mail address"),
        description=_l("For example: marie@example.org"),
        filters=[strip_filter],
        validators=[DataRequired(MISSING), Length(max=254)],
    )


class AskAgainForm(Form):
    """A button: ask the inviter for a new link (the token travels in the page's address)."""


class AddEmailForm(Form):
    email = StringField(
        _l("E-mail address"),
        description=_l("A message with a link goes to this address. Open it to confirm."),
        filters=[strip_filter],
        validators=[DataRequired(MISSING), Length(max=254)],
    )


class ConfirmEmailForm(Form):
    """A button: the link in the mail opens a page; pressing it sets the address (a mail
    program that opens links by itself changes nothing)."""


class ImportForm(Form):
    organisation_id = SelectField(
        _l("Organisation"), coerce=int, validators=[InputRequired(_l("Choose an organisation."))]
    )
    file = FileField(
        _l("The file of people to invite"),
        description=_l(
            "A CSV file from a spreadsheet: one person a line, with the name, the e-mail "
            "address and the role (participant if empty)."
        ),
        validators=[FileRequired(_l("Choose a file."))],
    )


class ImportConfirmForm(Form):
    """The lines checked on the preview, signed by the server (never edited by the browser)."""

    lines = HiddenField(validators=[DataRequired(MISSING)])

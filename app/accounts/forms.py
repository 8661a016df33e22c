"""Account forms: shape and length only, in plain words. Rules live in services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, Optional

from app.accounts.models import ORGANISATION_KIND_LABELS, ROLE_LABELS
from app.core.forms import (
    MISSING,
    ConsentNoteField,
    Form,
    MultiCheckboxField,
    required_text,
    strip_filter,
)


class LoginForm(Form):
    identifier = required_text(
        _l("Your e-mail address or your identifier"),
        254,
        description=_l("For example: marie@example.org or ABCD-12"),
    )
    secret = PasswordField(
        _l("Your password or your code"),
        validators=[DataRequired(MISSING), Length(max=200)],
    )


class ChooseCodeForm(Form):
    new_secret = PasswordField(
        _l("Your new code"),
        description=_l("At least 6 digits or letters. Keep it for yourself."),
        validators=[DataRequired(MISSING), Length(max=200)],
    )
    confirm = PasswordField(
        _l("Your new code, once more"),
        validators=[
            DataRequired(MISSING),
            EqualTo("new_secret", _l("The two codes are not the same.")),
        ],
    )


class ChangeSecretForm(Form):
    current_secret = PasswordField(
        _l("Your current password or code"), validators=[DataRequired(MISSING), Length(max=200)]
    )
    new_secret = PasswordField(
        _l("Your new password or code"),
        description=_l("A code: at least 6 characters. A password: at least 10 characters."),
        validators=[DataRequired(MISSING), Length(max=200)],
    )
    confirm = PasswordField(
        _l("Your new password or code, once more"),
        validators=[
            DataRequired(MISSING),
            EqualTo("new_secret", _l("The two are not the same.")),
        ],
    )


class PreferencesForm(Form):
    language = RadioField(
        _l("Language"),
        choices=[("fr", "Français"), ("en", "English")],
        validators=[InputRequired(_l("Choose a language."))],
    )
    display = MultiCheckboxField(
        _l("Display"),
        description=_l("You can choose both, or none."),
        choices=[
            ("easy_read", _l("Easy to read: bigger text, more space between lines")),
            ("high_contrast", _l("High contrast: black and white, strong colours")),
        ],
    )


class CreateParticipantForm(Form):
    organisation_id = SelectField(
        _l("Organisation"), coerce=int, validators=[InputRequired(_l("Choose an organisation."))]
    )
    display_name = required_text(
        _l("Name the person wants to use"),
        120,
        description=_l("A first name is enough. The other people in the group may see it."),
    )
    consent_note = ConsentNoteField()


class OrganisationForm(Form):
    name = required_text(_l("Name of the organisation"), 160)
    kind = SelectField(
        _l("Kind of organisation"),
        choices=[(k.value, label) for k, label in ORGANISATION_KIND_LABELS.items()],
        validators=[InputRequired(MISSING)],
    )


class MembershipForm(Form):
    identifier = required_text(_l("E-mail address or identifier of the person"), 254)
    role = SelectField(
        _l("Role"),
        choices=[(r.value, label) for r, label in ROLE_LABELS.items()],
        validators=[InputRequired(MISSING)],
    )


class InvitationAnswerForm(Form):
    """The person's answer to an invitation (the buttons say yes or no)."""

    allow_help = BooleanField(
        _l("The facilitators of this organisation may help me on Parole"),
        description=_l(
            "They may fill in requests and answers with you. They may give you a new "
            "code if you lose yours. You can say no: you stay a member."
        ),
    )


class RecordInvitationAnswerForm(Form):
    """A facilitator notes the answer the person gave them."""

    consent_note = ConsentNoteField(_l("How did the person give their answer?"))


class CloseAccountForm(Form):
    secret = PasswordField(
        _l("Your password or your code"),
        description=_l("To be sure it is really you."),
        validators=[DataRequired(MISSING), Length(max=200)],
    )
    understood = BooleanField(
        _l("I understand: my account will be closed for good. It cannot be opened again."),
        validators=[DataRequired(_l("Tick the box to say that you understand."))],
    )


class RetentionForm(Form):
    retention_months = IntegerField(
        _l("Erase people with no contact after (months)"),
        description=_l("24 months is the usual time for social work. Between 6 and 120."),
        validators=[InputRequired(_l("Write a number of months."))],
    )


class ContactForm(Form):
    """How the person wants to be told, and their phone number (app/accounts/contact.py)."""

    contact_channel = RadioField(
        _l("How do you want to be told when something is new for you?"),
        choices=[],  # CONTACT_CHANNELS, set by the view (the labels live with the service)
        validators=[InputRequired(_l("Choose one answer."))],
    )
    phone = StringField(
        _l("Phone number"),
        description=_l("For a phone call or a text message. For example: 06 12 34 56 78."),
        filters=[strip_filter],
        validators=[Optional(), Length(max=30, message=_l("30 characters at most."))],
    )
    consent_note = ConsentNoteField(required=False)

"""Forms for participants: finding a mission, signing up, a word after the mission, the
co-trainer profile. They hold what was typed; services check the rules."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Optional

from app.core.dates import DayField
from app.core.forms import ConsentNoteField, Form, MultiCheckboxField, optional_text
from app.trainings.models import TYPE_LABELS

CHANNELS = [
    ("phone", _l("A phone call")),
    ("sms", _l("A text message (SMS)")),
    ("email", _l("An e-mail")),
    ("facilitator", _l("Through my facilitator")),
]
CHANNEL_LABELS = dict(CHANNELS)
WENT_WELL_LABELS = {
    "yes": _l("Yes, it went well"),
    "partly": _l("Partly"),
    "no": _l("No, it did not go well"),
}


class FilterForm(Form):
    """The mission list's filters: a GET form, nothing to protect."""

    class Meta:
        csrf = False

    starting = DayField(
        _l("From this day"),
        description=_l("For example: 21/03/2027"),
        validators=[Optional()],
    )
    departement = SelectField(_l("Département"), validators=[Optional()])
    type = SelectField(
        _l("Kind of mission"),
        choices=[("", _l("All kinds"))] + [(t.value, label) for t, label in TYPE_LABELS.items()],
        validators=[Optional()],
    )
    online = BooleanField(_l("Also show the missions online"))


class ForSomeoneForm(Form):
    """A facilitator chooses whom they sign up (a GET form that opens the sign-up)."""

    class Meta:
        csrf = False

    person_id = SelectField(_l("Sign up someone you help"), coerce=int)


class SignupForm(Form):
    why = optional_text(
        _l("Why do you want to come?"),
        1000,
        description=_l("You can leave this empty."),
        field_class=TextAreaField,
    )
    can_share = optional_text(
        _l("What can you share from your experience?"),
        1000,
        description=_l("You can leave this empty."),
        field_class=TextAreaField,
    )
    needs_childcare = BooleanField(_l("I need someone to look after my children"))
    needs_companion = BooleanField(_l("I would like someone to come with me"))
    needs_travel_help = BooleanField(_l("I need help to travel there"))
    access_needs = optional_text(
        _l("Do you need something to take part?"),
        500,
        description=_l("For example: a ramp, large letters, a quiet room, breaks."),
        field_class=TextAreaField,
    )
    dietary_needs = optional_text(
        _l("Is there food you do not eat?"), 300, field_class=TextAreaField
    )
    contact_channel = RadioField(
        _l("How do you want us to contact you?"),
        choices=CHANNELS,
        validators=[InputRequired(_l("Choose one answer."))],
    )
    consent_note = ConsentNoteField(required=False)


class FeedbackForm(Form):
    went_well = RadioField(
        _l("Did it go well?"),
        choices=list(WENT_WELL_LABELS.items()),
        validators=[InputRequired(_l("Choose one answer."))],
    )
    body = optional_text(
        _l("Say it in a few words"),
        1000,
        description=_l("You can leave this empty. Do not write phone numbers or addresses."),
        field_class=TextAreaField,
    )


class ProfileForm(Form):
    themes = optional_text(
        _l("What can you talk about from your life?"),
        1000,
        description=_l("For example: living in the street, being a parent with the child welfare."),
        field_class=TextAreaField,
    )
    formats = MultiCheckboxField(
        _l("What would you like to do?"),
        choices=[(t.value, label) for t, label in TYPE_LABELS.items()],
        validators=[Optional()],
    )
    availability = optional_text(
        _l("When are you free?"),
        1000,
        description=_l("For example: weekday mornings, not in July."),
        field_class=TextAreaField,
    )
    places = optional_text(
        _l("Where can you go?"),
        1000,
        description=_l("Towns or départements, for example: Lille, 59, 62."),
        field_class=TextAreaField,
    )
    institute_ids = MultiCheckboxField(
        _l("Which institutes may read your profile?"),
        description=_l("Only these institutes see it. You can hide it at any time."),
        coerce=int,
        validators=[Optional()],
    )

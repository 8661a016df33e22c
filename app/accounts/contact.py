"""How a person wants to be told, and their phone number.

The contact choice is the person's (`Person.contact_channel`): an e-mail, a text message, a
phone call, or through their facilitator (who then finds each notification on their "À
prévenir" list: app/accounts/to_tell.py). The number is optional, read as a French number
when it has no country code ("06 12 34 56 78"), and stored in the international form (E.164,
"+33612345678"); it is needed for a phone call or a text message. The person enters it on
their account page, or a facilitator of the organisation that holds the account does, with
the consent note (an assisted entry)."""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers
from flask_babel import lazy_gettext as _l

from app import db
from app.accounts.models import Person
from app.core import audit
from app.core.errors import DomainError
from app.core.provenance import assisted_entry

EMAIL, SMS, PHONE, FACILITATOR = "email", "sms", "phone", "facilitator"
CONTACT_CHANNELS = [
    (EMAIL, _l("An e-mail")),
    (SMS, _l("A text message (SMS)")),
    (PHONE, _l("A phone call")),
    (FACILITATOR, _l("Through my facilitator")),
]
CONTACT_LABELS = dict(CONTACT_CHANNELS)
NEEDS_NUMBER = (SMS, PHONE)
DEFAULT_REGION = "FR"


def normalise_phone(raw: str | None) -> str | None:
    """The number in the international form, None when nothing was typed; a `DomainError` on
    the field "phone" when it is not a phone number that exists."""
    text = (raw or "").strip()
    if not text:
        return None
    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise DomainError(
            _l("This phone number is not right. Write it like this: 06 12 34 56 78."),
            field="phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(number: str | None) -> str:
    """ "06 12 34 56 78" for a French number, "+44 20 7946 0958" for another."""
    if not number:
        return ""
    try:
        parsed = phonenumbers.parse(number, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return number
    if parsed.country_code == 33:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


@dataclass(frozen=True)
class ContactInput:
    channel: str
    phone: str = ""
    consent_note: str | None = None


def set_contact(actor: Person, person: Person, data: ContactInput) -> Person:
    """The person (or a facilitator of the organisation that holds their account, with the
    consent note) says how they want to be told, and gives or removes their number."""
    assisted_entry(actor, person, data.consent_note)  # the person, or someone who may act for them
    person = db.lock(person)
    if data.channel not in CONTACT_LABELS:
        raise DomainError(_l("Choose one answer."), field="contact_channel")
    phone = normalise_phone(data.phone)
    if data.channel in NEEDS_NUMBER and phone is None:
        raise DomainError(
            _l("Write a phone number for a phone call or a text message."), field="phone"
        )
    if data.channel == EMAIL and not person.email:
        raise DomainError(
            _l("This account has no e-mail address. Choose another answer."),
            field="contact_channel",
        )
    if data.channel == FACILITATOR and person.holder_organisation_id is None:
        raise DomainError(
            _l("No facilitator helps this account yet. Choose another answer."),
            field="contact_channel",
        )
    changed = (person.contact_channel, person.phone) != (data.channel, phone)
    person.contact_channel = data.channel
    person.phone = phone
    if changed:
        # The choice and whether a number exists; never the number itself.
        audit.record(
            actor,
            "person.contact_changed",
            person,
            channel=data.channel,
            has_phone=phone is not None,
        )
    db.session.flush()
    return person

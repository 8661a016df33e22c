"""A person's phone number and contact choice: read as a French number, stored in the
international form, entered by the person or by a facilitator of the holder organisation with
the consent note, shown in "My data" and erased when the account closes."""

import pytest
from sqlalchemy import func, select

from app import db
from app.accounts import contact, personal_data
from app.accounts.contact import ContactInput
from app.accounts.models import Role, ToTellItem
from app.core.errors import DomainError, NotAllowed
from app.core.models import AuditEntry, OutboxMessage
from app.core.notifications import notify
from tests.factories import PASSWORD, make_org, make_person

pytestmark = pytest.mark.usefixtures("ctx")
CONSENT = "Il me l'a dit à l'accueil le 7 décembre."


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("06 12 34 56 78", "+33612345678"),
        ("06.12.34.56.78", "+33612345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("0033612345678", "+33612345678"),
        ("01 45 67 89 10", "+33145678910"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_phone_is_stored_in_the_international_form_french_by_default(typed, stored):
    assert contact.normalise_phone(typed) == stored


@pytest.mark.parametrize("typed", ["06 12 34", "bonjour", "12345678901234567", "+33 0"])
def test_phone_that_cannot_exist_is_refused_on_its_field(typed):
    with pytest.raises(DomainError) as error:
        contact.normalise_phone(typed)
    assert error.value.field == "phone"


def test_phone_is_shown_the_french_way():
    assert contact.display_phone("+33612345678") == "06 12 34 56 78"


def test_person_chooses_text_messages_and_gives_their_number():
    person = make_person(identifier="TELA-12")
    contact.set_contact(person, person, ContactInput("sms", "06 12 34 56 78"))
    assert (person.contact_channel, person.phone) == ("sms", "+33612345678")
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "person.contact_changed")
    )
    assert entry.details == {"channel": "sms", "has_phone": True}  # never the number


def test_text_messages_or_calls_without_a_number_are_refused():
    person = make_person(identifier="TELB-12")
    for channel in ("sms", "phone"):
        with pytest.raises(DomainError) as error:
            contact.set_contact(person, person, ContactInput(channel, ""))
        assert error.value.field == "phone"
    assert person.contact_channel == ""


def test_email_choice_is_refused_for_an_account_without_address():
    person = make_person(identifier="TELC-12")
    with pytest.raises(DomainError) as error:
        contact.set_contact(person, person, ContactInput("email", ""))
    assert error.value.field == "contact_channel"


def test_facilitator_enters_the_number_with_the_consent_note():
    org = make_org()
    facilitator = make_person((org, Role.FACILITATOR))
    person = make_person((org, Role.PARTICIPANT), identifier="TELD-12")
    with pytest.raises(DomainError) as error:
        contact.set_contact(facilitator, person, ContactInput("phone", "0612345678", ""))
    assert error.value.field == "consent_note"
    contact.set_contact(facilitator, person, ContactInput("facilitator", "0612345678", CONSENT))
    assert (person.contact_channel, person.phone) == ("facilitator", "+33612345678")


def test_facilitator_of_another_organisation_cannot_enter_a_number():
    org, other = make_org(), make_org()
    stranger = make_person((other, Role.FACILITATOR))
    person = make_person((org, Role.PARTICIPANT), identifier="TELE-12")
    with pytest.raises(NotAllowed):
        contact.set_contact(stranger, person, ContactInput("sms", "0612345678", CONSENT))
    assert person.phone is None


def test_phone_is_in_my_data_and_erased_with_what_was_to_tell_when_the_account_closes():
    org = make_org()
    person = make_person((org, Role.PARTICIPANT), email="tel@example.test")
    contact.set_contact(person, person, ContactInput("sms", "06 12 34 56 78"))
    notify(person, lambda: "Votre place est confirmée", lambda: "Mardi")
    contact.set_contact(person, person, ContactInput("facilitator", "06 12 34 56 78"))
    notify(person, lambda: "Votre demande est payée", lambda: "12 €")
    exported = personal_data.export_person_data(person)["person"]
    assert exported["phone"] == "+33612345678" and exported["contact_channel"] == "facilitator"
    assert db.session.scalar(select(func.count(ToTellItem.id))) == 1
    assert db.session.scalar(select(func.count()).where(OutboxMessage.channel == "sms")) == 1
    personal_data.close_account(person, person, PASSWORD)
    db.session.flush()
    db.session.refresh(person)
    assert person.phone is None and person.contact_channel == ""
    assert db.session.scalar(select(func.count(ToTellItem.id))) == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0

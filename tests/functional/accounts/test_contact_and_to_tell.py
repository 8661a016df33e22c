"""Through the pages: a person gives their number and chooses text messages; a facilitator
enters them for a person of their organisation, with the consent note; the facilitator's "À
prévenir" list, its line on the home page and its button "C'est fait"."""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import Person, Role, ToTellItem
from app.core.models import OutboxMessage, OutboxStatus
from app.core.notifications import notify
from app.db import utcnow
from tests.conftest import csrf_from, login, post_form
from tests.factories import PASSWORD
from tests.worlds import Team, ids, saved

CODE = "564738"
CONSENT = "Il me l'a dit à l'accueil le 7 décembre."


@pytest.fixture
def world(app):
    with saved(app):
        from tests.factories import make_org

        a, b = make_org("CRPA Contact"), make_org("Association Voisine")
        team = Team(a, "t.test")
        team.join("fa", Role.FACILITATOR, name="Fanny")
        team.join("fb", Role.FACILITATOR, name="Fatou", org=b)
        team.join("coded", Role.PARTICIPANT, identifier="CALL-12", secret=CODE, name="Hélène")
        team.join("mailed", Role.PARTICIPANT, email="marc@t.test", name="Marc")
        return {"a": a.id, **ids(team.people)}


def _client(app, identifier, secret=PASSWORD):
    client = app.test_client()
    login(client, identifier, secret)
    return client


def _person(app, person_id):
    with app.app_context():
        person = db.session.get(Person, person_id)
        return SimpleNamespace(
            phone=person.phone, contact_channel=person.contact_channel, id=person.id
        )


def _item(app):
    with app.app_context():
        item = db.session.scalar(select(ToTellItem))
        return SimpleNamespace(id=item.id, done_by_id=item.done_by_id, done_at=item.done_at)


def test_person_gives_their_number_and_chooses_text_messages(app, world):
    client = _client(app, "marc@t.test")
    page = client.get("/account/contact").get_data(as_text=True)
    assert "Comment voulez-vous être prévenu" in page and 'autocomplete="tel"' in page
    saved_ = post_form(
        client, "/account/contact", {"contact_channel": "sms", "phone": "06 12 34 56 78"}
    )
    assert saved_.status_code == 303 and saved_.headers["Location"].endswith("/account")
    person = _person(app, world["mailed"])
    assert (person.contact_channel, person.phone) == ("sms", "+33612345678")
    account = client.get("/account").get_data(as_text=True)
    assert "06 12 34 56 78" in account and "Un message sur le téléphone (SMS)" in account


def test_wrong_number_is_shown_next_to_the_field_and_nothing_changes(app, world):
    client = _client(app, "marc@t.test")
    answer = post_form(client, "/account/contact", {"contact_channel": "sms", "phone": "06 12"})
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert re.search(
        r'id="phone-error"[^>]*>.*Ce numéro de téléphone n(?:\'|&#39;)est pas bon', page, re.S
    )
    assert 'value="06 12"' in page  # what was typed stays
    assert _person(app, world["mailed"]).phone is None


def test_facilitator_enters_the_number_only_with_the_consent_note(app, world):
    client = _client(app, "fa@t.test")
    url = f"/participants/{world['coded']}/contact"
    data = {"contact_channel": "phone", "phone": "0612345678"}
    assert post_form(client, url, data).status_code == 400
    assert _person(app, world["coded"]).phone is None
    done = post_form(client, url, {**data, "consent_note": CONSENT})
    assert done.status_code == 303
    assert _person(app, world["coded"]).phone == "+33612345678"
    shown = client.get(f"/participants/{world['coded']}").get_data(as_text=True)
    assert "06 12 34 56 78" in shown
    other = _client(app, "fb@t.test")
    assert other.get(url).status_code == 404


def _told_through_facilitator(world, subject="Donnez votre avis : les transports", days=3):
    person = db.session.get(Person, world["coded"])
    person.contact_channel = "facilitator"
    notify(person, lambda: subject, lambda: "…", link="/", due_at=utcnow() + timedelta(days=days))


def test_to_tell_list_shows_who_what_and_by_when_and_its_done_records_who(app, world):
    with saved(app):
        _told_through_facilitator(world)
    client = _client(app, "fa@t.test")
    home = client.get("/").get_data(as_text=True)
    assert "1 personne attend des nouvelles de vous" in home
    page = client.get("/participants/a-prevenir").get_data(as_text=True)
    assert "<h1>À prévenir</h1>" in page
    assert "Hélène" in page and "Donnez votre avis : les transports" in page
    assert "Avant le" in page
    item = _item(app)
    url = f"/participants/a-prevenir/{item.id}/done"
    done = post_form(client, url, {}, get_url="/participants/a-prevenir")
    assert done.status_code == 303
    after = client.get("/participants/a-prevenir").get_data(as_text=True)
    assert "Personne n'attend" in after or "Personne n&#39;attend" in after
    assert "Prévenu par Fanny" in after
    item = _item(app)
    assert item.done_by_id == world["fa"] and item.done_at is not None
    assert "attend des nouvelles de vous" not in client.get("/").get_data(as_text=True)


def test_to_tell_list_is_for_facilitators_of_the_organisation_only(app, world):
    with saved(app):
        _told_through_facilitator(world)
    other = _client(app, "fb@t.test")
    assert "Hélène" not in other.get("/participants/a-prevenir").get_data(as_text=True)
    item = _item(app)
    page = other.get("/participants/a-prevenir").get_data(as_text=True)
    answer = other.post(
        f"/participants/a-prevenir/{item.id}/done", data={"csrf_token": csrf_from(page)}
    )
    assert answer.status_code == 404
    person = _client(app, "CALL-12", CODE)
    assert person.get("/participants/a-prevenir").status_code == 403


def test_outbox_page_says_a_failed_message_was_a_text_message(app, world):
    with saved(app):
        from tests.factories import make_person

        make_person(email="root@t.test", admin=True)
        person = db.session.get(Person, world["mailed"])
        person.contact_channel, person.phone = "sms", "+33612345678"
        notify(person, lambda: "Votre place est confirmée", lambda: "…")
        sms = db.session.scalar(select(OutboxMessage).where(OutboxMessage.channel == "sms"))
        sms.status, sms.failed_at, sms.last_error = (
            OutboxStatus.FAILED,
            utcnow(),
            "refused: http 400",
        )
    page = _client(app, "root@t.test").get("/admin/outbox").get_data(as_text=True)
    assert "SMS" in page and "+336******78" in page
    assert "0612345678" not in page and "+33612345678" not in page


def test_co_training_sign_up_starts_from_the_persons_contact_choice(app, world):
    from app.accounts.models import OrganisationKind
    from tests.worlds import a_mission, an_organisation

    with saved(app):
        institute = an_organisation(
            "IRTS Contact", kind=OrganisationKind.TRAINING_INSTITUTE, staff=Role.INSTITUTE_STAFF
        )
        mission = a_mission(institute["staff"], institute.org, "Cours du mardi", online=True)
        mission_id = mission.id
    client = _client(app, "marc@t.test")
    url = f"/co-training/missions/{mission_id}/sign-up"
    assert not _checked(client.get(url).get_data(as_text=True), "sms")
    post_form(client, "/account/contact", {"contact_channel": "sms", "phone": "0612345678"})
    assert _checked(client.get(url).get_data(as_text=True), "sms")


def _checked(page: str, value: str) -> bool:
    return any(
        f'value="{value}"' in tag and " checked" in tag for tag in re.findall(r"<input[^>]*>", page)
    )

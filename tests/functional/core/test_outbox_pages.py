"""A failed e-mail is never silent: platform administrators see it on /admin/outbox and can
send it again; the person sees on their home page that a message did not reach them by mail."""

from html import unescape

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import Person, Role
from app.core.models import OutboxMessage, OutboxStatus
from app.core.notifications import notify
from app.core.outbox import send_due
from tests.conftest import login, post_form
from tests.factories import PASSWORD, make_org, make_person


def text_of(response) -> str:  # noqa: ANN001
    return unescape(response.get_data(as_text=True))


@pytest.fixture
def failed_mail(app):
    """A notification for Paul whose e-mail failed (no mail server, one try allowed)."""
    old = app.config["MAIL_PORT"], app.config["OUTBOX_MAX_ATTEMPTS"]
    app.config["MAIL_PORT"], app.config["OUTBOX_MAX_ATTEMPTS"] = 9, 1  # nothing listens on 9
    try:
        with app.test_request_context("/"):
            org = make_org("CRPA Courriel")
            paul = make_person((org, Role.PARTICIPANT), email="paul.durand@example.test")
            make_person((org, Role.ADMIN), email="orgadmin@example.test")
            make_person(admin=True, email="root@example.test")
            notify(paul, lambda: "Votre mission de mardi", lambda: "La mission commence à 10 h.")
            db.session.commit()
            assert send_due(app) == (0, 1)
            message = db.session.scalars(select(OutboxMessage)).one()
            assert message.status == OutboxStatus.FAILED
            message_id = message.id
        yield message_id
    finally:
        app.config["MAIL_PORT"], app.config["OUTBOX_MAX_ATTEMPTS"] = old


def test_person_sees_on_home_page_the_message_whose_email_failed(app, client, failed_mail):
    login(client, "paul.durand@example.test", PASSWORD)
    home = text_of(client.get("/"))
    assert "Certains messages n'ont pas pu vous arriver par e-mail. Lisez-les ici." in home
    page = text_of(client.get("/notifications"))
    assert "Votre mission de mardi" in page and "La mission commence à 10 h." in page
    assert "Nous n'avons pas pu vous envoyer ce message par e-mail." in page
    assert post_form(client, "/notifications/read", {}, get_url="/notifications").status_code == 303
    assert "pas pu vous arriver" not in text_of(client.get("/"))  # read: nothing more to say


def test_platform_admin_sees_the_failed_mail_masked_and_sends_it_again(app, client, failed_mail):
    login(client, "root@example.test", PASSWORD)
    page = client.get("/admin/outbox")
    html = text_of(page)
    assert page.status_code == 200
    assert "p***@example.test" in html and "paul.durand" not in html
    assert "Votre mission de mardi" in html
    assert "Le serveur de courriel n'a pas pu être joint" in html
    assert "Messages qui n'ont pas pu partir : 1" in html
    retried = post_form(client, f"/admin/outbox/{failed_mail}/retry", {}, get_url="/admin/outbox")
    assert retried.status_code == 303, text_of(retried)[-3000:]
    with app.app_context():
        message = db.session.get(OutboxMessage, failed_mail)
        assert message.status == OutboxStatus.PENDING and message.attempts == 0
    after = text_of(client.get("/admin/outbox"))
    assert "Aucun message en échec" in after
    again = post_form(client, f"/admin/outbox/{failed_mail}/retry", {}, get_url="/admin/outbox")
    assert again.status_code == 400  # nothing to send again: said, not done twice
    assert "Cet e-mail n'est pas en échec." in text_of(again)


def test_outbox_page_is_for_platform_administrators_only(app, client, failed_mail):
    login(client, "orgadmin@example.test", PASSWORD)
    assert client.get("/admin/outbox").status_code == 403
    token_page = client.get("/notifications")
    assert token_page.status_code == 200
    refused = post_form(client, f"/admin/outbox/{failed_mail}/retry", {}, get_url="/notifications")
    assert refused.status_code == 403
    with app.app_context():
        assert db.session.get(OutboxMessage, failed_mail).status == OutboxStatus.FAILED
        assert db.session.scalar(select(Person.id).where(Person.is_platform_admin)) is not None

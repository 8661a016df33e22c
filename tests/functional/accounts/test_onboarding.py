"""Onboarding by e-mail through the Flask client, with mails through a real SMTP server:
an invitation opens an account with its role; expired, reused and forged links each get their
page; "Forgot your password?" answers the same for known and unknown addresses and ends every
login after the change; an organisation's administrator lists its people and makes card
accounts; `flask accounts create-admin` starts a fresh instance."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app import db
from app.accounts import onboarding
from app.accounts.models import (
    AccountLink,
    Membership,
    MembershipInvitation,
    Organisation,
    Person,
    Role,
)
from app.core.outbox import send_due
from app.db import utcnow
from tests.conftest import csrf_from, login, post_form
from tests.factories import PASSWORD, make_org
from tests.worlds import Team, ids, saved

NEW_PASSWORD = "quatre mots faciles ici"
LINK = re.compile(r"https?://\S+/(?:activate|password/reset)\?token=[\w-]+")


@pytest.fixture
def mail_server(app, smtp):
    controller, inbox = smtp
    old = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = controller.port
    yield inbox
    app.config["MAIL_PORT"] = old


@pytest.fixture
def world(app):
    with saved(app):
        org, other = make_org("CRPA Accueil"), make_org("Association Autre")
        team = Team(org, "o.test")
        team.join("admin", Role.ADMIN, name="Adèle Admin")
        team.join("fac", Role.FACILITATOR, name="Fabien Fac")
        team.join("known", Role.PARTICIPANT, name="Karim Connu")
        team.join("card", Role.PARTICIPANT, identifier="CARD-12", secret="564738", name="Carla")
        team.join("elsewhere", Role.PARTICIPANT, org=other, name="Zoé Ailleurs")
        return {"org": org.id, "other": other.id, **ids(team.people)}


def _client(app, identifier, secret=PASSWORD):
    client = app.test_client()
    login(client, identifier, secret)
    return client


def _mails(app, inbox) -> list:
    with app.test_request_context("/"):
        send_due(app)
    return inbox.messages


def _link_in(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = LINK.search(body)
    assert match, body
    return _path(match.group(0))


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def _invite(client, org_id, email, role="participant", name="Nadia Nouvelle"):
    return post_form(
        client,
        "/invite",
        {"organisation_id": org_id, "role": role, "display_name": name, "email": email},
    )


def _choose(client, path, password=NEW_PASSWORD, confirm=None):
    return post_form(client, path, {"password": password, "confirm": confirm or password})


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_invitation_by_email_opens_an_account_with_the_role_after_a_strong_password(
    app, world, mail_server
):
    facilitator = _client(app, "fac@o.test")
    sent = _invite(facilitator, world["org"], "Nadia@Example.org")
    assert sent.status_code == 303
    page = facilitator.get("/invite").get_data(as_text=True)
    assert "va recevoir un e-mail avec un lien" in page

    [(recipients, message)] = _mails(app, mail_server)
    assert recipients == ["nadia@example.org"]
    assert "CRPA Accueil" in message["Subject"]
    path = _link_in(message)
    with app.app_context():
        link = db.session.scalar(select(AccountLink))
        assert path.split("token=")[1] not in link.token_hash  # only a hash is kept

    newcomer = app.test_client()
    opened = newcomer.get(path)
    assert opened.status_code == 200
    assert "nadia@example.org" in opened.get_data(as_text=True)
    weak = _choose(newcomer, path, "motdepasse123")
    assert weak.status_code == 400
    assert "trop facile à deviner" in weak.get_data(as_text=True)
    short = _choose(newcomer, path, "court")
    assert short.status_code == 400
    assert "au moins 10 caractères, ou 4 mots" in short.get_data(as_text=True)

    done = _choose(newcomer, path)
    assert done.status_code == 303
    home = newcomer.get("/")
    assert "Nadia Nouvelle" in home.get_data(as_text=True)  # logged in
    with app.app_context():
        person = db.session.scalar(select(Person).where(Person.email == "nadia@example.org"))
        assert [(m.organisation_id, m.role) for m in person.memberships] == [
            (world["org"], Role.PARTICIPANT)
        ]
    _client(app, "nadia@example.org", NEW_PASSWORD)  # and the password works at the login


def test_facilitator_cannot_give_a_staff_role_by_email(app, world):
    facilitator = _client(app, "fac@o.test")
    refused = _invite(facilitator, world["org"], "boss@example.org", role="admin")
    assert refused.status_code == 400
    with app.app_context():
        assert _count(AccountLink) == 0


def test_invitation_to_a_known_address_is_a_membership_invitation_not_a_second_account(
    app, world, mail_server
):
    admin = _client(app, "admin@o.test")
    answer = _invite(admin, world["other"], "known@o.test")
    assert answer.status_code == 400  # not one of their organisations: not offered
    assert _invite(admin, world["org"], "elsewhere@o.test", role="moderator").status_code == 303
    with app.app_context():
        assert _count(Person, func.lower(Person.email) == "elsewhere@o.test") == 1
        assert _count(AccountLink) == 0
        invitation = db.session.scalar(select(MembershipInvitation))
        assert (invitation.person_id, invitation.role) == (world["elsewhere"], Role.MODERATOR)
    # The administrator reads the same answer as for a new address.
    page = admin.get("/invite").get_data(as_text=True)
    assert "va recevoir un e-mail avec un lien" in page


def _make_link(app, world, purpose="invitation", **changes) -> str:
    """An invitation (or reset) link made by the service, its token returned as a path."""
    with app.test_request_context("/"):
        if purpose == "invitation":
            admin = db.session.get(Person, world["admin"])
            org = db.session.get(Organisation, world["org"])
            onboarding.invite_by_email(admin, org, "late@example.org", "Luc Tard", "participant")
        else:
            onboarding.request_reset("known@o.test")
        link = db.session.scalar(select(AccountLink).order_by(AccountLink.id.desc()))
        for name, value in changes.items():
            setattr(link, name, value)
        db.session.commit()
        from app.core.models import OutboxMessage

        body = db.session.scalar(select(OutboxMessage.body_text).order_by(OutboxMessage.id.desc()))
    match = LINK.search(body)
    assert match
    return _path(match.group(0))


def test_expired_invitation_link_says_so_and_asks_the_inviter_for_a_new_one(
    app, world, mail_server
):
    path = _make_link(app, world, expires_at=utcnow() - timedelta(minutes=1))
    _mails(app, mail_server).clear()
    visitor = app.test_client()
    page = visitor.get(path)
    assert page.status_code == 410
    assert "Ce lien est trop ancien" in page.get_data(as_text=True)
    refused = _choose(visitor, path)
    assert refused.status_code == 410  # no account from an expired link
    token = csrf_from(page.get_data(as_text=True))
    asked = visitor.post(
        path.replace("/activate?", "/activate/ask-again?"), data={"csrf_token": token}
    )
    assert asked.status_code == 303
    [(recipients, message)] = _mails(app, mail_server)
    assert recipients == ["admin@o.test"]
    assert "Luc Tard" in message.get_body().get_content()
    assert "Vous avez demandé un nouveau lien" in visitor.get(path).get_data(as_text=True)
    with app.app_context():
        assert _count(Person, Person.email == "late@example.org") == 0


def test_used_invitation_link_says_it_was_used_and_makes_no_second_account(app, world):
    path = _make_link(app, world)
    first = app.test_client()
    assert _choose(first, path).status_code == 303
    second = app.test_client()
    page = second.get(path)
    assert page.status_code == 410
    assert "Ce lien a déjà servi" in page.get_data(as_text=True)
    with app.app_context():
        assert _count(Person, Person.email == "late@example.org") == 1


def test_forged_link_gets_a_page_that_says_it_does_not_work(app, world):
    _make_link(app, world)
    visitor = app.test_client()
    for path in ("/activate?token=made-up", "/activate", "/password/reset?token=x"):
        page = visitor.get(path)
        assert page.status_code == 404, path
        assert "Ce lien ne marche pas" in page.get_data(as_text=True)


def test_password_reset_answers_the_same_and_hashes_for_known_and_unknown_addresses(
    app, world, mail_server, monkeypatch
):
    calls = []
    real = onboarding.check_password_hash

    def counted(stored, value):  # the real scrypt check, counted
        calls.append(stored)
        return real(stored, value)

    monkeypatch.setattr(onboarding, "check_password_hash", counted)
    pages = []
    for address in ("known@o.test", "nobody@o.test"):
        visitor = app.test_client()
        sent = post_form(visitor, "/password/forgotten", {"email": address})
        assert sent.status_code == 303
        assert sent.headers["Location"].endswith("/password/forgotten")
        page = visitor.get(sent.headers["Location"])
        pages.append((page.status_code, page.get_data(as_text=True).split("<main")[1]))
    assert pages[0][0] == pages[1][0] == 200
    assert "Si cette adresse est connue, un message est parti" in pages[0][1]
    assert _same_but_keys(pages[0][1], pages[1][1])
    assert len(calls) == 2  # one scrypt check on each path
    [(recipients, _message)] = _mails(app, mail_server)
    assert recipients == ["known@o.test"]


def _same_but_keys(a: str, b: str) -> bool:
    random = re.compile(r'value="[\w.-]{20,}"')
    return random.sub("", a) == random.sub("", b)


def test_password_reset_ends_every_login_and_tells_the_person(app, world, mail_server):
    elsewhere = _client(app, "known@o.test")
    assert elsewhere.get("/account").status_code == 200
    visitor = app.test_client()
    post_form(visitor, "/password/forgotten", {"email": "known@o.test"})
    [(_to, message)] = _mails(app, mail_server)
    path = _link_in(message)
    mail_server.messages.clear()
    assert visitor.get(path).status_code == 200
    weak = _choose(visitor, path, "password123")
    assert weak.status_code == 400
    done = _choose(visitor, path)
    assert done.status_code == 303
    assert done.headers["Location"].endswith("/login")
    # The login opened before the change has ended.
    assert elsewhere.get("/account").headers["Location"].startswith("/login")
    _client(app, "known@o.test", NEW_PASSWORD)
    [(recipients, told)] = _mails(app, mail_server)
    assert recipients == ["known@o.test"]
    assert "a changé" in told["Subject"]
    again = app.test_client().get(path)
    assert again.status_code == 410  # the link worked once


def test_expired_reset_link_says_so(app, world):
    path = _make_link(app, world, purpose="reset", expires_at=utcnow() - timedelta(seconds=1))
    page = app.test_client().get(path)
    assert page.status_code == 410
    assert "marche une heure seulement" in page.get_data(as_text=True)


def test_password_reset_requests_are_throttled(app, world):
    visitor = app.test_client()
    statuses = [
        post_form(visitor, "/password/forgotten", {"email": "known@o.test"}).status_code
        for _ in range(app.config["LOGIN_FREE_FAILURES"] + 2)
    ]
    assert statuses[0] == 303
    assert statuses[-1] == 429


def test_organisation_admin_lists_the_people_of_their_organisation(app, world):
    admin = _client(app, "admin@o.test")
    page = admin.get("/participants/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for name in ("Fabien Fac", "Karim Connu", "Carla"):
        assert name in html
    assert "Zoé Ailleurs" not in html  # another organisation
    found = admin.get("/participants/?q=karim").get_data(as_text=True)
    assert "Karim Connu" in found and "Carla" not in found


def test_people_list_is_paginated_by_50(app, world):
    with saved(app):
        org = db.session.get(Organisation, world["org"])
        Team(org, "many.test").join_many("p", 55)
    admin = _client(app, "admin@o.test")
    first = admin.get("/participants/").get_data(as_text=True)
    assert _rows(first) == 50
    assert 'rel="next"' in first
    second = admin.get("/participants/?page=2").get_data(as_text=True)
    assert _rows(second) == 8  # 3 other people of the organisation and 55 more
    assert 'rel="next"' not in second


def _rows(html: str) -> int:
    return html.split("<tbody>")[1].split("</tbody>")[0].count("<tr>")


def test_organisation_admin_makes_a_card_account(app, world):
    admin = _client(app, "admin@o.test")
    made = post_form(
        admin,
        "/participants/new",
        {
            "organisation_id": world["org"],
            "display_name": "Bernard",
            "consent_note": "Il est d'accord, dit à l'accueil le 7 décembre.",
        },
    )
    assert made.status_code == 200
    assert "Bernard" in made.get_data(as_text=True)
    with app.app_context():
        person = db.session.scalar(select(Person).where(Person.display_name == "Bernard"))
        assert person.login_identifier and person.holder_organisation_id == world["org"]
        assert _count(Membership, Membership.person_id == person.id) == 1


def test_create_admin_prints_a_link_that_opens_a_platform_admin_account(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["accounts", "create-admin", "First@Example.org"])
    assert result.exit_code == 0, result.output
    path = _path(LINK.search(result.output).group(0))
    client = app.test_client()
    assert _choose(client, path).status_code == 303
    assert client.get("/admin/").status_code == 200
    again = runner.invoke(args=["accounts", "create-admin", "first@example.org"])
    assert again.exit_code != 0


def test_card_account_adds_an_email_that_counts_only_once_confirmed(app, world, mail_server):
    person = _client(app, "CARD-12", "564738")
    sent = post_form(person, "/account/email", {"email": "carla@example.org"})
    assert sent.status_code == 303
    with app.app_context():
        assert db.session.get(Person, world["card"]).email is None  # not before the link
    [(recipients, message)] = _mails(app, mail_server)
    assert recipients == ["carla@example.org"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    path = _path(re.search(r"https?://\S+/email/confirm\?token=[\w-]+", body).group(0))
    visitor = app.test_client()
    assert visitor.get(path).status_code == 200  # opening the link changes nothing
    with app.app_context():
        assert db.session.get(Person, world["card"]).email is None
    assert post_form(visitor, path, {}).status_code == 303
    with app.app_context():
        assert db.session.get(Person, world["card"]).email == "carla@example.org"
    _client(app, "carla@example.org", "564738")  # the address logs in with the code
    _client(app, "CARD-12", "564738")  # and the identifier still does
    assert visitor.get(path).status_code == 410  # the link worked once


def test_facilitator_adds_an_email_to_a_card_account_of_their_organisation(app, world, mail_server):
    facilitator = _client(app, "fac@o.test")
    url = f"/participants/{world['card']}/email"
    assert facilitator.get(url).status_code == 200
    assert post_form(facilitator, url, {"email": "carla2@example.org"}).status_code == 303
    [(recipients, _message)] = _mails(app, mail_server)
    assert recipients == ["carla2@example.org"]
    # Not a card account: nothing to add.
    assert facilitator.get(f"/participants/{world['known']}/email").status_code == 404


def test_an_address_that_has_an_account_is_never_given_to_a_card_account(app, world, mail_server):
    person = _client(app, "CARD-12", "564738")
    sent = post_form(person, "/account/email", {"email": "known@o.test"})
    assert sent.status_code == 303  # the same answer
    [(recipients, message)] = _mails(app, mail_server)
    assert recipients == ["known@o.test"]
    assert "token=" not in message.get_body(preferencelist=("plain",)).get_content()
    with app.app_context():
        assert db.session.get(Person, world["card"]).email is None


def _upload(client, org_id, content: bytes, name="people.csv"):
    page = client.get("/invite/import")
    return client.post(
        "/invite/import",
        data={
            "csrf_token": csrf_from(page.get_data(as_text=True)),
            "organisation_id": org_id,
            "file": (io.BytesIO(content), name),
        },
        content_type="multipart/form-data",
    )


EXCEL_FILE = (
    "Nom;E-mail;Rôle\r\n"
    "Hélène Dupré;helene@example.org;participant\r\n"
    "Sans Adresse;;participant\r\n"
    "Marc Chef;marc@example.org;administrateur\r\n"
    "Léa;pas-une-adresse;\r\n"
    "Jules Deux;helene@example.org;participant\r\n"
    "Inès Ouvrier;ines@example.org;animatrice\r\n"
).encode("cp1252")


def test_import_preview_shows_each_line_with_its_error_and_creates_nothing(app, world):
    facilitator = _client(app, "fac@o.test")
    preview = _upload(facilitator, world["org"], EXCEL_FILE)
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    assert "Hélène Dupré" in html  # Latin-1 read as such, semicolons understood
    rows = html.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert len(rows) == 6  # the header line left out
    problems = [row for row in rows if "field-error" in row]
    # No address, an administrator role a facilitator cannot give, an address cut short, the
    # same address twice, a facilitator role a facilitator cannot give.
    assert len(problems) == 5
    with app.app_context():
        assert _count(AccountLink) == 0
        assert _count(Person, Person.email == "helene@example.org") == 0


def test_import_confirmed_twice_invites_once(app, world, mail_server):
    admin = _client(app, "admin@o.test")
    utf8 = "Hélène Dupré,helene@example.org,participant\nInès,ines@example.org,animatrice\n"
    preview = _upload(admin, world["org"], ("\ufeff" + utf8).encode())
    html = preview.get_data(as_text=True)
    assert html.count("field-error") == 0
    signed = re.search(r'name="lines" type="hidden" value="([^"]+)"', html) or re.search(
        r'type="hidden" name="lines" value="([^"]+)"', html
    )
    for _ in range(2):  # two tabs, each with its own form
        confirmed = post_form(
            admin, "/invite/import/confirm", {"lines": signed.group(1)}, "/invite"
        )
        assert confirmed.status_code == 303
    with app.app_context():
        assert _count(AccountLink) == 2
    assert sorted(to[0] for to, _m in _mails(app, mail_server)) == [
        "helene@example.org",
        "ines@example.org",
    ]
    tampered = post_form(
        admin, "/invite/import/confirm", {"lines": signed.group(1) + "x"}, "/invite"
    )
    assert tampered.status_code == 400

import pytest

from app import db
from app.accounts.models import Role
from tests.conftest import csrf_from, login, post_form
from tests.factories import PASSWORD, make_org, make_person


@pytest.fixture
def participant(app):
    with app.app_context():
        org = make_org()
        person = make_person((org, Role.PARTICIPANT), email="p@example.test")
        db.session.commit()
        return person


def test_login_page_is_french_by_default(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="fr">' in html
    assert "Se connecter" in html


def test_login_then_home_greets_the_person(client, participant):
    login(client, "p@example.test", PASSWORD)
    html = client.get("/").get_data(as_text=True)
    assert participant.display_name in html


def test_failed_login_keeps_identifier_and_shows_errors(client, participant):
    response = post_form(client, "/login", {"identifier": "p@example.test", "secret": "nope"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<title>Erreur :" in html
    assert 'value="p@example.test"' in html
    assert 'class="error-summary"' in html
    assert "nope" not in html


def test_empty_login_shows_each_field_error_next_to_it(client):
    html = post_form(client, "/login", {"identifier": "", "secret": ""}).get_data(as_text=True)
    assert 'id="identifier-error"' in html and 'id="secret-error"' in html
    assert 'aria-invalid="true"' in html
    assert 'href="#identifier"' in html and 'href="#secret"' in html


def test_post_without_csrf_token_is_refused(client, participant):
    response = client.post("/login", data={"identifier": "p@example.test", "secret": PASSWORD})
    assert response.status_code == 400
    assert "Traceback" not in response.get_data(as_text=True)


def test_sixth_failed_login_is_delayed_with_429(client, participant):
    for _ in range(5):
        response = post_form(client, "/login", {"identifier": "p@example.test", "secret": "bad"})
        assert response.status_code == 400
    response = post_form(client, "/login", {"identifier": "p@example.test", "secret": PASSWORD})
    assert response.status_code == 429
    assert "Trop d" in response.get_data(as_text=True)


def test_logout_kills_the_old_session_cookie(app, participant):
    client = app.test_client()
    login(client, "p@example.test", PASSWORD)
    cookie = client.get_cookie("parole_session").value
    page = client.get("/account")
    assert page.status_code == 200
    response = client.post("/logout", data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 303
    # Someone who copied the cookie before logout cannot use it.
    thief = app.test_client()
    thief.set_cookie("parole_session", cookie)
    assert thief.get("/account").status_code == 302


def test_logout_needs_post(client, participant):
    login(client, "p@example.test", PASSWORD)
    assert client.get("/logout").status_code == 405


def test_password_change_kills_other_sessions(app, participant):
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, "p@example.test", PASSWORD)
    login(phone, "p@example.test", PASSWORD)
    response = post_form(
        laptop,
        "/account/secret",
        {
            "current_secret": PASSWORD,
            "new_secret": "another long one",
            "confirm": "another long one",
        },
    )
    assert response.status_code == 303
    assert laptop.get("/account").status_code == 200
    assert phone.get("/account").status_code == 302


def test_anonymous_is_sent_to_login(client):
    response = client.get("/account")
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]


def test_next_parameter_cannot_leave_the_site(client, participant):
    page = client.get("/login?next=//evil.example/")
    response = client.post(
        "/login?next=//evil.example/",
        data={
            "csrf_token": csrf_from(page.get_data(as_text=True)),
            "identifier": "p@example.test",
            "secret": PASSWORD,
        },
    )
    assert response.headers["Location"] == "/"


def test_code_account_must_choose_a_code_first(app, client):
    with app.app_context():
        org = make_org()
        make_person(
            (org, Role.PARTICIPANT), identifier="CODE-11", secret="736251", must_choose_code=True
        )
        db.session.commit()
    login(client, "CODE-11", "736251")
    response = client.get("/account")
    assert response.status_code == 303 and response.headers["Location"].endswith(
        "/account/choose-code"
    )
    bad = post_form(client, "/account/choose-code", {"new_secret": "111111", "confirm": "111111"})
    assert "trop facile" in bad.get_data(as_text=True)
    ok = post_form(client, "/account/choose-code", {"new_secret": "975310", "confirm": "975310"})
    assert ok.status_code == 303
    assert client.get("/account").status_code == 200


def test_a_card_identifier_typed_without_its_dash_logs_in(app, client):
    with app.app_context():
        person = make_person((make_org(), Role.PARTICIPANT), identifier="ZAEJ-70", secret="736251")
        db.session.commit()
    login(client, "zaej70", "736251")
    assert person.display_name in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("easy", ["111222", "123456", "121212", "150392", "147258"])
def test_choosing_an_easy_code_is_refused_in_plain_french(app, client, easy):
    with app.app_context():
        make_person(
            (make_org(), Role.PARTICIPANT),
            identifier="EASY-22",
            secret="736251",
            must_choose_code=True,
        )
        db.session.commit()
    login(client, "EASY-22", "736251")
    bad = post_form(client, "/account/choose-code", {"new_secret": easy, "confirm": easy})
    assert bad.status_code in (200, 400)
    assert (
        "Ce code est trop facile à deviner. Choisissez 6 chiffres moins simples."
        in bad.get_data(as_text=True)
    )
    assert client.get("/account").status_code == 303  # still to choose

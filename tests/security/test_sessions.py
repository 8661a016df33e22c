"""Sessions and login, from the outside: a copied cookie stops working, throttling is per
account and client and never a lock (an attacker elsewhere never makes the owner wait), an
unknown identifier gets exactly the answer a known one gets, logins end after 30 days
unused (12 hours for staff), and the cookies carry the right flags.

Already covered elsewhere, and not repeated here:
- tests/functional/accounts/test_login.py: logout kills the e-mail account's cookie, a
  password change closes another live session, the sixth failure gets a 429;
- tests/unit/accounts/test_services.py: the delay grows then lets the right password in
  (`now=`), unknown identifiers are throttled too, the service message is the same."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from app import db
from app.accounts import services
from app.accounts.models import LoginSession, LoginThrottle, Person, Role
from app.core.errors import TooManyAttempts
from app.db import utcnow
from config import ProductionConfig, TestConfig
from tests import figures
from tests.conftest import csrf_from, login, post_form
from tests.factories import PASSWORD, make_org, make_person
from tests.security.watch import build_app, close_app

COOKIE = "parole_session"
CODE = "736251"


@pytest.fixture
def people(app: Flask) -> dict:
    with app.app_context():
        org = make_org()
        ids = {
            "anna": make_person((org, Role.PARTICIPANT), email="anna@example.test").id,
            "ben": make_person((org, Role.PARTICIPANT), email="ben@example.test").id,
            "card": make_person((org, Role.PARTICIPANT), identifier="KARD-42", secret=CODE).id,
            "new": make_person(
                (org, Role.PARTICIPANT),
                identifier="NEWC-17",
                secret="582914",
                must_choose_code=True,
            ).id,
            "facilitator": make_person((org, Role.FACILITATOR), email="fac@example.test").id,
        }
        db.session.commit()
        return ids


def cookie_of(client: FlaskClient) -> str:
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None, "no session cookie"
    return cookie.value


def replay(app: Flask, cookie: str) -> int:
    """Someone else's browser with a copy of the cookie asks for a private page."""
    thief = app.test_client()
    thief.set_cookie(COOKIE, cookie)
    return thief.get("/account").status_code


def sid_in(app: Flask, cookie: str) -> str:
    return app.session_interface.get_signing_serializer(app).loads(cookie)["sid"]


def logout(client: FlaskClient) -> None:
    page = client.get("/account")
    response = client.post("/logout", data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 303


# Old cookies ------------------------------------------------------------------------------


def test_logout_kills_the_cookie_of_a_code_account_everywhere(app, people):
    client = app.test_client()
    login(client, "kard-42", CODE)
    first = cookie_of(client)
    client.get("/account")  # the cookie is signed again on the way: both copies must die
    second = cookie_of(client)
    assert replay(app, first) == 200 and replay(app, second) == 200
    logout(client)
    assert replay(app, first) == 302 and replay(app, second) == 302
    # The cookie's login token is revoked in the database, not only forgotten by the browser.
    with app.app_context():
        row = db.session.scalar(
            select(LoginSession).where(
                LoginSession.token_hash == services._token_hash(sid_in(app, first))
            )
        )
        assert row is not None and row.revoked_at is not None
    figures.add("sessions: checks", 5)


def test_each_login_gets_a_new_token(app, people):
    tokens = set()
    for _ in range(3):
        client = app.test_client()
        client.get("/login")
        before = cookie_of(client)
        login(client, "anna@example.test", PASSWORD)
        assert "sid" not in app.session_interface.get_signing_serializer(app).loads(before)
        tokens.add(sid_in(app, cookie_of(client)))
    assert len(tokens) == 3
    # The cookie is signed: a made-up token is not accepted.
    forged = cookie_of(client)[:-4] + "AAAA"
    assert replay(app, forged) == 302
    figures.add("sessions: checks", 5)


def test_password_change_kills_the_old_cookies_of_other_browsers(app, people):
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, "anna@example.test", PASSWORD)
    login(phone, "anna@example.test", PASSWORD)
    stolen = cookie_of(phone)
    response = post_form(
        laptop,
        "/account/secret",
        {"current_secret": PASSWORD, "new_secret": "a brand new one", "confirm": "a brand new one"},
    )
    assert response.status_code == 303
    assert replay(app, stolen) == 302
    assert laptop.get("/account").status_code == 200
    figures.add("sessions: checks", 2)


def test_password_change_also_kills_a_copy_of_the_current_cookie(app, people):
    laptop = app.test_client()
    login(laptop, "anna@example.test", PASSWORD)
    copied = cookie_of(laptop)  # someone copied the cookie; Anna changes her password
    response = post_form(
        laptop,
        "/account/secret",
        {"current_secret": PASSWORD, "new_secret": "a brand new one", "confirm": "a brand new one"},
    )
    assert response.status_code == 303
    assert laptop.get("/account").status_code == 200
    assert replay(app, copied) == 302


def test_choosing_a_code_kills_sessions_opened_with_the_temporary_code(app, people):
    """Whoever saw the login card could log in with the temporary code first."""
    intruder, person = app.test_client(), app.test_client()
    login(intruder, "NEWC-17", "582914")
    early = cookie_of(intruder)
    login(person, "NEWC-17", "582914")
    chosen = post_form(
        person, "/account/choose-code", {"new_secret": "975310", "confirm": "975310"}
    )
    assert chosen.status_code == 303
    assert replay(app, early) in (302, 303)
    assert intruder.get("/account").status_code in (302, 303)
    assert person.get("/account").status_code == 200
    figures.add("sessions: checks", 3)


def test_code_reset_by_the_facilitator_kills_every_cookie(app, people):
    phone = app.test_client()
    login(phone, "KARD-42", CODE)
    cookie = cookie_of(phone)
    facilitator = app.test_client()
    login(facilitator, "fac@example.test", PASSWORD)
    page = f"/participants/{people['card']}"
    response = post_form(facilitator, f"{page}/reset-code", {}, get_url=page)
    assert response.status_code == 200
    assert replay(app, cookie) == 302
    assert phone.get("/account").status_code == 302
    figures.add("sessions: checks", 2)


# Throttling -------------------------------------------------------------------------------


def fail(client: FlaskClient, identifier: str, times: int = 1) -> int:
    status = 0
    for _ in range(times):
        status = post_form(
            client, "/login", {"identifier": identifier, "secret": "wrong!"}
        ).status_code
    return status


def test_failures_on_one_account_do_not_block_another(app, people):
    """Same browser, same address: only the attacked account waits."""
    client = app.test_client()
    assert fail(client, "anna@example.test", 5) == 400
    assert fail(client, "anna@example.test") == 429
    # Writing the identifier differently does not get round the wait.
    for variant in ("ANNA@example.test", "  anna@EXAMPLE.test "):
        response = post_form(client, "/login", {"identifier": variant, "secret": PASSWORD})
        assert response.status_code == 429
    # Ben, from the same browser, is not touched, and keeps his own five free tries.
    assert fail(client, "ben@example.test", 4) == 400
    login(client, "ben@example.test", PASSWORD)
    other = app.test_client()
    assert fail(other, "kard-42", 4) == 400
    login(other, "KARD-42", CODE)
    figures.add("sessions: checks", 7)


def test_no_permanent_lockout_through_the_page(app, people):
    client = app.test_client()
    fail(client, "anna@example.test", 12)
    blocked = post_form(client, "/login", {"identifier": "anna@example.test", "secret": PASSWORD})
    assert blocked.status_code == 429
    with app.app_context():
        # The wait is over (as if the minutes had passed).
        db.session.execute(
            update(LoginThrottle).values(blocked_until=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()
    login(client, "anna@example.test", PASSWORD)
    assert client.get("/account").status_code == 200
    with app.app_context():  # her own count starts again (the address keeps its hourly count)
        keys = services._throttle_keys("anna@example.test", services.LoginClient("127.0.0.1"))
        assert db.session.scalar(select(LoginThrottle).filter_by(key_hash=keys.pair)) is None
    figures.add("sessions: checks", 3)


def test_the_wait_is_capped_however_long_the_attack(app, ctx, people):
    person = db.session.get(Person, people["anna"])
    cap = app.config["LOGIN_MAX_DELAY"]
    now = utcnow()
    waits = []
    for _ in range(40):
        try:
            services.authenticate("anna@example.test", "wrong!", now=now)
        except TooManyAttempts as exc:
            waits.append(exc.retry_after)
            now += timedelta(seconds=exc.retry_after)
        except services.InvalidCredentials:
            pass
    assert waits and max(waits) <= cap + 1
    assert waits[-1] >= cap  # it did grow to the cap...
    row = db.session.scalars(
        select(LoginThrottle).where(LoginThrottle.blocked_until.is_not(None))
    ).one()
    with pytest.raises(TooManyAttempts):  # ...the attacker still waits...
        services.authenticate(
            "anna@example.test", PASSWORD, now=row.blocked_until - timedelta(seconds=1)
        )
    # ...and the right password works the moment the wait is over.
    assert services.authenticate("anna@example.test", PASSWORD, now=row.blocked_until) == person
    figures.add("sessions: checks", 4)


# Nobody can lock the owner out (the page, real cookies) --------------------------------------


def at(app: Flask, address: str) -> FlaskClient:
    """A browser connecting from this address."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_an_attacker_failing_50_times_does_not_stop_the_owner_elsewhere(app, people):
    attacker = at(app, "203.0.113.9")
    for n in range(50):  # a forged X-Forwarded-For changes nothing: no proxy is trusted
        response = post_form(
            attacker,
            "/login",
            {"identifier": "kard-42", "secret": f"{n:06d}"},
            headers={"X-Forwarded-For": f"10.9.9.{n}"},
        )
        assert response.status_code == (400 if n < 5 else 429)
    owner = at(app, "198.51.100.7")
    login(owner, "KARD-42", CODE)
    assert owner.get("/account").status_code == 200
    figures.add("sessions: checks", 3)


def test_the_known_device_cookie_lets_the_owner_in_from_the_attacked_address(app, people):
    """A social centre: the owner and the attacker share one public address."""
    tablet = at(app, "198.51.100.7")
    login(tablet, "anna@example.test", PASSWORD)
    logout(tablet)
    assert tablet.get_cookie("parole_device") is not None  # kept after logout
    fail(at(app, "198.51.100.7"), "anna@example.test", 50)
    stranger = at(app, "198.51.100.7")  # another browser there waits...
    assert fail(stranger, "anna@example.test") == 429
    login(tablet, "anna@example.test", PASSWORD)  # ...the owner's browser does not
    # A known device of someone else is just the address for this identifier.
    ben = at(app, "198.51.100.7")
    login(ben, "ben@example.test", PASSWORD)
    logout(ben)
    assert fail(ben, "anna@example.test") == 429
    figures.add("sessions: checks", 4)


def test_the_known_device_cookie_is_signed_httponly_and_hides_the_identifier(app, people):
    client = app.test_client()
    page = client.get("/login")
    response = client.post(
        "/login",
        data={
            "csrf_token": csrf_from(page.get_data(as_text=True)),
            "identifier": "KARD-42",
            "secret": CODE,
        },
    )
    header = set_cookies(response)["parole_device"]
    found = flags(header)
    assert "httponly" in found and found.get("samesite", "").lower() == "lax"
    assert "KARD" not in header.upper() and CODE not in header
    # A forged cookie (any content, no valid signature) counts for nothing.
    value = client.get_cookie("parole_device").value
    forger = app.test_client()
    for _ in range(5):
        fail(forger, "kard-42")
    forger.set_cookie("parole_device", value[:-3] + "AAA")
    assert fail(forger, "kard-42") == 429
    figures.add("sessions: checks", 4)


def test_behind_a_trusted_proxy_each_address_counts_apart(app, people, monkeypatch):
    monkeypatch.setitem(app.config, "TRUSTED_PROXIES", 1)
    proxy = at(app, "10.0.0.2")  # every request arrives from the reverse proxy
    for _ in range(5):
        post_form(
            proxy,
            "/login",
            {"identifier": "ben@example.test", "secret": "wrong!"},
            headers={"X-Forwarded-For": "203.0.113.9"},
        )
    blocked = post_form(
        proxy,
        "/login",
        {"identifier": "ben@example.test", "secret": PASSWORD},
        headers={"X-Forwarded-For": "203.0.113.9"},
    )
    assert blocked.status_code == 429
    # The client may prepend anything: only the last hop, written by the proxy, counts.
    spoofed = post_form(
        proxy,
        "/login",
        {"identifier": "ben@example.test", "secret": PASSWORD},
        headers={"X-Forwarded-For": "1.2.3.4, 203.0.113.9"},
    )
    assert spoofed.status_code == 429
    owner = post_form(
        at(app, "10.0.0.2"),
        "/login",
        {"identifier": "ben@example.test", "secret": PASSWORD},
        headers={"X-Forwarded-For": "198.51.100.7"},
    )
    assert owner.status_code == 303
    figures.add("sessions: checks", 3)


def test_an_identifier_failed_from_many_addresses_answers_slowly(app, people, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_IDENTIFIER_SLOW_AFTER", 3)
    monkeypatch.setitem(app.config, "LOGIN_SLOW_ANSWER", 0.5)
    for n in range(3):
        assert fail(at(app, f"203.0.113.{n}"), "ben@example.test") == 400
    client = at(app, "198.51.100.7")
    page = client.get("/login")
    data = {"csrf_token": csrf_from(page.get_data(as_text=True)), "identifier": "ben@example.test"}
    started = time.monotonic()
    refused = client.post("/login", data=data | {"secret": "wrong!"})
    assert refused.status_code == 400 and time.monotonic() - started >= 0.5
    # Slow, never locked: the right password from here works at once.
    assert client.post("/login", data=data | {"secret": PASSWORD}).status_code == 303
    figures.add("sessions: checks", 3)


# Logins that end by themselves -----------------------------------------------------------------


def age_login(app: Flask, client: FlaskClient, **ago: timedelta) -> None:
    """Move this browser's login back in time (created_at, last_used_at)."""
    with app.app_context():
        token_hash = services._token_hash(sid_in(app, cookie_of(client)))
        values = {column: utcnow() - delta for column, delta in ago.items()}
        db.session.execute(
            update(LoginSession).where(LoginSession.token_hash == token_hash).values(**values)
        )
        db.session.commit()


def test_a_login_unused_for_30_days_sends_to_the_login_page_with_a_word(app, people):
    client = app.test_client()
    login(client, "anna@example.test", PASSWORD)
    age_login(app, client, last_used_at=timedelta(days=29))
    assert client.get("/account").status_code == 200
    age_login(app, client, last_used_at=timedelta(days=30, minutes=1))
    response = client.get("/account")
    assert response.status_code == 303
    assert response.headers["Location"] == "/login?next=/account"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Vous avez été déconnecté après 30 jours sans visite. Reconnectez-vous." in page
    assert client.get("/account").status_code == 302  # plain anonymous from now on
    login(client, "anna@example.test", PASSWORD)
    assert client.get("/account").status_code == 200
    figures.add("sessions: checks", 5)


def test_a_staff_login_ends_after_12_hours_even_in_use(app, people):
    office = app.test_client()
    login(office, "fac@example.test", PASSWORD)
    age_login(app, office, created_at=timedelta(hours=11), last_used_at=timedelta(minutes=1))
    assert office.get("/participants/").status_code == 200
    age_login(app, office, created_at=timedelta(hours=12, minutes=1))
    response = office.get("/participants/", follow_redirects=True)
    assert "déconnecté après 12 heures" in response.get_data(as_text=True)
    assert office.get("/participants/").status_code == 302
    # A participant's login of the same age lasts.
    phone = app.test_client()
    login(phone, "anna@example.test", PASSWORD)
    age_login(app, phone, created_at=timedelta(hours=13))
    assert phone.get("/account").status_code == 200
    figures.add("sessions: checks", 4)


def test_using_parole_keeps_the_login_alive(app, people):
    client = app.test_client()
    login(client, "anna@example.test", PASSWORD)
    age_login(app, client, last_used_at=timedelta(days=20))
    with client.session_transaction() as cookie_session:
        cookie_session["seen"] = 0  # as if the last note were long ago
    assert client.get("/account").status_code == 200
    with app.app_context():
        token_hash = services._token_hash(sid_in(app, cookie_of(client)))
        row = db.session.scalar(select(LoginSession).filter_by(token_hash=token_hash))
        assert utcnow() - row.last_used_at < timedelta(minutes=1)
    # The next pages write nothing: the note is at most every few minutes.
    age_login(app, client, last_used_at=timedelta(days=3))
    assert client.get("/account").status_code == 200
    with app.app_context():
        row = db.session.scalar(select(LoginSession).filter_by(token_hash=token_hash))
        assert utcnow() - row.last_used_at > timedelta(days=2)
    figures.add("sessions: checks", 3)


# Same answer for known and unknown identifiers --------------------------------------------


def normalised(html: str, identifier: str) -> str:
    html = re.sub(r'name="csrf_token" value="[^"]+"', 'name="csrf_token" value=""', html)
    html = re.sub(r'name="idempotency_key" value="[^"]+"', 'name="idempotency_key" value=""', html)
    return html.replace(identifier, "<identifier>")


def answer(app: Flask, identifier: str, secret: str = "wrong!"):  # noqa: ANN201, S107
    client = app.test_client()
    response = post_form(client, "/login", {"identifier": identifier, "secret": secret})
    return response.status_code, normalised(response.get_data(as_text=True), identifier)


@pytest.mark.parametrize(
    ("known", "unknown"),
    [
        ("anna@example.test", "zora@example.test"),
        ("KARD-42", "KARD-43"),
        ("kard-42", "kard-43"),
    ],
)
def test_unknown_identifier_gets_exactly_the_same_answer(app, people, known, unknown):
    assert answer(app, known) == answer(app, unknown)
    # A code account with a password-looking secret, and an empty secret: the same again.
    assert answer(app, known, "x" * 30) == answer(app, unknown, "x" * 30)
    # Throttled: the same wait, the same words.
    client_known, client_unknown = app.test_client(), app.test_client()
    fail(client_known, known, 5)
    fail(client_unknown, unknown, 5)
    one = post_form(client_known, "/login", {"identifier": known, "secret": "wrong!"})
    two = post_form(client_unknown, "/login", {"identifier": unknown, "secret": "wrong!"})
    assert one.status_code == two.status_code == 429
    assert normalised(one.get_data(as_text=True), known) == normalised(
        two.get_data(as_text=True), unknown
    )
    figures.add("sessions: checks", 3)


# Cookie flags -------------------------------------------------------------------------------


def set_cookies(response) -> dict[str, str]:  # noqa: ANN001
    found = {}
    for header in response.headers.getlist("Set-Cookie"):
        name = header.split("=", 1)[0]
        found[name] = header
    return found


def flags(header: str) -> dict[str, str]:
    parts = [part.strip() for part in header.split(";")[1:]]
    return {p.split("=", 1)[0].lower(): (p.split("=", 1) + [""])[1] for p in parts}


def test_session_cookie_is_httponly_and_samesite(app, people):
    client = app.test_client()
    page = client.get("/login")
    token = csrf_from(page.get_data(as_text=True))
    response = client.post(
        "/login", data={"csrf_token": token, "identifier": "anna@example.test", "secret": PASSWORD}
    )
    header = set_cookies(response)[COOKIE]
    found = flags(header)
    assert "httponly" in found
    assert found.get("samesite", "").lower() in ("lax", "strict")
    assert PASSWORD not in header
    figures.add("sessions: checks", 3)


class ProductionLike(ProductionConfig):
    SECRET_KEY = "production-like-secret-key-for-the-session-tests"
    DATA_KEY = Fernet.generate_key().decode()
    PUBLIC_URL = "https://parole.example"
    TRUSTED_HOSTS = ["parole.example"]


@pytest.fixture
def production() -> Iterator[Flask]:
    built = build_app(ProductionLike)
    yield built
    close_app(built)


def test_production_cookies_are_secure(production):
    assert TestConfig.SESSION_COOKIE_SECURE is False  # tests run over http
    client = production.test_client()
    base = "https://parole.example"
    page = client.get("/login", base_url=base)
    header = set_cookies(page)[COOKIE]
    found = flags(header)
    assert "secure" in found and "httponly" in found
    assert found.get("samesite", "").lower() in ("lax", "strict")
    token = csrf_from(page.get_data(as_text=True))
    switched = client.post(
        "/language/en",
        data={"csrf_token": token},
        base_url=base,
        headers={"Referer": f"{base}/login"},  # Flask-WTF checks it over https
    )
    assert switched.status_code == 303
    for name, header in set_cookies(switched).items():
        found = flags(header)
        assert "secure" in found and "httponly" in found, name
        assert found.get("samesite", "").lower() in ("lax", "strict"), name
    figures.add("sessions: checks", 4)

"""The login throttle cannot be used to lock someone out, one written form of identifiers,
weak codes refused, and the guessing times that SECURITY.md quotes, derived from the settings.

Services are called directly with `now=` and a `LoginClient` (the address, and the
known-device cookie's content): no sleeping."""

from __future__ import annotations

import math
import re
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask

from app.accounts import services
from app.accounts.services import LoginClient
from app.accounts.weak_codes import WEAK_SIX_DIGIT_CODES, is_weak_code
from app.core.errors import DomainError, TooManyAttempts
from app.db import utcnow
from tests.factories import PASSWORD, make_org, make_person

pytestmark = pytest.mark.usefixtures("ctx")

ATTACKER = LoginClient("203.0.113.9")
OWNER = LoginClient("198.51.100.7")
CODE = "736251"


def hammer(identifier: str, client: LoginClient, times: int, now) -> int:  # noqa: ANN001
    """Try wrong secrets as fast as the throttle lets through; returns the failures counted."""
    counted = 0
    for _ in range(times):
        try:
            services.authenticate(identifier, "wrong!", now=now, client=client)
        except TooManyAttempts:
            pass  # told to wait: the attacker does not, and tries again at once
        except services.InvalidCredentials:
            counted += 1
    return counted


# Nobody can lock the owner out --------------------------------------------------------------


def test_attacker_failing_50_times_does_not_stop_the_owner_from_another_address():
    person = make_person(email="anna@example.test")
    now = utcnow()
    assert hammer("anna@example.test", ATTACKER, 50, now) == 5
    with pytest.raises(TooManyAttempts):  # the attacker waits...
        services.authenticate("anna@example.test", PASSWORD, now=now, client=ATTACKER)
    # ...the owner, elsewhere, logs in at once, with the right password.
    assert services.authenticate("anna@example.test", PASSWORD, now=now, client=OWNER) == person


def test_owner_with_the_known_device_cookie_logs_in_from_the_attacked_address():
    """Same address (a social centre behind one router), but the owner's browser has logged
    in as her before: the known-device cookie holds her identifier's tag."""
    person = make_person(identifier="KARD-42", secret=CODE)
    now = utcnow()
    hammer("KARD-42", ATTACKER, 50, now)
    mine = LoginClient(ATTACKER.address, "her-tablet", (services.device_tag("kard42"),))
    assert services.authenticate("kard-42", CODE, now=now, client=mine) == person
    # Someone else's known device (tag of another identifier) is just the address.
    other = LoginClient(ATTACKER.address, "his-phone", (services.device_tag("ABCD-12"),))
    with pytest.raises(TooManyAttempts):
        services.authenticate("KARD-42", CODE, now=now, client=other)


def test_the_known_device_has_its_own_doubling_wait():
    """A shared computer that knows the identifier does not give free tries either."""
    make_person(identifier="KARD-42", secret=CODE)
    now = utcnow()
    shared = LoginClient("192.0.2.1", "shared-pc", (services.device_tag("KARD-42"),))
    assert hammer("KARD-42", shared, 8, now) == 5


def test_one_address_trying_many_identifiers_waits_after_the_hourly_cap(app: Flask, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_CLIENT_MAX_FAILURES", 6)
    person = make_person(email="victim@example.test")
    now = utcnow()
    for n in range(6):  # one try on each of six identifiers: spraying one common code
        with pytest.raises(services.InvalidCredentials):
            services.authenticate(f"p{n}@example.test", "123456", now=now, client=ATTACKER)
    with pytest.raises(TooManyAttempts) as wait:  # a seventh identifier, never tried
        services.authenticate("victim@example.test", PASSWORD, now=now, client=ATTACKER)
    assert 3500 < wait.value.retry_after <= 3601  # until the end of the hour
    # Another address is not touched; the sprayer may try again after the hour.
    assert services.authenticate("victim@example.test", PASSWORD, now=now, client=OWNER) == person
    later = now + timedelta(seconds=app.config["LOGIN_CLIENT_WINDOW"])
    assert (
        services.authenticate("victim@example.test", PASSWORD, now=later, client=ATTACKER) == person
    )


def test_many_failures_from_many_addresses_slow_the_answer_but_never_lock(app: Flask, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_IDENTIFIER_SLOW_AFTER", 6)  # fewer slow hashes
    person = make_person(email="target@example.test")
    now = utcnow()
    slow_after = app.config["LOGIN_IDENTIFIER_SLOW_AFTER"]
    for n in range(slow_after):  # a botnet: one failure from each address
        client = LoginClient(f"10.0.{n // 250}.{n % 250}")
        hammer("target@example.test", client, 1, now)
    check = services.check_credentials("target@example.test", PASSWORD, now=now, client=OWNER)
    assert check.slow and not check.throttled
    assert services.finish_login(check, now=now) == person
    # The same for an identifier nobody has: the same answers, the same slowness.
    for n in range(slow_after):
        hammer("nobody@example.test", LoginClient(f"10.1.{n // 250}.{n % 250}"), 1, now)
    ghost = services.check_credentials("nobody@example.test", PASSWORD, now=now, client=OWNER)
    assert ghost.slow and not ghost.throttled
    # A day later the identifier answers at normal speed again.
    day = timedelta(seconds=app.config["LOGIN_IDENTIFIER_WINDOW"])
    assert not services.check_credentials("target@example.test", "x", now=now + day).slow


def test_many_failures_from_many_addresses_are_told_to_the_person_and_the_holder(
    app: Flask, monkeypatch
):
    """A botnet is never a lock, but it is seen: the person and the facilitators of the
    organisation that holds the account are told once, not at every further failure."""
    from sqlalchemy import select

    from app import db
    from app.accounts.models import Role
    from app.core.models import Notification, OutboxMessage

    monkeypatch.setitem(app.config, "LOGIN_IDENTIFIER_SLOW_AFTER", 6)
    org = make_org("CCAS des essais")
    facilitator = make_person((org, Role.FACILITATOR), email="anim@example.test")
    person = make_person((org, Role.PARTICIPANT), email="target@example.test")
    assert person.holder_organisation_id == org.id
    now = utcnow()
    for n in range(9):  # past the threshold: told once
        hammer("target@example.test", LoginClient(f"10.2.0.{n}"), 1, now)
    told = db.session.scalars(select(Notification)).all()
    assert sorted(n.person_id for n in told) == sorted([person.id, facilitator.id])
    assert "6 fois" in next(n.body for n in told if n.person_id == person.id)
    mails = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_address == "target@example.test")
    ).all()
    assert len(mails) == 1
    # An identifier nobody has tells nobody, and answers the same.
    before = len(db.session.scalars(select(Notification)).all())
    for n in range(9):
        hammer("nobody@example.test", LoginClient(f"10.3.0.{n}"), 1, now)
    assert len(db.session.scalars(select(Notification)).all()) == before


# One written form of identifiers ------------------------------------------------------------


@pytest.mark.parametrize(
    "variant",
    [
        "PPL\u212a-11",
        "pplk-11",
        "PPLK11",
        "pplk 11",
        "\uff30\uff30\uff2c\uff2b\uff0d\uff11\uff11",
        "PPLK\u201311",
    ],
)
def test_a_throttled_identifier_stays_throttled_in_any_unicode_form(variant):
    """The Kelvin sign (U+212A) used to reach the account PPLK-11 with a fresh counter."""
    person = make_person(identifier="PPLK-11", secret=CODE)
    now = utcnow()
    hammer("PPLK-11", ATTACKER, 5, now)
    with pytest.raises(TooManyAttempts):
        services.authenticate(variant, CODE, now=now, client=ATTACKER)
    # From elsewhere, the same variant logs in as the same account, and only when right.
    with pytest.raises(services.InvalidCredentials):
        services.authenticate(variant, "wrong!", now=now, client=OWNER)
    assert services.authenticate(variant, CODE, now=now, client=OWNER) == person


def test_an_e_mail_in_another_unicode_form_shares_the_count():
    make_person(email="kim@example.test")
    now = utcnow()
    hammer("kim@example.test", ATTACKER, 5, now)
    for variant in ("\u212aIM@example.test", "KIM@EXAMPLE.TEST ", "\uff4bim@example.test"):
        with pytest.raises(TooManyAttempts):
            services.authenticate(variant, PASSWORD, now=now, client=ATTACKER)


@pytest.mark.parametrize("typed", ["zaej70", "ZAEJ 70", "zaej-70", " Zaej\u201170 "])
def test_an_identifier_without_its_dash_finds_the_account(typed):
    person = make_person(identifier="ZAEJ-70", secret=CODE)
    assert services.find_by_identifier(typed) == person
    assert services.authenticate(typed, CODE) == person


def test_the_normal_form_of_identifiers():
    assert services.normalise_identifier(" zaej70 ") == "ZAEJ-70"
    assert services.normalise_identifier("PPL\u212a-11") == "PPLK-11"
    assert services.normalise_identifier(" Marie@Example.TEST ") == "marie@example.test"
    assert services.normalise_identifier("\u212aim@example.test") == "kim@example.test"
    for value in ("ZAEJ-70", "marie@example.test", "something-else"):  # stable
        once = services.normalise_identifier(value)
        assert services.normalise_identifier(once) == once


# Weak codes -------------------------------------------------------------------------------


def test_the_weak_code_list_has_more_than_a_thousand_codes_and_the_classics():
    assert len(WEAK_SIX_DIGIT_CODES) >= 1000
    classics = {
        "000000", "111111", "123456", "654321", "123123", "121212", "112233", "111222",
        "123321", "147258", "159753", "789456", "258369", "102030", "131313", "999999",
        "010190", "250385", "311299", "120587", "198507", "071985",
    }  # fmt: skip
    assert classics <= WEAK_SIX_DIGIT_CODES
    assert all(len(code) == 6 and code.isdigit() for code in WEAK_SIX_DIGIT_CODES)
    # Ordinary random codes stay allowed.
    for code in ("736251", "582914", "975310", "918273", "402857"):
        assert not is_weak_code(code)


@pytest.mark.parametrize("code", ["111222", "123456", "121212", "150392", "147258", "azerty"])
def test_choosing_a_weak_code_is_refused_in_plain_words(code):
    person = make_person(identifier="WXYZ-34", secret="902817", must_choose_code=True)
    with pytest.raises(DomainError) as refused:
        services.change_secret(person, None, code)
    assert refused.value.field == "new_secret"
    assert "Ce code est trop facile à deviner" in str(refused.value.message)


def test_codes_on_new_cards_are_never_weak():
    org = make_org()
    facilitator = make_person((org, services.Role.FACILITATOR))
    for _ in range(3):
        card = services.create_assisted_account(facilitator, org, "Lucie", "Elle a dit oui.")
        assert not is_weak_code(card.code)


# The figures of SECURITY.md ------------------------------------------------------------------

SECURITY_MD = Path(__file__).resolve().parents[3] / "SECURITY.md"


def seconds_for(guesses: int, cfg: dict) -> int:
    """How long one client needs to make `guesses` wrong tries on one identifier: the free
    ones at once, then each waits the doubling delay, up to the cap."""
    total, failure = 0, 1
    while failure < guesses:  # the wait after each failure but the last
        over = failure - cfg["LOGIN_FREE_FAILURES"]
        delay = 0 if over < 0 else cfg["LOGIN_BASE_DELAY"] * 2 ** min(over, 32)
        if delay >= cfg["LOGIN_MAX_DELAY"]:  # at the cap from here on
            return total + (guesses - failure) * cfg["LOGIN_MAX_DELAY"]
        total += delay
        failure += 1
    return total


def guessing_figures(cfg: dict) -> dict[str, str]:
    """On average, a code drawn at random among those allowed is found after half of them."""
    allowed = 10**6 - len(WEAK_SIX_DIGIT_CODES)
    half = math.ceil(allowed / 2)
    per_day = 24 * 3600 // cfg["LOGIN_MAX_DELAY"]
    one = seconds_for(half, cfg) / (365.25 * 24 * 3600)
    thousand = seconds_for(math.ceil(half / 1000), cfg) / (24 * 3600)
    return {
        "allowed": f"{allowed:,}",
        "per_day": str(per_day),
        "one_address_years": f"{one:.1f}",
        "thousand_addresses_days": f"{thousand:.1f}",
    }


def test_security_md_quotes_the_guessing_times_of_the_settings(app: Flask):
    figures = guessing_figures(app.config)
    text = re.sub(r"\s+", " ", SECURITY_MD.read_text(encoding="utf-8"))
    assert f"{figures['allowed']} codes" in text
    assert f"{figures['per_day']} tries a day" in text
    assert f"{figures['one_address_years']} years" in text
    assert f"{figures['thousand_addresses_days']} days" in text

"""An e-mail address added to a card account, in Chromium with axe-core: the person's page
(/account/email) and the facilitator's page for that person, fresh, with a wrong address and
once the link is sent, then the confirmation page the mailed link opens; in French, French
easy-read and English easy-read."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from app import db
from app.accounts import services
from app.accounts.models import Person, Role
from app.core.models import OutboxMessage
from tests.browser.conftest import expect_error_state, login, set_preferences, submit
from tests.factories import PASSWORD
from tests.worlds import an_organisation

_n = itertools.count(1)
CODE = "plume7391"  # the code the card holder chooses at the first login
LANGUAGES = pytest.mark.parametrize(
    ("language", "easy_read"),
    [("fr", False), ("fr", True), ("en", True)],
    ids=["fr", "fr-easy", "en-easy"],
)


def _world(live_app) -> dict:  # noqa: ANN001
    """A facilitator and two card holders of her organisation (identifier and first code)."""
    n = next(_n)
    with live_app.test_request_context("/"):
        team = an_organisation(
            f"bcard{n}-CRPA Carte", domain=f"bcard{n}.test", fac=Role.FACILITATOR
        )
        cards = [
            services.create_assisted_account(team["fac"], team.org, name, "Accord à l'accueil.")
            for name in ("Denise Carte", "Gilles Carte")
        ]
        db.session.commit()
        return {
            "n": n,
            "fac": team["fac"].email,
            "cards": [(card.identifier, card.code) for card in cards],
        }


def _card_login(page, identifier: str, code: str) -> None:  # noqa: ANN001
    login(page, identifier, code)
    if "/account/choose-code" in page.url:
        page.fill("#new_secret", CODE)
        page.fill("#confirm", CODE)
        submit(page)


def _confirm_path(live_app, address: str) -> str:  # noqa: ANN001
    with live_app.app_context():
        body = db.session.scalar(
            select(OutboxMessage.body_text)
            .where(OutboxMessage.to_address == address)
            .order_by(OutboxMessage.id.desc())
        )
    url = next(word for word in body.split() if "/email/confirm?token=" in word)
    return "/" + url.split("/", 3)[3]


def _fill_and_check(page, axe, what: str, address: str) -> None:  # noqa: ANN001
    axe.check(page, f"{what}, fresh")
    page.fill("#email", "pas-une-adresse")
    submit(page)
    expect_error_state(page)
    assert "email-error" in (page.locator("#email").get_attribute("aria-describedby") or "")
    axe.check(page, f"{what}, wrong address")
    page.fill("#email", address)
    submit(page)
    assert page.locator(".error-summary").count() == 0, page.locator("main").inner_text()
    axe.check(page, f"{what}, link sent")


@LANGUAGES
def test_card_account_email_pages_have_no_axe_violation(
    page,
    axe,
    live_app,
    language,
    easy_read,  # noqa: ANN001
):
    w = _world(live_app)
    mode = f"({language}, easy={easy_read})"
    # The person adds their own address, then opens the link from the mail.
    _card_login(page, *w["cards"][0])
    set_preferences(page, language, easy_read)
    page.goto("/account/email")
    own = f"denise{w['n']}-{language}{int(easy_read)}@bcard.test"
    _fill_and_check(page, axe, f"my e-mail address {mode}", own)
    page.goto(_confirm_path(live_app, own))
    axe.check(page, f"confirm the address {mode}")
    submit(page)
    assert page.locator(".error-summary").count() == 0
    axe.check(page, f"address confirmed {mode}")

    # The facilitator adds one for Gilles from his page.
    page.context.clear_cookies()
    login(page, w["fac"], PASSWORD)
    set_preferences(page, language, easy_read)
    with live_app.app_context():
        gilles = db.session.scalar(
            select(Person.id).where(Person.login_identifier == w["cards"][1][0])
        )
    page.goto(f"/participants/{gilles}/email")
    _fill_and_check(
        page, axe, f"a card holder's e-mail address {mode}", f"gilles{w['n']}@bcard.test"
    )
    set_preferences(page, "fr", False)
    axe.assert_clean()
    assert not [e for e in page.console_errors if "status of 400" not in e]

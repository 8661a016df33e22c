"""Onboarding by e-mail in Chromium with axe-core: the invitation form (fresh, with an error),
the activation page (fresh, a password too easy to guess, an expired link, a forged link),
"Forgot your password?" and the reset page, and the participants page of an administrator;
in French, French easy-read and English easy-read. Then a keyboard-only journey: invite by
e-mail, open the link from the mail, choose a password, arrive logged in."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import db
from app.accounts import onboarding
from app.accounts.models import AccountLink, Organisation, Person, Role
from app.core.i18n import DISPLAY_COOKIE, LANG_COOKIE
from app.core.models import OutboxMessage
from app.db import utcnow
from tests.browser.conftest import (
    expect_error_state,
    focused,
    keyboard_login,
    login,
    set_preferences,
    submit,
    tab_until,
)
from tests.factories import PASSWORD
from tests.worlds import an_organisation

_n = itertools.count(1)
NEW_PASSWORD = "quatre mots faciles ici"
LANGUAGES = pytest.mark.parametrize(
    ("language", "easy_read"),
    [("fr", False), ("fr", True), ("en", True)],
    ids=["fr", "fr-easy", "en-easy"],
)


def _world(live_app) -> dict:  # noqa: ANN001
    n = next(_n)
    with live_app.test_request_context("/"):
        team = an_organisation(
            f"bonb{n}-CRPA Bienvenue",
            domain=f"bonb{n}.test",
            admin=Role.ADMIN,
            known=Role.PARTICIPANT,
        )
        db.session.commit()
        return {
            "n": n,
            "org": team.org.id,
            "admin": team["admin"].email,
            "known": team["known"].email,
        }


def _last_link(live_app, marker: str) -> str:  # noqa: ANN001
    """The path of the last link of this kind in the outbox: what the mail says."""
    with live_app.app_context():
        body = db.session.scalar(
            select(OutboxMessage.body_text)
            .where(OutboxMessage.body_text.contains(marker))
            .order_by(OutboxMessage.id.desc())
        )
    url = next(word for word in body.split() if marker in word)
    return "/" + url.split("/", 3)[3]


def _invitation(live_app, w: dict, email: str, expired: bool = False) -> str:  # noqa: ANN001
    with live_app.test_request_context("/"):
        admin = db.session.scalar(select(Person).where(Person.email == w["admin"]))
        org = db.session.get(Organisation, w["org"])
        onboarding.invite_by_email(admin, org, email, "Nadia", "participant")
        if expired:
            link = db.session.scalar(select(AccountLink).order_by(AccountLink.id.desc()))
            link.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    return _last_link(live_app, "/activate?token=")


def _as_visitor(page, live_server: str, language: str, easy_read: bool) -> None:  # noqa: ANN001
    """No login: the language and display chosen with the cookies a visitor has."""
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {"name": LANG_COOKIE, "value": language, "url": live_server},
            {
                "name": DISPLAY_COOKIE,
                "value": "easy" if easy_read else "standard",
                "url": live_server,
            },
        ]
    )


@LANGUAGES
def test_onboarding_pages_have_no_axe_violation(
    page,
    axe,
    live_app,
    live_server,
    language,
    easy_read,  # noqa: ANN001
):
    w = _world(live_app)
    login(page, w["admin"], PASSWORD)
    set_preferences(page, language, easy_read)
    page.goto("/participants/")
    axe.check(page, f"participants of an administrator ({language}, easy={easy_read})")
    page.goto("/invite")
    axe.check(page, f"invitation form ({language}, easy={easy_read})")
    page.fill("#display_name", "Nadia")
    page.fill("#email", "pas-une-adresse")
    submit(page)
    expect_error_state(page)
    assert "email-error" in (page.locator("#email").get_attribute("aria-describedby") or "")
    axe.check(page, f"invitation form, wrong address ({language}, easy={easy_read})")
    page.fill("#email", f"nadia{w['n']}{language}{int(easy_read)}@example.org")
    submit(page)
    assert page.url.endswith("/invite")
    axe.check(page, f"invitation sent ({language}, easy={easy_read})")

    page.goto("/invite/import")
    axe.check(page, f"import form ({language}, easy={easy_read})")
    page.set_input_files(
        "#file",
        {
            "name": "personnes.csv",
            "mimeType": "text/csv",
            "buffer": (
                "Nom;E-mail;Rôle\r\nHélène Dupré;helene@example.org;participant\r\n"
                "Sans Adresse;;participant\r\nLéa;pas-une-adresse;inconnu\r\n"
            ).encode("cp1252"),
        },
    )
    submit(page)
    assert page.locator("main tbody tr").count() == 3
    assert page.locator("main tbody .field-error").count() == 2
    axe.check(page, f"import preview with errors ({language}, easy={easy_read})")

    fresh = _last_link(live_app, "/activate?token=")
    expired = _invitation(live_app, w, f"late{w['n']}{language}{int(easy_read)}@example.org", True)
    _as_visitor(page, live_server, language, easy_read)
    page.goto(fresh)
    assert page.locator("html").get_attribute("lang") == language
    axe.check(page, f"activation ({language}, easy={easy_read})")
    page.fill("#password", "motdepasse123")
    page.fill("#confirm", "motdepasse123")
    submit(page)
    expect_error_state(page)
    axe.check(page, f"activation, password too easy ({language}, easy={easy_read})")
    page.goto(expired)
    axe.check(page, f"activation, expired link ({language}, easy={easy_read})")
    submit(page)  # ask the inviter for a new link
    axe.check(page, f"activation, new link asked ({language}, easy={easy_read})")
    page.goto("/activate?token=made-up")
    axe.check(page, f"activation, forged link ({language}, easy={easy_read})")

    page.goto("/password/forgotten")
    axe.check(page, f"forgot your password ({language}, easy={easy_read})")
    page.fill("#email", w["known"])
    submit(page)
    assert page.url.endswith("/password/forgotten")
    axe.check(page, f"forgot your password, sent ({language}, easy={easy_read})")
    page.goto(_last_link(live_app, "/password/reset?token="))
    axe.check(page, f"reset ({language}, easy={easy_read})")
    page.fill("#password", "court")
    page.fill("#confirm", "court")
    submit(page)
    expect_error_state(page)
    axe.check(page, f"reset, too short ({language}, easy={easy_read})")
    axe.assert_clean()
    # Only the statuses of the pages with an error (400, 404, 410): no script error.
    assert not [e for e in page.console_errors if not e.startswith("Failed to load resource")]


def test_keyboard_only_invitation_to_first_login(page, live_app, live_server):  # noqa: ANN001
    w = _world(live_app)
    address = f"clavier{w['n']}@example.org"
    keyboard_login(page, w["admin"], PASSWORD)
    page.goto("/invite")
    tab_until(page, lambda s: s["id"] == "display_name")
    page.keyboard.type("Karim Clavier")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "email"
    page.keyboard.type(address)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/invite")

    link = _last_link(live_app, "/activate?token=")  # the link in the mail sent to Karim
    _as_visitor(page, live_server, "fr", False)
    page.goto(link)
    tab_until(page, lambda s: s["id"] == "password")
    page.keyboard.type(NEW_PASSWORD)
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "confirm"
    page.keyboard.type(NEW_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/activate" not in page.url
    assert "Bienvenue sur Parole" in page.locator("main").inner_text()
    assert page.locator("form[action='/logout']").count() == 1  # logged in
    assert not page.console_errors

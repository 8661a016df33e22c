"""Invitations in Chromium with axe-core: the organisation page before and after inviting
(and with an error), the home page with an invitation waiting, the participant page where a
facilitator notes an answer (and its error); accepting an invitation with the keyboard only."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from app import db
from app.accounts import services
from app.accounts.models import Membership, Role
from tests.browser.conftest import focused, keyboard_login, login, set_preferences, tab_until
from tests.factories import PASSWORD, make_org, make_person

_n = itertools.count(1)


def _world(live_app) -> dict:
    n = next(_n)
    with live_app.test_request_context("/"):
        org = make_org(f"binv{n}-Association Invitante")
        holder = make_org(f"binv{n}-CRPA Titulaire")
        admin = make_person((org, Role.ADMIN), email=f"binv{n}-admin@example.test")
        person = make_person(email=f"binv{n}@example.test", name="Nina Invitée")
        facilitator = make_person(
            (holder, Role.FACILITATOR), email=f"binv{n}-fac@example.test", name="Fanny"
        )
        coded = make_person((holder, Role.PARTICIPANT), identifier=f"BINV-{n:02d}", secret="564738")
        services.invite_member(admin, org, coded.login_identifier, "participant")
        world = {
            "org": org.id,
            "admin": admin.email,
            "person": person.email,
            "person_id": person.id,
            "facilitator": facilitator.email,
            "coded": coded.id,
        }
        db.session.commit()
    return world


@pytest.mark.parametrize(
    ("language", "easy_read"), [("fr", False), ("en", True)], ids=["fr", "en-easy"]
)
def test_invitation_pages_have_no_axe_violation(
    browser, live_server, axe, live_app, language, easy_read
):  # noqa: ANN001
    w = _world(live_app)
    contexts = [browser.new_context(base_url=live_server) for _ in range(3)]
    try:
        _visit_every_state(contexts, w, axe, language, easy_read)
    finally:
        for context in contexts:
            context.close()
    axe.assert_clean()


def _visit_every_state(contexts, w, axe, language, easy_read):  # noqa: ANN001
    admin = contexts[0].new_page()
    login(admin, w["admin"], PASSWORD)
    set_preferences(admin, language, easy_read)
    admin.goto(f"/admin/organisations/{w['org']}")
    invite_button = f"main form[action$='/organisations/{w['org']}'] button[type=submit]"
    axe.check(admin, f"organisation page, one invitation ({language})")
    admin.locator(invite_button).click()
    admin.wait_for_load_state()
    assert admin.locator("#identifier-error").count() == 1
    axe.check(admin, f"organisation page, invitation with an error ({language})")
    admin.fill("#identifier", w["person"])
    admin.select_option("#role", "participant")
    admin.locator(invite_button).click()
    admin.wait_for_load_state()
    assert admin.locator(".flash--success").count() == 1
    axe.check(admin, f"organisation page after inviting ({language})")

    person = contexts[1].new_page()
    login(person, w["person"], PASSWORD)
    set_preferences(person, language, easy_read)
    person.goto("/")
    assert person.locator("form[action^='/invitations/']").count() == 1
    assert person.locator("input[type=checkbox][name$='-allow_help']").count() == 1
    axe.check(person, f"home page, invitation waiting ({language})")

    facilitator = contexts[2].new_page()
    login(facilitator, w["facilitator"], PASSWORD)
    set_preferences(facilitator, language, easy_read)
    facilitator.goto(f"/participants/{w['coded']}")
    form = facilitator.locator("form[action*='/invitations/']")
    assert form.count() == 1
    axe.check(facilitator, f"participant page, invitation waiting ({language})")
    form.locator("button[value=accept]").click()
    facilitator.wait_for_load_state()
    assert facilitator.locator("[id$='-consent_note-error']").count() == 1
    axe.check(facilitator, f"participant page, answer without a note ({language})")


def test_keyboard_only_accepting_an_invitation(page, live_app):  # noqa: ANN001
    w = _world(live_app)
    with live_app.test_request_context("/"):
        from app.accounts.models import Organisation

        org = db.session.get(Organisation, w["org"])
        admin = db.session.scalar(
            select(Membership).where(
                Membership.organisation_id == org.id, Membership.role == Role.ADMIN
            )
        ).person
        services.invite_member(admin, org, w["person"], "moderator")
        db.session.commit()
    keyboard_login(page, w["person"], PASSWORD)
    page.goto("/")
    tab_until(page, lambda f: f["tag"] == "BUTTON" and f["value"] == "accept")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("form[action^='/invitations/']").count() == 0
    assert focused(page) is not None
    with live_app.app_context():
        assert db.session.scalar(
            select(Membership.id).where(
                Membership.person_id == w["person_id"],
                Membership.organisation_id == w["org"],
                Membership.role == Role.MODERATOR,
            )
        )

"""The kit's fiches in Chromium: the list and a fiche (easy-to-read and full) for a visitor,
in French, French easy-read and English; the edit page after a failed save and the history
for a platform administrator. 0 axe-core violations on every page and state.

The live database is shared with the other browser tests: the fiches come from the
migration and the demo loader, and ensure_seeded() makes sure they are there. The history
test changes a fiche and puts its text back, so other tests see the same content."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import Person
from app.kit import fiches
from app.kit.seed_content import FICHES
from tests.browser.conftest import expect_error_state, login, set_preferences, submit
from tests.factories import PASSWORD, make_person

VARIANTS = [("fr", False), ("fr", True), ("en", True)]
IDS = ["fr-normal", "fr-easy", "en-easy"]
_admins = itertools.count(1)


@pytest.fixture
def seeded(live_app):  # noqa: ANN001
    with live_app.app_context():
        fiches.ensure_seeded()
        db.session.commit()


@pytest.fixture
def admin(live_app, seeded) -> str:  # noqa: ANN001
    email = f"bkit{next(_admins)}-admin@x.test"
    with live_app.app_context():
        make_person(email=email, admin=True, name="Adèle Kit")
        db.session.commit()
    return email


@pytest.mark.parametrize(("lang", "easy"), VARIANTS, ids=IDS)
def test_visitor_reads_the_kit(page, axe, seeded, lang, easy):  # noqa: ANN001
    set_preferences(page, lang, easy)
    page.goto("/kit/")
    assert page.locator("h1").count() == 1
    assert page.locator(".kit-list a").count() == 10
    axe.check(page, "kit index")

    page.locator(".kit-list a[href='/kit/fiches/5']").click()
    page.wait_for_load_state()
    assert page.url.endswith("/kit/fiches/5")
    assert page.locator(".kit-notice").is_visible()
    assert page.get_by_text("Demandez une avance.").is_visible()
    assert page.locator("#part-why").count() == 0
    axe.check(page, "fiche 5, easy-to-read version")

    page.locator("a[href='/kit/fiches/5?full=1']").first.click()
    page.wait_for_load_state()
    for part in ("why", "how", "tools", "success_factors"):
        assert page.locator(f"#part-{part}").is_visible()
    assert page.locator(".kit-notice").is_visible()
    axe.check(page, "fiche 5, full version")

    page.goto("/kit/fiches/7?full=1")
    axe.check(page, "fiche 7, full version")
    axe.assert_clean()
    assert page.console_errors == []
    set_preferences(page, "fr", False)


def test_admin_edits_with_errors_and_reads_the_history(page, axe, live_app, admin):  # noqa: ANN001
    number = 3
    original = FICHES[number - 1]["title"]
    with live_app.app_context():
        person = db.session.scalar(select(Person).where(Person.email == admin))
        fiche = fiches.get(number)
        fiches.update(person, fiche, {"title": "Trouver les participants"})
        fiches.update(person, fiche, {"title": original})
        db.session.commit()

    login(page, admin, PASSWORD)
    page.goto(f"/kit/fiches/{number}?full=1")
    axe.check(page, "fiche as an administrator")

    page.locator(f"a[href='/kit/fiches/{number}/edit']").first.click()
    page.wait_for_load_state()
    assert page.input_value("#title") == original
    axe.check(page, "edit page")

    page.fill("#title", "")
    page.fill("#why", "<p>Un texte que je garde.</p>")
    submit(page)
    expect_error_state(page)
    assert page.input_value("#why") == "<p>Un texte que je garde.</p>"
    assert page.locator("#title[aria-invalid=true]").count() == 1
    axe.check(page, "edit page after a failed save")

    page.locator("button[name=action][value=check]").click()
    page.wait_for_load_state()
    axe.check(page, "edit page with the easy-to-read check")

    page.goto(f"/kit/fiches/{number}/history")
    assert page.locator(".kit-revision").count() >= 2
    assert page.locator(".kit-revision del").first.is_visible()
    axe.check(page, "history")
    page.locator(".kit-before summary").first.click()
    assert page.locator(".kit-before[open] p").first.is_visible()
    axe.check(page, "history with the previous text open")
    axe.assert_clean()

    with live_app.app_context():
        assert fiches.get(number).title == original

"""An organisation's own pictures and the OpenMoji pictures in Chromium with axe-core, in
French, French easy-read and English easy-read in one page: the pictures page empty, with a
picture added, with a file refused; the question editor finding the organisation's picture
and OpenMoji's by a French word; a picture chosen with the keyboard only."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import select

from app import db
from app.accounts.models import Person
from app.consultations.models import ConsultationRound
from tests.browser.conftest import (
    DEMO_PASSWORD,
    expect_error_state,
    focused,
    login,
    set_preferences,
    submit,
    tab_until,
)

FACILITATOR = "animatrice@demo.parole.invalid"
VARIANTS = [("fr", False), ("fr", True), ("en", True)]


def _round(live_app) -> tuple[int, int, int]:
    from tests.consultation_factories import make_round

    with live_app.test_request_context("/"):
        facilitator = db.session.scalar(select(Person).where(Person.email == FACILITATOR))
        org = facilitator.memberships[0].organisation
        round_, _ = make_round(org, facilitator, title="Nos images")
        db.session.commit()
        return round_.id, round_.questions[0].id, org.id


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 120), (29, 79, 145)).save(out, format="PNG")
    return out.getvalue()


def _send(page) -> None:  # noqa: ANN001
    """The upload form's button (the list below has a "Remove" button per picture)."""
    page.locator("main form[enctype] button[type=submit]").click()
    page.wait_for_load_state()


def test_own_pictures_page_and_picture_search_in_every_language(page, axe, live_app):
    round_id, question_id, org_id = _round(live_app)
    login(page, FACILITATOR, DEMO_PASSWORD)
    editor = f"/consultations/{round_id}/questions/{question_id}/edit"
    for number, (lang, easy) in enumerate(VARIANTS, start=1):
        state = f"{lang}{'-easy' if easy else ''}"
        set_preferences(page, lang, easy)
        page.goto(f"/consultations/pictures?organisation_id={org_id}")
        axe.check(page, f"pictures page ({state})")
        page.set_input_files(
            "#picture", files=[{"name": "note.txt", "mimeType": "text/plain", "buffer": b"hello"}]
        )
        page.fill("#title", f"Salle {number}")
        page.fill("#alt", "La grande salle du foyer")
        _send(page)
        expect_error_state(page)
        axe.check(page, f"pictures page, a file refused ({state})")
        page.set_input_files(
            "#picture", files=[{"name": "salle.png", "mimeType": "image/png", "buffer": _png()}]
        )
        page.fill("#title", f"Salle {number}")
        page.fill("#alt", "La grande salle du foyer")
        _send(page)
        assert page.locator("main table img.pictogram").count() == number
        axe.check(page, f"pictures page with pictures ({state})")

        page.goto(editor)
        page.fill("#picture_search", f"salle {number}")
        page.locator("button[value=find]").click()
        page.wait_for_load_state()
        assert page.locator("#pictures-found img[src*='/consultations/pictures/own-']").count() == 1
        axe.check(page, f"editor with the organisation's picture found ({state})")
        page.fill("#picture_search", "maisons")
        page.locator("button[value=find]").click()
        page.wait_for_load_state()
        assert page.locator("#pictures-found img[src*='/static/img/openmoji/']").count() >= 3
        axe.check(page, f"editor with OpenMoji pictures found ({state})")

    # The keyboard only: find "stéthoscope", choose the first picture, put it on answer 3.
    page.goto(editor)
    tab_until(page, lambda s: s["id"] == "picture_search", limit=80)
    page.keyboard.type("stéthoscope")
    page.keyboard.press("Tab")
    assert focused(page)["value"] == "find"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    chosen = tab_until(page, lambda s: s["name"] == "picture", limit=80)["value"]
    assert chosen.startswith("om-")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "picture_line"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    assert focused(page)["value"] == "pick"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#choices").input_value().endswith(f"| {chosen}")
    submit(page)
    with live_app.app_context():
        round_ = db.session.get(ConsultationRound, round_id)
        assert chosen in [c.pictogram for c in round_.questions[0].choices]
    axe.assert_clean()

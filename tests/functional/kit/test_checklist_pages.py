"""The checklist pages through the Flask client: a round's checklist (states in words, the
explanation, the fiche, a form for each item ticked by hand), a tick without its note (400,
next to the field and in the summary) then saved (who and when shown), a mission's
checklist, the organisation's dashboard, the links from the round and mission pages, and
every page from another organisation."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import OrganisationKind, Role
from app.consultations import services as consultations
from app.consultations.services import RoundData
from app.db import utcnow
from app.kit.models import ChecklistTick
from tests.conftest import login, post_form
from tests.factories import PASSWORD
from tests.worlds import (
    a_mission,
    a_round,
    a_stranger,
    an_organisation,
    everyone_reads_english,
    member,
    saved,
)


@pytest.fixture
def world(app):
    """An organisation with a facilitator, institute staff and a participant; a round whose
    feedback is late and a newer one; a mission; another organisation's facilitator."""
    with saved(app):
        team = an_organisation(
            "CRPA Essai",
            kind=OrganisationKind.TRAINING_INSTITUTE,
            domain="k.test",
            fac=member(Role.FACILITATOR, name="Fanny"),
            staff=member(Role.INSTITUTE_STAFF, name="Claire"),
            paul=Role.PARTICIPANT,
        )
        org, facilitator, staff = team.org, team["fac"], team["staff"]
        a_stranger("k.test", org_name="Ailleurs")
        round_ = a_round(org, facilitator, title="Le logement")
        now = utcnow()
        late = consultations.create_round(
            facilitator,
            org,
            RoundData(
                title="Le transport",
                opens_at=now - timedelta(days=120),
                closes_at=now - timedelta(days=100),
            ),
        )
        mission = a_mission(
            staff,
            org,
            "Parler du logement",
            seats=2,
            starts_in=timedelta(days=20),
            hours=3,
            place="IRTS, Lille",
            hourly_rate=Decimal("20.00"),
        )
        everyone_reads_english()
        return {"org": org.id, "round": round_.id, "late": late.id, "mission": mission.id}


def _client(app, who):
    client = app.test_client()
    login(client, f"{who}@k.test", PASSWORD)
    return client


def _text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_round_checklist_shows_each_item_with_its_state_and_explanation(app, world):
    page = _client(app, "fac").get(f"/kit/rounds/{world['round']}/checklist")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    text = _text(html)
    assert "Le logement" in text
    # States in words, not colour only; explanations from the data.
    assert "Not done" in text and "To tick by hand" in text
    assert "The invitation is not sent yet" in text
    assert "Every text and every question has an easy-to-read version" in text
    # A form only for the items ticked by hand.
    assert f'action="/kit/rounds/{world["round"]}/checklist/place_access"' in html
    assert f'action="/kit/rounds/{world["round"]}/checklist/paper_and_help"' in html
    assert "/checklist/easy_read" not in html
    assert 'id="place_access-note"' in html
    # The related fiche.
    assert 'href="/kit/fiches/5"' in html and "Read fiche 5 of the kit" in text


def test_tick_without_a_note_is_refused_next_to_the_field_then_saved(app, world):
    client = _client(app, "fac")
    page_url = f"/kit/rounds/{world['round']}/checklist"
    url = f"{page_url}/place_access"
    bad = post_form(client, url, {"place_access-done": "y", "place_access-note": " "}, page_url)
    assert bad.status_code == 400
    html = bad.get_data(as_text=True)
    assert "<title>Erreur" in html or "<title>Error" in html
    assert 'class="error-summary"' in html
    assert 'href="#place_access-note"' in html
    assert re.search(r'id="place_access-note"[^>]*aria-invalid="true"', html) or re.search(
        r'aria-invalid="true"[^>]*id="place_access-note"', html
    )
    assert "Write what was done" in html
    with app.app_context():
        assert db.session.scalar(select(ChecklistTick)) is None

    ok = post_form(
        client,
        url,
        {"place_access-done": "y", "place_access-note": "Salle au rez-de-chaussée, rampe."},
        page_url,
    )
    assert ok.status_code == 303
    assert ok.headers["Location"].endswith(f"{page_url}#item-place_access")
    html = client.get(page_url).get_data(as_text=True)
    text = _text(html)
    assert "Ticked by Fanny on" in text and "Salle au rez-de-chaussée, rampe." in text
    with app.app_context():
        tick = db.session.scalar(select(ChecklistTick))
        assert tick.done and tick.subject == "round" and tick.item == "place_access"


def test_a_computed_item_cannot_be_ticked_through_the_page(app, world):
    client = _client(app, "fac")
    page_url = f"/kit/rounds/{world['round']}/checklist"
    refused = post_form(
        client, f"{page_url}/easy_read", {"easy_read-done": "y", "easy_read-note": "x"}, page_url
    )
    assert refused.status_code == 400
    assert "cannot be ticked by hand" in refused.get_data(as_text=True)
    unknown = post_form(client, f"{page_url}/nothing", {"nothing-note": "x"}, page_url)
    assert unknown.status_code == 404


def test_mission_checklist_and_tick(app, world):
    client = _client(app, "staff")
    page_url = f"/kit/missions/{world['mission']}/checklist"
    page = client.get(page_url)
    assert page.status_code == 200
    text = _text(page.get_data(as_text=True))
    assert "Parler du logement" in text
    assert "No session has taken place yet." in text
    ok = post_form(
        client,
        f"{page_url}/place_access",
        {"place_access-done": "y", "place_access-note": "Ascenseur vérifié."},
        page_url,
    )
    assert ok.status_code == 303
    assert "Ticked by Claire" in _text(client.get(page_url).get_data(as_text=True))


def test_dashboard_lists_late_feedback_first(app, world):
    page = _client(app, "fac").get(f"/kit/organisations/{world['org']}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.index("Le transport") < html.index("Le logement")
    assert "Feedback late" in html
    assert f'href="/kit/rounds/{world["round"]}/checklist"' in html
    assert f'href="/kit/missions/{world["mission"]}/checklist"' in html
    assert " of " in _text(html)


def test_round_and_mission_pages_link_to_their_checklist(app, world):
    round_page = _client(app, "fac").get(f"/consultations/{world['round']}")
    assert f'href="/kit/rounds/{world["round"]}/checklist"' in round_page.get_data(as_text=True)
    manage = _client(app, "staff").get(f"/co-training/missions/{world['mission']}/manage")
    assert f'href="/kit/missions/{world["mission"]}/checklist"' in manage.get_data(as_text=True)


def test_every_page_is_404_from_another_organisation_and_for_a_participant(app, world):
    for who in ("stranger", "paul"):
        client = _client(app, who)
        for url in (
            f"/kit/rounds/{world['round']}/checklist",
            f"/kit/missions/{world['mission']}/checklist",
            f"/kit/organisations/{world['org']}",
        ):
            assert client.get(url).status_code == 404, (who, url)
        response = post_form(
            client,
            f"/kit/rounds/{world['round']}/checklist/place_access",
            {"place_access-done": "y", "place_access-note": "Fait."},
            "/preferences",
        )
        assert response.status_code == 404, (who, response.status_code)
    with app.app_context():
        assert db.session.scalar(select(ChecklistTick)) is None
    assert _client(app, "fac").get("/kit/rounds/999999/checklist").status_code == 404
    assert _client(app, "fac").get("/kit/organisations/999999").status_code == 404


def test_anonymous_people_are_sent_to_log_in(app, world):
    response = app.test_client().get(f"/kit/rounds/{world['round']}/checklist")
    assert response.status_code in (302, 303)

"""The easy-read check panel next to a field: the summary (score in words, counts) is the only
thing in the field's live region, the findings are a list after the field that is not in
aria-describedby, and a lexicon word gets a replacement button (hidden until the script shows
it) with its suggestion also written as text."""

import re

import lxml.html
import pytest

from app.accounts.models import Role
from tests.conftest import csrf_from, login
from tests.factories import PASSWORD
from tests.worlds import a_round, an_organisation, saved

HARD = "Voici les modalités de paiement. Nous payons le transport au préalable."


@pytest.fixture
def world(app, client):
    with saved(app):
        team = an_organisation(
            "Structure panneau", domain="p.test", fac=Role.FACILITATOR, part=Role.PARTICIPANT
        )
        round_ = a_round(team.org, team["fac"])
        world = {"org": team.org.id, "round": round_.id}
    login(client, "fac@p.test", PASSWORD)
    return world


def checked_page(client, world, text: str):
    url = f"/consultations/{world['round']}/edit"
    page = client.get(url).get_data(as_text=True)
    response = client.post(
        url,
        data={
            "csrf_token": csrf_from(page),
            "organisation_id": world["org"],
            "title": "Titre",
            "title_easy": "Titre facile",
            "subject_easy": text,
            "opens_on": "01/06/2031",
            "closes_on": "20/06/2031",
            "action": "check",
        },
    )
    assert response.status_code == 200
    return lxml.html.fromstring(response.get_data(as_text=True))


def words(element) -> str:
    return " ".join(element.text_content().split())


def by_id(page, id_: str):
    found = page.xpath(f"//*[@id='{id_}']")
    return found[0] if found else None


def test_live_region_holds_the_summary_only_and_details_are_not_a_description(client, world):
    page = checked_page(client, world, HARD)
    field = by_id(page, "subject_easy")
    described = field.get("aria-describedby", "").split()
    assert all(by_id(page, i) is not None for i in described)
    assert not any(i.startswith("subject_easy-falc") for i in described)
    live = page.xpath("//*[@aria-live or @role='status' or @role='alert']")
    status = by_id(page, "subject_easy-falc-status")
    assert status in live and status.get("role") == "status"
    assert "Score" in words(status)
    # the French plural forms come with the catalogue's next extraction
    assert re.search(r"\b2 (choses à simplifier|things to simplify)\b", words(status))
    for region in live:
        assert region.xpath(".//li | .//ul | .//button") == []
    details = by_id(page, "subject_easy-falc")
    assert details.xpath("ancestor::*[@aria-live or @role='status']") == []
    assert len(details.xpath(".//li[contains(@class, 'falc-finding--warning')]")) >= 2


def test_lexicon_word_has_a_hidden_replace_button_and_its_suggestion_as_text(client, world):
    page = checked_page(client, world, HARD)
    buttons = by_id(page, "subject_easy-falc").xpath(".//button[contains(@class, 'falc-replace')]")
    by_original = {b.get("data-original"): b for b in buttons}
    button = by_original["au préalable"]
    assert button.get("hidden") is not None and button.get("type") == "button"
    assert button.get("data-falc-field") == "subject_easy"
    start, end = int(button.get("data-start")), int(button.get("data-end"))
    assert HARD[start:end] == "au préalable"
    assert words(button) == f"Remplacer par « {button.get('data-replacement')} »"
    suggestion = button.xpath("preceding-sibling::span[@class='falc-suggestion']")[0]
    assert button.get("data-replacement") in words(suggestion)


def test_summary_says_the_band_and_never_no_problem_while_findings_remain(client, world):
    summary = words(by_id(checked_page(client, world, HARD), "subject_easy-falc-status"))
    assert re.search(r"Score \d+ sur 100\.", summary)
    assert "Le texte est à simplifier." in summary or "Le texte est difficile à lire." in summary
    assert "Aucun problème" not in summary
    clean = words(
        by_id(checked_page(client, world, "Nous payons le bus."), "subject_easy-falc-status")
    )
    assert "Le texte est facile à lire." in clean and "Aucun problème trouvé." in clean


def test_live_check_answers_a_summary_and_the_details_with_the_button(client, world):
    token = csrf_from(client.get("/consultations/").get_data(as_text=True))
    response = client.post(
        "/relecture/check",
        data={
            "csrf_token": token,
            "text": HARD,
            "field": "why_easy",
            "organisation_id": world["org"],
        },
    )
    assert response.status_code == 200
    page = lxml.html.fromstring(response.get_data(as_text=True))
    summary = page.xpath("//p[@class='falc-summary']")
    assert len(summary) == 1 and re.search(r"Score \d+ sur 100\.", words(summary[0]))
    assert summary[0].xpath(".//li | .//button") == []
    details = by_id(page, "why_easy-falc")
    buttons = details.xpath(".//button[contains(@class, 'falc-replace')]")
    assert [b.get("data-falc-field") for b in buttons] == ["why_easy"] * len(buttons)
    assert "au préalable" in {b.get("data-original") for b in buttons}

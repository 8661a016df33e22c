"""The easy-read check before a round's texts become public: every text people will read
(easy versions, costs, contact, questions, choices, feedback items), warnings as well as
alerts, an empty easy version as a warning, and a link to where each text is corrected."""

import re

import pytest

from app import db
from app.accounts.models import Role
from app.consultations import services as consultations
from app.consultations.models import ConsultationRound, RoundStatus
from tests.conftest import csrf_from, login, post_form
from tests.factories import PASSWORD
from tests.worlds import a_round, an_organisation, saved

LONG = (
    "Le conseil départemental, qui a adopté le schéma départemental d'insertion, souhaite "
    "recueillir l'avis des personnes concernées par le revenu de solidarité active afin "
    "d'améliorer l'accompagnement proposé par les services."
)

CLEAN_COSTS = "Nous payons votre ticket de bus."


@pytest.fixture
def world(app):
    with saved(app):
        team = an_organisation(
            "Structure FALC", domain="f.test", fac=Role.FACILITATOR, part=Role.PARTICIPANT
        )
        round_ = a_round(team.org, team["fac"])
        round_.costs_covered = CLEAN_COSTS  # the usual round's texts find nothing
        consultations.invite_members(team["fac"], round_)  # announcing needs people
        return {"org": team.org.id, "round": round_.id}


@pytest.fixture
def client(client, world):
    login(client, "fac@f.test", PASSWORD)
    return client


def _change(app, round_id, change):
    with app.app_context():
        change(db.session.get(ConsultationRound, round_id))
        db.session.commit()


def _announce(client, round_id, confirm=None):
    base = f"/consultations/{round_id}"
    data = {"csrf_token": csrf_from(client.get(base).get_data(as_text=True))}
    if confirm:
        data["confirm"] = confirm
    return client.post(f"{base}/announce", data=data)


def _section(html, key):
    """The confirmation's part about one text (its label, counts, findings and link)."""
    found = re.search(rf'<section[^>]*aria-labelledby="check-{key}".*?</section>', html, re.S)
    assert found, f"no section for {key}"
    return found.group(0)


def _counts(part):
    """The counts line of a text ("1 point à surveiller", "2 alertes, 1 point ...")."""
    return re.search(r'class="check-counts"><strong>([^<]*)<', part).group(1)


def _status(app, round_id):
    with app.app_context():
        return db.session.get(ConsultationRound, round_id).status


def test_announcing_lists_a_warning_in_a_choice_with_its_place(client, app, world):
    def change(round_):
        round_.questions[0].choices[2].label = "Au CLSPD"

    _change(app, world["round"], change)
    response = _announce(client, world["round"])
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    with app.app_context():
        question = db.session.get(ConsultationRound, world["round"]).questions[0]
        choice_id, question_id = question.choices[2].id, question.id
    part = _section(html, f"choice_{choice_id}")
    assert "Question 1, réponse 3" in part and _counts(part).startswith("1 point")
    assert f'href="/consultations/{world["round"]}/questions/{question_id}/edit#choices"' in part
    assert _status(app, world["round"]) == RoundStatus.DRAFT


def test_an_empty_easy_version_is_a_warning_the_full_text_is_checked(client, app, world):
    def change(round_):
        round_.why = "Votre avis aide à changer le plan."
        round_.why_easy = ""

    _change(app, world["round"], change)
    html = _announce(client, world["round"]).get_data(as_text=True)
    part = _section(html, "why")
    assert "La version facile est vide : la version complète sera utilisée." in part
    assert "Votre avis aide à changer le plan." in part
    assert f'href="/consultations/{world["round"]}/edit#why_easy"' in part


def test_an_alert_in_the_costs_text_is_listed(client, app, world):
    _change(app, world["round"], lambda r: setattr(r, "costs_covered", LONG))
    html = _announce(client, world["round"]).get_data(as_text=True)
    part = _section(html, "costs_covered")
    assert "falc-finding--alert" in part and re.match(r"\d+ alert", _counts(part))
    assert html.count('class="card text-check"') == 1
    # The facilitator decides: "Publish anyway" takes the step.
    assert _announce(client, world["round"], confirm="1").status_code == 303
    assert _status(app, world["round"]) == RoundStatus.ANNOUNCED


def test_the_check_page_says_nothing_was_found_and_lists_what_is(client, app, world):
    url = f"/consultations/{world['round']}/texts-check"
    round_page = client.get(f"/consultations/{world['round']}").get_data(as_text=True)
    assert f'href="{url}?texts=round"' in round_page
    html = client.get(url).get_data(as_text=True)
    assert "check-clean" in html and "Publier quand même" not in html
    _change(app, world["round"], lambda r: setattr(r, "contact_name", "Le CLSPD"))
    html = client.get(url).get_data(as_text=True)
    assert "À qui demander de l&#39;aide" in _section(html, "contact_name")
    assert client.get(f"{url}?texts=other").status_code == 404
    _change(app, world["round"], lambda r: setattr(r, "contact_name", "Annie au 06 12 34 56 78"))
    # Nothing found: the step is taken at once, no page in between.
    assert _announce(client, world["round"]).status_code == 303


def test_publishing_the_feedback_checks_the_items(app):
    client = app.test_client()
    with saved(app):
        team = an_organisation(
            "Retour", domain="r.test", fac=Role.FACILITATOR, part=Role.PARTICIPANT
        )
        round_ = a_round(team.org, team["fac"], step="results", invited=[team["part"]])
        round_id = round_.id
        item = round_.feedback_items[0]
        item.we_did_easy = LONG
        item.who = "Le CLSPD"
    base = f"/consultations/{round_id}"
    login(client, "fac@r.test", PASSWORD)
    token = csrf_from(client.get(base).get_data(as_text=True))
    html = client.post(f"{base}/publish-feedback", data={"csrf_token": token}).get_data(
        as_text=True
    )
    with app.app_context():
        item_id = db.session.get(ConsultationRound, round_id).feedback_items[0].id
    assert "falc-finding--alert" in _section(html, f"item_{item_id}_we_did")
    assert "Point 1, qui agit" in _section(html, f"item_{item_id}_who")
    assert _status(app, round_id) == RoundStatus.RESULTS


def test_checking_a_feedback_item_lists_what_people_will_read_and_saves_nothing(app):
    with saved(app):
        team = an_organisation(
            "Retour", domain="r.test", fac=Role.FACILITATOR, part=Role.PARTICIPANT
        )
        round_id = a_round(team.org, team["fac"], step="results", invited=[team["part"]]).id
    client = app.test_client()
    login(client, "fac@r.test", PASSWORD)
    url = f"/consultations/{round_id}/feedback/new"
    response = post_form(
        client,
        url,
        {
            "question_id": 0,
            "theme": "Le bus",
            "you_said": "Le bus passe trop peu.",
            "you_said_easy": "Le bus passe peu souvent.",
            "we_did": "Une ligne est ajoutée le samedi.",
            "we_did_easy": "",
            "who": "Le CLSPD",
            "action": "check",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    said = _section(html, "we_did")
    assert "La version facile est vide : la version complète sera utilisée." in said
    assert 'href="#we_did_easy"' in said
    assert 'href="#who"' in _section(html, "who")
    assert "check-you_said" not in html  # nothing found in it: not listed
    with app.app_context():
        assert len(db.session.get(ConsultationRound, round_id).feedback_items) == 1


def test_checking_news_of_a_feedback_item_warns_of_an_empty_easy_version(app):
    with saved(app):
        team = an_organisation(
            "Nouvelles", domain="n.test", fac=Role.FACILITATOR, part=Role.PARTICIPANT
        )
        round_ = a_round(team.org, team["fac"], step="results", invited=[team["part"]])
        round_id, news_before = round_.id, len(round_.feedback_items[0].updates)
    client = app.test_client()
    login(client, "fac@n.test", PASSWORD)
    response = post_form(
        client,
        f"/consultations/{round_id}/feedback/1/news",
        {"status": "in_progress", "text": "Les horaires sont votés.", "action": "check"},
    )
    part = _section(response.get_data(as_text=True), "text")
    assert "La version facile est vide : la version complète sera utilisée." in part
    assert 'href="#text_easy"' in part
    with app.app_context():
        item = db.session.get(ConsultationRound, round_id).feedback_items[0]
        assert len(item.updates) == news_before  # "Check" saves nothing

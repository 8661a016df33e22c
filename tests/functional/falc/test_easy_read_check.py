"""The easy-read check in the authoring pages: after "Check" without JavaScript, live
through the check endpoint, and the confirmation before publishing texts with alerts."""

import pytest

from app import db
from app.accounts.models import Role
from app.consultations.models import ConsultationRound, RoundStatus
from app.falc import services as falc_services
from tests.conftest import csrf_from, login, post_form
from tests.factories import PASSWORD
from tests.worlds import a_round, an_organisation, saved

LONG = (
    "Le conseil départemental, qui a adopté le schéma départemental d'insertion, souhaite "
    "recueillir l'avis des personnes concernées par le revenu de solidarité active afin "
    "d'améliorer l'accompagnement proposé par les services."
)


@pytest.fixture
def world(app):
    with saved(app):
        team = an_organisation(
            "Structure FALC", domain="f.test", fac=Role.FACILITATOR, part=Role.PARTICIPANT
        )
        round_ = a_round(team.org, team["fac"])
        return {"org": team.org.id, "round": round_.id}


def test_check_button_shows_findings_next_to_the_field_and_saves_nothing(client, world):
    login(client, "fac@f.test", PASSWORD)
    url = f"/consultations/{world['round']}/edit"
    page = client.get(url).get_data(as_text=True)
    response = client.post(
        url,
        data={
            "csrf_token": csrf_from(page),
            "organisation_id": world["org"],
            "title": "Titre",
            "title_easy": "Titre facile",
            "subject_easy": LONG,
            "opens_on": "01/06/2031",
            "closes_on": "20/06/2031",
            "action": "check",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="subject_easy-falc"' in html and "falc-finding--alert" in html
    assert 'aria-describedby="subject_easy-hint"' in html
    with client.application.app_context():
        assert db.session.get(ConsultationRound, world["round"]).subject_easy != LONG


def test_live_check_returns_the_report_for_authors_only(client, world):
    login(client, "fac@f.test", PASSWORD)
    token = csrf_from(client.get("/consultations/").get_data(as_text=True))
    response = client.post(
        "/relecture/check", data={"csrf_token": token, "text": LONG, "field": "subject_easy"}
    )
    assert response.status_code == 200 and 'id="subject_easy-falc"' in response.get_data(
        as_text=True
    )
    assert (
        client.post(
            "/relecture/check", data={"csrf_token": token, "text": "x", "field": "a b"}
        ).status_code
        == 400
    )
    participant = client.application.test_client()
    login(participant, "part@f.test", PASSWORD)
    token = csrf_from(participant.get("/").get_data(as_text=True))
    assert (
        participant.post("/relecture/check", data={"csrf_token": token, "text": LONG}).status_code
        == 403
    )


def test_the_organisation_glossary_explains_its_initials(app, world, ctx):
    org = db.session.get(
        type(db.session.get(ConsultationRound, world["round"]).organisation), world["org"]
    )
    facilitator = org.memberships[0].person
    report = falc_services.check_text(org.id, "Le CLSPD vous aide.")
    assert any(f.rule == "abbreviation" and f.severity == "warning" for f in report.findings)
    falc_services.add_glossary_entry(
        facilitator, org, "CLSPD", "conseil local de sécurité et de prévention de la délinquance"
    )
    report = falc_services.check_text(org.id, "Le CLSPD vous aide.")
    finding = next(f for f in report.findings if f.rule == "abbreviation")
    assert (
        finding.severity == "warning"  # initials stay a warning, with the words in full
        and finding.suggestion == "conseil local de sécurité et de prévention de la délinquance"
    )


def test_announcing_texts_with_alerts_asks_for_confirmation(client, world, app):
    with app.app_context():
        round_ = db.session.get(ConsultationRound, world["round"])
        round_.subject_easy = LONG
        facilitator = round_.organisation.memberships[0].person
        from app.consultations import services

        services.invite_members(facilitator, round_)
        db.session.commit()
    login(client, "fac@f.test", PASSWORD)
    base = f"/consultations/{world['round']}"
    token = csrf_from(client.get(base).get_data(as_text=True))
    response = client.post(f"{base}/announce", data={"csrf_token": token})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "falc-finding--alert" in html
    with app.app_context():
        assert db.session.get(ConsultationRound, world["round"]).status == RoundStatus.DRAFT
    confirmed = client.post(f"{base}/announce", data={"csrf_token": token, "confirm": "1"})
    assert confirmed.status_code == 303
    with app.app_context():
        assert db.session.get(ConsultationRound, world["round"]).status == RoundStatus.ANNOUNCED


def test_question_form_check(client, world):
    login(client, "fac@f.test", PASSWORD)
    url = f"/consultations/{world['round']}/questions/new"
    html = post_form(
        client, url, {"kind": "short_text", "text": "Q ?", "text_easy": LONG, "action": "check"}
    ).get_data(as_text=True)
    assert 'id="text_easy-falc"' in html


def test_glossary_page_adds_and_removes_and_is_closed_to_participants(client, world):
    login(client, "fac@f.test", PASSWORD)
    bad = post_form(client, "/relecture/glossaire", {"term": "CLSPD", "explanation": ""})
    assert 'id="explanation-error"' in bad.get_data(
        as_text=True
    ) and 'value="CLSPD"' in bad.get_data(as_text=True)
    ok = post_form(
        client,
        "/relecture/glossaire",
        {"term": "CLSPD", "explanation": "conseil local de sécurité"},
    )
    assert ok.status_code == 303
    page = client.get(ok.headers["Location"]).get_data(as_text=True)
    assert "conseil local de sécurité" in page
    entry_id = int(page.split("/relecture/glossaire/")[1].split("/")[0])
    token = csrf_from(page)
    assert (
        client.post(
            f"/relecture/glossaire/{entry_id}/remove", data={"csrf_token": token}
        ).status_code
        == 303
    )
    assert "conseil local de sécurité" not in client.get("/relecture/glossaire").get_data(
        as_text=True
    )
    participant = client.application.test_client()
    login(participant, "part@f.test", PASSWORD)
    assert participant.get("/relecture/glossaire").status_code == 403


def test_badge_on_the_round_page_only_while_the_approved_text_is_unchanged(client, world, app):
    from app.consultations import services as consultation_services
    from app.falc import proofreading

    with app.app_context():
        round_ = db.session.get(ConsultationRound, world["round"])
        org = round_.organisation
        facilitator = next(m.person for m in org.memberships if m.role == Role.FACILITATOR)
        reader = next(m.person for m in org.memberships if m.role == Role.PARTICIPANT)
        reader.display_name = "Lucie Test"
        consultation_services.invite_members(facilitator, round_)
        proofreading.register_proofreader(
            facilitator, reader, "Elle a dit oui à la réunion.", True, org
        )
        text = round_.subject_easy
        request = proofreading.request_proofreading(
            facilitator, org, "consultation_round", round_.id, "subject_easy", text, [reader.id]
        )
        for index in range(len(request.sentences)):
            proofreading.mark_sentence(reader, request, index, True)
        consultation_services.transition(facilitator, round_, RoundStatus.ANNOUNCED)
        db.session.commit()
    login(client, "part@f.test", PASSWORD)
    html = client.get(f"/consultations/{world['round']}").get_data(as_text=True)
    assert "easy-read-badge" in html and "Lucie" in html
    with app.app_context():
        round_ = db.session.get(ConsultationRound, world["round"])
        round_.subject_easy = round_.subject_easy + " Une phrase de plus."
        db.session.commit()
    assert "easy-read-badge" not in client.get(f"/consultations/{world['round']}").get_data(
        as_text=True
    )
    manager = client.application.test_client()
    login(manager, "fac@f.test", PASSWORD)
    page = manager.get(f"/consultations/{world['round']}").get_data(as_text=True)
    assert 'id="proofreading"' in page and "proofreading-status--outdated" in page

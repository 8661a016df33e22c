"""Easy-read proofreading through the pages: register proofreaders, send a text, each
proofreader marks every sentence and says "I have finished", a facilitator enters the marks a
proofreader dictates, the results; errors keep the input; every page from the wrong side."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from app import db
from app.accounts.models import Person, Role
from app.falc import proofreading as services
from app.falc.proofreading_models import Proofreader, Proofreading, SentenceMark
from tests.conftest import csrf_from, login, post_form
from tests.factories import PASSWORD
from tests.worlds import a_stranger, an_organisation, ids, member, saved

TEXT = "Vous êtes invité à une réunion. Elle a lieu le 3 mars.\nVenez avec un ami si vous voulez."
CONSENT = "Il a dit oui pendant la réunion du 3 mars."
RESULTS_RE = re.compile(r"/relecture/(\d+)/results$")


@pytest.fixture
def world(app):
    """Organisation with a facilitator, 2 proofreaders (Paul agreed to be named, Nadia did
    not), Karim who may become one, Jean who is no proofreader; another organisation."""
    with saved(app):
        team = an_organisation(
            "CRPA Relecture",
            domain="r.test",
            fac=member(Role.FACILITATOR, name="Fanny A"),
            paul=member(name="Paul Exemple"),
            nadia=member(name="Nadia Fictive"),
            karim=member(name="Karim Supposé"),
            jean=member(name="Jean Démo"),
        )
        services.register_proofreader(team["fac"], team["paul"], CONSENT, show_name=True)
        services.register_proofreader(team["fac"], team["nadia"], CONSENT, show_name=False)
        a_stranger("r.test", org_name="Association Ailleurs")
        return {
            "org": team.org.id,
            **ids({key: team[key] for key in ("paul", "nadia", "karim")}),
            "facilitator": team["fac"].id,
        }


def client_for(app, email: str):  # noqa: ANN001, ANN201
    client = app.test_client()
    login(client, email, PASSWORD)
    return client


def request_url(world, **extra) -> str:  # noqa: ANN001
    args = {
        "organisation_id": world["org"],
        "subject_type": "consultation_round",
        "subject_id": 7,
        "field": "subject_easy",
        **extra,
    }
    return "/relecture/request?" + urlencode(args)


def send_text(app, world, people=("paul", "nadia"), required=1) -> int:  # noqa: ANN001
    """Send TEXT for proofreading through the page, as the facilitator."""
    client = client_for(app, "fac@r.test")
    response = post_form(
        client,
        request_url(world),
        {
            "label": "Le logement : de quoi parle-t-on ?",
            "text": TEXT,
            "proofreader_ids": [world[p] for p in people],
            "required_understood": required,
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:1500]
    return int(RESULTS_RE.search(response.headers["Location"]).group(1))


def marks_in_db(app, proofreading_id: int) -> list[SentenceMark]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(SentenceMark)
                .where(SentenceMark.proofreading_id == proofreading_id)
                .order_by(SentenceMark.person_id, SentenceMark.sentence_index)
            )
        )


def status_of(app, proofreading_id: int) -> str:
    with app.app_context():
        return db.session.get(Proofreading, proofreading_id).status.value


def answers(*values: str, **comments: str) -> dict:
    data = {f"understood_{i}": v for i, v in enumerate(values)}
    data.update(comments)
    return data


def test_the_whole_proofreading_through_the_pages(app, world):
    facilitator = client_for(app, "fac@r.test")

    # 1. register Karim as a proofreader
    page = facilitator.get("/relecture/proofreaders")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Paul Exemple" in html and "Nadia Fictive" in html
    assert f'<option value="{world["karim"]}">Karim Supposé</option>' in html
    response = post_form(
        facilitator,
        f"/relecture/proofreaders?organisation_id={world['org']}",
        {"person_id": world["karim"], "consent_note": CONSENT, "show_name": "y"},
    )
    assert response.status_code == 303
    with app.app_context():
        karim = db.session.scalar(
            select(Proofreader).where(Proofreader.person_id == world["karim"])
        )
        assert karim.show_name and karim.entered_by_id == world["facilitator"]

    # 2. the request page is filled in from the link of the text's page
    page = facilitator.get(request_url(world, label="Le logement", text=TEXT))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'value="Le logement"' in html and "Venez avec un ami si vous voulez.</textarea>" in html
    assert html.count('name="proofreader_ids"') == 3
    proofreading_id = send_text(app, world, people=("paul", "nadia", "karim"))
    assert status_of(app, proofreading_id) == "waiting"

    # 3. Paul sees the text in his list, one sentence per line, and marks every sentence
    paul = client_for(app, "paul@r.test")
    todo = re.search(
        r'<section id="todo".*?</section>', paul.get("/relecture/").get_data(as_text=True), re.S
    )
    assert f'href="/relecture/{proofreading_id}"' in todo.group(0)
    page = paul.get(f"/relecture/{proofreading_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for sentence in services.sentences(TEXT):
        assert re.search(rf"<legend>{re.escape(sentence)}<span class=\"hint\"", html)
    assert html.count('type="radio"') == 6
    assert html.count("<textarea") == 3
    response = post_form(
        paul,
        f"/relecture/{proofreading_id}",
        answers("yes", "no", "yes", comment_1="Je ne sais pas ce que veut dire lieu."),
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/relecture/{proofreading_id}")
    done = paul.get(f"/relecture/{proofreading_id}").get_data(as_text=True)
    assert 'type="radio"' not in done
    assert "Je ne sais pas ce que veut dire lieu." in done
    todo = re.search(
        r'<section id="todo".*?</section>', paul.get("/relecture/").get_data(as_text=True), re.S
    )
    assert f'href="/relecture/{proofreading_id}"' not in todo.group(0)
    assert status_of(app, proofreading_id) == "waiting"

    # 4. Nadia understands everything: every sentence is understood by someone
    nadia = client_for(app, "nadia@r.test")
    response = post_form(nadia, f"/relecture/{proofreading_id}", answers("yes", "yes", "yes"))
    assert response.status_code == 303
    assert status_of(app, proofreading_id) == "validated"
    marks = marks_in_db(app, proofreading_id)
    assert [(m.sentence_index, m.understood) for m in marks if m.person_id == world["paul"]] == [
        (0, True),
        (1, False),
        (2, True),
    ]

    # 5. the results: counts, comments, and the badge with the names of those who agreed
    html = facilitator.get(f"/relecture/{proofreading_id}/results").get_data(as_text=True)
    assert "Je ne sais pas ce que veut dire lieu." in html
    assert 'class="easy-read-badge"' in html
    badge = re.search(r'class="easy-read-badge-names">([^<]*)<', html).group(1)
    assert "Paul" in badge and "Nadia" not in badge and "Karim" not in badge
    # the facilitator's list shows the state
    html = facilitator.get("/relecture/").get_data(as_text=True)
    assert f'href="/relecture/{proofreading_id}/results"' in html
    assert "proofreading-status--validated" in html


def test_finishing_with_missing_sentences_shows_errors_and_keeps_the_input(app, world):
    proofreading_id = send_text(app, world)
    paul = client_for(app, "paul@r.test")
    response = post_form(
        paul,
        f"/relecture/{proofreading_id}",
        {"understood_0": "no", "comment_0": "Le mot invité.", "comment_2": "Trop long."},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(r"<title>Erreur", html)
    assert 'class="error-summary"' in html
    for index in (1, 2):
        assert f'href="#understood_{index}-0"' in html
        assert f'id="understood_{index}-error"' in html
    assert 'href="#understood_0-0"' not in html
    assert re.search(r'id="understood_0-1"[^>]*checked|checked[^>]*id="understood_0-1"', html)
    assert "Le mot invité.</textarea>" in html and "Trop long.</textarea>" in html
    assert 'aria-invalid="true"' in html
    assert marks_in_db(app, proofreading_id) == []


def test_a_wrong_choice_or_a_too_long_comment_is_refused(app, world):
    proofreading_id = send_text(app, world)
    paul = client_for(app, "paul@r.test")
    response = post_form(
        paul,
        f"/relecture/{proofreading_id}",
        answers("yes", "maybe", "yes", comment_2="x" * 1001),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'href="#understood_1-0"' in html and 'href="#comment_2"' in html
    assert marks_in_db(app, proofreading_id) == []


def test_a_proofreader_can_change_answers_until_the_text_is_decided(app, world):
    proofreading_id = send_text(app, world)
    paul = client_for(app, "paul@r.test")
    post_form(paul, f"/relecture/{proofreading_id}", answers("yes", "no", "yes"))
    html = paul.get(f"/relecture/{proofreading_id}?change=1").get_data(as_text=True)
    assert re.search(r'id="understood_1-1"[^>]*checked|checked[^>]*id="understood_1-1"', html)
    response = post_form(
        paul, f"/relecture/{proofreading_id}?change=1", answers("yes", "yes", "yes")
    )
    assert response.status_code == 303
    assert status_of(app, proofreading_id) == "validated"
    assert len(marks_in_db(app, proofreading_id)) == 3
    # decided: the page shows the answers, and a late post changes nothing
    nadia = client_for(app, "nadia@r.test")
    page = nadia.get(f"/relecture/{proofreading_id}").get_data(as_text=True)
    assert 'type="radio"' not in page
    token = csrf_from(page)
    late = nadia.post(
        f"/relecture/{proofreading_id}", data={"csrf_token": token, **answers("no", "no", "no")}
    )
    assert late.status_code == 303
    assert len(marks_in_db(app, proofreading_id)) == 3


def test_a_facilitator_enters_the_marks_a_proofreader_dictates(app, world):
    proofreading_id = send_text(app, world)
    facilitator = client_for(app, "fac@r.test")
    url = f"/relecture/{proofreading_id}/for/{world['nadia']}"
    results = facilitator.get(f"/relecture/{proofreading_id}/results").get_data(as_text=True)
    assert f'href="{url}"' in results
    page = facilitator.get(url)
    assert page.status_code == 200 and 'id="consent_note"' in page.get_data(as_text=True)
    # without consent: refused, the marks stay on the page
    response = post_form(facilitator, url, answers("yes", "no", "yes", comment_1="Lieu ?"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'href="#consent_note"' in html
    assert "Lieu ?</textarea>" in html
    assert marks_in_db(app, proofreading_id) == []
    response = post_form(
        facilitator,
        url,
        {"consent_note": "Nadia m'a dit ses réponses.", **answers("yes", "no", "yes")},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/relecture/{proofreading_id}/results")
    marks = marks_in_db(app, proofreading_id)
    assert len(marks) == 3
    assert all(m.person_id == world["nadia"] for m in marks)
    assert all(m.entered_by_id == world["facilitator"] for m in marks)
    assert all(m.consent_note == "Nadia m'a dit ses réponses." for m in marks)


def test_register_proofreader_errors_keep_the_input(app, world):
    facilitator = client_for(app, "fac@r.test")
    response = post_form(
        facilitator,
        "/relecture/proofreaders",
        {"person_id": world["karim"], "consent_note": "", "show_name": "y"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'href="#consent_note"' in html
    assert f'<option selected value="{world["karim"]}">' in html
    assert re.search(r'id="show_name"[^>]*checked|checked[^>]*id="show_name"', html)
    with app.app_context():
        assert db.session.scalar(select(func.count(Proofreader.id))) == 2


def test_a_long_text_can_be_posted_to_fill_the_request_form_in(app, world):
    facilitator = client_for(app, "fac@r.test")
    long_text = " ".join([TEXT] * 60)  # too long for an address
    response = post_form(
        facilitator,
        request_url(world),
        {"prefill": "1", "label": "Le logement", "text": long_text},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'class="error-summary"' not in html
    assert 'value="Le logement"' in html and long_text[-40:] + "</textarea>" in html
    with app.app_context():
        assert db.session.scalar(select(func.count(Proofreading.id))) == 0


def test_sentences_are_kept_as_they_were_sent(app, world, monkeypatch):
    proofreading_id = send_text(app, world)
    # a later change of the sentence splitter never moves the marks
    monkeypatch.setattr(services, "split_sentences", lambda text: [(0, len(text))])
    paul = client_for(app, "paul@r.test")
    assert paul.get(f"/relecture/{proofreading_id}").get_data(as_text=True).count("<legend>") == 3
    response = post_form(paul, f"/relecture/{proofreading_id}", answers("yes", "no", "yes"))
    assert response.status_code == 303
    assert len(marks_in_db(app, proofreading_id)) == 3


def test_request_errors_keep_the_input(app, world):
    facilitator = client_for(app, "fac@r.test")
    response = post_form(
        facilitator,
        request_url(world),
        {"label": "Le logement", "text": TEXT, "required_understood": 1},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'href="#proofreader_ids-0"' in html
    assert "Venez avec un ami si vous voulez.</textarea>" in html
    response = post_form(
        facilitator,
        request_url(world),
        {
            "label": "Le logement",
            "text": TEXT,
            "proofreader_ids": [world["paul"]],
            "required_understood": 2,
        },
    )
    assert 'href="#required_understood"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Proofreading.id))) == 0


def test_stopping_a_proofreader(app, world):
    facilitator = client_for(app, "fac@r.test")
    with app.app_context():
        paul = db.session.scalar(select(Proofreader).where(Proofreader.person_id == world["paul"]))
    page = facilitator.get("/relecture/proofreaders").get_data(as_text=True)
    action = f"/relecture/proofreaders/{paul.id}/deactivate"
    assert f'action="{action}"' in page
    response = facilitator.post(action, data={"csrf_token": csrf_from(page)})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Proofreader, paul.id).active is False
    assert client_for(app, "paul@r.test").get("/relecture/").status_code == 403


# --- from the wrong side -------------------------------------------------------------------


def test_pages_from_the_wrong_side(app, world):
    proofreading_id = send_text(app, world)
    base = f"/relecture/{proofreading_id}"
    with app.app_context():
        paul_record = db.session.scalar(
            select(Proofreader).where(Proofreader.person_id == world["paul"])
        )
        jean = db.session.scalar(select(Person).where(Person.email == "jean@r.test"))

    anonymous = app.test_client()
    for url in ("/relecture/", base, "/relecture/proofreaders", request_url(world)):
        response = anonymous.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url

    # a participant of the organisation who is not asked: the text does not exist for them
    outsider = client_for(app, "jean@r.test")
    assert outsider.get("/relecture/").status_code == 403
    for url in (base, f"{base}/results", f"{base}/for/{world['paul']}"):
        assert outsider.get(url).status_code == 404, url
    token = csrf_from(outsider.get("/consultations/").get_data(as_text=True))
    assert (
        outsider.post(base, data={"csrf_token": token, **answers("yes", "yes", "yes")}).status_code
        == 404
    )
    assert outsider.get("/relecture/proofreaders").status_code == 403
    assert outsider.get(request_url(world)).status_code == 403

    # another organisation's facilitator
    stranger = client_for(app, "stranger@r.test")
    for url in (
        base,
        f"{base}/results",
        f"{base}/for/{world['paul']}",
        f"/relecture/proofreaders?organisation_id={world['org']}",
        request_url(world),
    ):
        assert stranger.get(url).status_code == 404, url
    token = csrf_from(stranger.get("/relecture/").get_data(as_text=True))
    response = stranger.post(
        f"/relecture/proofreaders/{paul_record.id}/deactivate", data={"csrf_token": token}
    )
    assert response.status_code == 404
    response = stranger.post(
        f"{base}/for/{world['paul']}",
        data={"csrf_token": token, "consent_note": CONSENT, **answers("yes", "yes", "yes")},
    )
    assert response.status_code == 404

    # the assigned proofreader sees neither the results nor someone else's page
    paul = client_for(app, "paul@r.test")
    assert paul.get(f"{base}/results").status_code == 403
    assert paul.get(f"{base}/for/{world['nadia']}").status_code == 403
    assert paul.get("/relecture/proofreaders").status_code == 403

    # the facilitator cannot enter marks for someone who is not asked
    facilitator = client_for(app, "fac@r.test")
    assert facilitator.get(f"{base}/for/{jean.id}").status_code == 404
    assert facilitator.get(f"{base}/for/{world['karim']}").status_code == 404
    assert facilitator.get("/relecture/999999").status_code == 404
    # a facilitator opening the proofreading page is sent to the results
    response = facilitator.get(base)
    assert response.status_code == 303 and response.headers["Location"].endswith("/results")
    # the request page needs to know which text it is about
    assert facilitator.get(f"/relecture/request?organisation_id={world['org']}").status_code == 404

    assert marks_in_db(app, proofreading_id) == []
    assert status_of(app, proofreading_id) == "waiting"

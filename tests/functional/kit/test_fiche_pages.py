"""The kit's fiches through the pages: public reading (easy-to-read first), editing and
history for platform administrators only, and the links from the product's pages.

Pages are read in English (msgids), so the tests do not depend on the French catalogue."""

import re

import pytest

from app import db
from app.accounts.models import Role
from app.kit import fiches
from app.kit.seed_content import FICHES
from tests.conftest import csrf_from, login, post_form
from tests.factories import PASSWORD, make_person
from tests.worlds import an_organisation, everyone_reads_english, member, saved


@pytest.fixture
def world(app):
    with saved(app):
        fiches.ensure_seeded()
        team = an_organisation(
            "CCAS Essai",
            admin=member(None, admin=True),
            orgadmin=Role.ADMIN,
            fac=Role.FACILITATOR,
            finance=Role.FINANCE,
        )
        everyone_reads_english()
        return {"org": team.org.id}


def _client(app, who=None):
    client = app.test_client()
    if who:
        login(client, f"{who}@e.test", PASSWORD)
    else:
        client.set_cookie("parole_lang", "en")
    return client


def _form(number: int, **changes) -> dict:
    seed = dict(FICHES[number - 1])
    data = {name: seed[name] for name in ("title", "why", "how", "tools", "success_factors")}
    data.update(
        phase=seed["phase"], easy=seed["easy"], source=seed["source"], edition=seed["edition"]
    )
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def test_index_is_public_and_groups_the_fiches_by_phase(app, world):
    response = _client(app).get("/kit/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "It is not the official kit." in html
    before, during, after = (html.index(f'id="phase-{p}"') for p in ("before", "during", "after"))
    assert before < during < after
    for fiche in FICHES:
        assert f'href="/kit/fiches/{fiche["number"]}"' in html
    assert html.index("/kit/fiches/5") < during < html.index("/kit/fiches/6")
    assert html.index("/kit/fiches/7") < after
    assert after < html.index("/kit/fiches/8")


def test_fiche_shows_the_easy_version_first_then_the_full_one(app, world):
    client = _client(app)
    easy = client.get("/kit/fiches/5")
    html = easy.get_data(as_text=True)
    assert easy.status_code == 200
    assert "Demandez une avance." in html
    assert "Why this step?" not in html
    assert 'href="/kit/fiches/5?full=1"' in html
    assert (
        'class="notice-box kit-notice"' in html and "Not verified against the official kit." in html
    )
    assert "Parole, première version 2026" in html

    full = client.get("/kit/fiches/5?full=1").get_data(as_text=True)
    for heading in (
        "Why this step?",
        "How to go about it?",
        "What tools are there?",
        "What makes it work?",
    ):
        assert heading in full
    assert "<strong>elles doivent être rémunérées</strong>" in full
    assert "Demandez une avance." not in full
    assert 'href="/kit/fiches/5"' in full
    assert "Livre blanc du travail social" in full
    # Not an administrator: no way to change it.
    assert "/kit/fiches/5/edit" not in full


def test_verified_fiche_has_no_notice(app, world):
    with app.app_context():
        admin = make_person(admin=True)
        fiche = fiches.get(2)
        fiches.update(admin, fiche, {"verified": True})
        db.session.commit()
    html = _client(app).get("/kit/fiches/2").get_data(as_text=True)
    assert "kit-notice" not in html


def test_unknown_fiche_is_404(app, world):
    assert _client(app).get("/kit/fiches/11").status_code == 404


@pytest.mark.parametrize("who", [None, "orgadmin", "fac"])
def test_edit_and_history_are_404_for_others_than_platform_admins(app, world, who):
    client = _client(app, who)
    assert client.get("/kit/fiches/5/edit").status_code == 404
    assert client.get("/kit/fiches/5/history").status_code == 404
    # A valid CSRF token (from the footer's forms): the refusal is the view's, not CSRF's.
    response = post_form(client, "/kit/fiches/5/edit", _form(5, title="Piraté"), get_url="/kit/")
    assert response.status_code == 404
    with app.app_context():
        assert fiches.get(5).title == FICHES[4]["title"]


def test_admin_sees_the_edit_links(app, world):
    html = _client(app, "admin").get("/kit/fiches/5?full=1").get_data(as_text=True)
    assert 'href="/kit/fiches/5/edit"' in html and 'href="/kit/fiches/5/history"' in html


def test_edit_with_errors_keeps_the_input(app, world):
    client = _client(app, "admin")
    form = client.get("/kit/fiches/5/edit").get_data(as_text=True)
    assert 'value="La logistique et les frais de la participation"' in form
    assert re.search(r'<input checked id="phase-0" name="phase"[^>]*value="before">', form)
    response = post_form(
        client,
        "/kit/fiches/5/edit",
        _form(5, title="", why="<p>Mon texte gardé</p>", phase=None),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert html.count('class="error-summary"') == 1
    assert 'href="#title"' in html and 'href="#phase-0"' in html
    assert 'id="title-error"' in html and 'aria-invalid="true"' in html
    assert "&lt;p&gt;Mon texte gardé&lt;/p&gt;" in html
    assert "<title>Error:" in html
    with app.app_context():
        assert fiches.get(5).why == FICHES[4]["why"]


def test_edit_saves_sanitised_and_history_shows_the_previous_text(app, world):
    client = _client(app, "admin")
    response = post_form(
        client,
        "/kit/fiches/5/edit",
        _form(
            5,
            title="Les frais de la participation",
            why='<p onclick="x()">Personne ne paie.</p><script>alert(1)</script>',
            verified="y",
        ),
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/kit/fiches/5?full=1")
    page = client.get("/kit/fiches/5?full=1").get_data(as_text=True)
    assert "<p>Personne ne paie.</p>" in page
    assert "alert(1)" not in page and "onclick" not in page
    assert "kit-notice" not in page

    history = client.get("/kit/fiches/5/history")
    html = history.get_data(as_text=True)
    assert history.status_code == 200
    assert "La logistique et les frais de la participation" in html
    assert "La sixième recommandation du HCTS est claire" in html
    assert "<ins>" in html and "<del>" in html
    assert "Personne" in html


def test_easy_read_check_saves_nothing(app, world):
    client = _client(app, "admin")
    response = post_form(
        client,
        "/kit/fiches/5/edit",
        _form(
            5,
            easy="Cette phrase est vraiment beaucoup trop longue pour être lue "
            "facilement par toutes les personnes qui vont la lire un jour.",
            action="check",
        ),
    )
    assert response.status_code == 200
    assert 'id="easy-falc-live"' in response.get_data(as_text=True)
    with app.app_context():
        assert fiches.get(5).easy == FICHES[4]["easy"]


def test_history_without_change(app, world):
    html = _client(app, "admin").get("/kit/fiches/1/history").get_data(as_text=True)
    assert "Nobody has changed this fiche since it was added." in html


def test_expense_settings_page_links_to_fiche_5(app, world):
    client = _client(app, "finance")
    response = client.get(f"/expenses/organisations/{world['org']}/settings")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert (
        '<p class="kit-link"><a href="/kit/fiches/5">'
        "Kit fiche 5: La logistique et les frais de la participation</a></p>"
    ) in html


def test_the_announcement_step_links_to_the_fiches_on_informing_and_costs(app, world):
    from app.accounts.models import Organisation
    from tests.consultation_factories import make_round

    with app.test_request_context("/"):
        org = db.session.get(Organisation, world["org"])
        round_, _ = make_round(org, _person("fac@e.test"))
        db.session.commit()
        round_id = round_.id
    html = _client(app, "fac").get(f"/consultations/{round_id}").get_data(as_text=True)
    assert 'href="/kit/fiches/4"' in html and 'href="/kit/fiches/5"' in html


def _person(email):
    from sqlalchemy import select

    from app.accounts.models import Person

    return db.session.scalar(select(Person).where(Person.email == email))


def test_kit_link_renders_nothing_without_the_fiche(app, world):
    with app.app_context():
        db.session.delete(fiches.get(5))
        db.session.commit()
    client = _client(app, "finance")
    html = client.get(f"/expenses/organisations/{world['org']}/settings").get_data(as_text=True)
    assert "kit-link" not in html


def test_csrf_is_required_to_edit(app, world):
    client = _client(app, "admin")
    token = csrf_from(client.get("/kit/fiches/5/edit").get_data(as_text=True))
    assert token
    response = client.post("/kit/fiches/5/edit", data=_form(5, title="Sans jeton"))
    assert response.status_code == 400

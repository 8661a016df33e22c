"""The "My data" pages: reading, the 7-day download link, agreements, closing the account,
the retention setting of an organisation."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from app import db
from app.accounts.models import Person, Role
from tests.conftest import login, post_form
from tests.factories import PASSWORD, make_org, make_person


@pytest.fixture
def people(app):
    with app.app_context():
        org = make_org("CRPA Mes Données")
        ids = {
            "sam": make_person((org, Role.PARTICIPANT), email="sam@t.test", name="Sam Lecteur").id,
            "eve": make_person((org, Role.PARTICIPANT), email="eve@t.test", name="Eve Autre").id,
            "admin": make_person(email="root@t.test", admin=True).id,
            "org": org.id,
        }
        db.session.commit()
        return ids


def test_my_data_page_shows_what_parole_keeps(client, people):
    login(client, "sam@t.test", PASSWORD)
    page = client.get("/account/data").get_data(as_text=True)
    assert "Sam Lecteur" in page and "sam@t.test" in page
    assert "CRPA Mes Données" in page
    assert 'action="/account/consents/photos/give"' in page


def test_download_link_gives_json_and_a_readable_page_to_its_owner_only(app, client, people):
    login(client, "sam@t.test", PASSWORD)
    made = post_form(client, "/account/data/link", {}, get_url="/account/data")
    assert made.status_code == 303
    link = made.headers["Location"]
    page = client.get(link).get_data(as_text=True)
    assert "/parole-mes-donnees.json" in page
    download = client.get(link + "/parole-mes-donnees.json")
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.get_json()["person"]["email"] == "sam@t.test"
    readable = client.get(link + "/readable").get_data(as_text=True)
    assert "sam@t.test" in readable
    other = app.test_client()
    login(other, "eve@t.test", PASSWORD)
    assert other.get(link + "/parole-mes-donnees.json").status_code == 404
    anonymous = app.test_client()
    assert anonymous.get(link + "/parole-mes-donnees.json").status_code == 302


def _with_a_receipt(app, person_id: int, tmp_path, monkeypatch) -> tuple[str, bytes]:
    """A cost request of this person with one photo of a receipt, stored for real."""
    from app.expenses import services as expenses
    from app.expenses.models import ActivityType, Category, RequestKind
    from tests.unit.expenses.test_receipts import jpeg

    monkeypatch.setitem(app.config, "UPLOAD_ROOT", str(tmp_path / "uploads"))
    with app.app_context():
        person = db.session.get(Person, person_id)
        org = person.memberships[0].organisation
        request = expenses.create_request(
            person, person, org, RequestKind.REIMBURSEMENT, ActivityType.CONSULTATION, "Réunion"
        )
        request.reason = "Il manque la date sur le ticket."
        line = expenses.add_line(person, request, expenses.LineInput(Category.TRAIN, amount="7"))
        receipt = expenses.attach_receipt(person, line, jpeg())
        db.session.commit()
        stored = (tmp_path / "uploads" / "receipts" / receipt.storage_key).read_bytes()
        return f"justificatifs/demande-{request.id}-depense-1-1.jpg", stored


def test_the_download_is_one_zip_with_the_data_the_page_and_the_receipts(
    app, client, people, tmp_path, monkeypatch
):
    name, stored = _with_a_receipt(app, people["sam"], tmp_path, monkeypatch)
    login(client, "sam@t.test", PASSWORD)
    link = post_form(client, "/account/data/link", {}, get_url="/account/data").headers["Location"]
    assert "/parole-mes-donnees.zip" in client.get(link).get_data(as_text=True)
    download = client.get(link + "/parole-mes-donnees.zip")
    assert download.status_code == 200
    assert download.mimetype == "application/zip"
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["Cache-Control"] == "no-store"
    with zipfile.ZipFile(io.BytesIO(download.data)) as archive:
        assert sorted(archive.namelist()) == sorted(
            ["parole-mes-donnees.json", "mes-donnees.html", name]
        )
        data = json.loads(archive.read("parole-mes-donnees.json"))
        page = archive.read("mes-donnees.html").decode()
        assert archive.read(name) == stored  # the receipt itself, byte for byte
    assert data["person"]["email"] == "sam@t.test"
    costs = data["costs_and_pay"][0]
    assert costs["reason"] == "Il manque la date sur le ticket."
    assert costs["lines"][0]["receipts"][0]["file"] == name
    assert "Sam Lecteur" in page and "Il manque la date sur le ticket." in page
    assert name in page and '<html lang="fr">' in page
    # Only its owner, only logged in.
    other = app.test_client()
    login(other, "eve@t.test", PASSWORD)
    assert other.get(link + "/parole-mes-donnees.zip").status_code == 404
    assert app.test_client().get(link + "/parole-mes-donnees.zip").status_code == 302


def test_making_a_link_needs_the_csrf_token(client, people):
    login(client, "sam@t.test", PASSWORD)
    assert client.post("/account/data/link").status_code == 400


def test_giving_and_taking_back_an_agreement(client, people):
    login(client, "sam@t.test", PASSWORD)
    given = post_form(client, "/account/consents/photos/give", {}, get_url="/account/data")
    assert given.status_code == 303
    page = client.get("/account/data").get_data(as_text=True)
    assert 'action="/account/consents/photos/withdraw"' in page
    post_form(client, "/account/consents/photos/withdraw", {}, get_url="/account/data")
    page = client.get("/account/data").get_data(as_text=True)
    assert 'action="/account/consents/photos/give"' in page
    # Agreements only the person can take back are never "given" from this page.
    refused = post_form(
        client, "/account/consents/assisted_entry/give", {}, get_url="/account/data"
    )
    assert refused.status_code == 404


def test_the_facilitator_sees_what_the_person_agreed_to(app, client, people):
    with app.app_context():
        org = db.session.get(Person, people["sam"]).memberships[0].organisation
        make_person((org, Role.FACILITATOR), email="fac@t.test")
        db.session.commit()
    facilitator = app.test_client()
    login(facilitator, "fac@t.test", PASSWORD)

    def agreement(kind_words: str) -> str:
        page = facilitator.get(f"/participants/{people['sam']}").get_data(as_text=True)
        line = next(li for li in page.split("<li>") if kind_words in li)
        return " ".join(line.split("</strong> :", 1)[1].split("</li>")[0].split())

    assert agreement("Les photos") == "pas demandé, donc non"
    login(client, "sam@t.test", PASSWORD)
    post_form(client, "/account/consents/photos/give", {}, get_url="/account/data")
    assert agreement("Les photos").startswith("oui, depuis le ")
    assert agreement("Mes mots peuvent") == "pas demandé, donc non"
    post_form(client, "/account/consents/photos/withdraw", {}, get_url="/account/data")
    assert agreement("Les photos").startswith("non, accord retiré le ")


def test_closing_with_a_wrong_secret_keeps_the_form_and_says_why(client, people):
    login(client, "sam@t.test", PASSWORD)
    response = post_form(client, "/account/close", {"secret": "wrong", "understood": "y"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="secret-error"' in page and "error-summary" in page
    missing = post_form(client, "/account/close", {"secret": PASSWORD})
    assert missing.status_code == 400
    assert 'id="understood-error"' in missing.get_data(as_text=True)


def test_taking_back_an_agreement_not_given_says_so_on_the_page(client, people):
    login(client, "sam@t.test", PASSWORD)
    sent = post_form(client, "/account/consents/photos/withdraw", {}, get_url="/account/data")
    assert sent.status_code == 303
    page = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Vous n&#39;aviez pas donné cet accord." in page
    assert "Enregistré" not in page


def test_closing_the_account_logs_out_everywhere_for_good(app, client, people):
    login(client, "sam@t.test", PASSWORD)
    second = app.test_client()
    login(second, "sam@t.test", PASSWORD)
    closed = post_form(client, "/account/close", {"secret": PASSWORD, "understood": "y"})
    assert closed.headers["Location"].endswith("/account/closed")
    assert "Parole" in client.get("/account/closed").get_data(as_text=True)
    assert client.get("/account").status_code == 302
    assert second.get("/account").status_code == 302  # the other session is dead too
    again = post_form(app.test_client(), "/login", {"identifier": "sam@t.test", "secret": PASSWORD})
    assert again.status_code == 400  # refused, with the usual message
    with app.app_context():
        person = db.session.get(Person, people["sam"])
        assert person.email is None and person.closed_at is not None


def test_retention_setting_on_the_organisation_page(client, people):
    login(client, "root@t.test", PASSWORD)
    url = f"/admin/organisations/{people['org']}"
    wrong = post_form(client, url + "/retention", {"retention_months": "3"}, get_url=url)
    assert wrong.status_code == 400 and 'id="retention_months-error"' in wrong.get_data(
        as_text=True
    )
    saved = post_form(client, url + "/retention", {"retention_months": "36"}, get_url=url)
    assert saved.status_code == 303
    assert 'value="36"' in client.get(url).get_data(as_text=True)


def test_data_protection_page_is_public(client):
    page = client.get("/data-protection")
    assert page.status_code == 200 and "CNIL" in page.get_data(as_text=True)


def test_every_demo_person_reads_and_downloads_their_data(app):
    """The demo holds every kind of record (answers with choices, costs, sign-ups, proofreading,
    moderation): each demo account's "My data" page and download must work."""
    from app.demo.base import load_demo

    with app.app_context():
        logins = [who for _role, who, secret in load_demo() if secret == "parole-demo-2026"]
        db.session.commit()
    assert len(logins) >= 5
    for email in logins:
        client = app.test_client()
        login(client, email, "parole-demo-2026")
        assert client.get("/account/data").status_code == 200, email
        link = post_form(client, "/account/data/link", {}, get_url="/account/data")
        data = client.get(link.headers["Location"] + "/parole-mes-donnees.json").get_json()
        assert email in (data["person"]["email"], data["person"]["login_identifier"])
        assert client.get(link.headers["Location"] + "/readable").status_code == 200, email

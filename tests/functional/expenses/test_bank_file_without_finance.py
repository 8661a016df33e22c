"""An institute without a finance person: its administrator reviews and pays (routing.py), so
they also make the bank file of the transfers, which needs the whole IBANs. As soon as the
organisation has a finance person, the administrator sees IBANs masked again."""

from app.accounts.models import OrganisationKind, Role
from app.expenses import services
from tests.conftest import login
from tests.factories import PASSWORD
from tests.functional.expenses.test_finance_queue import _batch, _schema
from tests.worlds import a_cost_request, a_payment_choice, an_organisation, member, saved

IBAN = "FR14 2004 1010 0505 0001 3M02 606"
ACCOUNT = {"holder": "Institut Essai", "iban": "FR7630006000011234567890189", "bic": "AGRIFRPP"}


def _world(app, tmp_path, **more):
    app.config["UPLOAD_ROOT"] = str(tmp_path / "uploads")
    with saved(app):
        team = an_organisation(
            "Institut Essai",
            kind=OrganisationKind.TRAINING_INSTITUTE,
            adm=Role.ADMIN,
            ana=member(Role.PARTICIPANT, name="Ana Martin"),
            **more,
        )
        a_payment_choice(team["ana"], "own_account")
        services.set_bank_details(team["ana"], team["ana"], IBAN, "Ana Martin")
        request, _line = a_cost_request(team["ana"], team.org, team["adm"], step="submitted")
        return {"org": team.org.id, "id": request.id}


def test_the_administrator_who_pays_in_place_of_finance_gets_the_bank_file(app, client, tmp_path):
    from tests.conftest import post_form

    world = _world(app, tmp_path)
    login(client, "adm@e.test", PASSWORD)
    url = f"/expenses/organisations/{world['org']}/bank-account"
    assert post_form(client, url, ACCOUNT).status_code == 303
    assert _batch(client, [world["id"]], "approve").status_code == 303
    assert _batch(client, [world["id"]], "pay").status_code == 303
    response = client.get(f"/expenses/finance/transfers.xml?ids={world['id']}")
    assert response.status_code == 200, response.location
    xml = response.get_data(as_text=True)
    _schema().validate(xml)
    assert "FR1420041010050500013M02606" in xml


def test_with_a_finance_person_the_administrator_sees_ibans_masked(app, client, tmp_path):
    world = _world(app, tmp_path, fin=Role.FINANCE)
    login(client, "adm@e.test", PASSWORD)
    page = client.get(f"/expenses/{world['id']}/review").get_data(as_text=True)
    assert "FR14 2004" not in page and "FR1420041010" not in page

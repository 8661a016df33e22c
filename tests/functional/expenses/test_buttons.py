"""The request page's buttons (sworn statement, send, cancel, settle): a step the rules
refuse brings the person back to their request with the reason, not to an error page; a
reviewer cannot fill in someone else's request."""

import re

import pytest

from app.accounts.models import Role
from tests.conftest import login, post_form
from tests.factories import PASSWORD
from tests.worlds import a_payment_choice, an_organisation, member, saved


@pytest.fixture
def world(app, tmp_path):
    app.config["UPLOAD_ROOT"] = str(tmp_path / "uploads")
    with saved(app):
        team = an_organisation(
            "CCAS Essai", paul=member(Role.PARTICIPANT, name="Paul"), finance=Role.FINANCE
        )
        a_payment_choice(team["paul"])
        return {"org": team.org.id}


def _client(app, who):
    client = app.test_client()
    login(client, f"{who}@e.test", PASSWORD)
    return client


def _new_request(client, org_id):
    created = post_form(
        client,
        "/expenses/new",
        {
            "organisation_id": org_id,
            "kind": "reimbursement",
            "activity_type": "consultation",
            "activity_label": "Réunion logement",
        },
    )
    assert created.status_code == 303
    return created.headers["Location"]


def _flashed_errors(html: str) -> list[str]:
    return [
        m.replace("\u00a0", " ").replace("&#39;", "'")
        for m in re.findall(r'<p class="flash flash--error">([^<]*)</p>', html)
    ]


def test_a_refused_sworn_statement_is_explained_on_the_request_page(app, world):
    paul = _client(app, "paul")
    page = _new_request(paul, world["org"])
    added = post_form(paul, f"{page}/lines", {"category": "train", "amount": "23,40"}, get_url=page)
    assert added.status_code == 303
    html = paul.get(page).get_data(as_text=True)
    line_id = re.search(r"/expenses/lines/(\d+)/receipts", html).group(1)
    refused = post_form(
        paul, f"/expenses/lines/{line_id}/sworn", {f"sworn{line_id}-agreed": "y"}, get_url=page
    )
    # The statement is a form now (its box, and a consent note for a helper): the request page
    # comes back with the reason in its error summary, above the cost it is about.
    assert refused.status_code == 400
    back = refused.get_data(as_text=True).replace("&#39;", "'")
    assert (
        "Pour cette dépense, il faut un justificatif. Demandez à votre animateur si vous "
        "l'avez perdu."
    ) in back
    assert "Dépense 1 : ajoutez une photo du justificatif." in back  # still to do


def test_sending_an_incomplete_request_is_explained_on_the_request_page(app, world):
    paul = _client(app, "paul")
    page = _new_request(paul, world["org"])
    refused = post_form(paul, f"{page}/submit", {}, get_url=page)
    assert refused.status_code == 400  # the request page again, what is missing above
    back = refused.get_data(as_text=True)
    assert _flashed_errors(back) == ["Ajoutez au moins une dépense."]
    assert "Envoyer ma demande" not in back


def test_a_reviewer_cannot_fill_in_or_send_someone_elses_request(app, world):
    paul = _client(app, "paul")
    page = _new_request(paul, world["org"])
    finance = _client(app, "finance")
    assert finance.get(page).status_code == 200  # a reviewer of the organisation sees it
    for url, data in (
        (f"{page}/lines", {"category": "train", "amount": "23,40"}),
        (f"{page}/submit", {}),
        (f"{page}/cancel", {}),
    ):
        assert post_form(finance, url, data, get_url=page).status_code == 404, url
    assert "23,40" not in paul.get(page).get_data(as_text=True)

"""Compensation for time spent in a body: the organisation sets the amount on the request
page, the person sees it and sends the request."""

import pytest

from app.accounts.models import Role
from tests.conftest import login, post_form
from tests.factories import PASSWORD
from tests.worlds import a_payment_choice, a_stranger, an_organisation, member, saved


@pytest.fixture
def world(app):
    with saved(app):
        team = an_organisation(
            "CCAS Essai",
            paul=member(Role.PARTICIPANT, name="Paul"),
            other=Role.PARTICIPANT,
            finance=Role.FINANCE,
            fac=Role.FACILITATOR,
        )
        a_stranger(role=Role.FINANCE)
        a_payment_choice(team["paul"])
        return {"org": team.org.id}


def _client(app, who):
    client = app.test_client()
    login(client, f"{who}@e.test", PASSWORD)
    return client


def _new_compensation(client, org_id):
    created = post_form(
        client,
        "/expenses/new",
        {
            "organisation_id": org_id,
            "kind": "compensation",
            "activity_type": "consultation",
            "activity_label": "Conseil de la vie sociale",
        },
    )
    assert created.status_code == 303
    return created.headers["Location"]


def test_compensation_request_can_be_sent_after_finance_sets_the_amount(app, world):
    paul = _client(app, "paul")
    page = _new_compensation(paul, world["org"])
    html = paul.get(page).get_data(as_text=True)
    assert "Envoyer ma demande" not in html
    assert "compensation-amount" not in html  # the person does not set their own amount

    finance = _client(app, "finance")
    staff_page = finance.get(page).get_data(as_text=True)
    assert 'name="amount"' in staff_page
    done = post_form(finance, f"{page}/compensation", {"amount": "45,50"}, get_url=page)
    assert done.status_code == 303

    html = paul.get(page).get_data(as_text=True)
    assert "45,50" in html and "Envoyer ma demande" in html
    sent = post_form(paul, f"{page}/submit", {}, get_url=page)
    assert sent.status_code == 303
    html = paul.get(page).get_data(as_text=True)
    assert "en attente" in html and "Envoyer ma demande" not in html


def test_compensation_bad_amount_is_shown_next_to_the_field(app, world):
    page = _new_compensation(_client(app, "paul"), world["org"])
    finance = _client(app, "finance")
    bad = post_form(finance, f"{page}/compensation", {"amount": "douze"}, get_url=page)
    html = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert 'id="amount-error"' in html and "douze" in html
    assert 'aria-invalid="true"' in html


def test_compensation_amount_is_refused_to_the_person_and_strangers(app, world):
    paul = _client(app, "paul")
    page = _new_compensation(paul, world["org"])
    for who in ("paul", "other", "stranger"):
        client = paul if who == "paul" else _client(app, who)
        answer = post_form(client, f"{page}/compensation", {"amount": "1000"}, get_url=page)
        assert answer.status_code in (403, 404), who
    assert "Envoyer ma demande" not in paul.get(page).get_data(as_text=True)


def test_compensation_amount_set_by_the_facilitator_acting_for_the_person(app, world):
    paul = _client(app, "paul")
    page = _new_compensation(paul, world["org"])
    fac = _client(app, "fac")
    done = post_form(fac, f"{page}/compensation", {"amount": "1 234,5 €"}, get_url=page)
    assert done.status_code == 303
    html = paul.get(page).get_data(as_text=True)
    assert "234,50" in html and "Envoyer ma demande" in html

"""Counts read as people say them: "1 person invited", never "1 people invited"."""

from app.accounts.models import Role
from tests.conftest import csrf_from, login
from tests.factories import PASSWORD
from tests.worlds import a_round, an_organisation, saved


def test_inviting_one_person_says_one_person_invited_in_the_message_and_on_the_page(client, app):
    with saved(app):
        team = an_organisation("CRPA Compte", domain="n.test", fac=Role.FACILITATOR)
        team["fac"].language = "en"
        person = team.join("p0")
        round_id = a_round(team.org, team["fac"]).id
        person_id = person.id
    login(client, "fac@n.test", PASSWORD)
    base = f"/consultations/{round_id}"
    token = csrf_from(client.get(base).get_data(as_text=True))
    sent = client.post(
        f"{base}/invite", data={"csrf_token": token, "person_ids": person_id}, follow_redirects=True
    )
    html = sent.get_data(as_text=True)
    assert sent.status_code == 200
    assert html.count("1 person invited.") == 2  # the message and the invited people's line
    assert "0 paper questionnaires." in html
    assert "people invited" not in html

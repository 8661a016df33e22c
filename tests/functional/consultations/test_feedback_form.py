"""The feedback form tells the facilitator that the page writes "Vous avez dit :" itself."""

from app.accounts.models import Role
from tests.conftest import login
from tests.factories import PASSWORD
from tests.worlds import a_round, an_organisation, saved


def test_feedback_form_says_the_label_you_said_is_written_by_the_page(client, app):
    with saved(app):
        team = an_organisation("CRPA Retour", domain="r.test", fac=Role.FACILITATOR)
        people = team.join_many("p", 2)
        round_id = a_round(team.org, team["fac"], step="closed", invited=people).id
    login(client, "fac@r.test", PASSWORD)
    page = client.get(f"/consultations/{round_id}/feedback/new")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count("La page écrit « Vous avez dit : » avant ce texte. Ne l'écrivez pas.") == 2

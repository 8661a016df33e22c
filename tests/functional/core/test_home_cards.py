"""The home page's cards lead to every part of Parole a person can use: a participant who
never opens the menu still finds co-training missions and the participation kit."""

from app.accounts.models import Role
from tests.conftest import login
from tests.factories import PASSWORD
from tests.worlds import an_organisation, saved


def test_home_cards_lead_to_co_training_and_the_kit(app, client):
    with saved(app):
        an_organisation("Maison Soleil", ana=Role.PARTICIPANT)
    login(client, "ana@e.test", PASSWORD)
    page = client.get("/").get_data(as_text=True)
    cards = page[page.index('<ul class="cards">') :]
    assert 'href="/co-training/"' in cards
    assert 'href="/kit/"' in cards
    assert "Co-formation" in cards and "Kit de la participation" in cards

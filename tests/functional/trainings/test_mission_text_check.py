"""The easy-read check on a mission's form: what co-trainers will read (title, description,
topic, audience, place, contact), an empty easy-to-read version as a warning, nothing saved."""

import re

from sqlalchemy import func, select

from app import db
from app.accounts.models import OrganisationKind, Role
from app.trainings.models import Mission
from tests.conftest import login, post_form
from tests.factories import PASSWORD
from tests.worlds import a_mission, an_organisation, saved

LONG = (
    "Le conseil départemental, qui a adopté le schéma départemental d'insertion, souhaite "
    "recueillir l'avis des personnes concernées par le revenu de solidarité active afin "
    "d'améliorer l'accompagnement proposé par les services."
)
MISSION = {
    "type": "teaching",
    "title": "Accueillir une personne à la rue",
    "title_easy": "Accueillir une personne à la rue",
    "description": "Un cours de trois heures avec des étudiants.",
    "description_easy": "",
    "audience": LONG,
    "seats": "2",
    "session_1_day": "21/03/2030",
    "session_1_start": "14:00",
    "session_1_end": "17:00",
    "contact_name": "Claire",
}


def _section(html, key):
    found = re.search(rf'<section[^>]*aria-labelledby="check-{key}".*?</section>', html, re.S)
    assert found, f"no section for {key}"
    return found.group(0)


def test_checking_a_mission_lists_what_co_trainers_will_read_and_saves_nothing(app):
    with saved(app):
        institute = an_organisation(
            "IRTS Lecture",
            domain="m.test",
            kind=OrganisationKind.TRAINING_INSTITUTE,
            staff=Role.INSTITUTE_STAFF,
        )
        mission_id = a_mission(institute["staff"], institute.org, published=False, online=True).id
        institute_id = institute.org.id
    client = app.test_client()
    login(client, "staff@m.test", PASSWORD)
    url = f"/co-training/organisations/{institute_id}/missions/new"
    assert 'value="check"' in client.get(url).get_data(as_text=True)
    response = post_form(client, url, MISSION | {"action": "check"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    description = _section(html, "description")
    assert "La version facile est vide : la version complète sera utilisée." in description
    assert 'href="#description_easy"' in description
    assert "falc-finding--alert" not in description
    assert 'href="#audience"' in _section(html, "audience")
    assert "text-check-heading" in html and "check-contact_name" not in html
    with app.app_context():
        assert db.session.scalar(select(func.count(Mission.id))) == 1
    # The same on the form of a mission that exists; the findings sit next to the field.
    edit = post_form(
        client,
        f"/co-training/missions/{mission_id}/edit",
        MISSION | {"description_easy": LONG, "audience": "", "action": "check"},
    ).get_data(as_text=True)
    assert 'id="description_easy-falc"' in edit and "falc-finding--alert" in edit
    assert "check-audience" not in edit
    with app.app_context():
        assert db.session.get(Mission, mission_id).description_easy == ""

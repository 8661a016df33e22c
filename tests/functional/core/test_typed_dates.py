"""Days typed as people write them, through two real forms: a costs request's day of the
activity and a co-training mission's sessions (app/core/dates.py)."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import OrganisationKind, Role
from app.expenses.models import ExpenseRequest
from app.trainings.models import Mission
from tests.conftest import login, post_form
from tests.factories import PASSWORD
from tests.worlds import a_payment_choice, an_organisation, member, saved

NO_SUCH_DAY = "Ce jour n'existe pas. Écrivez une date comme ceci : 21/03/2027."
BAD_DATE = "Écrivez une date comme ceci : 21/03/2027."


@pytest.fixture
def world(app, tmp_path):
    app.config["UPLOAD_ROOT"] = str(tmp_path / "uploads")
    with saved(app):
        team = an_organisation(
            "CCAS Essai", paul=member(Role.PARTICIPANT, name="Paul"), fac=Role.FACILITATOR
        )
        a_payment_choice(team["paul"])
        institute = an_organisation(
            "IRTS Essai", kind=OrganisationKind.TRAINING_INSTITUTE, staff=Role.INSTITUTE_STAFF
        )
        return {"org": team.org.id, "institute": institute.org.id}


def _client(app, who):
    client = app.test_client()
    login(client, f"{who}@e.test", PASSWORD)
    return client


def _new_request(client, world, day):
    return post_form(
        client,
        "/expenses/new",
        {
            "organisation_id": world["org"],
            "kind": "reimbursement",
            "activity_type": "consultation",
            "activity_label": "Réunion logement",
            "activity_on": day,
        },
    )


@pytest.mark.parametrize("typed", ["21 mars 2027", "21-03-27", "21.03.2027", "mardi 21 mars 2027"])
def test_costs_request_takes_the_day_as_people_write_it(app, world, typed):
    created = _new_request(_client(app, "paul"), world, typed)
    assert created.status_code == 303
    with app.app_context():
        request = db.session.scalars(select(ExpenseRequest)).one()
        assert request.activity_on == date(2027, 3, 21)


def test_costs_request_refuses_a_day_that_does_not_exist_and_keeps_it(app, world):
    refused = _new_request(_client(app, "paul"), world, "31/02/2027")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert 'id="activity_on-error"' in html
    assert NO_SUCH_DAY.replace("'", "&#39;") in html
    assert 'value="31/02/2027"' in html
    assert "N&#39;est pas une date valide" not in html


MISSION = {
    "type": "teaching",
    "title": "Accueillir une personne à la rue",
    "seats": "2",
    "session_1_start": "14:00",
    "session_1_end": "17:00",
    "place": "IRTS, 12 rue de l'École, Lille",
    "departement": "59",
    "hourly_rate": "20,00",
    "expected_hours": "3",
}


def test_mission_sessions_take_days_written_in_words(app, world):
    staff = _client(app, "staff")
    url = f"/co-training/organisations/{world['institute']}/missions/new"
    created = post_form(
        staff,
        url,
        MISSION | {"session_1_day": "1er avril 2030", "signup_deadline": "21/03/30"},
    )
    assert created.status_code == 303
    with app.app_context():
        mission = db.session.scalars(select(Mission)).one()
        # 14:00 in Paris on 1 April 2030 (summer time) is 12:00 UTC
        assert mission.sessions[0].starts_at == datetime(2030, 4, 1, 12, 0, tzinfo=UTC)
        assert mission.signup_deadline.date() == date(2030, 3, 21)


def test_mission_refuses_an_unclear_day_with_an_example_and_keeps_it(app, world):
    staff = _client(app, "staff")
    url = f"/co-training/organisations/{world['institute']}/missions/new"
    refused = post_form(staff, url, MISSION | {"session_1_day": "21 jui 2030"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert 'id="session_1_day-error"' in html
    assert BAD_DATE in html
    assert 'value="21 jui 2030"' in html

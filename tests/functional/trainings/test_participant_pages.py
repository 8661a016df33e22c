"""Co-training through the participant's pages: filters, the mission page, signing up (for
oneself and, with consent, for someone), cancelling, accepting an offered place, the
calendar file, the attestation, the word after the mission, the profile; and every page
from the wrong side."""

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from icalendar import Calendar
from pypdf import PdfReader
from sqlalchemy import select

from app import db
from app.accounts.models import OrganisationKind, Role
from app.db import utcnow
from app.trainings import services
from app.trainings.models import MissionType, Signup, SignupStatus
from app.trainings.services import Presence, SignupData
from tests.conftest import login, post_form
from tests.factories import PASSWORD
from tests.worlds import a_mission, a_stranger, an_organisation, member, saved


def _mission(staff, institute, title, kind=MissionType.TEACHING, days=30, departement="59"):
    return a_mission(
        staff,
        institute,
        title,
        type=kind,
        starts_in=timedelta(days=days),
        hours=3,
        title_easy=f"{title}, facile",
        place="IRTS, Villefictive",
        departement=departement,
        hourly_rate=Decimal("25.00"),
        covered_costs=["meal"],
        contact_name="Claire",
        contact_phone="03 20 00 00 00",
    )


@pytest.fixture
def world(app):
    with saved(app):
        institute = an_organisation(
            "IRTS Essai", kind=OrganisationKind.TRAINING_INSTITUTE, staff=Role.INSTITUTE_STAFF
        )
        home = an_organisation(
            "CCAS Essai",
            paul=member(name="Paul Martin"),
            zoe=member(name="Zoé"),
            fac=Role.FACILITATOR,
        )
        a_stranger(key="otherfac")
        staff = institute["staff"]
        teaching = _mission(staff, institute.org, "Cours sur l'accueil")
        jury = _mission(staff, institute.org, "Jury du diplôme", MissionType.JURY, 60, "62")
        draft = a_mission(
            staff,
            institute.org,
            "Brouillon secret",
            type=MissionType.EVENT,
            starts_in=timedelta(days=9),
            online=True,
            published=False,
        )
        return {
            "teaching": teaching.id,
            "jury": jury.id,
            "draft": draft.id,
            "paul": home["paul"].id,
            "staff": staff.id,
        }


def _client(app, who):
    client = app.test_client()
    login(client, f"{who}@e.test", PASSWORD)
    return client


def _signup(mission_id, person_id):
    return db.session.scalar(
        select(Signup).where(Signup.mission_id == mission_id, Signup.person_id == person_id)
    )


def test_the_list_filters_by_departement_kind_and_day(app, world):
    client = _client(app, "paul")
    page = client.get("/co-training/").get_data(as_text=True)
    assert "Cours sur l&#39;accueil, facile" in page and "Jury du diplôme, facile" in page
    assert "Brouillon secret" not in page
    page = client.get("/co-training/?departement=62").get_data(as_text=True)
    assert "Jury du diplôme" in page and "Cours sur l&#39;accueil" not in page
    page = client.get("/co-training/?type=teaching").get_data(as_text=True)
    assert "Cours sur l&#39;accueil" in page and "Jury du diplôme" not in page
    later = (utcnow() + timedelta(days=45)).strftime("%d/%m/%Y")
    page = client.get(f"/co-training/?starting={later}").get_data(as_text=True)
    assert "Jury du diplôme" in page and "Cours sur l&#39;accueil" not in page
    wrong = client.get("/co-training/?starting=32/13/2027")
    assert wrong.status_code == 400
    assert 'value="32/13/2027"' in wrong.get_data(as_text=True)


def test_mission_page_is_easy_to_read_first_and_drafts_stay_hidden(app, world):
    client = _client(app, "paul")
    page = client.get(f"/co-training/missions/{world['teaching']}").get_data(as_text=True)
    assert "<h1>Cours sur l&#39;accueil, facile</h1>" in page
    assert "Claire" in page and "03 20 00 00 00" in page
    full = client.get(f"/co-training/missions/{world['teaching']}?full=1").get_data(as_text=True)
    assert "<h1>Cours sur l&#39;accueil</h1>" in full
    assert client.get(f"/co-training/missions/{world['draft']}").status_code == 404
    staff = _client(app, "staff")
    assert staff.get(f"/co-training/missions/{world['draft']}").status_code == 200


def test_sign_up_errors_keep_the_input_then_cancel(app, world):
    client = _client(app, "paul")
    url = f"/co-training/missions/{world['teaching']}/sign-up"
    response = post_form(client, url, {"why": "Parce que.", "needs_childcare": "y"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Parce que." in page and "Choisissez une réponse." in page
    assert re.search(
        r'<input[^>]*checked[^>]*id="needs_childcare"|<input[^>]*id="needs_childcare"[^>]*checked',
        page,
    )
    response = post_form(client, url, {"why": "Parce que.", "contact_channel": "phone"})
    assert response.status_code == 303
    with app.app_context():
        signup = _signup(world["teaching"], world["paul"])
        assert signup.status == SignupStatus.INTERESTED and signup.why == "Parce que."
        assert signup.entered_by_id is None
        signup_id = signup.id
    # signing up twice is refused next to nothing lost
    again = post_form(client, url, {"contact_channel": "phone"})
    assert again.status_code == 400
    # someone else cannot cancel it; Paul can, without a reason
    zoe = _client(app, "zoe")
    assert (
        post_form(
            zoe, f"/co-training/signups/{signup_id}/cancel", {}, get_url="/co-training/mine"
        ).status_code
        == 404
    )
    response = post_form(
        client, f"/co-training/signups/{signup_id}/cancel", {}, get_url="/co-training/mine"
    )
    assert response.status_code == 303
    with app.app_context():
        assert _signup(world["teaching"], world["paul"]).status == SignupStatus.CANCELLED


def test_a_facilitator_signs_up_one_of_their_participants_with_consent(app, world):
    fac = _client(app, "fac")
    page = fac.get(f"/co-training/missions/{world['teaching']}").get_data(as_text=True)
    assert "Paul Martin" in page  # in the "sign up someone you help" list
    url = f"/co-training/missions/{world['teaching']}/sign-up?person_id={world['paul']}"
    response = post_form(fac, url, {"contact_channel": "facilitator"})
    assert response.status_code == 400  # how the person agreed is required
    response = post_form(
        fac, url, {"contact_channel": "facilitator", "consent_note": "Accord donné à l'accueil."}
    )
    assert response.status_code == 303
    with app.app_context():
        signup = _signup(world["teaching"], world["paul"])
        assert signup.entered_by_id is not None
        assert signup.consent_note == "Accord donné à l'accueil."
    other = _client(app, "otherfac")
    assert other.get(url).status_code == 404


def test_offered_place_calendar_attestation_and_feedback(app, world):
    with app.app_context():
        from app.accounts.models import Person

        staff = db.session.get(Person, world["staff"])
        paul = db.session.get(Person, world["paul"])
        mission = services.load_mission(staff, world["teaching"])
        signup = services.sign_up(paul, paul, mission, SignupData(contact_channel="email"))
        services.put_on_waiting_list(staff, signup)
        db.session.commit()
        signup_id = signup.id
    client = _client(app, "paul")
    # no place yet: no calendar
    assert client.get(f"/co-training/signups/{signup_id}/calendar.ics").status_code == 409
    with app.app_context():
        staff = db.session.get(Person, world["staff"])
        signup = db.session.get(Signup, signup_id)
        services.confirm(staff, signup)
        db.session.commit()
    response = client.get(f"/co-training/signups/{signup_id}/calendar.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    events = Calendar.from_ical(response.data).walk("VEVENT")
    assert len(events) == 1 and "Claire" in str(events[0]["description"])
    # before attendance: no attestation, no feedback form
    assert client.get(f"/co-training/signups/{signup_id}/attestation.pdf").status_code == 409
    assert "après une séance" in client.get(f"/co-training/signups/{signup_id}/feedback").get_data(
        as_text=True
    )
    with app.app_context():
        staff = db.session.get(Person, world["staff"])
        signup = db.session.get(Signup, signup_id)
        session = signup.mission.sessions[0]
        session.starts_at = utcnow() - timedelta(hours=5)
        session.ends_at = utcnow() - timedelta(hours=2)
        services.record_attendance(staff, session, {signup_id: Presence(True)})
        db.session.commit()
    response = client.get(f"/co-training/signups/{signup_id}/attestation.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "Paul Martin" in text and "Cours sur l'accueil" in text and "3 heures" in text
    assert (
        _client(app, "zoe").get(f"/co-training/signups/{signup_id}/attestation.pdf").status_code
        == 404
    )
    mine = client.get("/co-training/mine").get_data(as_text=True)
    assert mine.count("Vérifier et l'envoyer") == 2  # the drafts made from attendance
    url = f"/co-training/signups/{signup_id}/feedback"
    assert post_form(client, url, {"body": "Bien."}).status_code == 400
    assert post_form(client, url, {"went_well": "yes", "body": "Très bien."}).status_code == 303
    # the institute reads it on its side of the same page, and answers
    staff_client = _client(app, "staff")
    page = staff_client.get(url).get_data(as_text=True)
    assert "Ce que le co-formateur a dit" in page and "Très bien." in page
    assert (
        post_form(staff_client, url, {"went_well": "yes", "body": "Merci Paul."}).status_code == 303
    )
    assert "Merci Paul." in client.get(url).get_data(as_text=True)
    assert _client(app, "zoe").get(url).status_code == 404


def test_profile_is_saved_hidden_and_shown_again(app, world):
    client = _client(app, "paul")
    response = post_form(client, "/co-training/profile", {"availability": "Le matin."})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Le matin." in page and "Écrivez au moins un thème" in page
    with app.app_context():
        from app.accounts.models import Organisation

        irts = db.session.scalar(select(Organisation).where(Organisation.name == "IRTS Essai"))
        irts_id = irts.id
    response = post_form(
        client,
        "/co-training/profile",
        {"themes": "La rue.", "formats": ["teaching"], "institute_ids": [str(irts_id)]},
    )
    assert response.status_code == 303
    response = post_form(
        client, "/co-training/profile/visible", {"visible": "0"}, get_url="/co-training/profile"
    )
    assert response.status_code == 303
    assert "Votre profil est caché" in client.get("/co-training/profile").get_data(as_text=True)
    with app.app_context():
        from app.trainings.models import CoTrainerProfile

        assert db.session.get(CoTrainerProfile, world["paul"]).visible is False
    zoe = _client(app, "zoe")
    assert zoe.get(f"/co-training/profile?person_id={world['paul']}").status_code == 404

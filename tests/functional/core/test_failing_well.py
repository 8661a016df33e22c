"""Failing well: what a person gets when the database is gone or takes no writes (Parole's own
page, in their language, 503, with the security headers, and the next request works once the
database is back), and what nobody can make into a 500 by what they type or send: numbers
beyond an integer column in an address or a query, years nobody means, days before 1900, an
hour that French clocks skip, bytes that are not UTF-8, unknown methods and deep paths.

The database-stopped test starts its own PostgreSQL cluster (it needs the server binaries,
like .ci/with-postgres) and stops it under a logged-in person's feet."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import unescape
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from app import create_app, db
from app.accounts.models import OrganisationKind, Role
from app.accounts.services import open_login_session
from app.core.security import CSP
from app.db import Base, get_db
from app.trainings.models import Mission
from config import TestConfig
from tests.conftest import app_on_own_database, csrf_from
from tests.factories import make_org, make_person
from tests.pg_cluster import cluster

NOT_ANSWERING = "Parole ne répond pas pour le moment"
NOTHING_LOST = "Rien n'est perdu de ce que vous avez envoyé avant."
NOT_SAVED = "Parole ne peut rien enregistrer pour le moment"
NOT_RECOGNISED = "Certains caractères de ce texte n'ont pas été reconnus."
FORM_TOO_OLD = "ouvert trop longtemps"
NO_SUCH_HOUR = "Cette heure n'existe pas ce jour-là : on passe de 2 h à 3 h."
YEAR_RANGE = "Écrivez une date entre 1900 et 2100."
HUGE = "99999999999999999999"  # beyond 2^63: SQLite cannot even take it as a parameter
BEYOND_INT4 = str(2**31)  # beyond PostgreSQL's integer columns

MISSION = {
    "type": "teaching",
    "title": "Accueillir une personne à la rue",
    "seats": "2",
    "session_1_day": "21/03/2030",
    "session_1_start": "14:00",
    "session_1_end": "17:00",
    "place": "IRTS, 12 rue de l'École, Lille",
    "departement": "59",
    "signup_deadline": "10/03/2030",
}


def logged_in(app: Flask, person) -> FlaskClient:  # noqa: ANN001
    """A client logged in as `person` the way the login view leaves the session."""
    token = open_login_session(person)
    db.session.commit()
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = str(person.id)
        sess["_fresh"] = True
        sess["sid"] = token
    return client


def assert_parole_page(response, status: int) -> str:  # noqa: ANN001
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == status, html[:500]
    assert response.headers["Content-Security-Policy"] == CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert '<html lang="' in html and "– Parole</title>" in html
    return html


@pytest.fixture
def people(app):
    with app.app_context():
        institute = make_org("IRTS Essai", kind=OrganisationKind.TRAINING_INSTITUTE)
        crpa = make_org("CRPA Essai")
        staff = make_person((institute, Role.INSTITUTE_STAFF), email="staff@e.test")
        participant = make_person((crpa, Role.PARTICIPANT), email="p@e.test")
        db.session.commit()
        return {
            "institute": institute.id,
            "staff": logged_in(app, staff),
            "participant": logged_in(app, participant),
        }


def send_mission(client: FlaskClient, institute: int, **changes: str):  # noqa: ANN201
    url = f"/co-training/organisations/{institute}/missions/new"
    token = csrf_from(client.get(url).get_data(as_text=True))
    return client.post(url, data=MISSION | changes | {"csrf_token": token})


# --- numbers, years, days, hours --------------------------------------------------------


def test_number_beyond_integer_columns_in_address_is_not_found(app, people):
    anonymous = app.test_client()
    for url in (f"/kit/fiches/{HUGE}", f"/kit/fiches/{BEYOND_INT4}", "/kit/fiches/" + "9" * 5000):
        assert_parole_page(anonymous.get(url), 404)
    for url in (f"/expenses/{HUGE}", f"/expenses/{BEYOND_INT4}", f"/co-training/missions/{HUGE}"):
        assert_parole_page(people["participant"].get(url), 404)


def test_number_beyond_integer_columns_in_query_is_like_no_number(app, people):
    participant = people["participant"]
    plain = participant.get("/expenses/new")
    assert plain.status_code == 200
    for value in (HUGE, BEYOND_INT4):
        assert participant.get(f"/expenses/new?person_id={value}").status_code == 200


@pytest.mark.parametrize("year", [0, 1, 1899, 2101, 9999, 10000])
def test_statement_for_a_year_nobody_means_is_not_found(app, people, year):
    assert_parole_page(people["participant"].get(f"/expenses/statement/{year}.pdf"), 404)


def test_statement_for_a_real_year_is_given(app, people):
    response = people["participant"].get("/expenses/statement/2026.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"


def test_session_in_the_year_1_is_refused_next_to_the_field(app, people):
    response = send_mission(people["staff"], people["institute"], session_1_day="01/01/0001")
    html = assert_parole_page(response, 400)
    assert 'id="session_1_day-error"' in html and YEAR_RANGE in html


def test_date_field_before_1900_is_refused_next_to_the_field(app, people):
    participant = people["participant"]
    token = csrf_from(participant.get("/expenses/new").get_data(as_text=True))
    response = participant.post(
        "/expenses/new",
        data={
            "csrf_token": token,
            "kind": "costs",
            "activity_type": "meeting",
            "activity_label": "Réunion logement",
            "activity_on": "01/01/0001",
        },
    )
    html = assert_parole_page(response, response.status_code)
    assert response.status_code in (200, 400)
    assert 'id="activity_on-error"' in html and YEAR_RANGE in html
    assert "Réunion logement" in html  # the rest of the form is kept


@pytest.mark.parametrize(("start", "end"), [("02:30", "04:00"), ("02:00", "03:00")])
def test_session_in_the_hour_the_clocks_skip_is_refused_with_the_reason(app, people, start, end):
    """31 March 2030, spring forward in France: 2:00 is 3:00 at once."""
    response = send_mission(
        people["staff"],
        people["institute"],
        session_1_day="31/03/2030",
        session_1_start=start,
        session_1_end=end,
    )
    html = assert_parole_page(response, 400)
    assert 'id="session_1_start-error"' in html and NO_SUCH_HOUR in html
    with app.app_context():
        assert db.session.scalar(select(Mission).where(Mission.title == MISSION["title"])) is None


def test_session_in_the_hour_that_happens_twice_is_summer_time_and_says_so(app, people):
    """27 October 2030, back to winter time: 2:30 happens twice; it is the first, UTC+2."""
    response = send_mission(
        people["staff"],
        people["institute"],
        session_1_day="27/10/2030",
        session_1_start="02:30",
        session_1_end="05:00",
        signup_deadline="10/10/2030",
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    with app.app_context():
        mission = db.session.scalar(select(Mission).where(Mission.title == MISSION["title"]))
        assert mission.sessions[0].starts_at == datetime(2030, 10, 27, 0, 30, tzinfo=UTC)
        assert mission.sessions[0].ends_at == datetime(2030, 10, 27, 4, 0, tzinfo=UTC)
    page = assert_parole_page(people["staff"].get(response.headers["Location"]), 200)
    assert "27 octobre 2030, 02:30</time> (heure d'été) à 05:00" in page


# --- what is sent -------------------------------------------------------------------------


@pytest.mark.parametrize("sent", [b"caf\xe9", b"caf%E9"], ids=["raw", "percent-encoded"])
def test_text_not_in_utf8_keeps_the_form_and_says_characters_were_not_recognised(app, people, sent):
    """Latin-1 "café", raw or percent-encoded: the form comes back with the other fields and
    a message next to the text; not "the form was open too long", not "caf%E9" stored."""
    participant = people["participant"]
    token = csrf_from(participant.get("/expenses/new").get_data(as_text=True))
    body = (
        b"csrf_token="
        + quote(token).encode()
        + b"&kind=costs&activity_type=meeting&activity_on=21%2F03%2F2026"
        + b"&activity_label=R%C3%A9union+au+"
        + sent
    )
    response = participant.post(
        "/expenses/new", data=body, content_type="application/x-www-form-urlencoded"
    )
    html = assert_parole_page(response, response.status_code)
    assert response.status_code in (200, 400)
    assert FORM_TOO_OLD not in html
    assert 'id="activity_label-error"' in html and NOT_RECOGNISED in html
    assert 'value="Réunion au caf"' in html  # shown again without what was not recognised
    assert 'value="21/03/2026"' in html  # the rest of the form is kept


@pytest.mark.parametrize("who", ["anonymous", "participant"])
def test_unknown_method_query_and_deep_path_answer_without_failing(app, people, who):
    client = app.test_client() if who == "anonymous" else people[who]
    assert_parole_page(client.open("/", method="PROPFIND"), 405)
    assert_parole_page(client.open("/expenses/new", method="PATCH"), 405)
    assert client.get("/?utm_source=x&zzz=%00%FF").status_code in (200, 400)
    assert client.get("/kit/?unknown=1").status_code == 200
    assert_parole_page(client.get("/" + "a/" * 3000), 404)
    assert_parole_page(client.get("/expenses/" + "1/" * 3000), 404)


# --- the database gone or read-only -------------------------------------------------------


def test_database_stopped_gives_parole_page_in_the_persons_language_then_works_again():
    """PostgreSQL stopped under two logged-in people: each gets Parole's 503 page in their
    own language (read from their session, not from the stopped database), with the security
    headers, and the same page works once the database is back."""
    with cluster() as pg:
        app = create_app(TestConfig, DATABASE_URL=pg.url)
        with app.app_context():
            Base.metadata.create_all(get_db().engine)
            crpa = make_org("CRPA Essai")
            french = make_person((crpa, Role.PARTICIPANT), email="fr@e.test")
            english = make_person((crpa, Role.PARTICIPANT), email="en@e.test")
            english.language = "en"
            db.session.commit()
            clients = {"fr": logged_in(app, french), "en": logged_in(app, english)}
        try:
            for client in clients.values():
                assert client.get("/expenses/").status_code == 200
            token = csrf_from(clients["fr"].get("/preferences").get_data(as_text=True))

            pg.stop()
            for language, client in clients.items():
                for url in ("/expenses/", "/kit/", "/notifications"):
                    response = client.get(url)
                    html = assert_parole_page(response, 503)
                    assert f'<html lang="{language}">' in html
                    if language == "fr":
                        assert NOT_ANSWERING in html and NOTHING_LOST in html
                    else:
                        assert "Parole is not answering right now" in html
                    assert response.headers["Retry-After"]
                    assert response.headers["Cache-Control"] == "no-store"
            sent = clients["fr"].post("/language/en", data={"csrf_token": token})
            assert_parole_page(sent, 503)
            # The error page keeps its styles: a logged-in person's stylesheet needs no query.
            for client in clients.values():
                assert client.get("/static/css/parole.css").status_code == 200

            pg.start()
            for client in clients.values():
                response = client.get("/expenses/")
                assert response.status_code == 200, response.get_data(as_text=True)[:500]
        finally:
            with app.app_context():
                get_db().engine.dispose()


def test_database_that_takes_no_writes_gives_the_not_saved_page(request, tmp_path):
    """A read-only database (SQLite: `PRAGMA query_only`, as with a read-only file;
    PostgreSQL: a read-only server): a form that writes gets the "not saved" page, 503,
    in French, with the security headers; pages that only read still work."""
    with app_on_own_database(request, tmp_path, "read_only") as app:
        with app.app_context():
            person = make_person((make_org("CRPA Essai"), Role.PARTICIPANT), email="p@e.test")
            db.session.commit()
            client = logged_in(app, person)
            engine = get_db().engine
        token = csrf_from(client.get("/preferences").get_data(as_text=True))
        engine.dispose()

        @event.listens_for(engine, "connect")
        def _read_only(dbapi_connection, connection_record) -> None:  # noqa: ANN001
            cursor = dbapi_connection.cursor()
            if engine.dialect.name == "sqlite":
                cursor.execute("PRAGMA query_only=ON")
            else:
                cursor.execute("SET default_transaction_read_only = on")
                dbapi_connection.commit()  # a SET in a transaction rolled back is undone
            cursor.close()

        assert client.get("/kit/").status_code == 200
        response = client.post(
            "/preferences",
            data={"csrf_token": token, "language": "en", "display": "easy_read"},
        )
        html = assert_parole_page(response, 503)
        assert NOT_SAVED in html and '<html lang="fr">' in html
        assert re.search(r"pas enregistr", html)

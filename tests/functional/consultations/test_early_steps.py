"""Opening or closing a round by hand before its own date: the page names the date and asks
first; nothing changes until the facilitator confirms. At or after the date, no question."""

import html
from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from app import db
from app.accounts.models import Role
from app.consultations import services
from app.consultations.models import ConsultationRound, RoundStatus
from app.core.formatting import date_only
from app.db import utcnow
from tests.conftest import csrf_from, login
from tests.factories import PASSWORD
from tests.worlds import a_round, an_organisation, saved


@pytest.fixture
def world(app):
    with saved(app):
        team = an_organisation("CRPA Dates", domain="d.test", fac=Role.FACILITATOR)
        people = team.join_many("p", 2)
        round_ = a_round(team.org, team["fac"])
        services.invite_people(team["fac"], round_, [p.id for p in people])
        services.transition(team["fac"], round_, RoundStatus.ANNOUNCED)
        round_.announced_at = utcnow() - timedelta(days=8)  # the notice has passed
        round_.opens_at = utcnow() + timedelta(days=2)
        round_.closes_at = utcnow() + timedelta(days=20)
        return round_.id


def _press(client, url, page, **data):
    token = csrf_from(client.get(page).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def _round(app, round_id):
    with app.app_context():
        return db.session.scalar(select(ConsultationRound).where(ConsultationRound.id == round_id))


def test_opening_before_the_date_asks_first_and_names_the_date(client, world):
    login(client, "fac@d.test", PASSWORD)
    base = f"/consultations/{world}"
    asked = _press(client, f"{base}/open", base)
    page = html.unescape(asked.get_data(as_text=True))
    assert asked.status_code == 200
    opens_at = _round(client.application, world).opens_at
    with client.application.test_request_context("/"), force_locale("fr"):
        day = date_only(opens_at)  # France's day, as the page writes it
    assert f"Cette consultation doit ouvrir le {day}." in page
    assert "L'ouvrir maintenant ?" in page
    assert _round(client.application, world).status == RoundStatus.ANNOUNCED  # nothing yet
    assert f'href="{base}"' in page  # go back

    confirmed = _press(client, f"{base}/open", base, confirm="1")
    assert confirmed.status_code == 303
    assert _round(client.application, world).status == RoundStatus.OPEN

    asked = _press(client, f"{base}/close", base)
    assert "Cette consultation doit fermer le" in asked.get_data(as_text=True)
    assert _round(client.application, world).status == RoundStatus.OPEN
    assert _press(client, f"{base}/close", base, confirm="1").status_code == 303
    assert _round(client.application, world).status == RoundStatus.CLOSED


def test_closing_after_the_date_asks_nothing(client, world):
    app = client.application
    with app.app_context():
        round_ = db.session.get(ConsultationRound, world)
        round_.status = RoundStatus.OPEN
        round_.opened_at = utcnow() - timedelta(days=10)
        round_.closes_at = utcnow() - timedelta(hours=1)
        db.session.commit()
    login(client, "fac@d.test", PASSWORD)
    base = f"/consultations/{world}"
    assert _press(client, f"{base}/close", base).status_code == 303
    assert _round(app, world).status == RoundStatus.CLOSED

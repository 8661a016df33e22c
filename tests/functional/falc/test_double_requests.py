"""Proofreading when things happen at once, with real threads and commits on SQLite and
PostgreSQL: two proofreaders who send their marks at the same moment are counted one after
the other, so the text is approved when both understood it (each alone saw only their own
marks and the text stayed waiting for ever); a proofreading asked twice at once leaves one
open request."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import Person, Role
from app.core.models import AuditEntry
from app.falc import proofreading as services
from app.falc.proofreading import MarkInput
from app.falc.proofreading_forms import UNDERSTOOD
from app.falc.proofreading_models import (
    Proofreader,
    Proofreading,
    ProofreadingStatus,
    SentenceMark,
)
from tests.concurrency import at_once
from tests.conftest import app_on_own_database
from tests.factories import make_org, make_person
from tests.functional.consultations.test_double_requests import SENDINGS, _count, _send
from tests.worlds import an_organisation, saved

TEXT = "Vous êtes invité à une réunion. Elle a lieu le 3 mars."
CONSENT = "Elle a dit oui pendant la réunion du 3 mars."
SUBJECT = ("consultation_round", 1, "subject_easy")


@pytest.fixture
def own_app(request, tmp_path):
    with app_on_own_database(request, tmp_path, "double_falc") as app:
        yield app


def _world(app, ask=True):
    with saved(app):
        team = an_organisation("CRPA Relecture", domain="r.test", fac=Role.FACILITATOR)
        org, facilitator = team.org, team["fac"]
        readers = team.join_many("r", 2)
        for reader in readers:
            services.register_proofreader(facilitator, reader, CONSENT, show_name=True)
        proofreading_id = None
        if ask:
            proofreading_id = services.request_proofreading(
                facilitator, org, *SUBJECT, TEXT, [r.id for r in readers], required_understood=2
            ).id
        return {
            "org": org.id,
            "facilitator": facilitator.id,
            "readers": [r.id for r in readers],
            "proofreading": proofreading_id,
        }


def test_two_proofreaders_sending_at_once_approve_the_text(own_app):
    world = _world(own_app)

    def send(i):
        with own_app.test_request_context("/"):
            person = db.session.get(Person, world["readers"][i])
            proofreading = db.session.get(Proofreading, world["proofreading"])
            marks = [MarkInput(n, True) for n in range(len(proofreading.sentences))]
            services.submit_marks(person, proofreading, marks)
            db.session.commit()

    for result in at_once(2, send):
        assert result is None, result
    with own_app.test_request_context("/"):
        proofreading = db.session.get(Proofreading, world["proofreading"])
        assert proofreading.status == ProofreadingStatus.VALIDATED


def test_proofreading_asked_twice_at_once_leaves_one_open_request(own_app):
    world = _world(own_app, ask=False)

    def ask(_i):
        with own_app.test_request_context("/"):
            from app.accounts.models import Organisation

            services.request_proofreading(
                db.session.get(Person, world["facilitator"]),
                db.session.get(Organisation, world["org"]),
                *SUBJECT,
                TEXT,
                world["readers"],
            )
            db.session.commit()

    for result in at_once(2, ask):
        assert result is None, result
    with own_app.test_request_context("/"):
        statuses = sorted(s.value for s in db.session.scalars(select(Proofreading.status)))
        assert statuses == ["outdated", "waiting"]


@pytest.mark.parametrize("how", SENDINGS)
def test_marks_sent_twice_are_saved_once(own_app, how):
    world = _world(own_app)
    url = f"/relecture/{world['proofreading']}"
    answers = {"understood_0": UNDERSTOOD, "understood_1": UNDERSTOOD}
    answers |= {"comment_0": "", "comment_1": ""}
    responses = _send(own_app, how, "r0@r.test", url, url, answers)
    assert [r.status_code for r in responses] == [303, 303]
    saved = _count(own_app, AuditEntry, AuditEntry.action == "falc.marks_saved")
    # Two tabs are two sendings of the same marks: the second replaces them (two entries).
    assert saved == (2 if how == "from two tabs" else 1)
    assert _count(own_app, SentenceMark) == 2


def test_proofreader_registered_twice_at_once_is_one_proofreader(own_app):
    with own_app.test_request_context("/"):
        org = make_org("CRPA Inscription")
        make_person((org, Role.FACILITATOR), email="fac@r.test")
        make_person((org, Role.PARTICIPANT), email="ana@r.test")
        db.session.commit()

    def register(_i):
        with own_app.test_request_context("/"):
            facilitator = db.session.scalar(select(Person).where(Person.email == "fac@r.test"))
            ana = db.session.scalar(select(Person).where(Person.email == "ana@r.test"))
            services.register_proofreader(facilitator, ana, CONSENT, show_name=False)
            db.session.commit()

    for result in at_once(2, register):
        assert result is None, result
    assert _count(own_app, Proofreader) == 1

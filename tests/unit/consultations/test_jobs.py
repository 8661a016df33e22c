"""What the scheduler does to rounds (`flask jobs run`, app/consultations/jobs.py): the test
moves the clock (the `now` given to the jobs), never sleeps."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app import db
from app.accounts.models import Role
from app.consultations import services
from app.consultations.models import RoundStatus
from app.consultations.services import AnswerInput
from app.core import jobs
from app.core.models import AuditEntry, Notification, OutboxMessage
from app.db import utcnow
from tests.consultation_factories import make_round, open_round
from tests.factories import make_person

pytestmark = pytest.mark.usefixtures("ctx")

MINUTE = timedelta(minutes=1)


def _announced(n_people=2):
    round_, facilitator = make_round()
    people = [make_person((round_.organisation, Role.PARTICIPANT)) for _ in range(n_people)]
    services.invite_people(facilitator, round_, [p.id for p in people])
    services.transition(facilitator, round_, RoundStatus.ANNOUNCED)
    return round_, facilitator, people


def _run(name, now):
    return jobs.run_job(jobs.get_job(name), now)


def test_announced_round_opens_at_its_opening_date_and_not_before():
    round_, _facilitator, _people = _announced()
    assert _run("consultations.open_rounds", round_.opens_at - MINUTE).done == 0
    assert round_.status == RoundStatus.ANNOUNCED
    outcome = _run("consultations.open_rounds", round_.opens_at + MINUTE)
    assert outcome.done == 1
    db.session.refresh(round_)
    assert round_.status == RoundStatus.OPEN
    assert round_.opened_at == round_.opens_at + MINUTE
    opened = db.session.scalar(
        select(AuditEntry)
        .where(AuditEntry.action == "consultation.transition", AuditEntry.object_id == round_.id)
        .order_by(AuditEntry.id.desc())
    )
    assert opened.details["to_status"] == "open" and opened.actor_id is None


def test_open_round_closes_at_its_closing_date_and_not_before():
    round_, facilitator = make_round()
    open_round(round_, facilitator, [make_person((round_.organisation, Role.PARTICIPANT))])
    assert _run("consultations.close_rounds", round_.closes_at - MINUTE).done == 0
    assert round_.status == RoundStatus.OPEN
    assert _run("consultations.close_rounds", round_.closes_at + MINUTE).done == 1
    db.session.refresh(round_)
    assert round_.status == RoundStatus.CLOSED


def test_a_round_opened_by_hand_is_not_opened_again_by_the_scheduler():
    round_, facilitator, _people = _announced()
    services.transition(facilitator, round_, RoundStatus.OPEN, now=round_.opens_at - MINUTE)
    assert _run("consultations.open_rounds", round_.opens_at + MINUTE).done == 0
    transitions = db.session.scalar(
        select(func.count()).where(
            AuditEntry.action == "consultation.transition",
            AuditEntry.object_id == round_.id,
            AuditEntry.details["to_status"].as_string() == "open",
        )
    )
    assert transitions == 1


def test_people_who_have_not_answered_are_reminded_once_two_days_before_closing():
    round_, facilitator = make_round()
    org = round_.organisation
    waiting = make_person((org, Role.PARTICIPANT), email="waiting@example.test")
    answered = make_person((org, Role.PARTICIPANT), email="answered@example.test")
    no_mail = make_person((org, Role.PARTICIPANT), identifier="REMI-12", secret="918273")
    open_round(round_, facilitator, [waiting, answered, no_mail])
    response = services.start_response(answered, round_)
    for question in round_.questions:
        services.save_answer(answered, response, question, AnswerInput(declined=True))
    services.submit_response(answered, response)

    three_days_before = round_.closes_at - timedelta(days=3)
    assert _run("consultations.remind_before_closing", three_days_before).done == 0
    two_days_before = round_.closes_at - timedelta(days=2) + MINUTE
    assert _run("consultations.remind_before_closing", two_days_before).done == 2
    # An hour later, and the next day: nobody is reminded twice.
    later = two_days_before + timedelta(hours=1)
    assert _run("consultations.remind_before_closing", later).done == 0
    assert _run("consultations.remind_before_closing", later + timedelta(days=1)).done == 0

    notes = db.session.scalars(select(Notification).where(Notification.subject.like("Rappel%")))
    assert sorted(n.person_id for n in notes) == sorted([waiting.id, no_mail.id])
    mails = db.session.scalars(
        select(OutboxMessage.to_address).where(OutboxMessage.subject.like("Rappel%"))
    ).all()
    assert mails == ["waiting@example.test"]


def test_scheduler_runs_a_job_again_only_once_its_interval_has_passed():
    round_, facilitator = make_round()
    job = jobs.get_job("consultations.remind_before_closing")
    start = utcnow()
    assert jobs.run_job(job, start).ran
    assert not jobs.run_job(job, start + timedelta(minutes=10)).ran  # every hour
    assert jobs.run_job(job, start + timedelta(hours=1)).ran
    runs = {row.name: row for row in jobs.job_runs()}
    assert runs[job.name].succeeded_at == start + timedelta(hours=1)
    assert runs[job.name].error == ""

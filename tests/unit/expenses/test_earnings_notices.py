"""Each quarter, a person paid through Parole in the quarter before is told once that its
statement is ready: from the first day of the quarter in France, caught up later when the job
did not run that day, never for a person without pay in the quarter."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import Role
from app.core.models import Notification, OutboxChannel, OutboxMessage
from app.expenses import earnings_notices
from app.expenses.earnings_models import EarningsNotice
from app.expenses.models import ActivityType, ExpenseRequest, RequestKind, RequestStatus
from tests.worlds import an_organisation, member

pytestmark = pytest.mark.usefixtures("ctx")

Q3_SUBJECT = "Votre relevé de gains de juillet à septembre 2026 est prêt"


def _paid(person, org, when, kind=RequestKind.PAY, amount="40.00"):
    db.session.add(
        ExpenseRequest(
            organisation_id=org.id,
            person_id=person.id,
            kind=kind,
            status=RequestStatus.PAID,
            activity_type=ActivityType.CO_TRAINING,
            activity_label="Séance",
            paid_at=when,
            paid_amount=Decimal(amount),
        )
    )
    db.session.flush()


def _notes(person):
    return list(db.session.scalars(select(Notification).where(Notification.person_id == person.id)))


@pytest.fixture
def team():
    return an_organisation(
        "Institut Relevés",
        paul=member(name="Paul Relevé"),
        zoe=Role.PARTICIPANT,
        max=Role.PARTICIPANT,
    )


def test_person_paid_in_the_quarter_is_told_once_from_its_first_day(team):
    paul, zoe = team["paul"], team["zoe"]
    _paid(paul, team.org, datetime(2026, 8, 14, 10, tzinfo=UTC))
    _paid(zoe, team.org, datetime(2026, 10, 2, 10, tzinfo=UTC))  # the next quarter
    # 30 September at 23:30 in Paris: still the third quarter, nothing to tell yet.
    assert earnings_notices.send_statement_notices(datetime(2026, 9, 30, 21, 30, tzinfo=UTC)) == 0
    # 1 October at 0:30 in Paris (30 September, 22:30 UTC): the third quarter's statements.
    first_day = datetime(2026, 9, 30, 22, 30, tzinfo=UTC)
    assert earnings_notices.send_statement_notices(first_day) == 1
    [note] = _notes(paul)
    assert note.subject == Q3_SUBJECT
    assert note.link.endswith("/expenses/earnings/2026/quarter-3.pdf")
    assert "chaque mois" in note.body or "mois par mois" in note.body
    assert _notes(zoe) == []  # paid in October: told in January
    # The next day's run, or a second one the same day: nobody is told twice.
    assert earnings_notices.send_statement_notices(first_day) == 0
    assert earnings_notices.send_statement_notices(datetime(2026, 10, 2, 8, tzinfo=UTC)) == 0
    assert len(_notes(paul)) == 1


def test_a_day_without_the_job_is_caught_up_later_in_the_quarter(team):
    paul = team["paul"]
    _paid(paul, team.org, datetime(2026, 7, 1, 9, tzinfo=UTC))
    assert earnings_notices.send_statement_notices(datetime(2026, 11, 20, 8, tzinfo=UTC)) == 1
    assert [n.subject for n in _notes(paul)] == [Q3_SUBJECT]


def test_no_pay_in_the_quarter_no_notice(team):
    paul, zoe, max_ = team["paul"], team["zoe"], team["max"]
    _paid(paul, team.org, datetime(2026, 8, 3, 9, tzinfo=UTC), kind=RequestKind.REIMBURSEMENT)
    _paid(zoe, team.org, datetime(2026, 5, 3, 9, tzinfo=UTC))  # the second quarter
    db.session.add(
        ExpenseRequest(  # accepted, not paid yet
            organisation_id=team.org.id,
            person_id=max_.id,
            kind=RequestKind.PAY,
            status=RequestStatus.APPROVED,
            activity_type=ActivityType.CO_TRAINING,
            approved_amount=Decimal("30.00"),
        )
    )
    db.session.flush()
    assert earnings_notices.send_statement_notices(datetime(2026, 10, 1, 8, tzinfo=UTC)) == 0
    assert _notes(paul) == _notes(zoe) == _notes(max_) == []
    assert db.session.scalars(select(EarningsNotice)).all() == []


def test_january_tells_about_october_to_december_by_text_message(team):
    paul = team["paul"]
    paul.contact_channel = "sms"
    paul.phone = "+33612345678"
    _paid(paul, team.org, datetime(2026, 12, 31, 22, 30, tzinfo=UTC))  # 1 January in Paris
    _paid(paul, team.org, datetime(2026, 12, 31, 12, 0, tzinfo=UTC))
    assert earnings_notices.send_statement_notices(datetime(2027, 1, 4, 8, tzinfo=UTC)) == 1
    [note] = _notes(paul)
    assert note.subject == "Votre relevé de gains d'octobre à décembre 2026 est prêt"
    sms = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.channel == OutboxChannel.SMS, OutboxMessage.notification_id == note.id
        )
    ).one()
    assert "relevé de gains d'octobre à décembre 2026" in sms.body_text
    assert "quarter-4.pdf" in sms.body_text
    # The payment of 1 January (in Paris) waits for April's notice.
    assert db.session.scalars(select(EarningsNotice.quarter)).all() == [4]


def test_a_closed_account_is_not_told(team):
    paul = team["paul"]
    _paid(paul, team.org, datetime(2026, 8, 14, 10, tzinfo=UTC))
    paul.closed_at = datetime(2026, 9, 1, tzinfo=UTC)
    paul.is_active = False
    db.session.flush()
    assert earnings_notices.send_statement_notices(datetime(2026, 10, 1, 8, tzinfo=UTC)) == 0

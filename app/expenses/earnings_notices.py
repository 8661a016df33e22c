"""Each quarter, the person is told their statement is ready (issue 20, earnings).

A daily job (`expenses.earnings_notices`, `flask jobs run`): from the first day of a quarter
(France's days, as earnings.py counts), every person who received pay or compensation through
Parole in the quarter before gets one notification (`notify`: Parole, e-mail, text message or
their facilitator's "À prévenir" list, as they chose) naming the quarter, with the link to its
statement. A day the job did not run is caught up the next: it looks at the whole quarter
before, whatever the day. A person with no pay in that quarter gets nothing.

Exactly once: one `earnings_notices` row per (person, year, quarter), unique. Each is written
in a savepoint before the notification, in the same transaction: a second run at the same
moment fails on the unique constraint (PostgreSQL makes it wait for the first's commit; SQLite
lets one writer in at a time) and skips the person. The rows are what the person was told:
"My data" shows them, and they go when the account closes (the provider below)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, exists, select
from sqlalchemy.exc import IntegrityError

from app import db
from app.accounts import personal_data
from app.accounts.models import Person
from app.accounts.personal_data import Closed, PersonalDataProvider, Section, Step, iso, rows
from app.core import calendar
from app.expenses.earnings import EARNING_KINDS, quarter_bounds
from app.expenses.earnings_models import EarningsNotice
from app.expenses.models import ExpenseRequest, RequestStatus

JOB = "expenses.earnings_notices"


def quarter_of(day: date) -> tuple[int, int]:
    """(year, quarter 1-4) of a day."""
    return day.year, (day.month - 1) // 3 + 1


def quarter_before(day: date) -> tuple[int, int]:
    """(year, quarter) of the quarter before the one of `day`."""
    year, number = quarter_of(day)
    return (year - 1, 4) if number == 1 else (year, number - 1)


def months_phrase(year: int, number: int) -> str:
    """ "de juillet à septembre 2026" in French ("d'avril", "d'octobre"): one message per
    quarter, so that each language writes its own preposition."""
    phrases = {
        1: _("for January to March %(year)s", year=year),
        2: _("for April to June %(year)s", year=year),
        3: _("for July to September %(year)s", year=year),
        4: _("for October to December %(year)s", year=year),
    }
    return phrases[number]


def people_to_tell(year: int, number: int) -> list[int]:
    """The ids of the people paid in that quarter and not told yet, in order."""
    start, end = quarter_bounds(year, number)
    told = exists().where(
        EarningsNotice.person_id == Person.id,
        EarningsNotice.year == year,
        EarningsNotice.quarter == number,
    )
    paid = exists().where(
        ExpenseRequest.person_id == Person.id,
        ExpenseRequest.kind.in_(EARNING_KINDS),
        ExpenseRequest.status == RequestStatus.PAID,
        ExpenseRequest.paid_at >= start,
        ExpenseRequest.paid_at < end,
    )
    return list(
        db.session.scalars(
            select(Person.id)
            .where(paid, ~told, Person.is_active.is_(True), Person.closed_at.is_(None))
            .order_by(Person.id)
        )
    )


def _tell(person: Person, year: int, number: int) -> None:
    from app.core.notifications import notify
    from app.core.urls import external_url

    link = external_url("expenses.earnings_statement", year=year, number=number)

    def subject() -> str:
        return _("Your pay statement %(months)s is ready", months=months_phrase(year, number))

    def body() -> str:
        return "\n".join(
            [
                _("Your pay statement %(months)s is ready.", months=months_phrase(year, number)),
                _("It lists the pay you received through Parole, month by month."),
                _("The CAF and France Travail ask what you received."),
                _("Open the link to download it."),
            ]
        )

    def sms() -> str:
        return _(
            "Parole: your pay statement %(months)s is ready.",
            months=months_phrase(year, number),
        )

    notify(person, subject, body, link=link, sms_body=sms)


def send_statement_notices(now: datetime) -> int:
    """The job: tell each person paid in the quarter before `now`'s (France's day) that its
    statement is ready, once. How many were told."""
    year, number = quarter_before(calendar.paris(now).date())
    done = 0
    for person_id in people_to_tell(year, number):
        try:
            with db.session.begin_nested():
                db.session.add(
                    EarningsNotice(person_id=person_id, year=year, quarter=number, sent_at=now)
                )
        except IntegrityError:
            continue  # another run told this person just now
        person = db.session.get(Person, person_id)
        assert person is not None
        _tell(person, year, number)
        done += 1
    db.session.flush()
    return done


def _notices(person: Person) -> list[dict[str, Any]]:
    return [
        {"year": row.year, "quarter": row.quarter, "told_on": iso(row.sent_at)}
        for row in rows(
            select(EarningsNotice)
            .where(EarningsNotice.person_id == person.id)
            .order_by(EarningsNotice.year, EarningsNotice.quarter)
        )
    ]


def _forget_notices(person: Person, closed: Closed) -> None:
    """At closing: what they were told goes (the notifications themselves go too)."""
    done = db.session.execute(delete(EarningsNotice).where(EarningsNotice.person_id == person.id))
    closed.rows["earnings_notices"] = done.rowcount or 0


PROVIDER = PersonalDataProvider(
    domain="expenses_earnings",
    sections=(Section("statement_notices", 86, _notices),),
    exported={"earnings_notices.person_id": "statement_notices"},
    deleted_at_closure=("earnings_notices.person_id",),
    erasure=(Step(27, _forget_notices),),
    labels={
        "statement_notices": _l("Statements of your pay you were told about"),
        "year": _l("Year"),
        "quarter": _l("Quarter (1 to 4)"),
        "told_on": _l("Told on"),
    },
)


def register() -> None:
    """Called by this domain's `init_app`: the daily job and the personal-data provider."""
    from app.core.jobs import register_job

    register_job(JOB, timedelta(days=1), send_statement_notices)
    personal_data.register(PROVIDER)

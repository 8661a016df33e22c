"""The yearly evaluation report of an organisation (the kit's "after" phase): what it held,
whom it reached, whether feedback came on time, what it paid and how fast, co-training, what
people said about their participation, and what changed. It supports the yearly qualitative
evaluation by the regional participation facilitator.

Every number comes from a few aggregate queries (a fixed number, whatever the data size).

How each number is counted
--------------------------
- The year runs from 1 January 00:00 to 1 January 00:00 in Paris time (the time people see).
- A round belongs to the year it really opened (`opened_at`). Rounds held: rounds opened in
  the year; by state: their state today.
- Answers: the sent responses (`submitted_at` set) of those rounds, split by `channel`
  (alone, with a facilitator's help, paper questionnaire). People reached: distinct invited
  people with an account who sent answers, plus each paper questionnaire (they have no
  account, so each one counts as one person).
- Feedback: rounds (opened, any year) whose feedback was due in the year (`feedback_due_at`).
  On time: published at or before the due moment; late: published after it; overdue: not
  published and the due moment has passed; upcoming: not published, still time. The share on
  time is on time / (on time + late + overdue), in whole percent rounded half up; upcoming
  rounds are left out (they can still be on time). None when nothing was due yet.
- Money: requests with status "paid" whose `paid_at` is in the year, per kind, total of
  `paid_amount` (Decimal). Costs paid back are the kinds "reimbursement" and "advance" (as in
  a person's yearly statement); the costs of participation add what the organisation bought
  directly ("direct_purchase": a ticket, a room); pay for work and compensation are kept apart. Waiting time:
  from `submitted_at` (the last time the request was sent; `created_at` when it was never
  sent) to `paid_at`, in days, averaged and rounded to 0.1 day half up.
- Co-training: sessions of the organisation's missions (not draft, not cancelled) that
  started in the year and before now; missions held: missions with such a session. Hours:
  sum of `Attendance.hours` marked present for sessions of the year; co-trainers: distinct
  people present. Pay for co-training: paid pay requests made from attendance
  (`Signup.pay_request_id`), paid in the year (they are also part of "pay for work").
- Evaluation: the answers to the four questions about the participation, for the rounds
  held in the year: how many people answered, and how many chose each answer.
- Disclosure control (app/consultations/disclosure.py, with a threshold of 5): the answers
  by way of answering are shown only when each way has 0 or at least 5 answers (otherwise
  only the total); in the evaluation table a count from 1 to 4 is hidden, and so is the
  smallest other count of its question (each question's counts add up to the people who
  answered), so that none can be worked out.
- What changed: the "We did" texts (easy-to-read version first) of feedback published in the
  year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import and_, case, distinct, extract, func, literal, select

from app import db
from app.accounts.models import Organisation, Person
from app.consultations import disclosure
from app.consultations.kinds import Count
from app.consultations.models import (
    EVALUATION_QUESTIONS,
    Channel,
    ConsultationRound,
    Evaluation,
    EvaluationAnswer,
    FeedbackItem,
    Invitation,
    Response,
    RoundStatus,
)
from app.core import calendar, formatting
from app.core.calendar import year_bounds
from app.core.errors import NotFound, or_not_found
from app.core.permissions import can
from app.db import utcnow
from app.expenses.models import ExpenseRequest, RequestKind, RequestStatus
from app.trainings.models import Attendance, Mission, MissionSession, MissionStatus, Signup

# Money paid back to people, and every cost of participation: a ticket or a room the
# organisation bought directly is a cost of taking part too (app/expenses/direct.py).
PAID_BACK = (RequestKind.REIMBURSEMENT, RequestKind.ADVANCE)
COSTS = (*PAID_BACK, RequestKind.DIRECT_PURCHASE)
# Counts of evaluation answers under this are shown as "fewer than 5": a handful of answers
# from a small group could tell who said what (the rounds' default small-group threshold).
SMALL_GROUP = 5
# The organisation's words for the kinds of requests (the kinds' own labels speak as the person).
MONEY_LABELS = {
    RequestKind.REIMBURSEMENT: _l("Costs paid back"),
    RequestKind.ADVANCE: _l("Money before the activity (advance)"),
    RequestKind.PAY: _l("Pay for work"),
    RequestKind.COMPENSATION: _l("Compensation for time"),
    RequestKind.DIRECT_PURCHASE: _l("Bought directly by the organisation"),
}
TENTH = Decimal("0.1")


@dataclass
class Paid:
    """Requests paid in the year: how many, how much, and the days people waited in total."""

    count: int = 0
    total: Decimal = Decimal("0.00")
    waited_days: Decimal = Decimal("0")

    @property
    def average_wait_days(self) -> Decimal | None:
        if not self.count:
            return None
        return (self.waited_days / self.count).quantize(TENTH, rounding=ROUND_HALF_UP)

    def __add__(self, other: Paid) -> Paid:
        return Paid(
            self.count + other.count,
            self.total + other.total,
            self.waited_days + other.waited_days,
        )


@dataclass
class Change:
    """One "We did" item of a feedback published in the year."""

    round_id: int
    round_title: str
    text: str
    published_at: datetime


@dataclass
class Report:
    organisation_id: int
    organisation_name: str
    year: int
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC, excluded
    computed_at: datetime
    # consultations
    rounds_held: int = 0
    rounds_by_status: dict[RoundStatus, int] = field(default_factory=dict)
    answers_by_channel: dict[Channel, int] = field(default_factory=dict)
    people_with_account: int = 0
    paper_questionnaires: int = 0
    # feedback "You said / We did"
    feedback_due: int = 0
    feedback_on_time: int = 0
    feedback_late: int = 0
    feedback_overdue: int = 0
    feedback_upcoming: int = 0
    # money
    paid: dict[RequestKind, Paid] = field(default_factory=dict)
    # co-training
    missions_held: int = 0
    sessions_held: int = 0
    cotrainers_present: int = 0
    hours_attended: Decimal = Decimal("0.00")
    cotraining_pay: Paid = field(default_factory=Paid)
    # evaluation of the participation
    evaluations: int = 0
    evaluation_answers: dict[str, dict[EvaluationAnswer, int]] = field(default_factory=dict)
    # what changed
    changes: list[Change] = field(default_factory=list)

    @property
    def answers(self) -> int:
        return sum(self.answers_by_channel.values())

    @property
    def published_channels(self) -> dict[Channel, int]:
        """The answers by way of answering as shown: every way, or none when one of them has
        from 1 to 4 answers (disclosure.py: a breakdown is all or nothing)."""
        return disclosure.breakdown(
            {channel: self.answers_by_channel.get(channel, 0) for channel in Channel},
            SMALL_GROUP,
        )

    @property
    def breakdown_note(self) -> str:
        return _breakdown_note()

    @property
    def published_evaluations(self) -> dict[str, dict[EvaluationAnswer, Count]]:
        """The evaluation counts as shown, with disclosure control (disclosure.py)."""
        rows = {
            name: {a: self.evaluation_answers.get(name, {}).get(a, 0) for a in EvaluationAnswer}
            for name in EVALUATION_QUESTIONS
        }
        _total, published = disclosure.protect_rows(rows, self.evaluations, SMALL_GROUP)
        return published

    @property
    def people_reached(self) -> int:
        return self.people_with_account + self.paper_questionnaires

    @property
    def feedback_counted(self) -> int:
        """Rounds whose feedback is published or should be: the base of the share on time."""
        return self.feedback_on_time + self.feedback_late + self.feedback_overdue

    @property
    def feedback_on_time_percent(self) -> int | None:
        if not self.feedback_counted:
            return None
        return percent(self.feedback_on_time, self.feedback_counted)

    @property
    def costs(self) -> Paid:
        return self.paid_of(*COSTS)

    @property
    def paid_back(self) -> Paid:
        return self.paid_of(*PAID_BACK)

    @property
    def work_pay(self) -> Paid:
        return self.paid_of(RequestKind.PAY)

    @property
    def compensation(self) -> Paid:
        return self.paid_of(RequestKind.COMPENSATION)

    def paid_of(self, *kinds: RequestKind) -> Paid:
        result = Paid()
        for kind in kinds:
            result = result + self.paid.get(kind, Paid())
        return result


def percent(part: int, whole: int) -> int:
    """Whole percent, rounded half up, with integers only (2 of 3 -> 67, 1 of 8 -> 13)."""
    return (200 * part + whole) // (2 * whole)


def current_year(now: datetime | None = None) -> int:
    return calendar.current_year(now or utcnow())


def _days_between(start: Any, end: Any) -> Any:
    """SQL for the days from `start` to `end` (a fraction), on SQLite and PostgreSQL."""
    if db.session.get_bind().dialect.name == "sqlite":
        return func.julianday(end) - func.julianday(start)
    return extract("epoch", end - start) / literal(86400)


def _decimal(value: Any, places: str = "0.00") -> Decimal:
    return Decimal(str(value if value is not None else 0)).quantize(Decimal(places))


def yearly_report(
    actor: Person, organisation_id: int, year: int, now: datetime | None = None
) -> Report:
    """The report of one organisation for one year, for the people who follow its
    participation ("kit.follow"). Anybody else gets "not found": the page does not say
    whether the organisation exists."""
    if not can(actor, "kit.follow", organisation_id):
        raise NotFound(_l("This page does not exist."))
    organisation = or_not_found(db.session.get(Organisation, organisation_id))
    now = now or utcnow()
    start, end = year_bounds(year)
    report = Report(
        organisation_id=organisation_id,
        organisation_name=organisation.name,
        year=year,
        starts_at=start,
        ends_at=end,
        computed_at=now,
    )
    in_year = and_(
        ConsultationRound.organisation_id == organisation_id,
        ConsultationRound.opened_at >= start,
        ConsultationRound.opened_at < end,
    )
    _rounds(report, in_year)
    _answers(report, in_year)
    _feedback(report, organisation_id, start, end, now)
    _evaluations(report, in_year)
    _changes(report, organisation_id, start, end)
    _money(report, organisation_id, start, end)
    _cotraining(report, organisation_id, start, end, now)
    return report


def _rounds(report: Report, in_year: Any) -> None:
    rows = db.session.execute(
        select(ConsultationRound.status, func.count(ConsultationRound.id))
        .where(in_year)
        .group_by(ConsultationRound.status)
    ).all()
    report.rounds_by_status = {RoundStatus(status): int(n) for status, n in rows}
    report.rounds_held = sum(report.rounds_by_status.values())


def _answers(report: Report, in_year: Any) -> None:
    def by(channel: Channel) -> Any:
        return func.coalesce(func.sum(case((Response.channel == channel, 1), else_=0)), 0)

    row = db.session.execute(
        select(
            *(by(channel) for channel in Channel),
            func.count(distinct(Invitation.person_id)),
            func.coalesce(
                func.sum(
                    case(
                        (
                            and_(
                                Invitation.person_id.is_(None), Invitation.paper_code.is_not(None)
                            ),
                            1,
                        ),
                        else_=0,
                    )
                ),
                0,
            ),
        )
        .select_from(Response)
        .join(Invitation, Invitation.id == Response.invitation_id)
        .join(ConsultationRound, ConsultationRound.id == Response.round_id)
        .where(in_year, Response.submitted_at.is_not(None))
    ).one()
    *per_channel, people, paper = row
    report.answers_by_channel = {
        channel: int(n) for channel, n in zip(Channel, per_channel, strict=True)
    }
    report.people_with_account = int(people or 0)
    report.paper_questionnaires = int(paper or 0)


def _feedback(
    report: Report, organisation_id: int, start: datetime, end: datetime, now: datetime
) -> None:
    published = ConsultationRound.feedback_published_at
    due = ConsultationRound.feedback_due_at

    def total(condition: Any) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    row = db.session.execute(
        select(
            func.count(ConsultationRound.id),
            total(and_(published.is_not(None), published <= due)),
            total(and_(published.is_not(None), published > due)),
            total(and_(published.is_(None), due < now)),
            total(and_(published.is_(None), due >= now)),
        ).where(
            ConsultationRound.organisation_id == organisation_id,
            ConsultationRound.opened_at.is_not(None),
            due >= start,
            due < end,
        )
    ).one()
    (
        report.feedback_due,
        report.feedback_on_time,
        report.feedback_late,
        report.feedback_overdue,
        report.feedback_upcoming,
    ) = (int(n or 0) for n in row)


def _evaluations(report: Report, in_year: Any) -> None:
    columns = [func.count(Evaluation.id)]
    for name in EVALUATION_QUESTIONS:
        column = getattr(Evaluation, name)
        columns += [
            func.coalesce(func.sum(case((column == answer, 1), else_=0)), 0)
            for answer in EvaluationAnswer
        ]
    row = db.session.execute(
        select(*columns)
        .select_from(Evaluation)
        .join(ConsultationRound, ConsultationRound.id == Evaluation.round_id)
        .where(in_year)
    ).one()
    report.evaluations = int(row[0] or 0)
    values = iter(row[1:])
    report.evaluation_answers = {
        name: {answer: int(next(values) or 0) for answer in EvaluationAnswer}
        for name in EVALUATION_QUESTIONS
    }


def _changes(report: Report, organisation_id: int, start: datetime, end: datetime) -> None:
    rows = db.session.execute(
        select(
            ConsultationRound.id,
            ConsultationRound.title,
            ConsultationRound.title_easy,
            FeedbackItem.we_did,
            FeedbackItem.we_did_easy,
            ConsultationRound.feedback_published_at,
        )
        .join(ConsultationRound, ConsultationRound.id == FeedbackItem.round_id)
        .where(
            ConsultationRound.organisation_id == organisation_id,
            ConsultationRound.feedback_published_at >= start,
            ConsultationRound.feedback_published_at < end,
        )
        .order_by(
            ConsultationRound.feedback_published_at,
            ConsultationRound.id,
            FeedbackItem.position,
            FeedbackItem.id,
        )
    ).all()
    report.changes = [
        Change(
            round_id=round_id,
            round_title=title_easy or title,
            text=we_did_easy or we_did,
            published_at=published_at,
        )
        for round_id, title, title_easy, we_did, we_did_easy, published_at in rows
    ]


def _money(report: Report, organisation_id: int, start: datetime, end: datetime) -> None:
    waited = _days_between(
        func.coalesce(ExpenseRequest.submitted_at, ExpenseRequest.created_at),
        ExpenseRequest.paid_at,
    )
    rows = db.session.execute(
        select(
            ExpenseRequest.kind,
            func.count(ExpenseRequest.id),
            func.sum(ExpenseRequest.paid_amount),
            func.sum(waited),
        )
        .where(
            ExpenseRequest.organisation_id == organisation_id,
            ExpenseRequest.status == RequestStatus.PAID,
            ExpenseRequest.paid_at >= start,
            ExpenseRequest.paid_at < end,
        )
        .group_by(ExpenseRequest.kind)
    ).all()
    report.paid = {
        RequestKind(kind): Paid(int(n), _decimal(amount), _decimal(days, "0.000001"))
        for kind, n, amount, days in rows
    }


def _cotraining(
    report: Report, organisation_id: int, start: datetime, end: datetime, now: datetime
) -> None:
    sessions = db.session.execute(
        select(func.count(distinct(Mission.id)), func.count(MissionSession.id))
        .select_from(MissionSession)
        .join(Mission, Mission.id == MissionSession.mission_id)
        .where(
            Mission.organisation_id == organisation_id,
            Mission.status.not_in([MissionStatus.DRAFT, MissionStatus.CANCELLED]),
            MissionSession.starts_at >= start,
            MissionSession.starts_at < min(end, now),
        )
    ).one()
    report.missions_held, report.sessions_held = (int(n or 0) for n in sessions)

    present = db.session.execute(
        select(func.sum(Attendance.hours), func.count(distinct(Signup.person_id)))
        .select_from(Attendance)
        .join(MissionSession, MissionSession.id == Attendance.session_id)
        .join(Signup, Signup.id == Attendance.signup_id)
        .join(Mission, Mission.id == Signup.mission_id)
        .where(
            Mission.organisation_id == organisation_id,
            Attendance.present.is_(True),
            MissionSession.starts_at >= start,
            MissionSession.starts_at < end,
        )
    ).one()
    report.hours_attended = _decimal(present[0])
    report.cotrainers_present = int(present[1] or 0)

    made_from_attendance = (
        select(Signup.pay_request_id)
        .join(Mission, Mission.id == Signup.mission_id)
        .where(Mission.organisation_id == organisation_id, Signup.pay_request_id.is_not(None))
    )
    waited = _days_between(
        func.coalesce(ExpenseRequest.submitted_at, ExpenseRequest.created_at),
        ExpenseRequest.paid_at,
    )
    pay = db.session.execute(
        select(
            func.count(ExpenseRequest.id), func.sum(ExpenseRequest.paid_amount), func.sum(waited)
        ).where(
            ExpenseRequest.id.in_(made_from_attendance),
            ExpenseRequest.status == RequestStatus.PAID,
            ExpenseRequest.paid_at >= start,
            ExpenseRequest.paid_at < end,
        )
    ).one()
    report.cotraining_pay = Paid(int(pay[0] or 0), _decimal(pay[1]), _decimal(pay[2], "0.000001"))


# --- words ----------------------------------------------------------------------------------


def shown(count: Count | int) -> str:
    """An evaluation count as shown: small groups are hidden (and, for a published count,
    what could give one back: `Report.published_evaluations`)."""
    if isinstance(count, Count):
        return disclosure.text(count)
    if 0 < count < SMALL_GROUP:
        return _("fewer than %(n)s", n=SMALL_GROUP)
    return str(count)


def whole_days(value: Decimal) -> int:
    return int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def summary(report: Report) -> list[str]:
    """The easy-to-read summary: one short sentence per line, numbers in digits, no
    percentages. Lines about things that did not happen are left out."""

    lines = [
        ngettext(
            "In %(year)s, you held %(num)s consultation.",
            "In %(year)s, you held %(num)s consultations.",
            report.rounds_held,
            year=report.year,
        ),
        ngettext(
            "%(num)s person gave their opinion.",
            "%(num)s people gave their opinion.",
            report.people_reached,
        ),
    ]
    channels = report.published_channels  # none when a way of answering has a small group
    helped = channels.get(Channel.ASSISTED, 0)
    paper = channels.get(Channel.PAPER, 0)
    if helped or paper:
        lines.append(
            ngettext(
                "%(num)s answer was given with help, %(paper)s on paper.",
                "%(num)s answers were given with help, %(paper)s on paper.",
                helped,
                paper=paper,
            )
        )
    if report.feedback_counted:
        lines.append(
            ngettext(
                "Feedback came on time for %(on_time)s of %(num)s consultation.",
                "Feedback came on time for %(on_time)s of %(num)s consultations.",
                report.feedback_counted,
                on_time=report.feedback_on_time,
            )
        )
    costs = report.paid_back
    if costs.count:
        lines.append(
            ngettext(
                "%(num)s cost request was paid back: %(amount)s.",
                "%(num)s cost requests were paid back: %(amount)s in total.",
                costs.count,
                amount=formatting.money(costs.total),
            )
        )
        days = whole_days(costs.average_wait_days or Decimal("0"))
        lines.append(
            ngettext(
                "People waited about %(num)s day for this money.",
                "People waited about %(num)s days for this money.",
                days,
            )
        )
    bought = report.paid_of(RequestKind.DIRECT_PURCHASE)
    if bought.count:
        lines.append(
            ngettext(
                "You also bought %(num)s ticket or room for people: %(amount)s.",
                "You also bought %(num)s tickets or rooms for people: %(amount)s in total.",
                bought.count,
                amount=formatting.money(bought.total),
            )
        )
    work = report.work_pay + report.compensation
    if work.count:
        lines.append(
            _(
                "You paid %(amount)s for people's work and time.",
                amount=formatting.money(work.total),
            )
        )
    if report.missions_held:
        lines.append(
            ngettext(
                "Co-trainers worked %(hours)s hours in %(num)s co-training mission.",
                "Co-trainers worked %(hours)s hours in %(num)s co-training missions.",
                report.missions_held,
                hours=formatting.number(report.hours_attended),
            )
        )
    if report.evaluations:
        lines.append(
            ngettext(
                "%(num)s person told you how their participation went.",
                "%(num)s people told you how their participation went.",
                report.evaluations,
            )
        )
    return lines


# --- PDF ------------------------------------------------------------------------------------


def report_pdf(report: Report) -> bytes:
    """Large print: the easy-to-read summary first, then what changed, then the details."""
    from app.core.pdf import LargePrint

    title = _("Yearly report %(year)s", year=report.year)
    pdf = LargePrint(f"{title}: {report.organisation_name}", _("Parole, page"))
    pdf.add_page()
    pdf.heading(title)
    pdf.para(report.organisation_name, bold=True)

    pdf.heading(_("In short"), size=20)
    for line in summary(report):
        pdf.para(line)

    pdf.heading(_("What changed thanks to people's words"), size=20)
    if report.changes:
        for title, texts in changes_by_round(report):
            pdf.para(title, bold=True)
            for text in texts:
                pdf.para(f"- {text}")
    else:
        pdf.para(_("No feedback was published this year."))

    pdf.add_page()
    pdf.heading(_("The details"))

    def rows(heading: str, pairs: list[tuple[str, Any]]) -> None:
        pdf.heading(heading, size=18)
        for label, value in pairs:
            pdf.para(f"{label}: {value}")

    rows(
        _("Consultations"),
        [(_("Consultations held"), report.rounds_held)]
        + [(status.label, n) for status, n in ordered_statuses(report)],
    )
    rows(
        _("Answers"),
        [
            (_("People reached"), report.people_reached),
            (_("Answers sent"), report.answers),
        ]
        + [(channel.label, n) for channel, n in report.published_channels.items()]
        + ([] if report.published_channels else [(_("By way of answering"), _breakdown_note())]),
    )
    rows(
        _("Feedback: You said, We did"),
        [
            (_("Feedback due this year"), report.feedback_due),
            (_("Published on time"), report.feedback_on_time),
            (_("Published late"), report.feedback_late),
            (_("Late and not published yet"), report.feedback_overdue),
            (_("Not due yet"), report.feedback_upcoming),
            (_("Share on time"), percent_text(report.feedback_on_time_percent)),
        ],
    )
    money_rows = []
    for label, paid in money_lines(report):
        wait = paid.average_wait_days
        money_rows.append(
            (
                label,
                _(
                    "%(count)s paid, %(amount)s, average wait %(days)s",
                    count=paid.count,
                    amount=formatting.money(paid.total),
                    days=days_text(wait),
                ),
            )
        )
    rows(_("Money paid"), money_rows)
    rows(
        _("Co-training"),
        [
            (_("Missions held"), report.missions_held),
            (_("Sessions held"), report.sessions_held),
            (_("Co-trainers present"), report.cotrainers_present),
            (_("Hours of co-training"), formatting.number(report.hours_attended)),
            (_("Pay for co-training: requests paid"), report.cotraining_pay.count),
            (_("Pay for co-training: total"), formatting.money(report.cotraining_pay.total)),
        ],
    )
    evaluation = [(_("People who answered"), report.evaluations)]
    published = report.published_evaluations
    for name, question in EVALUATION_QUESTIONS.items():
        counts = published[name]
        parts = ", ".join(f"{a.label}: {shown(counts[a])}" for a in EvaluationAnswer)
        evaluation.append((str(question), parts))
    rows(_("Evaluation of the participation"), evaluation)
    return pdf.bytes()


def _breakdown_note() -> str:
    return _("not shown: one way has fewer than %(n)s answers", n=SMALL_GROUP)


def changes_by_round(report: Report) -> list[tuple[str, list[str]]]:
    """The "We did" texts grouped under their round, in the order they were published."""
    groups: list[tuple[int, str, list[str]]] = []
    for change in report.changes:
        if not groups or groups[-1][0] != change.round_id:
            groups.append((change.round_id, change.round_title, []))
        groups[-1][2].append(change.text)
    return [(title, texts) for _id, title, texts in groups]


def ordered_statuses(report: Report) -> list[tuple[RoundStatus, int]]:
    return [(s, report.rounds_by_status[s]) for s in RoundStatus if s in report.rounds_by_status]


def money_lines(report: Report) -> list[tuple[str, Paid]]:
    """One line per kind of request, reimbursements first, pay and compensation apart."""
    return [
        (str(MONEY_LABELS[RequestKind.REIMBURSEMENT]), report.paid_of(RequestKind.REIMBURSEMENT)),
        (str(MONEY_LABELS[RequestKind.ADVANCE]), report.paid_of(RequestKind.ADVANCE)),
        (
            str(MONEY_LABELS[RequestKind.DIRECT_PURCHASE]),
            report.paid_of(RequestKind.DIRECT_PURCHASE),
        ),
        (str(MONEY_LABELS[RequestKind.PAY]), report.work_pay),
        (str(MONEY_LABELS[RequestKind.COMPENSATION]), report.compensation),
    ]


def percent_text(value: int | None) -> str:
    return "-" if value is None else f"{value} %"


def days_text(value: Decimal | None) -> str:
    """12,5 days; "-" when nothing was paid."""
    if value is None:
        return "-"
    plural = 1 if value == 1 else (2 if value > 1 else 0)
    return ngettext("%(n)s day", "%(n)s days", plural, n=formatting.number(value))

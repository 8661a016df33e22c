"""The yearly report: each number equals a count made in plain Python over the rows of data
generated with the services (rounds, answers alone, with help and on paper, feedback on
time or late, evaluations, paid requests of each kind, co-training attendance and pay), with
data in other years and in another organisation that must not be counted."""

from __future__ import annotations

import io
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from sqlalchemy import event, select

from app import db
from app.accounts.models import Role
from app.consultations import services as consultations
from app.consultations.models import (
    EVALUATION_QUESTIONS,
    Channel,
    ConsultationRound,
    Evaluation,
    EvaluationAnswer,
    Invitation,
    QuestionKind,
    Response,
    RoundStatus,
)
from app.consultations.services import AnswerInput, FeedbackData, RoundData
from app.core.errors import NotFound
from app.expenses import services as expenses
from app.expenses.models import (
    ActivityType,
    Category,
    ExpenseRequest,
    PayChoice,
    PaymentMethod,
    RequestKind,
    RequestStatus,
)
from app.expenses.money import format_amount
from app.expenses.services import LineInput, Payment, Review
from app.kit.report import money_lines, percent, report_pdf, summary, yearly_report
from app.trainings import services as trainings
from app.trainings.models import (
    Attendance,
    Mission,
    MissionSession,
    MissionStatus,
    MissionType,
    Signup,
)
from app.trainings.services import MissionData, Presence, SignupData
from tests.factories import make_org, make_person
from tests.worlds import a_payment_choice

pytestmark = pytest.mark.usefixtures("ctx")


@pytest.fixture(autouse=True)
def _in_english(ctx):
    """The explanations are checked in English (the French catalogue is tested on its own)."""
    from flask_babel import force_locale

    with force_locale("en"):
        yield


PARIS = ZoneInfo("Europe/Paris")
YEAR = 2024
# After every date of the data: nothing is "upcoming" unless a test says otherwise.
NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def paris(year, month, day, hour=10, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=PARIS).astimezone(UTC)


def year_of(value):
    return value.astimezone(PARIS).year


# --- data built with the services ---------------------------------------------------------


class Org:
    """An organisation with its staff and accompanied persons."""

    def __init__(self, name, people=0):
        self.org = make_org(name)
        self.fac = make_person((self.org, Role.FACILITATOR))
        self.finance = make_person((self.org, Role.FINANCE))
        self.staff = make_person((self.org, Role.INSTITUTE_STAFF))
        self.people = [make_person((self.org, Role.PARTICIPANT)) for _ in range(people)]


def held_round(
    o,
    opened,
    *,
    alone=(),
    helped=(),
    paper=0,
    unused_paper=0,
    unsent=(),
    due=None,
    published=None,
    items=1,
    evaluations=(),
    close=True,
    title="Le logement",
):
    """A round opened at `opened`: answers sent alone, with help, on paper, answers started
    and never sent; closed, then feedback published at `published` with `items` items."""
    notice = timedelta(days=o.org.invitation_notice_days)
    round_ = consultations.create_round(
        o.fac,
        o.org,
        RoundData(
            title=title,
            title_easy=f"{title} : votre avis",
            opens_at=opened,
            closes_at=opened + timedelta(days=14),
            feedback_due_at=due,
        ),
    )
    question = consultations.add_question(
        o.fac, round_, QuestionKind.YES_NO, "Êtes-vous d'accord ?", "Vous êtes d'accord ?"
    )
    invited = [*alone, *helped, *unsent, *(p for p, _a in evaluations)]
    consultations.invite_people(o.fac, round_, list(dict.fromkeys(p.id for p in invited)))
    codes = (
        consultations.create_paper_codes(o.fac, round_, paper + unused_paper)
        if (paper + unused_paper)
        else []
    )
    consultations.transition(
        o.fac, round_, RoundStatus.ANNOUNCED, now=opened - notice - timedelta(days=1)
    )
    consultations.transition(o.fac, round_, RoundStatus.OPEN, now=opened)
    yes = AnswerInput(choice_ids=[question.choices[0].id])
    sent_at = opened + timedelta(days=1)
    for person in alone:
        response = consultations.start_response(person, round_)
        consultations.save_answer(person, response, question, yes)
        consultations.submit_response(person, response, now=sent_at)
    for person in helped:
        response = consultations.start_response(o.fac, round_, person, "Accord donné à l'oral")
        consultations.save_answer(o.fac, response, question, yes)
        consultations.submit_response(o.fac, response, now=sent_at)
    for code in codes[:paper]:
        response = consultations.start_paper_response(o.fac, round_, code)
        consultations.save_answer(o.fac, response, question, AnswerInput(declined=True))
        consultations.submit_response(o.fac, response, now=sent_at)
    for person in unsent:
        response = consultations.start_response(person, round_)
        consultations.save_answer(person, response, question, yes)
    if not close:
        return round_
    consultations.transition(o.fac, round_, RoundStatus.CLOSED, now=opened + timedelta(days=14))
    if published is None:
        return round_
    consultations.transition(o.fac, round_, RoundStatus.RESULTS, now=published)
    for n in range(items):
        consultations.add_feedback_item(
            o.fac,
            round_,
            FeedbackData(
                you_said=f"Vous avez dit {n} ({title})",
                we_did=f"Nous avons fait {n} ({title})",
                you_said_easy=f"Vous avez dit {n}, facile ({title})",
                we_did_easy=f"Nous avons fait {n}, facile ({title})",
            ),
        )
    for item in round_.feedback_items:
        if item.position == 2:
            item.we_did_easy = ""  # written before the easy version was required
    consultations.transition(o.fac, round_, RoundStatus.FEEDBACK_PUBLISHED, now=published)
    for person, answers in evaluations:
        consultations.submit_evaluation(
            person, round_, dict(zip(EVALUATION_QUESTIONS, answers, strict=True))
        )
    return round_


def paid_request(o, person, kind, amount, submitted, paid, *, activity=ActivityType.CONSULTATION):
    """A request of `kind` sent at `submitted`, accepted and paid at `paid` (None: accepted
    only, never paid)."""
    request = expenses.create_request(person, person, o.org, kind, activity, "Réunion")
    if kind == RequestKind.REIMBURSEMENT:
        line = expenses.add_line(person, request, LineInput(Category.LOCAL_TRANSPORT, amount))
        expenses.declare_sworn(person, line)
    elif kind == RequestKind.ADVANCE:
        expenses.add_line(person, request, LineInput(Category.TRAIN, amount))
    elif kind == RequestKind.PAY:
        expenses.set_pay(person, request, "2", amount, PayChoice.PAID, notice_read=True)
    else:
        expenses.set_compensation(o.fac, request, amount)
    a_payment_choice(person)
    expenses.submit(person, request)
    expenses.review(o.fac, request, Review("approve"))
    if paid is not None:
        expenses.pay(o.finance, request, Payment(PaymentMethod.CASH, handed_over_by_id=o.fac.id))
        request.paid_at = paid
    request.submitted_at = submitted
    db.session.flush()
    return request


def mission_with_attendance(o, sessions, *, present, done=False, paid=()):
    """A co-training mission of `o` with `sessions` (start, hours); `present[i]` lists, per
    session, the hours typed for each co-trainer ("" = the session's length, None = absent).
    Each co-trainer's pay request is then sent and paid at the date in `paid`."""
    mission = trainings.create_mission(
        o.staff,
        o.org,
        MissionData(
            type=MissionType.TEACHING,
            title="Accueillir une personne à la rue",
            seats=3,
            sessions=[(start, start + timedelta(hours=h)) for start, h in sessions],
            place="IRTS, Villefictive",
            hourly_rate=Decimal("20.00"),
        ),
    )
    trainings.move_mission(o.staff, mission, MissionStatus.PUBLISHED)
    cotrainers = o.people[: len(present[0])] if present else []
    signups = []
    for person in cotrainers:
        signup = trainings.sign_up(person, person, mission, SignupData())
        trainings.confirm(o.staff, signup)
        signups.append(signup)
    for session, hours in zip(mission.sessions, present, strict=False):
        trainings.record_attendance(
            o.staff,
            session,
            {
                s.id: Presence(present=h is not None, hours=h or "")
                for s, h in zip(signups, hours, strict=True)
            },
        )
    for signup, when in zip(signups, paid, strict=False):
        request = db.session.get(ExpenseRequest, signup.pay_request_id)
        person = signup.person
        expenses.set_pay(
            person, request, str(request.hours), "20", PayChoice.PAID, notice_read=True
        )
        a_payment_choice(person)
        expenses.submit(person, request)
        expenses.review(o.fac, request, Review("approve"))
        expenses.pay(o.finance, request, Payment(PaymentMethod.CASH, handed_over_by_id=o.fac.id))
        request.submitted_at = when - timedelta(days=3)
        request.paid_at = when
    if done:
        trainings.move_mission(o.staff, mission, MissionStatus.CLOSED)
        trainings.move_mission(o.staff, mission, MissionStatus.DONE)
    db.session.flush()
    return mission


@pytest.fixture
def world():
    a = Org("CRPA Hauts-de-France", people=8)
    b = Org("CRPA Bretagne", people=4)
    p = a.people
    e = EvaluationAnswer
    # Rounds of A opened in the year.
    held_round(
        a,
        paris(YEAR, 2, 10),
        alone=p[0:3],
        helped=p[3:4],
        paper=2,
        unused_paper=1,
        unsent=p[4:5],
        due=paris(YEAR, 5, 1),
        published=paris(YEAR, 4, 20),
        items=2,
        evaluations=[
            (p[0], (e.YES, e.YES, e.NO, e.YES)),
            (p[1], (e.YES, e.A_LITTLE, e.DECLINED, e.NO)),
            (p[2], (e.A_LITTLE, e.YES, e.YES, e.YES)),
        ],
        title="Le logement",
    )
    held_round(
        a,
        paris(YEAR, 6, 1),
        alone=[p[0], p[5]],
        helped=[p[6]],
        paper=1,
        due=paris(YEAR, 9, 1),
        published=paris(YEAR, 9, 15),  # late
        items=3,
        evaluations=[(p[5], (e.NO, e.NO, e.A_LITTLE, e.YES))],
        title="La santé",
    )
    held_round(
        a, paris(YEAR, 10, 1), alone=[p[1]], due=paris(YEAR, 12, 15), title="Les transports"
    )  # feedback never published
    held_round(a, paris(YEAR, 11, 3), alone=[p[7]], close=False, title="Les loisirs")  # still open
    # Opened the year before; its feedback was due and published in the year.
    held_round(
        a,
        paris(YEAR - 1, 11, 1),
        alone=p[0:4],
        due=paris(YEAR, 2, 1),
        published=paris(YEAR, 2, 1),  # at the very moment it was due: on time
        evaluations=[(p[0], (e.NO, e.NO, e.NO, e.NO))],
        title="Le travail",
    )
    # 1 January at 00:30 in Paris is still 31 December in UTC: it belongs to the next year.
    held_round(
        a,
        datetime(YEAR, 12, 31, 23, 30, tzinfo=UTC),
        alone=p[2:4],
        due=paris(YEAR + 1, 4, 1),
        published=paris(YEAR + 1, 3, 1),
        title="Le sport",
    )
    # Prepared but never opened, with a feedback date in the year: not held, not due.
    consultations.create_round(
        a.fac,
        a.org,
        RoundData(
            title="Jamais ouvert",
            opens_at=paris(YEAR, 3, 1),
            closes_at=paris(YEAR, 3, 20),
            feedback_due_at=paris(YEAR, 6, 1),
        ),
    )
    # Another organisation, same year.
    held_round(
        b,
        paris(YEAR, 3, 1),
        alone=b.people[0:3],
        helped=b.people[3:4],
        paper=1,
        due=paris(YEAR, 6, 1),
        published=paris(YEAR, 5, 1),
        evaluations=[(b.people[0], (e.YES, e.YES, e.YES, e.YES))],
        title="Ailleurs",
    )

    # Money of A: paid in the year, in other years, accepted but not paid; and of B.
    d = paris
    R, A, P, C = (
        RequestKind.REIMBURSEMENT,
        RequestKind.ADVANCE,
        RequestKind.PAY,
        RequestKind.COMPENSATION,
    )
    for kind, amount, sent, paid in [
        (R, "12,40", d(YEAR, 1, 5), d(YEAR, 1, 19, 15, 30)),
        (R, "7,15", d(YEAR, 3, 2), d(YEAR, 3, 30, 9)),
        (R, "19,99", d(YEAR, 6, 1, 8), d(YEAR, 6, 3, 20)),
        (R, "3,20", d(YEAR - 1, 12, 1), d(YEAR, 1, 2)),  # sent the year before, paid in it
        (R, "8,00", d(YEAR - 1, 11, 1), d(YEAR - 1, 12, 30)),  # paid the year before
        (R, "9,00", d(YEAR, 12, 1), datetime(YEAR, 12, 31, 23, 30, tzinfo=UTC)),  # Paris: next
        (R, "5,00", d(YEAR, 10, 1), None),  # accepted, not paid
        (A, "45,00", d(YEAR, 4, 1), d(YEAR, 4, 4)),
        (P, "20", d(YEAR, 5, 1), d(YEAR, 5, 20)),
        (C, "40", d(YEAR, 7, 1), d(YEAR, 7, 31, 16)),
        (C, "35,50", d(YEAR, 8, 1), d(YEAR + 1, 1, 10)),  # paid the next year
    ]:
        paid_request(a, p[0], kind, amount, sent, paid)
    paid_request(b, b.people[0], R, "15,00", d(YEAR, 2, 1), d(YEAR, 2, 10))
    paid_request(b, b.people[0], P, "20", d(YEAR, 2, 1), d(YEAR, 2, 10))

    # Co-training of A: a mission of the year (2 sessions, 2 co-trainers, one paid in the
    # year, the other the next year), one of the year before, a cancelled and a draft one.
    mission_with_attendance(
        a,
        [(d(YEAR, 3, 5, 9), 3), (d(YEAR, 3, 12, 9), 4)],
        present=[["", "2,5"], ["", None]],
        done=True,
        paid=[d(YEAR, 4, 10), d(YEAR + 1, 1, 15)],
    )
    mission_with_attendance(a, [(d(YEAR - 1, 12, 20, 14), 3)], present=[[""]], paid=[d(YEAR, 1, 8)])
    cancelled = mission_with_attendance(a, [(d(YEAR, 9, 1, 9), 2)], present=[])
    trainings.move_mission(a.staff, cancelled, MissionStatus.CANCELLED)
    draft = trainings.create_mission(
        a.staff,
        a.org,
        MissionData(
            type=MissionType.EVENT,
            title="Brouillon",
            seats=1,
            sessions=[(d(YEAR, 10, 1, 9), d(YEAR, 10, 1, 12))],
            online=True,
        ),
    )
    assert draft.status == MissionStatus.DRAFT
    mission_with_attendance(b, [(d(YEAR, 5, 5, 9), 3)], present=[[""]], paid=[d(YEAR, 6, 1)])
    db.session.flush()
    return {"a": a, "b": b}


# --- the same numbers, counted in Python ----------------------------------------------------


def expected(org_id, year, now):
    rounds = [
        r
        for r in db.session.scalars(select(ConsultationRound)).all()
        if r.organisation_id == org_id
    ]
    held = [r for r in rounds if r.opened_at is not None and year_of(r.opened_at) == year]
    held_ids = {r.id for r in held}
    invitations = {i.id: i for i in db.session.scalars(select(Invitation)).all()}
    sent = [
        r
        for r in db.session.scalars(select(Response)).all()
        if r.round_id in held_ids and r.submitted_at is not None
    ]
    people = {invitations[r.invitation_id].person_id for r in sent} - {None}
    paper = [r for r in sent if invitations[r.invitation_id].person_id is None]

    due = [r for r in rounds if r.opened_at is not None and year_of(r.feedback_due_at) == year]
    on_time = [
        r for r in due if r.feedback_published_at and r.feedback_published_at <= r.feedback_due_at
    ]
    late = [
        r for r in due if r.feedback_published_at and r.feedback_published_at > r.feedback_due_at
    ]
    overdue = [r for r in due if r.feedback_published_at is None and r.feedback_due_at < now]
    upcoming = [r for r in due if r.feedback_published_at is None and r.feedback_due_at >= now]

    requests = [
        r
        for r in db.session.scalars(select(ExpenseRequest)).all()
        if r.organisation_id == org_id
        and r.status == RequestStatus.PAID
        and year_of(r.paid_at) == year
    ]

    def paid(kinds, only=None):
        chosen = [r for r in requests if r.kind in kinds and (only is None or r.id in only)]
        total = sum((r.paid_amount for r in chosen), Decimal("0.00"))
        waits = [(r.paid_at - r.submitted_at).total_seconds() / 86400 for r in chosen]
        average = (
            Decimal(str(sum(waits) / len(waits))).quantize(Decimal("0.1"), ROUND_HALF_UP)
            if waits
            else None
        )
        return len(chosen), total, average

    missions = {
        m.id: m for m in db.session.scalars(select(Mission)).all() if m.organisation_id == org_id
    }
    sessions = [
        s
        for s in db.session.scalars(select(MissionSession)).all()
        if s.mission_id in missions
        and missions[s.mission_id].status not in (MissionStatus.DRAFT, MissionStatus.CANCELLED)
        and year_of(s.starts_at) == year
        and s.starts_at < now
    ]
    signups = {
        s.id: s for s in db.session.scalars(select(Signup)).all() if s.mission_id in missions
    }
    session_year = {s.id: year_of(s.starts_at) for s in db.session.scalars(select(MissionSession))}
    attended = [
        a
        for a in db.session.scalars(select(Attendance)).all()
        if a.signup_id in signups and a.present and session_year[a.session_id] == year
    ]
    pay_ids = {s.pay_request_id for s in signups.values()} - {None}

    evaluations = [
        e for e in db.session.scalars(select(Evaluation)).all() if e.round_id in held_ids
    ]
    published = sorted(
        (
            r
            for r in rounds
            if r.feedback_published_at is not None and year_of(r.feedback_published_at) == year
        ),
        key=lambda r: (r.feedback_published_at, r.id),
    )
    changes = [
        (r.id, r.title_easy or r.title, item.we_did_easy or item.we_did)
        for r in published
        for item in sorted(r.feedback_items, key=lambda i: (i.position, i.id))
    ]
    return {
        "rounds_held": len(held),
        "rounds_by_status": dict(Counter(r.status for r in held)),
        "answers_by_channel": {c: sum(1 for r in sent if r.channel == c) for c in Channel},
        "people_reached": len(people) + len(paper),
        "feedback": (len(due), len(on_time), len(late), len(overdue), len(upcoming)),
        "costs": paid(
            {RequestKind.REIMBURSEMENT, RequestKind.ADVANCE, RequestKind.DIRECT_PURCHASE}
        ),
        "reimbursement": paid({RequestKind.REIMBURSEMENT}),
        "work_pay": paid({RequestKind.PAY}),
        "compensation": paid({RequestKind.COMPENSATION}),
        "cotraining_pay": paid({RequestKind.PAY}, only=pay_ids),
        "missions_held": len({s.mission_id for s in sessions}),
        "sessions_held": len(sessions),
        "hours": sum((a.hours for a in attended), Decimal("0.00")),
        "cotrainers": len({signups[a.signup_id].person_id for a in attended}),
        "evaluations": len(evaluations),
        "evaluation_answers": {
            name: {
                a: sum(1 for e in evaluations if getattr(e, name) == a) for a in EvaluationAnswer
            }
            for name in EVALUATION_QUESTIONS
        },
        "changes": changes,
    }


def numbers(paid):
    return paid.count, paid.total, paid.average_wait_days


# --- tests ------------------------------------------------------------------------------------


def test_every_number_equals_a_direct_count(world):
    a = world["a"]
    report = yearly_report(a.fac, a.org.id, YEAR, now=NOW)
    want = expected(a.org.id, YEAR, NOW)

    assert report.rounds_held == want["rounds_held"] == 4
    assert report.rounds_by_status == want["rounds_by_status"]
    assert report.answers_by_channel == want["answers_by_channel"]
    assert want["answers_by_channel"] == {Channel.SELF: 7, Channel.ASSISTED: 2, Channel.PAPER: 3}
    assert report.answers == 12
    # 7 people with an account (some answered twice) + 3 paper questionnaires
    assert report.people_reached == want["people_reached"] == 10

    feedback = (
        report.feedback_due,
        report.feedback_on_time,
        report.feedback_late,
        report.feedback_overdue,
        report.feedback_upcoming,
    )
    assert feedback == want["feedback"] == (4, 2, 1, 1, 0)
    assert report.feedback_on_time_percent == 50  # 2 of 4

    assert numbers(report.costs) == want["costs"]
    assert numbers(report.paid_of(RequestKind.REIMBURSEMENT)) == want["reimbursement"]
    assert numbers(report.work_pay) == want["work_pay"]
    assert numbers(report.compensation) == want["compensation"]
    assert numbers(report.cotraining_pay) == want["cotraining_pay"]
    assert report.costs.count == 5 and report.costs.total == Decimal("87.74")
    assert isinstance(report.costs.total, Decimal)
    # pay: a 2 h request (40 €), and from attendance 7 h (140 €) this year and 3 h (60 €)
    # of the mission of the year before
    assert report.work_pay.count == 3 and report.work_pay.total == Decimal("240.00")
    assert report.cotraining_pay.count == 2 and report.cotraining_pay.total == Decimal("200.00")
    assert report.compensation.total == Decimal("40.00")

    assert report.missions_held == want["missions_held"] == 1
    assert report.sessions_held == want["sessions_held"] == 2
    assert report.hours_attended == want["hours"] == Decimal("9.50")  # 3 + 2,5 + 4
    assert report.cotrainers_present == want["cotrainers"] == 2

    assert report.evaluations == want["evaluations"] == 4
    assert report.evaluation_answers == want["evaluation_answers"]
    assert report.evaluation_answers["understood"][EvaluationAnswer.YES] == 2

    got = [(c.round_id, c.round_title, c.text) for c in report.changes]
    assert got == want["changes"]
    assert len(got) == 6  # 1 + 2 + 3 items, in the order they were published
    assert got[0][1] == "Le travail : votre avis"
    assert "Nous avons fait 1 (Le logement)" in [text for _r, _t, text in got]  # no easy text


def test_average_wait_from_sending_to_payment():
    o = Org("CCAS des Tilleuls", people=1)
    sent = paris(YEAR, 3, 1, 9)
    for days, hours in ((10, 0), (3, 12), (30, 6)):
        paid_request(
            o,
            o.people[0],
            RequestKind.REIMBURSEMENT,
            "10",
            sent,
            sent + timedelta(days=days, hours=hours),
        )
    report = yearly_report(o.fac, o.org.id, YEAR, now=NOW)
    # (10 + 3,5 + 30,25) / 3 = 14,583... -> 14,6 days
    assert report.costs.average_wait_days == Decimal("14.6")
    assert report.costs.total == Decimal("30.00")
    assert report.work_pay.average_wait_days is None


def test_a_ticket_bought_directly_counts_with_the_costs_of_participation(app, tmp_path):
    from app.expenses import direct
    from tests.worlds import a_jpeg

    app.config["UPLOAD_ROOT"] = str(tmp_path / "uploads")
    o = Org("CCAS des Tilleuls", people=1)
    sent = paris(YEAR, 3, 1, 9)
    paid_request(o, o.people[0], RequestKind.REIMBURSEMENT, "10", sent, sent + timedelta(days=4))
    ticket = direct.record(
        o.fac,
        o.org,
        direct.PurchaseInput(
            person_id=o.people[0].id,
            activity_label="Réunion",
            category="train",
            what="billet de train",
            supplier="SNCF",
            amount="23,40",
            invoice=a_jpeg(),
            invoice_name="facture.jpg",
        ),
    )
    expenses.review(o.finance, ticket, Review("approve"))
    expenses.pay(o.finance, ticket, Payment(PaymentMethod.THIRD_PARTY, third_party_name="SNCF"))
    ticket.submitted_at, ticket.paid_at = sent, sent + timedelta(days=2)
    db.session.flush()
    report = yearly_report(o.fac, o.org.id, YEAR, now=NOW)
    assert report.costs.count == 2 and report.costs.total == Decimal("33.40")
    lines = dict(money_lines(report))
    bought = lines["Bought directly by the organisation"]
    assert (bought.count, bought.total) == (1, Decimal("23.40"))
    assert any("23.40" in line or "23,40" in line for line in summary(report))


def test_feedback_not_due_yet_is_left_out_of_the_share(world):
    a = world["a"]
    # On 1 December of the year, the feedback of "Les transports" (due on 15 December)
    # still has time.
    now = paris(YEAR, 12, 1)
    report = yearly_report(a.fac, a.org.id, YEAR, now=now)
    want = expected(a.org.id, YEAR, now)
    assert (
        (
            report.feedback_due,
            report.feedback_on_time,
            report.feedback_late,
            report.feedback_overdue,
            report.feedback_upcoming,
        )
        == want["feedback"]
        == (4, 2, 1, 0, 1)
    )
    assert report.feedback_on_time_percent == 67  # 2 of 3, rounded half up


def test_percent_rounds_half_up_with_integers():
    assert percent(2, 3) == 67
    assert percent(1, 8) == 13  # 12,5
    assert percent(1, 3) == 33
    assert percent(0, 5) == 0 and percent(5, 5) == 100


def test_other_years_and_organisations(world):
    a, b = world["a"], world["b"]
    other = yearly_report(b.fac, b.org.id, YEAR, now=NOW)
    want = expected(b.org.id, YEAR, NOW)
    assert other.rounds_held == 1 and other.people_reached == want["people_reached"] == 5
    assert numbers(other.costs) == want["costs"]
    assert numbers(other.cotraining_pay) == want["cotraining_pay"]
    assert other.hours_attended == want["hours"] == Decimal("3.00")
    before = yearly_report(a.fac, a.org.id, YEAR - 1, now=NOW)
    want = expected(a.org.id, YEAR - 1, NOW)
    assert before.rounds_held == want["rounds_held"] == 1
    assert before.people_reached == want["people_reached"] == 4
    assert before.evaluations == 1 and before.feedback_due == 0
    assert numbers(before.costs) == want["costs"] and before.costs.count == 1
    assert before.missions_held == 1 and before.hours_attended == Decimal("3.00")
    assert before.cotraining_pay.count == 0  # paid in the next year
    after = yearly_report(a.fac, a.org.id, YEAR + 1, now=NOW)
    assert after.rounds_held == 1  # opened on 1 January at 00:30 in Paris
    assert after.costs.count == 1 and after.compensation.count == 1
    assert after.cotraining_pay.count == 1


def test_an_empty_year_has_zeros_and_no_share():
    o = Org("Association vide")
    report = yearly_report(o.fac, o.org.id, YEAR, now=NOW)
    assert report.rounds_held == report.people_reached == report.answers == 0
    assert report.feedback_on_time_percent is None
    assert report.costs.total == Decimal("0.00") and report.costs.average_wait_days is None
    assert report.hours_attended == Decimal("0.00") and report.changes == []
    assert all(n == 0 for counts in report.evaluation_answers.values() for n in counts.values())
    assert len(summary(report)) == 2
    assert report_pdf(report).startswith(b"%PDF")


def test_the_number_of_queries_does_not_grow_with_the_data(world):
    empty = Org("Structure sans données")
    connection = db.session.connection()
    statements = []

    def count(*_args, **_kwargs):
        statements.append(1)

    event.listen(connection, "before_cursor_execute", count)
    try:
        yearly_report(empty.fac, empty.org.id, YEAR, now=NOW)
        small = len(statements)
        statements.clear()
        yearly_report(world["a"].fac, world["a"].org.id, YEAR, now=NOW)
        full = len(statements)
    finally:
        event.remove(connection, "before_cursor_execute", count)
    assert small == full and full <= 12


def test_only_people_who_follow_the_organisation(world):
    a, b = world["a"], world["b"]
    for outsider in (b.fac, a.people[0], a.finance, make_person()):
        with pytest.raises(NotFound):
            yearly_report(outsider, a.org.id, YEAR)
    for insider in (a.fac, a.staff, make_person((a.org, Role.ADMIN))):
        assert yearly_report(insider, a.org.id, YEAR, now=NOW).rounds_held == 4
    admin = make_person(admin=True)
    with pytest.raises(NotFound):
        yearly_report(admin, 10**9, YEAR)


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\u00a0", " "))


def _flat(value: str) -> str:
    return re.sub(r"\s+", " ", value.replace("\u202f", " ").replace("\u00a0", " "))


def test_summary_then_details_in_the_pdf(world):
    a = world["a"]
    report = yearly_report(a.fac, a.org.id, YEAR, now=NOW)
    lines = summary(report)
    assert lines[0] == "In 2024, you held 4 consultations."
    assert lines[1] == "10 people gave their opinion."
    assert 5 <= len(lines) <= 9
    text = _text(report_pdf(report))
    for line in lines:
        assert _flat(line) in text
    assert text.index(_flat(lines[0])) < text.index("The details")
    assert _flat(format_amount(report.costs.total)) in text
    assert "Nous avons fait 2, facile (La santé)" in text
    assert "CRPA Hauts-de-France" in text

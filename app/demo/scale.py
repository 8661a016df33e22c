"""Scaled-up demo data for the load benchmark (`flask demo load --scale N`).

After the normal demo, adds N x 1000 fictional participants of the demo CRPA, one open round
of 10 questions that all of them are invited to, where 40 % have sent their answers
(N = 25: 25,000 people, 10,000 responses, 100,000 answers), and about 10,000 expense lines
(N x 400, capped at 10,000) in sent requests. Bulk inserts with SQLAlchemy Core; the password
hash is computed once. The first BENCH_USERS people have no response, so that a load test can
start and fill one for each of them. Run it once on a fresh database (it refuses twice).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select

from app import db
from app.accounts.models import Membership, Organisation, Person, Role
from app.accounts.services import hash_secret
from app.consultations import services
from app.consultations.models import (
    Answer,
    AnswerChoice,
    Channel,
    ConsultationRound,
    Invitation,
    QuestionKind,
    Response,
    RoundStatus,
)
from app.consultations.services import ChoiceData, RoundData
from app.db import utcnow
from app.expenses.models import (
    ActivityType,
    Category,
    ExpenseLine,
    ExpenseRequest,
    RequestKind,
    RequestStatus,
)

SCALE_TITLE = "Grande consultation : la vie quotidienne (démo à grande échelle)"
SCALE_DOMAIN = "scale.parole.invalid"
SCALE_EXPENSE_LABEL = "Réunion du comité (démo à grande échelle)"
BENCH_USERS = 200  # invited, no response yet: the load test answers as them
ANSWERED_SHARE = 0.4
MAX_EXPENSE_LINES = 10_000
LINES_PER_REQUEST = 4
CHUNK = 5_000

QUESTIONS = [
    (QuestionKind.SINGLE, "Comment venez-vous aux réunions ?", ["À pied", "En bus", "En voiture"]),
    (QuestionKind.SCALE, "Êtes-vous satisfait de l'accueil ?", None),
    (QuestionKind.YES_NO, "Avez-vous déjà renoncé à une aide ?", None),
    (QuestionKind.SINGLE, "Qui vous aide pour les papiers ?", ["Personne", "Un proche", "Un pro"]),
    (QuestionKind.SCALE, "Êtes-vous satisfait des horaires ?", None),
    (QuestionKind.YES_NO, "Avez-vous un accès à internet ?", None),
    (QuestionKind.MULTIPLE, "Quels lieux connaissez-vous ?", ["CCAS", "CAF", "Mairie"]),
    (QuestionKind.SCALE, "Vous sentez-vous écouté ?", None),
    (QuestionKind.YES_NO, "Voulez-vous participer à la suite ?", None),
    (QuestionKind.LONG_TEXT, "Qu'est-ce qui vous aiderait le plus ?", None),
]
TEXTS = [
    "Quelqu'un pour m'aider à remplir les papiers.",
    "Des courriers plus simples.",
    "Pouvoir appeler quelqu'un au téléphone.",
]


def scale_email(index: int) -> str:
    return f"p{index:06d}@{SCALE_DOMAIN}"


def _chunks(rows: list[dict], size: int = CHUNK):
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _insert(model, rows: list[dict]) -> None:
    """Core executemany on the table (not the ORM bulk path, which goes row by row here)."""
    connection = db.session.connection()
    for chunk in _chunks(rows):
        connection.execute(insert(model.__table__), chunk)


def load_scale(scale: int, password: str) -> dict[str, int]:
    """Add the scaled data (after load_demo). Returns the counts added."""
    if scale < 1:
        return {}
    if db.session.scalar(
        select(ConsultationRound.id).where(ConsultationRound.title == SCALE_TITLE)
    ):
        raise RuntimeError("The scaled demo data is already loaded.")
    org = db.session.scalar(select(Organisation).order_by(Organisation.id).limit(1))
    facilitator = db.session.scalar(
        select(Person).where(Person.email == "animatrice@demo.parole.invalid")
    )
    assert org is not None and facilitator is not None, "load the normal demo first"
    now = utcnow()
    secret = hash_secret(password)  # once: scrypt is slow on purpose

    people = scale * 1000
    _insert(
        Person,
        [
            {
                "display_name": f"Personne {i} (démo)",
                "email": scale_email(i),
                "secret_hash": secret,
                "created_at": now,
                "secret_changed_at": now,
            }
            for i in range(people)
        ],
    )
    ids = list(
        db.session.scalars(
            select(Person.id).where(Person.email.like(f"%@{SCALE_DOMAIN}")).order_by(Person.email)
        )
    )
    _insert(
        Membership,
        [
            {
                "person_id": pid,
                "organisation_id": org.id,
                "role": Role.PARTICIPANT,
                "created_at": now,
            }
            for pid in ids
        ],
    )

    # The round, through the services (so it is a valid open round), then the crowd in bulk.
    opens = now - timedelta(days=1)
    round_ = services.create_round(
        facilitator,
        org,
        RoundData(
            title=SCALE_TITLE,
            title_easy="Votre vie de tous les jours",
            subject="Une grande consultation pour mesurer Parole avec beaucoup de réponses.",
            subject_easy="Beaucoup de personnes répondent.",
            why="Pour vérifier que la plateforme reste rapide.",
            what_next="Rien : ce sont des données de démonstration.",
            contact_name="Fanny, animatrice (fictive)",
            opens_at=opens,
            closes_at=opens + timedelta(days=21),
        ),
    )
    for kind, text, choices in QUESTIONS:
        services.add_question(
            facilitator,
            round_,
            kind,
            text,
            text,
            [ChoiceData(label, None) for label in choices] if choices else (),
        )
    # One invitation through the ORM before announcing (the rule wants one), so that the
    # announcement mails one person; the crowd is invited in bulk once the round is open.
    paul = db.session.scalar(select(Person).where(Person.email == "paul@demo.parole.invalid"))
    db.session.add(Invitation(round_id=round_.id, person_id=(paul or facilitator).id))
    db.session.flush()
    db.session.refresh(round_, ["invitations"])
    services.transition(facilitator, round_, RoundStatus.ANNOUNCED, now=opens - timedelta(days=9))
    services.transition(facilitator, round_, RoundStatus.OPEN, now=opens)
    db.session.flush()

    _insert(
        Invitation, [{"round_id": round_.id, "person_id": pid, "created_at": now} for pid in ids]
    )
    invitations = dict(
        db.session.execute(
            select(Invitation.person_id, Invitation.id).where(
                Invitation.round_id == round_.id,
                Invitation.person_id.in_(
                    select(Person.id).where(Person.email.like(f"%@{SCALE_DOMAIN}"))
                ),
            )
        ).all()
    )
    answering = ids[BENCH_USERS : BENCH_USERS + int(people * ANSWERED_SHARE)]
    _insert(
        Response,
        [
            {
                "round_id": round_.id,
                "invitation_id": invitations[pid],
                "channel": Channel.SELF,
                "started_at": now,
                "submitted_at": now,
            }
            for pid in answering
        ],
    )
    response_ids = list(
        db.session.scalars(
            select(Response.id)
            .where(Response.round_id == round_.id, Response.submitted_at.is_not(None))
            .order_by(Response.id)
        )
    )
    questions = round_.questions
    answer_rows = []
    for n, rid in enumerate(response_ids):
        for q in questions:
            row = {
                "response_id": rid,
                "question_id": q.id,
                "value_int": None,
                "value_text": None,
                "declined": n % 23 == 0,
                "updated_at": now,
            }
            if q.kind == QuestionKind.SCALE:
                row["value_int"] = 1 + (n * 7 + q.position) % 5
            elif q.kind == QuestionKind.LONG_TEXT:
                row["value_text"] = TEXTS[n % 3]
            answer_rows.append(row)
    _insert(Answer, answer_rows)

    # One choice per choice question (two for the "several answers" one).
    choices = {q.id: [c.id for c in q.choices] for q in questions if q.kind.has_choices}
    multiple = {q.id for q in questions if q.kind == QuestionKind.MULTIPLE}
    selections = []
    rows = db.session.execute(
        select(Answer.id, Answer.question_id, Answer.response_id)
        .join(Response, Response.id == Answer.response_id)
        .where(
            Response.round_id == round_.id,
            Answer.question_id.in_(list(choices)),
            Answer.declined.is_(False),
        )
    ).all()
    for answer_id, question_id, response_id in rows:
        options = choices[question_id]
        picked = {options[(response_id + question_id) % len(options)]}
        if question_id in multiple and response_id % 2:
            picked.add(options[(response_id + 1) % len(options)])
        selections.extend({"answer_id": answer_id, "choice_id": c} for c in picked)
    _insert(AnswerChoice, selections)

    # Expense requests: sent, with sworn local transport and flat-rate meals (no files needed).
    line_count = min(MAX_EXPENSE_LINES, scale * 400)
    request_count = line_count // LINES_PER_REQUEST
    owners = ids[BENCH_USERS : BENCH_USERS + request_count]
    _insert(
        ExpenseRequest,
        [
            {
                "organisation_id": org.id,
                "person_id": pid,
                "kind": RequestKind.REIMBURSEMENT,
                "status": RequestStatus.SUBMITTED,
                "activity_type": ActivityType.CONSULTATION,
                "activity_label": SCALE_EXPENSE_LABEL,
                "activity_on": date(2026, 1, 1) + timedelta(days=n % 300),
                "created_at": now,
                "submitted_at": now,
            }
            for n, pid in enumerate(owners)
        ],
    )
    request_ids = list(
        db.session.scalars(
            select(ExpenseRequest.id)
            .where(ExpenseRequest.activity_label == SCALE_EXPENSE_LABEL)
            .order_by(ExpenseRequest.id)
        )
    )
    line_rows = []
    for n, rid in enumerate(request_ids):
        for k in range(LINES_PER_REQUEST):
            meal = k % 2 == 1
            line_rows.append(
                {
                    "request_id": rid,
                    "category": Category.MEAL if meal else Category.LOCAL_TRANSPORT,
                    "description": "",
                    "amount": Decimal("15.00") if meal else Decimal("1.80") + n % 5,
                    "flat_rate": meal,
                    "sworn_statement": not meal,
                }
            )
    _insert(ExpenseLine, line_rows)
    db.session.commit()
    total_answers = db.session.scalar(
        select(func.count(Answer.id))
        .join(Response, Response.id == Answer.response_id)
        .where(Response.round_id == round_.id)
    )
    return {
        "people": len(ids),
        "round_id": round_.id,
        "responses": len(response_ids),
        "answers": total_answers or 0,
        "answer_choices": len(selections),
        "expense_requests": len(request_ids),
        "expense_lines": len(line_rows),
    }

"""No N+1: each main page issues the same number of SQL statements whatever the amount of
data behind it. Two worlds built the same way, one small and one large; the counts must be
equal page by page."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import event

from app import db
from app.accounts.models import OrganisationKind, Role
from app.consultations import services as consultations
from app.expenses import services as expenses
from app.expenses.models import ActivityType, Category, RequestKind
from app.trainings import services as trainings
from tests.conftest import get_db_from, login
from tests.factories import PASSWORD
from tests.worlds import a_mission, a_round, an_organisation

SMALL, LARGE = 2, 9


def _world(tag: str, n: int) -> dict:
    """`n` of everything: participants who answered a round, requests, missions and sign-ups."""
    team = an_organisation(f"CCAS {tag}")
    people = team.join_many(f"{tag}-p", n, names=[f"P{i}" for i in range(n)])
    facilitator = team.join(f"{tag}-fac", Role.FACILITATOR)
    team.join(f"{tag}-fin", Role.FINANCE)
    team.join(f"{tag}-mod", Role.MODERATOR)
    round_ = a_round(team.org, facilitator, step="open", invited=people, discussion=True)
    round_.discussion_moderation = "pre"  # every message waits in the moderation queue
    for person in people:
        consultations.add_comment(person, round_, "Il faut plus de logements sociaux.")
    for i in range(n):  # "My texts" of the first person lists n + 1 messages
        consultations.add_comment(people[0], round_, f"Et aussi des foyers ({i}).")
    for person in people:
        response = consultations.start_response(person, round_)
        for question in round_.questions:
            if question.choices:
                value = consultations.AnswerInput(choice_ids=[question.choices[0].id])
            elif question.kind.value == "scale":
                value = consultations.AnswerInput(value_int=3)
            else:
                value = consultations.AnswerInput(value_text="Plus de logements.")
            consultations.save_answer(person, response, question, value)
        consultations.submit_response(person, response)
    for i in range(n):
        request = expenses.create_request(
            people[0],
            people[0],
            team.org,
            RequestKind.REIMBURSEMENT,
            ActivityType.CONSULTATION,
            f"R{i}",
        )
        expenses.add_line(people[0], request, expenses.LineInput(Category.TRAIN, "12,50"))
    institute = an_organisation(f"IRTS {tag}", kind=OrganisationKind.TRAINING_INSTITUTE)
    staff = institute.join(f"{tag}-staff", Role.INSTITUTE_STAFF)
    missions = [
        a_mission(
            staff,
            institute.org,
            f"Cours {i}",
            seats=n,
            starts_in=timedelta(days=10 + i),
            place="IRTS",
            departement="59",
            hourly_rate=Decimal("20.00"),
        )
        for i in range(n)
    ]
    for person in people:
        for mission in missions:
            trainings.sign_up(person, person, mission, trainings.SignupData(contact_channel="sms"))
    return {"round": round_.id, "mission": missions[0].id, "institute": institute.org.id}


@contextmanager
def _counting(app) -> Iterator[list[str]]:
    engine = get_db_from(app).engine
    statements: list[str] = []

    def _count(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", _count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", _count)


PAGES = {
    "p0": [
        "/",
        "/consultations/",
        "/expenses/",
        "/co-training/",
        "/co-training/mine",
        "/moderation/mine",
    ],
    "fac": [
        "/consultations/",
        "/consultations/{round}",
        "/consultations/{round}/results",
        "/expenses/",
    ],
    "fin": ["/expenses/"],
    "mod": ["/moderation/"],
    "staff": [
        "/co-training/organisations/{institute}/missions",
        "/co-training/missions/{mission}/manage",
    ],
}


def _counts(app, tag: str, ids: dict) -> dict[str, int]:
    found = {}
    for who, urls in PAGES.items():
        client = app.test_client()
        login(client, f"{tag}-{who}@e.test", PASSWORD)
        for url in urls:
            path = url.format(**ids)
            client.get(path)  # warm caches (translations, templates)
            with _counting(app) as statements:
                response = client.get(path)
            assert response.status_code == 200, path
            found[f"{who} {url}"] = len(statements)
    return found


def test_main_pages_issue_a_constant_number_of_queries(app):
    with app.test_request_context("/"):
        small = _world("small", SMALL)
        large = _world("large", LARGE)
        db.session.commit()
    small_counts = _counts(app, "small", small)
    large_counts = _counts(app, "large", large)
    growing = {
        page: (small_counts[page], large_counts[page])
        for page in small_counts
        if large_counts[page] != small_counts[page]
    }
    assert not growing, f"queries grow with the data (small, large): {growing}"

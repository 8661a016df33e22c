"""Results are computed in SQL; checked against counts made in Python on generated data."""

import random
from collections import Counter

import pytest
from sqlalchemy import insert, select

from app import db
from app.accounts.models import Role
from app.consultations import services
from app.consultations.models import (
    Answer,
    AnswerChoice,
    Channel,
    Invitation,
    Response,
    RoundStatus,
)
from app.consultations.services import AnswerInput
from app.core.errors import NotAllowed
from app.db import utcnow
from tests.consultation_factories import make_round, open_round
from tests.factories import make_person

pytestmark = pytest.mark.usefixtures("ctx")


def test_aggregation_on_10000_generated_answers_matches_python_counts():
    rng = random.Random(20261123)
    round_, facilitator = make_round()
    open_round(round_, facilitator, [make_person((round_.organisation, Role.PARTICIPANT))])
    q_single, q_scale, q_yes_no, q_text = round_.questions
    n = 2500  # x 4 questions = 10,000 answers
    now = utcnow()
    db.session.execute(
        insert(Invitation),
        [{"round_id": round_.id, "paper_code": f"G-{i:06d}", "created_at": now} for i in range(n)],
    )
    invitation_ids = db.session.scalars(
        select(Invitation.id).where(Invitation.paper_code.like("G-%")).order_by(Invitation.id)
    ).all()
    channels = [rng.choice(list(Channel)) for _ in range(n)]
    db.session.execute(
        insert(Response),
        [
            {
                "round_id": round_.id,
                "invitation_id": inv,
                "channel": ch,
                "started_at": now,
                "submitted_at": now,
            }
            for inv, ch in zip(invitation_ids, channels, strict=True)
        ],
    )
    response_ids = db.session.scalars(
        select(Response.id).where(Response.round_id == round_.id).order_by(Response.id)
    ).all()
    answers, picks = [], []
    expected_choice = Counter()
    expected_choice_channel = Counter()
    expected_scale = Counter()
    expected_declined = Counter()
    for rid, ch in zip(response_ids, channels, strict=True):
        for question in (q_single, q_scale, q_yes_no, q_text):
            declined = rng.random() < 0.1
            row = {
                "response_id": rid,
                "question_id": question.id,
                "declined": declined,
                "updated_at": now,
                "value_int": None,
                "value_text": None,
            }
            if declined:
                expected_declined[question.id] += 1
            elif question is q_scale:
                row["value_int"] = rng.randint(1, 5)
                expected_scale[row["value_int"]] += 1
            elif question is q_text:
                row["value_text"] = "texte"
            answers.append(row)
            if not declined and question in (q_single, q_yes_no):
                choice = rng.choice(question.choices)
                picks.append((rid, question.id, choice.id))
                expected_choice[choice.id] += 1
                expected_choice_channel[(choice.id, ch)] += 1
    db.session.execute(insert(Answer), answers)
    answer_ids = dict(
        ((r, q), a)
        for a, r, q in db.session.execute(select(Answer.id, Answer.response_id, Answer.question_id))
    )
    db.session.execute(
        insert(AnswerChoice),
        [{"answer_id": answer_ids[(r, q)], "choice_id": c} for r, q, c in picks],
    )
    assert db.session.scalar(select(db_count(Answer.id))) == 10_000

    results = services.compute_results(facilitator, round_, include_texts=False)
    assert results.respondents.value == n
    assert {c: v.value for c, v in results.by_channel.items()} == dict(Counter(channels))
    by_id = {r.question.id: r for r in results.questions}
    for question in (q_single, q_yes_no):
        for cr in by_id[question.id].choices:
            assert cr.total.value == expected_choice[cr.choice.id]
            for ch in Channel:
                got = cr.by_channel.get(ch)
                assert (got.value if got else 0) == expected_choice_channel[(cr.choice.id, ch)]
    assert {v: c.value for v, c in by_id[q_scale.id].scale.items()} == {
        v: expected_scale[v] for v in range(1, 6)
    }
    mean = sum(v * c for v, c in expected_scale.items()) / sum(expected_scale.values())
    assert by_id[q_scale.id].average == round(mean, 1)
    for question in round_.questions:
        assert by_id[question.id].declined.value == expected_declined[question.id]
        assert by_id[question.id].answered.value == n - expected_declined[question.id]


def db_count(column):
    from sqlalchemy import func

    return func.count(column)


def _answer_all(person, round_, pick):
    response = services.start_response(person, round_)
    q1, q2, q3, q4 = round_.questions
    services.save_answer(person, response, q1, AnswerInput(choice_ids=[q1.choices[pick].id]))
    services.save_answer(person, response, q2, AnswerInput(value_int=pick + 1))
    services.save_answer(person, response, q3, AnswerInput(declined=True))
    services.save_answer(person, response, q4, AnswerInput(value_text=f"Réponse {pick}"))
    services.submit_response(person, response)
    return response


def test_small_counts_are_hidden_and_unsent_answers_ignored():
    round_, facilitator = make_round()
    people = [make_person((round_.organisation, Role.PARTICIPANT)) for _ in range(8)]
    open_round(round_, facilitator, people)
    for person in people[:6]:
        _answer_all(person, round_, 0)
    _answer_all(people[6], round_, 1)
    unsent = services.start_response(people[7], round_)
    services.save_answer(
        people[7],
        unsent,
        round_.questions[0],
        AnswerInput(choice_ids=[round_.questions[0].choices[2].id]),
    )
    results = services.compute_results(facilitator, round_)
    single = results.questions[0]
    counts = {c.choice.position: c.total for c in single.choices}
    assert counts[1].value == 6 and not counts[1].hidden
    assert counts[2].value == 1 and counts[2].hidden
    # The zero is hidden too: 7 answers - 6 - 0 would give the hidden 1 back (disclosure.py).
    assert counts[3].value == 0 and counts[3].hidden
    assert counts[2].percent_of(single.answered.value) is None
    assert results.respondents.value == 7


def test_participants_see_results_only_after_publication_and_never_raw_answers_of_others():
    round_, facilitator = make_round()
    people = [make_person((round_.organisation, Role.PARTICIPANT)) for _ in range(2)]
    open_round(round_, facilitator, people)
    response = _answer_all(people[0], round_, 0)
    with pytest.raises(NotAllowed):
        services.compute_results(people[1], round_)
    services.transition(facilitator, round_, RoundStatus.CLOSED)
    services.transition(facilitator, round_, RoundStatus.RESULTS)
    assert services.compute_results(people[1], round_).respondents.value == 1
    with pytest.raises(NotAllowed):
        services.save_answer(people[1], response, round_.questions[0], AnswerInput(declined=True))


def test_counts_are_kept_until_an_answer_is_sent(app):
    from app.db import get_db

    round_, facilitator = make_round()
    people = [make_person((round_.organisation, Role.PARTICIPANT)) for _ in range(7)]
    open_round(round_, facilitator, people)
    for i, person in enumerate(people[:6]):
        _answer_all(person, round_, i % 2)
    memo = get_db().memo
    first = services.compute_results(facilitator, round_)
    made = memo.made
    again = services.compute_results(facilitator, round_)
    assert memo.made == made  # counted once for this state of the round
    assert [(r.answered, r.scale, r.average) for r in again.questions] == [
        (r.answered, r.scale, r.average) for r in first.questions
    ]
    # Values 1 and 2, three times each: both under 5, hidden, and so is their average.
    assert first.questions[1].scale[1].hidden and first.questions[1].average is None
    _answer_all(people[6], round_, 2)  # a seventh answer changes every count
    after = services.compute_results(facilitator, round_)
    assert memo.made == made + 1
    assert after.respondents.value == 7
    assert after.questions[1].scale[3].value == 1
    assert after.questions[1].scale[3].hidden and after.questions[1].average is None
    # Seven texts sent, none shown: the facilitator has not chosen any (curation.py).
    assert after.questions[3].text_total == 7 and after.questions[3].texts == []

"""Disclosure control, property test: over random rounds (several channels, tiny groups,
conditional questions, every kind with counts, free-text questions with quotes chosen,
thresholds 3 to 6), nothing a participant can get (the results page's numbers, the charts,
the summary PDF's lines, the evaluation table, the quotes they can count) lets anyone work
out a hidden count exactly.

For each hidden count, the published numbers and everything a reader knows about how they
add up are written as integer linear constraints (each hidden count between 0 and the
number of people); HiGHS (scipy.optimize.milp) finds the smallest and the largest value the
hidden count can take: they must differ. Each quote is one answer: the quotes a participant
can count are a least number of people who answered. What a reader knows of the rules is
written in too when it always holds: two counts adding up to a count that is shown, both
hidden, are each at least 1 (one is small, and the other is not 0: it would be the whole,
not small, and nothing would be hidden).
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass, field

import numpy as np
import pytest
from flask_babel import gettext as _
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp
from sqlalchemy import insert

from app import db
from app.consultations import charts, services
from app.consultations.curation_models import Quote, QuotesReady
from app.consultations.kinds import Count, kind_of
from app.consultations.models import (
    EVALUATION_QUESTIONS,
    Answer,
    AnswerChoice,
    Channel,
    Choice,
    Evaluation,
    EvaluationAnswer,
    Invitation,
    Question,
    QuestionKind,
    Response,
    RoundStatus,
)
from app.db import utcnow
from tests.consultation_factories import make_round

pytestmark = pytest.mark.usefixtures("ctx")

WITH_CHOICES = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.YES_NO)
TEXTS = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)
KINDS = (*WITH_CHOICES, QuestionKind.SCALE, QuestionKind.RANKING, *TEXTS)


# --- random rounds ------------------------------------------------------------------------------


@dataclass
class QuestionSpec:
    kind: QuestionKind
    choices: int
    condition: tuple[int, int] | None  # (earlier question, its choice) that shows it


@dataclass
class RoundSpec:
    threshold: int
    questions: list[QuestionSpec]
    people: list[Channel]
    # per person, per question: None (not shown), "declined", or the answer
    answers: list[list[object]] = field(default_factory=list)
    evaluations: list[tuple[EvaluationAnswer, ...] | None] = field(default_factory=list)
    # per question: how many of its written answers the facilitator chose, and whether the
    # choice is finished (only then are they shown)
    quotes: list[tuple[int, bool]] = field(default_factory=list)


def _shown(spec: RoundSpec, person: list[object], q: QuestionSpec) -> bool:
    if q.condition is None:
        return True
    earlier, choice = q.condition
    given_answer = person[earlier]
    if given_answer is None or given_answer == "declined":
        return False
    chosen = given_answer if isinstance(given_answer, tuple) else (given_answer,)
    return choice in chosen


@st.composite
def rounds(draw: st.DrawFn) -> RoundSpec:
    threshold = draw(st.integers(3, 6))
    questions: list[QuestionSpec] = []
    for _number in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(KINDS))
        choices = {
            QuestionKind.SINGLE: draw(st.integers(2, 4)),
            QuestionKind.MULTIPLE: draw(st.integers(2, 3)),
            QuestionKind.YES_NO: 2,
            QuestionKind.RANKING: draw(st.integers(2, 3)),
            QuestionKind.SCALE: 0,
            QuestionKind.SHORT_TEXT: 0,
            QuestionKind.LONG_TEXT: 0,
        }[kind]
        shows = [
            (i, c)
            for i, earlier in enumerate(questions)
            if earlier.kind in WITH_CHOICES
            for c in range(earlier.choices)
        ]
        condition = draw(st.sampled_from(shows)) if shows and draw(st.booleans()) else None
        questions.append(QuestionSpec(kind, choices, condition))
    sizes = {
        Channel.SELF: draw(st.integers(0, 14)),
        Channel.ASSISTED: draw(st.integers(0, 3)),  # tiny groups: often one helped person
        Channel.PAPER: draw(st.integers(0, 7)),
    }
    people = [channel for channel, n in sizes.items() for _ in range(n)]
    spec = RoundSpec(threshold, questions, people)
    for _person in people:
        given_answers: list[object] = []
        for q in questions:
            if not _shown(spec, given_answers, q):
                given_answers.append(None)
            elif draw(st.integers(0, 5)) == 0:
                given_answers.append("declined")
            elif q.kind in (QuestionKind.SINGLE, QuestionKind.YES_NO):
                given_answers.append(draw(st.integers(0, q.choices - 1)))
            elif q.kind == QuestionKind.MULTIPLE:
                picked = draw(st.sets(st.integers(0, q.choices - 1), min_size=1))
                given_answers.append(tuple(sorted(picked)))
            elif q.kind == QuestionKind.SCALE:
                given_answers.append(draw(st.integers(1, 5)))
            elif q.kind in TEXTS:
                given_answers.append("text")
            else:
                given_answers.append(draw(st.permutations(list(range(q.choices)))))
        spec.answers.append(given_answers)
        evaluation = draw(st.none() | st.tuples(*[st.sampled_from(list(EvaluationAnswer))] * 4))
        spec.evaluations.append(evaluation)
    for n, q in enumerate(questions):
        written = sum(person[n] == "text" for person in spec.answers)
        # Often every text: the most a facilitator can give away.
        chosen = draw(st.just(written) | st.integers(0, written)) if q.kind in TEXTS else 0
        spec.quotes.append((chosen, draw(st.integers(0, 3)) > 0))
    return spec


# The walk that found the leak: 6 people, threshold 5; 5 wrote, 1 preferred not to answer
# (both hidden); the facilitator chose the 5 texts. Counting 5 quotes gave 5 and 1 back.
WALK = RoundSpec(
    threshold=5,
    questions=[QuestionSpec(QuestionKind.LONG_TEXT, 0, None)],
    people=[Channel.SELF] * 6,
    answers=[["text"]] * 5 + [["declined"]],
    evaluations=[None] * 6,
    quotes=[(5, True)],
)
# The same with a conditional question: 5 "Oui" (hidden, and the "Non" with them) saw
# question 2; its 5 quotes gave the 5 "Oui" back.
WALK_CONDITIONAL = RoundSpec(
    threshold=5,
    questions=[
        QuestionSpec(QuestionKind.YES_NO, 2, None),
        QuestionSpec(QuestionKind.SHORT_TEXT, 0, (0, 0)),
    ],
    people=[Channel.SELF] * 6,
    answers=[[0, "text"]] * 5 + [[1, None]],
    evaluations=[None] * 6,
    quotes=[(0, False), (5, True)],
)


_codes = itertools.count(1)


def _build(spec: RoundSpec):  # noqa: ANN202
    """The round in the database, as the answering pages would leave it."""
    round_, facilitator = make_round(questions=False)
    round_.small_group_threshold = spec.threshold
    questions: list[Question] = []
    for position, q in enumerate(spec.questions, start=1):
        question = Question(
            round_id=round_.id, position=position, kind=q.kind, text=f"Question {position}"
        )
        labels = ("Oui", "Non") if q.kind == QuestionKind.YES_NO else None
        for n in range(q.choices):
            label = labels[n] if labels else f"Réponse {n + 1}"
            question.choices.append(Choice(position=n + 1, label=label))
        db.session.add(question)
        db.session.flush()
        if q.condition is not None:
            earlier, choice = q.condition
            question.condition_choice_id = questions[earlier].choices[choice].id
        questions.append(question)
    round_.status = RoundStatus.RESULTS
    db.session.flush()
    db.session.refresh(round_, ["questions"])
    now = utcnow()
    written: dict[int, list[int]] = {}
    answer_number = 1
    for channel, person, evaluation in zip(
        spec.people, spec.answers, spec.evaluations, strict=True
    ):
        invitation = Invitation(round_id=round_.id, paper_code=f"DP-{next(_codes):07d}")
        db.session.add(invitation)
        db.session.flush()
        response = Response(
            round_id=round_.id,
            invitation_id=invitation.id,
            channel=channel,
            started_at=now,
            submitted_at=now,
        )
        db.session.add(response)
        db.session.flush()
        for q, question, given_answer in zip(spec.questions, questions, person, strict=True):
            if given_answer is None:
                continue
            answer_id = db.session.execute(
                insert(Answer)
                .values(
                    response_id=response.id,
                    question_id=question.id,
                    declined=given_answer == "declined",
                    value_int=(
                        given_answer
                        if q.kind == QuestionKind.SCALE and given_answer != "declined"
                        else None
                    ),
                    value_text=f"Texte {answer_number}" if given_answer == "text" else None,
                    updated_at=now,
                )
                .returning(Answer.id)
            ).scalar_one()
            answer_number += 1
            if given_answer == "text":
                written.setdefault(question.id, []).append(answer_id)
            if given_answer == "declined" or q.kind in (QuestionKind.SCALE, *TEXTS):
                continue
            if q.kind == QuestionKind.RANKING:
                rows = [
                    {"answer_id": answer_id, "choice_id": question.choices[c].id, "position": p}
                    for p, c in enumerate(given_answer, start=1)
                ]
            else:
                picked = given_answer if isinstance(given_answer, tuple) else (given_answer,)
                rows = [
                    {"answer_id": answer_id, "choice_id": question.choices[c].id} for c in picked
                ]
            db.session.execute(insert(AnswerChoice), rows)
        if evaluation is not None:
            db.session.add(
                Evaluation(
                    round_id=round_.id,
                    invitation_id=invitation.id,
                    **dict(zip(EVALUATION_QUESTIONS, evaluation, strict=True)),
                )
            )
    for question, (chosen, ready) in zip(questions, spec.quotes, strict=True):
        for answer_id in written.get(question.id, [])[:chosen]:
            db.session.add(Quote(answer_id=answer_id, chosen=True))
        if ready:
            db.session.add(QuotesReady(question_id=question.id))
    db.session.flush()
    return round_, facilitator


# --- what a reader can work out ----------------------------------------------------------------


def _cells(r) -> tuple[list[Count], bool]:  # noqa: ANN001
    """A question's published counts by kind, and whether they add up to its answers."""
    kind = r.question.kind
    if kind in (QuestionKind.SINGLE, QuestionKind.YES_NO):
        return [c.total for c in r.choices], True
    if kind == QuestionKind.MULTIPLE:  # one person may tick several boxes
        return [c.total for c in r.choices], False
    if kind == QuestionKind.SCALE:
        return list(r.scale.values()), True
    if kind == QuestionKind.RANKING:  # each person puts one answer first
        return [x.firsts for x in r.kind_figures], True
    return [], True


class Reader:
    """The published numbers and how they add up, as integer linear constraints."""

    def __init__(self, upper: int) -> None:
        self.upper = upper  # nobody can count more people than sent answers
        self.index: dict[int, int] = {}
        self.bounds: list[tuple[int, int]] = []
        self.truth: list[int] = []
        self.rows: list[tuple[dict[int, int], float, float]] = []

    def var(self, count: Count, low: int = 0, high: int | None = None) -> int:
        key = id(count)
        if key not in self.index:
            self.index[key] = len(self.bounds)
            self.bounds.append((low, self.upper if high is None else high))
            self.truth.append(count.value)
        return self.index[key]

    def term(self, count: Count) -> tuple[int | None, int]:
        return (self.var(count), 0) if count.hidden else (None, count.value)

    def relation(self, plus: list[Count], minus: list[Count], low: float, high: float) -> None:
        """low <= sum(plus) - sum(minus) <= high."""
        coefs: dict[int, int] = {}
        constant = 0
        for sign, counts in ((1, plus), (-1, minus)):
            for count in counts:
                index, value = self.term(count)
                if index is None:
                    constant += sign * value
                else:
                    coefs[index] = coefs.get(index, 0) + sign
        self.rows.append((coefs, low - constant, high - constant))

    def equal(self, cells: list[Count], total: Count) -> None:
        self.relation(cells, [total], 0, 0)
        if len(cells) == 2 and all(c.hidden for c in cells) and not total.hidden:
            # One is small (1 or more), so the other is not the whole: each at least 1.
            for cell in cells:
                self.relation([cell], [], 1, total.value - 1)

    def at_least(self, count: Count, low: int) -> None:
        self.relation([count], [], low, self.upper)

    def solve_bounds(self, index: int) -> tuple[float, float]:
        n = len(self.bounds)
        matrix = np.zeros((len(self.rows), n))
        low = np.zeros(len(self.rows))
        high = np.zeros(len(self.rows))
        for r, (coefs, lo, hi) in enumerate(self.rows):
            for i, coef in coefs.items():
                matrix[r, i] = coef
            low[r], high[r] = lo, hi
        constraints = [LinearConstraint(matrix, low, high)] if self.rows else []
        bounds = Bounds([b[0] for b in self.bounds], [b[1] for b in self.bounds])
        found = []
        for sign in (1, -1):
            c = np.zeros(n)
            c[index] = sign
            result = milp(c, constraints=constraints, bounds=bounds, integrality=np.ones(n))
            assert result.success, result.message
            found.append(sign * result.fun)
        return found[0], found[1]


def published(round_, facilitator) -> tuple[Reader, list[tuple[str, Count]]]:  # noqa: ANN001
    """Everything a participant can get, as the reader's constraints; and each hidden
    count with where it is published."""
    results = services.compute_results(facilitator, round_)  # with the quotes
    threshold = results.threshold
    respondents = results.respondents
    reader = Reader(threshold - 1 if respondents.hidden else respondents.value)
    hidden: list[tuple[str, Count]] = []
    if respondents.hidden:  # "fewer than N people sent their answers"
        reader.var(respondents, 1, threshold - 1)
        hidden.append(("people who answered", respondents))

    # The round's breakdown by channel: all or nothing, and never a small group.
    if results.by_channel:
        assert all(c.value == 0 or c.value >= threshold for c in results.by_channel.values())
        assert not any(c.hidden for c in results.by_channel.values())
        reader.equal(list(results.by_channel.values()), respondents)

    by_choice = {c.choice.id: c for r in results.questions for c in r.choices}
    for r in results.questions:
        where = f"question {r.question.position}"
        condition = r.question.condition_choice_id
        population = by_choice[condition].total if condition else respondents
        reader.equal([r.answered, r.declined], population)
        cells, adds_up = _cells(r)
        if cells and adds_up:
            reader.equal(cells, r.answered)
        elif cells:  # several answers: each at most the people who answered, all at least
            for cell in cells:
                reader.relation([cell], [r.answered], -reader.upper, 0)
            reader.relation(cells, [r.answered], 0, reader.upper * len(cells))
        for count in (r.answered, r.declined, *cells):
            if count.hidden:
                hidden.append((where, count))
            else:
                assert not 0 < count.value < threshold, f"{where}: a small count is shown"
        # Averages and the order only when none of the question's counts is hidden.
        if any(c.hidden for c in (r.answered, *cells)):
            assert r.average is None
            if r.question.kind == QuestionKind.RANKING:
                assert all(x.average is None for x in r.kind_figures)
        # A breakdown by channel: only when every number in it is large enough.
        declined_by_channel = getattr(r, "declined_by_channel", {})
        breakdown = [*r.answered_by_channel.values(), *declined_by_channel.values()]
        breakdown += [n for c in r.choices for n in c.by_channel.values()]
        if breakdown:
            assert not any(c.hidden for c in (r.answered, r.declined, *cells))
            assert all(n.value == 0 or n.value >= threshold for n in breakdown)
        # The chart shows the same counts, hidden the same way.
        for (_label, value, is_hidden), cell in zip(charts.rows_for(r), cells, strict=False):
            assert is_hidden == cell.hidden
            assert is_hidden or value == cell.value
        # Each quote a participant can count (results page, then the texts page) is one
        # answer: their number is a least number of people who answered.
        if kind_of(r.question).has_free_texts:
            quotes = services.question_texts(facilitator, round_, r.question.id, 1)
            assert quotes.total == r.quote_total
            assert r.texts == quotes.texts[: len(r.texts)]
            reader.at_least(r.answered, r.quote_total)
            # Hidden people who answered: the page always says some may not be shown.
            assert (r.quote_cap is not None) == r.answered.hidden
            if r.answered.hidden:
                event(f"free-text question, answers hidden: {r.quote_total} quotes counted")
        # The summary PDF's lines print the word for hidden, never a hidden value.
        lines = kind_of(r.question).summary_lines(r, threshold)
        word = _("hidden")
        assert sum(line.count(word) for line in lines) == sum(c.hidden for c in cells)

    # The evaluation table: each question's answers add up to the people who gave it (a
    # number the reader may not know: it is worked out from the rows when it can be).
    evaluation = services.evaluation_summary(facilitator, round_)
    given = Count(sum(c.value for c in next(iter(evaluation.values())).values()), True)
    for name, counts in evaluation.items():
        reader.equal(list(counts.values()), given)
        for answer, count in counts.items():
            if count.hidden:
                hidden.append((f"evaluation {name} {answer.value}", count))
            else:
                assert not 0 < count.value < threshold
    return reader, hidden


@settings(
    # More rounds for a longer hunt: PAROLE_DISCLOSURE_EXAMPLES=1000.
    max_examples=int(os.environ.get("PAROLE_DISCLOSURE_EXAMPLES", 60)),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=rounds())
@example(spec=WALK)
@example(spec=WALK_CONDITIONAL)
def test_no_hidden_count_can_be_worked_out_from_what_participants_get(spec):
    round_, facilitator = _build(spec)
    reader, hidden = published(round_, facilitator)
    # The reader's constraints hold for the real counts (the model of the reader is right).
    truth = reader.truth
    for coefs, low, high in reader.rows:
        value = sum(coef * truth[i] for i, coef in coefs.items())
        assert low <= value <= high
    event(f"hidden counts checked: {min(len(hidden), 10)}{'+' if len(hidden) >= 10 else ''}")
    event(f"conditional questions: {sum(q.condition is not None for q in spec.questions)}")
    texts = [q for q in spec.questions if q.kind in TEXTS]
    event(f"free-text questions: {len(texts)}")
    for where, count in hidden:
        smallest, largest = reader.solve_bounds(reader.var(count))
        assert smallest < largest, (
            f"{where}: the hidden count {count.value} is worked out exactly "
            f"(threshold {spec.threshold}, channels {[c.value for c in spec.people]})"
        )

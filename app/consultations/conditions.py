"""Conditional questions: "show this question only if the answer to question 2 is ...".

A question may name one choice of an EARLIER question of the same round whose kind lets its
choices show others (one answer, several answers, yes or no: `QuestionType.shows_others`).
It is then shown only to the people who chose that choice. The rules, in one place:

- **Authoring** (a draft only, like the rest of the question editor): `check()` refuses a
  choice of another round, of a later question or of a ranking. Moving a question above the
  question of its condition (or that question below it) is refused by `check_order()`, with
  a plain message: a move is a small gesture, and silently showing a question to everybody
  would be a bigger change than the one asked for; the facilitator changes the condition
  first, in one step. Removing a question, or a choice in the editor, drops the conditions
  that pointed to it: the questions concerned are returned so the page can say that they are
  now shown to everybody (`dropped_note()`).
- **Answering** (online, with help, typed in from paper): `shown_questions()` is what the
  person sees, in order. A question whose condition question has no answer yet counts as
  shown ("question 3 of 5" can become "question 3 of 4" once the answer says otherwise: the
  count never grows behind the person's back); "I prefer not to answer" shows none of the
  questions that depend on it; a question that depends on a hidden question is hidden too.
- **Sending**: the answers to questions that the final answers hide are deleted when the
  response is sent (`hidden_answers()`, called by `services.submit_response`). The person may
  change an earlier answer back and forth before sending without typing again; what is kept
  is exactly what they were shown, so results, exports and "My data" need no filter of their own.
- **Paper** (`paper_lines()`): each conditional question's page starts with who answers it
  and where to go otherwise, and the page before it ends with "If you ticked ... answer
  question 3. Otherwise, go to question 4."
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.consultations.kinds import kind_of
from app.consultations.models import Answer, Choice, ConsultationRound, Question
from app.core.errors import DomainError

FIELD = "condition_choice_id"
EVERYBODY = 0  # the editor's "shown to everybody"


def shows_others(question: Question) -> bool:
    return bool(kind_of(question).shows_others)


def _choices_by_id(round_: ConsultationRound) -> dict[int, Choice]:
    return {c.id: c for q in round_.questions for c in q.choices}


# --- authoring -------------------------------------------------------------------------------


def condition_options(
    round_: ConsultationRound, question: Question | None = None
) -> list[tuple[int, str]]:
    """The editor's list: "shown to everybody", then each choice of the questions before
    `question` (all questions for a new one) that may show others: "Question 2 — Yes"."""
    before = question.position if question is not None else len(round_.questions) + 1
    options = [(EVERYBODY, _("Everybody: no condition"))]
    for earlier in round_.questions:
        if earlier.position < before and shows_others(earlier):
            for choice in earlier.choices:
                label = _("Question %(n)s — %(choice)s", n=earlier.position, choice=choice.label)
                options.append((choice.id, label))
    return options


def check(round_: ConsultationRound, position: int, choice_id: int | None) -> int | None:
    """The condition of the question at `position`, checked: a choice id, or None."""
    if not choice_id:
        return None
    choice = _choices_by_id(round_).get(choice_id)
    if choice is None:
        raise DomainError(_l("Choose an answer of a question of this round."), field=FIELD)
    source = choice.question
    if not shows_others(source):
        raise DomainError(
            _l("Choose an answer of a question with one answer, several answers, or yes or no."),
            field=FIELD,
        )
    if source.position >= position:
        raise DomainError(
            _l("Choose an answer of a question that comes before this one."), field=FIELD
        )
    return choice.id


def check_order(round_: ConsultationRound, ordered: Sequence[Question]) -> None:
    """Refuse an order that puts a question before the question of its condition."""
    choices = _choices_by_id(round_)
    place = {q.id: index for index, q in enumerate(ordered)}
    for question in ordered:
        choice = choices.get(question.condition_choice_id or 0)
        if choice is not None and place[choice.question_id] >= place[question.id]:
            raise DomainError(
                _l(
                    'Question %(n)s is shown after an answer to question %(source)s: it must stay after it. To move it, first choose "Everybody" in its condition.',
                    n=question.position,
                    source=choice.question.position,
                )
            )


def dependants(round_: ConsultationRound, choice_ids: set[int]) -> list[Question]:
    """The questions shown by one of these choices."""
    return [q for q in round_.questions if q.condition_choice_id in choice_ids]


def drop_for_question(round_: ConsultationRound, question: Question) -> list[Question]:
    """Before `question` is removed: the questions it showed are shown to everybody."""
    dropped = dependants(round_, {c.id for c in question.choices})
    for each in dropped:
        each.condition_choice_id = None
    return dropped


@dataclass
class Reattach:
    """The conditions pointing to the choices of a question whose choices the editor
    replaces: taken off before, put back on the new choice of the same words after."""

    labels: dict[int, str] = field(default_factory=dict)  # question id -> its choice's words
    positions: dict[int, int] = field(default_factory=dict)  # question id -> its choice's place
    count: int = 0


def detach(round_: ConsultationRound, question: Question) -> Reattach:
    by_id = {c.id: c for c in question.choices}
    saved = Reattach(count=len(by_id))
    for each in dependants(round_, set(by_id)):
        choice = by_id[each.condition_choice_id or 0]
        saved.labels[each.id] = choice.label
        saved.positions[each.id] = choice.position
        each.condition_choice_id = None
    return saved


def _same_words(text: str) -> str:
    return " ".join(text.split()).casefold()


def reattach(round_: ConsultationRound, question: Question, saved: Reattach) -> list[Question]:
    """Put the conditions back on the new choices: the choice with the same words, or, when
    the number of choices did not change, the one at the same place (a typo corrected).
    Returns the questions now shown to everybody."""
    new = list(question.choices)
    by_words = {_same_words(c.label): c for c in new}
    dropped = []
    for each in round_.questions:
        if each.id not in saved.labels:
            continue
        choice = by_words.get(_same_words(saved.labels[each.id]))
        if choice is None and len(new) == saved.count and shows_others(question):
            choice = next((c for c in new if c.position == saved.positions[each.id]), None)
        if choice is None or not shows_others(question):
            dropped.append(each)
        else:
            each.condition_choice_id = choice.id
    return dropped


def dropped_note(question: Question) -> str:
    return _(
        "Question %(n)s is now shown to everybody: the answer that showed it no longer exists.",
        n=question.position,
    )


def conditional_ids(round_: ConsultationRound) -> set[int]:
    """The questions that have a condition now (to tell, after a change, which lost theirs)."""
    return {q.id for q in round_.questions if q.condition_choice_id is not None}


def notes_for_lost(round_: ConsultationRound, conditional: set[int]) -> list[str]:
    """The notes for the questions of `conditional` that lost their condition meanwhile."""
    return [
        dropped_note(q)
        for q in round_.questions
        if q.id in conditional and q.condition_choice_id is None
    ]


# --- answering -------------------------------------------------------------------------------


def _chose(answer: Answer, choice_id: int) -> bool:
    return any(s.choice_id == choice_id for s in answer.selections)


def shown_questions(round_: ConsultationRound, answers: Mapping[int, Answer]) -> list[Question]:
    """The questions this person sees, in order, given their answers so far (by question id)."""
    choices = _choices_by_id(round_)
    shown: list[Question] = []
    shown_ids: set[int] = set()
    for question in round_.questions:
        choice = choices.get(question.condition_choice_id or 0)
        if choice is not None:
            if choice.question_id not in shown_ids:
                continue  # its condition question is hidden: so is it
            answer = answers.get(choice.question_id)
            if answer is not None and (answer.declined or not _chose(answer, choice.id)):
                continue
        shown.append(question)
        shown_ids.add(question.id)
    return shown


def hidden_answers(round_: ConsultationRound, answers: Mapping[int, Answer]) -> list[Answer]:
    """The answers to questions the other answers hide: deleted when the response is sent."""
    shown = {q.id for q in shown_questions(round_, answers)}
    return [a for question_id, a in answers.items() if question_id not in shown]


# --- paper -----------------------------------------------------------------------------------


@dataclass
class PaperLines:
    """The lines printed around one question of the paper questionnaire."""

    before: list[str] = field(default_factory=list)  # at the top of its page
    after: list[str] = field(default_factory=list)  # at the bottom of its page


def _skip_to(round_: ConsultationRound, question: Question) -> Question | None:
    """Where to go when `question` is not for the person: the first later question that does
    not depend on it (directly or through another conditional question)."""
    choices = _choices_by_id(round_)
    skipped = {question.id}
    for later in round_.questions:
        if later.position <= question.position:
            continue
        choice = choices.get(later.condition_choice_id or 0)
        if choice is not None and choice.question_id in skipped:
            skipped.add(later.id)
        else:
            return later
    return None


def _otherwise(target: Question | None) -> str:
    if target is None:
        return _("Otherwise, you have finished. Thank you!")
    return _("Otherwise, go to question %(n)s.", n=target.position)


def paper_lines(round_: ConsultationRound) -> dict[int, PaperLines]:
    """By question id: "Answer this question only if..." at the top of a conditional
    question's page, and "If you ticked ..., answer question 3. Otherwise, go to question 4."
    at the bottom of the page before it."""
    choices = _choices_by_id(round_)
    lines = {q.id: PaperLines() for q in round_.questions}
    previous: Question | None = None
    for question in round_.questions:
        choice = choices.get(question.condition_choice_id or 0)
        if choice is not None:
            otherwise = _otherwise(_skip_to(round_, question))
            ticked = _(
                'Answer this question only if you ticked "%(choice)s" at question %(n)s.',
                choice=choice.label,
                n=choice.question.position,
            )
            lines[question.id].before.append(f"{ticked} {otherwise}")
            if previous is not None:
                go = _(
                    'If you ticked "%(choice)s" at question %(n)s, answer question %(next)s.',
                    choice=choice.label,
                    n=choice.question.position,
                    next=question.position,
                )
                lines[previous.id].after.append(f"{go} {otherwise}")
        previous = question
    return lines

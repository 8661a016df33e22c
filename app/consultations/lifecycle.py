"""The life of a consultation round, in one table.

For each state of a round (`RoundStatus`), `LIFECYCLE` holds:

- its label, as people read it ("Being prepared", "Open: you can answer"...);
- the steps a facilitator can take from it: the POST sub-path of the round's page
  (`/consultations/<id>/<path>`, the `consultations.step` endpoint), the state it leads to,
  and the text of its button (a step without a button is taken only by other means);
- the step the round's page offers next (its first step with a button), and the kit's
  fiches to read before taking it;
- what the state still allows (`Allow`): which texts may change, who may answer, who may
  see the results and the feedback.

Everything else asks this table: services check a step (`step_allowed`) or a change
(`check`) here and refuse with the table's message; permission rules
(`consultations/permissions.py`) answer the same question for templates with `allows`; the
views build the step route from `STEP_PATHS`. A new state, or a new thing a state allows,
is one row here."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l

from app.core.errors import InvalidTransition


class RoundStatus(StrEnum):
    DRAFT = "draft"
    ANNOUNCED = "announced"
    OPEN = "open"
    CLOSED = "closed"
    RESULTS = "results"
    FEEDBACK_PUBLISHED = "feedback_published"
    EVALUATED = "evaluated"

    @property
    def label(self) -> str:
        return str(LIFECYCLE[self].label)

    @property
    def next_step(self) -> Step | None:
        return LIFECYCLE[self].next_step

    def allows(self, what: Allow) -> bool:
        return what in LIFECYCLE[self].allows


class Allow(StrEnum):
    """What a state of a round still allows."""

    TEXTS = "texts"  # change the texts and the dates
    QUESTIONS = "questions"  # add and remove questions
    WORDING = "wording"  # correct the words of a question (not its meaning): before closing
    INVITATIONS = "invitations"  # invite people, make paper questionnaires
    SEEN_BY_INVITED = "seen_by_invited"  # invited people see the round
    ANSWERS = "answers"  # invited people answer (alone, or with a facilitator's help)
    PAPER_ANSWERS = "paper_answers"  # paper questionnaires are typed in (also just after closing)
    DISCUSSION = "discussion"  # messages in the discussion
    RESULTS_TO_STAFF = "results_to_staff"  # answers exist: the staff see results and the CSV
    RESULTS_TO_INVITED = "results_to_invited"  # invited people see the results
    FEEDBACK = "feedback"  # write "you said / we did" items (feedback awaited)
    FEEDBACK_SHOWN = "feedback_shown"  # the feedback is published
    EVALUATION = "evaluation"  # invited people evaluate their participation
    CURATION = "curation"  # the facilitator chooses which free texts are quoted (after closing)
    # write and change the feedback items, give their news (after closing, also once published)
    FEEDBACK_ITEMS = "feedback_items"


# The words of a refusal when a service is asked for what the state does not allow (each
# `Allow` a service checks with `check` has its words here).
REFUSALS: dict[Allow, Any] = {
    Allow.TEXTS: _l("The round is announced: its texts and dates can no longer change."),
    Allow.QUESTIONS: _l("Questions can change only while the round is being prepared."),
    Allow.WORDING: _l("The round is closed: the words of the questions can no longer change."),
    Allow.INVITATIONS: _l("The round is closed: nobody can be invited any more."),
    Allow.ANSWERS: _l("The round is not open."),
    Allow.PAPER_ANSWERS: _l(
        "Paper answers can be typed in while the round is open or just closed."
    ),
    Allow.FEEDBACK: _l("Feedback is written after the round is closed, before it is published."),
    Allow.EVALUATION: _l("The evaluation is open after the feedback is published."),
    Allow.CURATION: _l("Written answers are chosen after the round is closed."),
    Allow.FEEDBACK_ITEMS: _l("Feedback is written once the round is closed."),
}


@dataclass(frozen=True)
class Step:
    """A move from one state to the next, taken by a facilitator from the round's page."""

    path: str  # POST /consultations/<id>/<path>
    target: RoundStatus
    button: Any = None  # lazy text; None: no button on the page
    # The texts that become public with this step: their easy-to-read check is shown first.
    checks: str | None = None  # "round" (texts and questions) or "feedback" (the items)
    kit_fiches: tuple[int, ...] = ()  # the kit's fiches to read before taking it


@dataclass(frozen=True)
class Stage:
    label: Any
    steps: tuple[Step, ...] = ()
    allows: frozenset[Allow] = field(default_factory=frozenset)

    @property
    def next_step(self) -> Step | None:
        return next((step for step in self.steps if step.button is not None), None)


_SEEN = {Allow.SEEN_BY_INVITED}
_ANSWERED = _SEEN | {Allow.RESULTS_TO_STAFF}
_PUBLISHED = _ANSWERED | {Allow.RESULTS_TO_INVITED}

LIFECYCLE: dict[RoundStatus, Stage] = {
    RoundStatus.DRAFT: Stage(
        label=_l("Being prepared"),
        steps=(
            Step(
                "announce",
                RoundStatus.ANNOUNCED,
                _l("Announce the round and send the invitations"),
                checks="round",
                kit_fiches=(4, 5),
            ),
        ),
        allows=frozenset({Allow.TEXTS, Allow.QUESTIONS, Allow.WORDING, Allow.INVITATIONS}),
    ),
    RoundStatus.ANNOUNCED: Stage(
        label=_l("Announced"),
        steps=(
            Step("open", RoundStatus.OPEN, _l("Open the round")),
            Step("back-to-draft", RoundStatus.DRAFT),
        ),
        allows=frozenset(_SEEN | {Allow.INVITATIONS, Allow.WORDING}),
    ),
    RoundStatus.OPEN: Stage(
        label=_l("Open: you can answer"),
        steps=(Step("close", RoundStatus.CLOSED, _l("Close the round")),),
        allows=frozenset(
            _ANSWERED
            | {
                Allow.INVITATIONS,
                Allow.ANSWERS,
                Allow.PAPER_ANSWERS,
                Allow.DISCUSSION,
                Allow.WORDING,
            }
        ),
    ),
    RoundStatus.CLOSED: Stage(
        label=_l("Closed"),
        steps=(Step("publish-results", RoundStatus.RESULTS, _l("Publish the results")),),
        allows=frozenset(
            _ANSWERED | {Allow.PAPER_ANSWERS, Allow.FEEDBACK, Allow.CURATION, Allow.FEEDBACK_ITEMS}
        ),
    ),
    RoundStatus.RESULTS: Stage(
        label=_l("Results available"),
        steps=(
            Step(
                "publish-feedback",
                RoundStatus.FEEDBACK_PUBLISHED,
                _l("Publish the feedback and tell everybody"),
                checks="feedback",
            ),
        ),
        allows=frozenset(_PUBLISHED | {Allow.FEEDBACK, Allow.CURATION, Allow.FEEDBACK_ITEMS}),
    ),
    RoundStatus.FEEDBACK_PUBLISHED: Stage(
        label=_l("Feedback published"),
        steps=(
            Step(
                "mark-evaluated",
                RoundStatus.EVALUATED,
                _l("Mark the participation as evaluated"),
            ),
        ),
        allows=frozenset(
            _PUBLISHED
            | {Allow.FEEDBACK_SHOWN, Allow.EVALUATION, Allow.CURATION, Allow.FEEDBACK_ITEMS}
        ),
    ),
    RoundStatus.EVALUATED: Stage(
        label=_l("Evaluated"),
        allows=frozenset(_PUBLISHED | {Allow.FEEDBACK_SHOWN, Allow.CURATION, Allow.FEEDBACK_ITEMS}),
    ),
}

# Every step by its path (the `consultations.step` route accepts exactly these).
STEP_PATHS: dict[str, Step] = {
    step.path: step for stage in LIFECYCLE.values() for step in stage.steps
}

# The only allowed moves. Services consult this table; anything else is refused.
TRANSITIONS: dict[RoundStatus, set[RoundStatus]] = {
    status: {step.target for step in stage.steps} for status, stage in LIFECYCLE.items()
}


def statuses_allowing(what: Allow) -> list[RoundStatus]:
    """The states that allow `what`, in order (for a query: `status.in_(...)`)."""
    return [status for status in RoundStatus if status.allows(what)]


def allows(round_: Any, what: Allow) -> bool:
    """Whether the round's state allows `what`: the one test of a state condition."""
    return RoundStatus(round_.status).allows(what)


def check(round_: Any, what: Allow) -> None:
    """Refuse (409, with the table's words) what the round's state does not allow."""
    if not allows(round_, what):
        raise InvalidTransition(REFUSALS[what])


def step_allowed(round_: Any, target: RoundStatus) -> bool:
    return target in TRANSITIONS[RoundStatus(round_.status)]

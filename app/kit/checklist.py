"""The kit's checklists, computed from what Parole already knows about a consultation round
or a co-training mission.

Each item belongs to a phase of the kit and points to the fiche that explains it. Its
`compute(subject, now)` answers done (True or False) with a short plain explanation, or None
when Parole cannot know: then a facilitator ticks it by hand with a note (`tick()`), and the
page shows who ticked it and when. An item can also say that it does not apply yet (no
session has taken place, nobody took part): it is left out of the score.

The subject handed to `compute` is a `RoundFacts` or `MissionFacts`: the round or mission
with the few counts the items need, loaded for many subjects at once with a fixed number of
queries (`load_facts`), so a dashboard of 50 rounds costs the same queries as one round.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext, to_user_timezone
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import selectinload

from app import db
from app.accounts.models import Person
from app.consultations import feedback as round_feedback
from app.consultations.models import (
    Channel,
    Comment,
    ConsultationRound,
    Evaluation,
    FeedbackItem,
    Invitation,
    Response,
    RoundStatus,
)
from app.core import audit, formatting
from app.core.errors import DomainError, NotFound, or_not_found
from app.core.permissions import require
from app.db import utcnow
from app.expenses.models import ExpenseSettings
from app.falc.proofreading import text_hash
from app.falc.proofreading_models import Proofreading, ProofreadingStatus
from app.kit.models import ChecklistTick, Phase
from app.moderation.models import ModerationItem, ModerationStatus
from app.trainings.models import (
    Attendance,
    FeedbackSide,
    Mission,
    MissionFeedback,
    Signup,
    SignupStatus,
)

# The kit recommends sending the invitation well before the round opens (recommendation 5).
# Organisations may refuse to announce below their own minimum (7 days by default); the
# checklist measures against this aim.
INVITATION_NOTICE_DAYS = 15
# A message held for a moderator longer than this counts as "not moderated in time".
MODERATION_DELAY = timedelta(days=2)
# A sign-up left without an answer longer than this counts as "not answered".
SIGNUP_ANSWER_DELAY = timedelta(days=7)
NOTE_MAX = 2000

# The fiche each item relates to, numbered as in app/kit/seed_content.py (Parole's first
# version of the ten fiches): change them together.
FICHE_MOBILISE = 3  # identifying and mobilising the participants
FICHE_PREPARE_PEOPLE = 7  # preparing and accompanying the people
FICHE_LOGISTICS_COSTS = 5  # logistics and the costs of participation
FICHE_INFORM_EASY = 4  # informing ahead and writing simply
FICHE_RUN_MEETING = 6  # running a participation meeting
FICHE_FEEDBACK = 8  # feedback to the participants
FICHE_EVALUATE = 9  # evaluating the participation
FICHE_LASTING = 10  # lasting participation: bodies, co-training, pay

ROUND_SUBJECT_TYPE = "consultation_round"  # the proofreadings' subject_type for a round
AFTER_RESULTS = (RoundStatus.RESULTS, RoundStatus.FEEDBACK_PUBLISHED, RoundStatus.EVALUATED)
FEEDBACK_OUT = (RoundStatus.FEEDBACK_PUBLISHED, RoundStatus.EVALUATED)
WAITING_STATUSES = (ModerationStatus.HELD, ModerationStatus.ESCALATED)
ACCESS_FLAGS = {
    "step_free": _l("no step"),
    "lift": _l("a lift"),
    "hearing_loop": _l("a hearing loop"),
    "quiet_room": _l("a quiet room"),
}


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """done: True, False, or None (Parole cannot know: a person ticks it by hand).
    applies: False when the item does not apply yet; it is then left out of the score."""

    done: bool | None
    explanation: str
    applies: bool = True


def yes(explanation: str) -> Result:
    return Result(True, explanation)


def no(explanation: str) -> Result:
    return Result(False, explanation)


def by_hand(explanation: str) -> Result:
    return Result(None, explanation)


def not_yet(explanation: str) -> Result:
    return Result(False, explanation, applies=False)


@dataclass(frozen=True)
class Item:
    key: str
    phase: Phase
    label: Any  # lazy string
    fiche: int
    compute: Callable[[Any, datetime], Result]


@dataclass
class ItemResult:
    item: Item
    result: Result
    tick: ChecklistTick | None = None

    @property
    def manual(self) -> bool:
        """Parole cannot compute it now: a person ticks it."""
        return self.result.done is None

    @property
    def done(self) -> bool | None:
        if self.result.done is not None:
            return self.result.done
        return self.tick.done if self.tick is not None else None

    @property
    def state(self) -> str:
        """ "done", "not_done", "to_tick" (a person has not ticked it yet) or "not_yet"."""
        if not self.result.applies:
            return "not_yet"
        if self.done is None:
            return "to_tick"
        return "done" if self.done else "not_done"


@dataclass(frozen=True)
class Score:
    done: int
    applicable: int


@dataclass
class PhaseResult:
    phase: Phase
    items: list[ItemResult] = field(default_factory=list)

    @property
    def score(self) -> Score:
        counted = [i for i in self.items if i.result.applies]
        return Score(done=sum(1 for i in counted if i.done is True), applicable=len(counted))


# --- facts: what the items read, loaded in a fixed number of queries ----------------------


@dataclass
class RoundFacts:
    round: ConsultationRound
    person_invitations: int = 0
    paper_codes: int = 0
    answers: dict[Channel, int] = field(default_factory=dict)
    proofreadings: list[tuple[str, str, ProofreadingStatus]] = field(default_factory=list)
    expense_settings_saved: bool = False
    comments: int = 0
    comments_waiting: int = 0
    oldest_waiting: datetime | None = None
    evaluations: int = 0
    feedback_items: list[FeedbackItem] = field(default_factory=list)

    @property
    def organisation_id(self) -> int:
        return self.round.organisation_id


@dataclass
class MissionFacts:
    mission: Mission
    # (status, created_at) of each sign-up
    signups: list[tuple[SignupStatus, datetime]] = field(default_factory=list)
    # (signup_id, session_id, present)
    attendance: list[tuple[int, int, bool]] = field(default_factory=list)
    # (signup_id, side)
    feedback: list[tuple[int, FeedbackSide]] = field(default_factory=list)

    @property
    def organisation_id(self) -> int:
        return self.mission.organisation_id


def _load_round_facts(rounds: Sequence[ConsultationRound]) -> dict[int, RoundFacts]:
    facts = {r.id: RoundFacts(round=r) for r in rounds}
    if not facts:
        return facts
    ids = list(facts)
    for round_id, people, codes in db.session.execute(
        select(
            Invitation.round_id, func.count(Invitation.person_id), func.count(Invitation.paper_code)
        )
        .where(Invitation.round_id.in_(ids))
        .group_by(Invitation.round_id)
    ):
        facts[round_id].person_invitations = people
        facts[round_id].paper_codes = codes
    for round_id, channel, count in db.session.execute(
        select(Response.round_id, Response.channel, func.count(Response.id))
        .where(Response.round_id.in_(ids), Response.submitted_at.is_not(None))
        .group_by(Response.round_id, Response.channel)
    ):
        facts[round_id].answers[Channel(channel)] = count
    for round_id, organisation_id, field_name, digest, status in db.session.execute(
        select(
            Proofreading.subject_id,
            Proofreading.organisation_id,
            Proofreading.field,
            Proofreading.text_hash,
            Proofreading.status,
        ).where(
            Proofreading.subject_type == ROUND_SUBJECT_TYPE,
            Proofreading.subject_id.in_(ids),
        )
    ):
        found = facts.get(round_id)
        if found is not None and organisation_id == found.organisation_id:
            found.proofreadings.append((field_name, digest, ProofreadingStatus(status)))
    saved = set(
        db.session.scalars(
            select(ExpenseSettings.organisation_id).where(
                ExpenseSettings.organisation_id.in_({f.organisation_id for f in facts.values()})
            )
        )
    )
    for found in facts.values():
        found.expense_settings_saved = found.organisation_id in saved
    # A message waits for a moderator while its moderation item is in the queue (held,
    # sent to the referent, reported or appealed); a message without an item waits while
    # its own status says so.
    waiting = or_(
        ModerationItem.in_queue.is_(True),
        and_(ModerationItem.id.is_(None), Comment.moderation_status.in_(WAITING_STATUSES)),
    )
    since = func.coalesce(ModerationItem.waiting_since, Comment.created_at)
    for round_id, total, held, oldest in db.session.execute(
        select(
            Comment.round_id,
            func.count(Comment.id),
            func.sum(case((waiting, 1), else_=0)),
            func.min(case((waiting, since), else_=None)),
        )
        .outerjoin(
            ModerationItem,
            and_(
                ModerationItem.content_type == "consultation_comment",
                ModerationItem.content_id == Comment.id,
            ),
        )
        .where(Comment.round_id.in_(ids))
        .group_by(Comment.round_id)
    ):
        facts[round_id].comments = total
        facts[round_id].comments_waiting = int(held or 0)
        facts[round_id].oldest_waiting = _as_utc(oldest)
    for round_id, count in db.session.execute(
        select(Evaluation.round_id, func.count(Evaluation.id))
        .where(Evaluation.round_id.in_(ids))
        .group_by(Evaluation.round_id)
    ):
        facts[round_id].evaluations = count
    for item in db.session.scalars(
        select(FeedbackItem)
        .where(FeedbackItem.round_id.in_(ids))
        .order_by(FeedbackItem.round_id, FeedbackItem.position)
        .options(selectinload(FeedbackItem.question))
    ):
        facts[item.round_id].feedback_items.append(item)
    return facts


def _as_utc(value: Any) -> datetime | None:
    """min() over an expression comes back as the database gives it (a string on SQLite)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _load_mission_facts(missions: Sequence[Mission]) -> dict[int, MissionFacts]:
    facts = {m.id: MissionFacts(mission=m) for m in missions}
    if not facts:
        return facts
    ids = list(facts)
    for mission_id, status, created_at in db.session.execute(
        select(Signup.mission_id, Signup.status, Signup.created_at).where(
            Signup.mission_id.in_(ids)
        )
    ):
        facts[mission_id].signups.append((SignupStatus(status), created_at))
    for mission_id, signup_id, session_id, present in db.session.execute(
        select(Signup.mission_id, Attendance.signup_id, Attendance.session_id, Attendance.present)
        .join(Signup, Signup.id == Attendance.signup_id)
        .where(Signup.mission_id.in_(ids))
    ):
        facts[mission_id].attendance.append((signup_id, session_id, bool(present)))
    for mission_id, signup_id, side in db.session.execute(
        select(Signup.mission_id, MissionFeedback.signup_id, MissionFeedback.side)
        .join(Signup, Signup.id == MissionFeedback.signup_id)
        .where(Signup.mission_id.in_(ids))
    ):
        facts[mission_id].feedback.append((signup_id, FeedbackSide(side)))
    return facts


def load_facts(subject_kind: str, subjects: Sequence[Any]) -> dict[int, Any]:
    """Facts for many rounds (or missions) at once: a fixed number of queries."""
    if subject_kind == "round":
        return _load_round_facts(subjects)
    if subject_kind == "mission":
        return _load_mission_facts(subjects)
    raise NotFound(_l("This page does not exist."))


# --- helpers ---------------------------------------------------------------------------------


def _day(value: datetime) -> str:
    return formatting.date_only(value)


def _days_between(start: datetime, end: datetime) -> int:
    """Calendar days in the people's time zone: sent on the 1st, opening on the 16th: 15."""
    return (to_user_timezone(end).date() - to_user_timezone(start).date()).days


# --- the round's items -------------------------------------------------------------------


def _round_invitation(facts: RoundFacts, now: datetime) -> Result:
    """Measured from the announcement (the invitations leave then) to the planned opening.
    People invited after the announcement are told at once and are not measured."""
    round_ = facts.round
    aim = INVITATION_NOTICE_DAYS
    if round_.announced_at is None:
        latest = round_.opens_at - timedelta(days=aim)
        if latest < now:
            return no(
                _(
                    "The invitation is not sent yet. It is too late for %(days)s days: "
                    "the round opens on %(date)s.",
                    days=aim,
                    date=_day(round_.opens_at),
                )
            )
        return no(
            _(
                "The invitation is not sent yet. Announce the round by %(date)s at the latest.",
                date=_day(latest),
            )
        )
    days = _days_between(round_.announced_at, round_.opens_at)
    text = ngettext(
        "Invitation sent %(num)s day before opening (the aim is %(aim)s).",
        "Invitation sent %(num)s days before opening (the aim is %(aim)s).",
        days,
        aim=aim,
    )
    text += " " + _(
        "Date used: the announcement of the round, %(date)s.", date=_day(round_.announced_at)
    )
    return Result(days >= aim, text)


def _round_easy_read(facts: RoundFacts, now: datetime) -> Result:
    round_ = facts.round
    missing = []
    for name, label in (
        ("title", _("the title")),
        ("subject", _("what it is about")),
        ("why", _("why the opinion matters")),
        ("what_next", _("what will be done with the answers")),
    ):
        if getattr(round_, name).strip() and not getattr(round_, f"{name}_easy").strip():
            missing.append(label)
    missing += [
        _("question %(n)s", n=q.position) for q in round_.questions if not q.text_easy.strip()
    ]
    if missing:
        return no(_("No easy-to-read version yet for: %(what)s.", what=", ".join(missing)))
    return yes(_("Every text and every question has an easy-to-read version."))


def _round_easy_texts(round_: ConsultationRound) -> dict[str, str]:
    texts = {
        name: getattr(round_, name)
        for name in ("title_easy", "subject_easy", "why_easy", "what_next_easy")
    }
    texts.update({f"question_{q.id}": q.text_easy for q in round_.questions})
    return {name: text for name, text in texts.items() if (text or "").strip()}


def _round_proofreading(facts: RoundFacts, now: datetime) -> Result:
    """Done when at least one easy-to-read text of the round was approved by proofreaders
    and is still the text on the page."""
    texts = _round_easy_texts(facts.round)
    approved = {
        name
        for name, digest, status in facts.proofreadings
        if status == ProofreadingStatus.VALIDATED
        and name in texts
        and digest == text_hash(texts[name])
    }
    waiting = {n for n, _d, s in facts.proofreadings if s == ProofreadingStatus.WAITING}
    if approved:
        return yes(
            ngettext(
                "%(approved)s of %(num)s easy-to-read text is proofread and approved.",
                "%(approved)s of %(num)s easy-to-read texts are proofread and approved.",
                len(texts),
                approved=len(approved),
            )
        )
    if waiting:
        return no(
            ngettext(
                "%(num)s text is waiting for the proofreaders. None is approved yet.",
                "%(num)s texts are waiting for the proofreaders. None is approved yet.",
                len(waiting),
            )
        )
    return no(_("No easy-to-read text of this round was approved by proofreaders yet."))


def _round_costs(facts: RoundFacts, now: datetime) -> Result:
    """Two things: the round says which costs are paid, and the organisation has saved its
    expense settings (its rates), so that people can send a request for this round."""
    declared = bool(facts.round.costs_covered.strip())
    if declared and facts.expense_settings_saved:
        return yes(
            _("The round says which costs are paid, and the organisation's expense rates are set.")
        )
    if declared:
        return no(
            _(
                "The round says which costs are paid, but the organisation has not saved its "
                "expense rates yet: people cannot ask for their costs."
            )
        )
    return no(_("The round does not say which costs are paid."))


def _round_place(facts: RoundFacts, now: datetime) -> Result:
    return by_hand(
        _(
            "Parole does not know where the round's meetings take place. Tick it when the place "
            "is accessible and the invitation says how to get in."
        )
    )


def _round_paper_and_help(facts: RoundFacts, now: datetime) -> Result:
    """Computed when paper questionnaires were printed (codes) or answers were entered with
    help or from paper; otherwise a person ticks it (help given by phone, at a meeting...)."""
    helped = facts.answers.get(Channel.ASSISTED, 0)
    paper = facts.answers.get(Channel.PAPER, 0)
    if facts.paper_codes or helped or paper:
        return yes(
            _(
                "Paper questionnaires printed: %(codes)s. Answers entered with help: %(helped)s. "
                "Answers typed in from paper: %(paper)s.",
                codes=facts.paper_codes,
                helped=helped,
                paper=paper,
            )
        )
    return by_hand(
        _(
            "No paper questionnaire and no answer with help yet. Tick it when people know they "
            "can answer on paper or with someone's help."
        )
    )


def _round_moderation(facts: RoundFacts, now: datetime) -> Result:
    if not facts.round.discussion_enabled:
        return yes(_("The discussion is off: there is nothing to check."))
    late = facts.oldest_waiting is not None and facts.oldest_waiting < now - MODERATION_DELAY
    if late:
        return no(
            ngettext(
                "%(num)s message waits for a check, for more than %(days)s days.",
                "%(num)s messages wait for a check, some for more than %(days)s days.",
                facts.comments_waiting,
                days=MODERATION_DELAY.days,
            )
        )
    if facts.comments_waiting:
        return yes(
            ngettext(
                "%(num)s message waits for a check, for less than %(days)s days.",
                "%(num)s messages wait for a check, for less than %(days)s days.",
                facts.comments_waiting,
                days=MODERATION_DELAY.days,
            )
        )
    return yes(
        ngettext(
            "%(num)s message, all checked.",
            "%(num)s messages, all checked.",
            facts.comments,
        )
        if facts.comments
        else _("No message in the discussion yet.")
    )


def _round_answers(facts: RoundFacts, now: datetime) -> Result:
    total = sum(facts.answers.values())
    if not total:
        if facts.round.status in (RoundStatus.DRAFT, RoundStatus.ANNOUNCED):
            return no(_("No answer yet: the round is not open."))
        return no(_("No answer received."))
    return yes(
        ngettext(
            "%(num)s answer: %(alone)s alone, %(helped)s with help, %(paper)s on paper.",
            "%(num)s answers: %(alone)s alone, %(helped)s with help, %(paper)s on paper.",
            total,
            alone=facts.answers.get(Channel.SELF, 0),
            helped=facts.answers.get(Channel.ASSISTED, 0),
            paper=facts.answers.get(Channel.PAPER, 0),
        )
    )


def _round_results(facts: RoundFacts, now: datetime) -> Result:
    if facts.round.status in AFTER_RESULTS:
        return yes(_("The results are published."))
    return no(_("Not yet. The round is at the step: %(step)s.", step=facts.round.status.label))


def _round_feedback(facts: RoundFacts, now: datetime) -> Result:
    round_ = facts.round
    due = round_.feedback_due_at
    published = round_.feedback_published_at
    if published is not None:
        if published <= due:
            return yes(
                _(
                    "Published on %(date)s, due by %(due)s.",
                    date=_day(published),
                    due=_day(due),
                )
            )
        return no(
            _(
                "Published late: on %(date)s, it was due by %(due)s.",
                date=_day(published),
                due=_day(due),
            )
        )
    if due < now:
        return no(_("Late: the feedback was due on %(due)s.", due=_day(due)))
    return no(_("Not published yet. It is due by %(due)s.", due=_day(due)))


def _round_feedback_news(facts: RoundFacts, now: datetime) -> Result:
    """Once published, each point decided or in progress gets news at least every 90 days,
    and after the date it was announced for (app/consultations/feedback.py)."""
    if facts.round.status not in FEEDBACK_OUT:
        return not_yet(_("Not yet: news is given once the feedback is published."))
    late = [i for i in facts.feedback_items if round_feedback.news_overdue(i, now)]
    if late:
        names = "; ".join(round_feedback.item_title(i, easy=False) for i in late)
        return no(_("Give news about: %(items)s.", items=names))
    return yes(_("Every point decided or in progress has recent news."))


def _round_evaluation(facts: RoundFacts, now: datetime) -> Result:
    """The evaluation opens with the feedback: people with an account answer it online, and a
    facilitator types in the evaluations written on paper questionnaires (each paper code is
    one person invited). Done when it is open (or over) and at least one person answered."""
    if facts.round.status not in FEEDBACK_OUT:
        return no(_("Not yet: the evaluation opens when the feedback is published."))
    invited = facts.person_invitations + facts.paper_codes
    if not invited:
        return not_yet(_("Nobody can answer online: only paper questionnaires were used."))
    answered = facts.evaluations
    rate = round(100 * answered / invited)
    text = ngettext(
        "The evaluation is open. %(answered)s of %(num)s invited person answered (%(rate)s%%).",
        "The evaluation is open. %(answered)s of %(num)s invited people answered (%(rate)s%%).",
        invited,
        answered=answered,
        rate=rate,
    )
    return Result(answered > 0, text)


ROUND_ITEMS: tuple[Item, ...] = (
    Item(
        "invitation_notice",
        Phase.BEFORE,
        _l(
            "The invitation is sent at least %(days)s days before the opening",
            days=INVITATION_NOTICE_DAYS,
        ),
        FICHE_INFORM_EASY,
        _round_invitation,
    ),
    Item(
        "easy_read",
        Phase.BEFORE,
        _l("The texts have an easy-to-read version"),
        FICHE_INFORM_EASY,
        _round_easy_read,
    ),
    Item(
        "proofreading",
        Phase.BEFORE,
        _l("People proofread the easy-to-read texts"),
        FICHE_INFORM_EASY,
        _round_proofreading,
    ),
    Item(
        "costs",
        Phase.BEFORE,
        _l("Costs are paid, and people can ask for them"),
        FICHE_LOGISTICS_COSTS,
        _round_costs,
    ),
    Item(
        "place_access",
        Phase.BEFORE,
        _l("The meeting place is accessible, and the invitation says how"),
        FICHE_LOGISTICS_COSTS,
        _round_place,
    ),
    Item(
        "paper_and_help",
        Phase.BEFORE,
        _l("People can answer on paper or with help"),
        FICHE_PREPARE_PEOPLE,
        _round_paper_and_help,
    ),
    Item(
        "moderation",
        Phase.DURING,
        _l("The discussion messages are checked in time"),
        FICHE_RUN_MEETING,
        _round_moderation,
    ),
    Item(
        "answers",
        Phase.DURING,
        _l("Answers are coming in"),
        FICHE_RUN_MEETING,
        _round_answers,
    ),
    Item(
        "results",
        Phase.AFTER,
        _l("The results are published"),
        FICHE_FEEDBACK,
        _round_results,
    ),
    Item(
        "feedback_on_time",
        Phase.AFTER,
        _l("The feedback is published by its due date"),
        FICHE_FEEDBACK,
        _round_feedback,
    ),
    Item(
        "feedback_news",
        Phase.AFTER,
        _l("People get news of what was decided"),
        FICHE_FEEDBACK,
        _round_feedback_news,
    ),
    Item(
        "evaluation",
        Phase.AFTER,
        _l("People say how the participation went"),
        FICHE_EVALUATE,
        _round_evaluation,
    ),
)


# --- the mission's items -----------------------------------------------------------------


def _mission_easy_read(facts: MissionFacts, now: datetime) -> Result:
    mission = facts.mission
    missing = []
    if not mission.title_easy.strip():
        missing.append(_("the title"))
    if mission.description.strip() and not mission.description_easy.strip():
        missing.append(_("the description"))
    if missing:
        return no(_("No easy-to-read version yet for: %(what)s.", what=", ".join(missing)))
    return yes(_("The title and the description have an easy-to-read version."))


def _mission_place(facts: MissionFacts, now: datetime) -> Result:
    """Online, or at least one accessibility feature recorded: computed. Otherwise Parole does
    not know whether the place is accessible: a person ticks it."""
    mission = facts.mission
    if mission.online:
        return yes(_("The mission is online: there is no place to reach."))
    flags = [str(label) for name, label in ACCESS_FLAGS.items() if getattr(mission, name)]
    if flags:
        return yes(_("The mission says the place has: %(what)s.", what=", ".join(flags)))
    return by_hand(
        _(
            "The mission does not say how accessible the place is. Tick it when you checked "
            "the place and told people how to get in."
        )
    )


def _mission_pay_and_costs(facts: MissionFacts, now: datetime) -> Result:
    mission = facts.mission
    missing = []
    if mission.hourly_rate is None:
        missing.append(_("the pay per hour"))
    if not mission.covered_costs:
        missing.append(_("the costs that are paid"))
    if missing:
        return no(_("The mission does not say: %(what)s.", what=", ".join(missing)))
    return yes(_("The pay per hour and the costs that are paid are written."))


def _mission_preparation(facts: MissionFacts, now: datetime) -> Result:
    if facts.mission.preparation_at is None:
        return no(_("No preparation meeting is planned."))
    return yes(_("Preparation meeting on %(date)s.", date=_day(facts.mission.preparation_at)))


def _mission_signups(facts: MissionFacts, now: datetime) -> Result:
    limit = now - SIGNUP_ANSWER_DELAY
    waiting = [created for status, created in facts.signups if status == SignupStatus.INTERESTED]
    late = [created for created in waiting if created < limit]
    days = SIGNUP_ANSWER_DELAY.days
    if late:
        return no(
            ngettext(
                "%(num)s sign-up waits for an answer for more than %(days)s days.",
                "%(num)s sign-ups wait for an answer for more than %(days)s days.",
                len(late),
                days=days,
            )
        )
    if not facts.signups:
        return yes(_("Nobody has signed up yet: no answer is waiting."))
    return yes(
        _(
            "No sign-up waits more than %(days)s days. %(waiting)s waiting for less.",
            days=days,
            waiting=len(waiting),
        )
        if waiting
        else _("Every sign-up has an answer.")
    )


def _past_sessions(facts: MissionFacts, now: datetime) -> list[Any]:
    return [s for s in facts.mission.sessions if s.starts_at <= now]


def _mission_attendance(facts: MissionFacts, now: datetime) -> Result:
    """For each session that has started, attendance recorded for at least one person."""
    past = _past_sessions(facts, now)
    if not past:
        return not_yet(_("No session has taken place yet."))
    recorded = {session_id for _signup, session_id, _present in facts.attendance}
    missing = [s for s in past if s.id not in recorded]
    if missing:
        return no(
            ngettext(
                "Attendance is missing for %(missing)s of %(num)s past session: %(days)s.",
                "Attendance is missing for %(missing)s of %(num)s past sessions: %(days)s.",
                len(past),
                missing=len(missing),
                days=", ".join(_day(s.starts_at) for s in missing),
            )
        )
    return yes(
        ngettext(
            "Attendance is recorded for %(num)s past session.",
            "Attendance is recorded for the %(num)s past sessions.",
            len(past),
        )
    )


def _mission_attestations(facts: MissionFacts, now: datetime) -> Result:
    """Attestations and the pay and costs drafts are made from attendance: available as soon
    as someone was recorded present."""
    if not _past_sessions(facts, now):
        return not_yet(_("No session has taken place yet."))
    people = {signup for signup, _session, present in facts.attendance if present}
    if not people:
        return no(_("Nobody is recorded present yet: no attestation can be made."))
    return yes(
        ngettext(
            "Attestation and drafts ready for %(num)s co-trainer.",
            "Attestations and drafts ready for %(num)s co-trainers.",
            len(people),
        )
    )


def _mission_feedback(facts: MissionFacts, now: datetime) -> Result:
    """Done when the institute gave its word on every co-trainer who took part and at least
    one co-trainer gave theirs."""
    people = {signup for signup, _session, present in facts.attendance if present}
    if not people:
        return not_yet(_("Nobody took part yet."))
    institute = {s for s, side in facts.feedback if side == FeedbackSide.INSTITUTE and s in people}
    trainers = {s for s, side in facts.feedback if side == FeedbackSide.CO_TRAINER and s in people}
    text = " ".join(
        (
            ngettext(
                "The institute gave its word on %(institute)s of %(num)s co-trainer.",
                "The institute gave its word on %(institute)s of %(num)s co-trainers.",
                len(people),
                institute=len(institute),
            ),
            ngettext(
                "%(num)s co-trainer gave theirs.",
                "%(num)s co-trainers gave theirs.",
                len(trainers),
            ),
        )
    )
    return Result(institute == people and bool(trainers), text)


MISSION_ITEMS: tuple[Item, ...] = (
    Item(
        "easy_read",
        Phase.BEFORE,
        _l("The mission has an easy-to-read version"),
        FICHE_INFORM_EASY,
        _mission_easy_read,
    ),
    Item(
        "place_access",
        Phase.BEFORE,
        _l("The place is accessible, and the mission says how"),
        FICHE_LOGISTICS_COSTS,
        _mission_place,
    ),
    Item(
        "pay_and_costs",
        Phase.BEFORE,
        _l("The pay per hour and the costs that are paid are written"),
        FICHE_LASTING,
        _mission_pay_and_costs,
    ),
    Item(
        "preparation",
        Phase.BEFORE,
        _l("A preparation meeting is planned"),
        FICHE_PREPARE_PEOPLE,
        _mission_preparation,
    ),
    Item(
        "signups_answered",
        Phase.DURING,
        _l(
            "Every sign-up gets an answer within %(days)s days",
            days=SIGNUP_ANSWER_DELAY.days,
        ),
        FICHE_MOBILISE,
        _mission_signups,
    ),
    Item(
        "attendance",
        Phase.DURING,
        _l("Attendance is recorded for every past session"),
        FICHE_LASTING,
        _mission_attendance,
    ),
    Item(
        "attestations",
        Phase.AFTER,
        _l("Attestations and the pay and costs drafts are ready"),
        FICHE_LASTING,
        _mission_attestations,
    ),
    Item(
        "feedback",
        Phase.AFTER,
        _l("Both sides said how it went"),
        FICHE_EVALUATE,
        _mission_feedback,
    ),
)

ITEMS: dict[str, tuple[Item, ...]] = {"round": ROUND_ITEMS, "mission": MISSION_ITEMS}


def item_for(subject_kind: str, key: str) -> Item:
    for item in ITEMS.get(subject_kind, ()):
        if item.key == key:
            return item
    raise NotFound(_l("This page does not exist."))


# --- evaluation ----------------------------------------------------------------------------


def _ticks(subject_kind: str, ids: Iterable[int]) -> dict[tuple[int, str], ChecklistTick]:
    ids = list(ids)
    if not ids:
        return {}
    return {
        (t.subject_id, t.item): t
        for t in db.session.scalars(
            select(ChecklistTick)
            .where(ChecklistTick.subject == subject_kind, ChecklistTick.subject_id.in_(ids))
            .options(selectinload(ChecklistTick.ticked_by))
        )
    }


def _evaluate(
    subject_kind: str, facts: Any, ticks: dict[tuple[int, str], ChecklistTick], now: datetime
) -> list[PhaseResult]:
    subject_id = facts.round.id if subject_kind == "round" else facts.mission.id
    phases = {phase: PhaseResult(phase) for phase in Phase}
    for item in ITEMS[subject_kind]:
        result = item.compute(facts, now)
        tick = ticks.get((subject_id, item.key)) if result.done is None else None
        phases[item.phase].items.append(ItemResult(item, result, tick))
    return list(phases.values())


def checklists(
    subject_kind: str, subjects: Sequence[Any], now: datetime | None = None
) -> dict[int, list[PhaseResult]]:
    """The checklist of many rounds (or missions), keyed by id, with a fixed number of
    queries whatever their number."""
    now = now or utcnow()
    facts = load_facts(subject_kind, subjects)
    ticks = _ticks(subject_kind, facts)
    return {
        subject_id: _evaluate(subject_kind, found, ticks, now)
        for subject_id, found in facts.items()
    }


def checklist(subject_kind: str, subject: Any, now: datetime | None = None) -> list[PhaseResult]:
    """The checklist of one round or mission, phase by phase (before, during, after)."""
    return checklists(subject_kind, [subject], now)[subject.id]


def score(subject_kind: str, subject: Any, now: datetime | None = None) -> dict[Phase, Score]:
    """Per phase: how many items are done, of those that apply."""
    return {p.phase: p.score for p in checklist(subject_kind, subject, now)}


# --- subjects and permissions ----------------------------------------------------------------


def get_subject(subject_kind: str, subject_id: int) -> Any:
    model = {"round": ConsultationRound, "mission": Mission}.get(subject_kind)
    return or_not_found(db.session.get(model, subject_id) if model is not None else None)


def tick(
    actor: Person,
    subject_kind: str,
    subject_id: int,
    item_key: str,
    done: bool,
    note: str,
    now: datetime | None = None,
) -> ChecklistTick:
    """A person says by hand whether an item Parole cannot compute is done, with a note.
    Computed items refuse: their answer comes from the data."""
    now = now or utcnow()
    # The round or mission is locked: the same item ticked twice at once (a double click, two
    # people) is saved one after the other, the second updating the first's tick.
    subject = db.lock(get_subject(subject_kind, subject_id))
    require(actor, "kit.follow", subject.organisation_id)
    item = item_for(subject_kind, item_key)
    facts = load_facts(subject_kind, [subject])[subject.id]
    if item.compute(facts, now).done is not None:
        raise DomainError(
            _l("Parole works this item out from the data: it cannot be ticked by hand.")
        )
    note = (note or "").strip()
    if done and not note:
        raise DomainError(_l("Write what was done, so that others know."), field="note")
    if len(note) > NOTE_MAX:
        raise DomainError(
            _l("Your note is too long: %(n)s characters at most.", n=NOTE_MAX), field="note"
        )
    record = db.session.scalar(
        select(ChecklistTick).where(
            ChecklistTick.subject == subject_kind,
            ChecklistTick.subject_id == subject.id,
            ChecklistTick.item == item.key,
        )
    )
    if record is None:
        record = ChecklistTick(subject=subject_kind, subject_id=subject.id, item=item.key)
        db.session.add(record)
    record.done = bool(done)
    record.note = note
    record.ticked_by_id = actor.id
    record.ticked_at = now
    db.session.flush()
    audit.record(
        actor,
        "kit.checklist_ticked",
        record,
        organisation_id=subject.organisation_id,
        subject=subject_kind,
        subject_id=subject.id,
        item=item.key,
        done=record.done,
    )
    return record


# --- the organisation's dashboard -----------------------------------------------------------


@dataclass
class DashboardRow:
    subject: Any
    phases: list[PhaseResult]
    overdue: bool = False

    @property
    def scores(self) -> dict[Phase, Score]:
        return {p.phase: p.score for p in self.phases}


@dataclass
class Dashboard:
    rounds: list[DashboardRow]
    missions: list[DashboardRow]


def _mission_start(mission: Mission) -> datetime:
    return mission.sessions[0].starts_at if mission.sessions else mission.created_at


def dashboard(actor: Person, organisation_id: int, now: datetime | None = None) -> Dashboard:
    """Every round and every mission of the organisation with its score per phase. Rounds
    whose feedback is late come first (the longest overdue first), then by opening date, newest
    first; missions by their first session, newest first."""
    require(actor, "kit.follow", organisation_id)
    now = now or utcnow()
    rounds = list(
        db.session.scalars(
            select(ConsultationRound)
            .where(ConsultationRound.organisation_id == organisation_id)
            .options(selectinload(ConsultationRound.questions))
        )
    )
    missions = list(
        db.session.scalars(
            select(Mission)
            .where(Mission.organisation_id == organisation_id)
            .options(selectinload(Mission.sessions))
        )
    )
    round_lists = checklists("round", rounds, now)
    mission_lists = checklists("mission", missions, now)
    round_rows = [
        DashboardRow(r, round_lists[r.id], overdue=is_feedback_overdue(r, now)) for r in rounds
    ]
    round_rows.sort(key=lambda row: -row.subject.opens_at.timestamp())
    round_rows.sort(key=lambda row: (0, row.subject.feedback_due_at) if row.overdue else (1, now))
    mission_rows = [DashboardRow(m, mission_lists[m.id]) for m in missions]
    mission_rows.sort(key=lambda row: _mission_start(row.subject), reverse=True)
    return Dashboard(rounds=round_rows, missions=mission_rows)


def is_feedback_overdue(round_: ConsultationRound, now: datetime) -> bool:
    return round_.feedback_published_at is None and round_.feedback_due_at < now

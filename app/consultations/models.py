"""Consultation rounds from preparation to feedback (the kit's three phases)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Organisation, Person
from app.consultations.lifecycle import RoundStatus
from app.core.personal import personal
from app.core.provenance import AssistedEntryMixin
from app.db import Base, StrEnumType, UTCDateTime, utcnow
from app.moderation.models import ModerationStatus

# The states of a round (RoundStatus), their labels, steps and what each state allows are one
# table: app/consultations/lifecycle.py.


class QuestionKind(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    SCALE = "scale"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    YES_NO = "yes_no"
    RANKING = "ranking"

    @property
    def type(self) -> Any:
        """The class of this kind (app/consultations/kinds.py): everything that depends on it."""
        return QUESTION_TYPES[self]

    @property
    def label(self) -> str:
        return str(self.type.label)

    @property
    def has_choices(self) -> bool:
        return bool(self.type.has_choices)


# Filled by app/consultations/kinds.py, one entry per kind (imported by the services).
QUESTION_TYPES: dict[QuestionKind, Any] = {}


# The words under the faces of the scale, from very unhappy (1) to very happy (5).
SCALE_LABELS = {
    1: _l("Not happy at all"),
    2: _l("Not happy"),
    3: _l("So-so"),
    4: _l("Happy"),
    5: _l("Very happy"),
}


class Channel(StrEnum):
    SELF = "self"
    ASSISTED = "assisted"
    PAPER = "paper"

    @property
    def label(self) -> str:
        return str(CHANNEL_LABELS[self])


CHANNEL_LABELS = {
    Channel.SELF: _l("Answered alone"),
    Channel.ASSISTED: _l("Answered with help"),
    Channel.PAPER: _l("Answered on paper"),
}


class ConsultationRound(Base):
    __tablename__ = "consultation_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    status: Mapped[RoundStatus] = mapped_column(
        StrEnumType(RoundStatus, 24), default=RoundStatus.DRAFT
    )
    # Every text participants read has a full version and an easy-to-read version.
    title: Mapped[str] = mapped_column(String(200))
    title_easy: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    subject_easy: Mapped[str] = mapped_column(Text, default="")
    why: Mapped[str] = mapped_column(Text, default="")
    why_easy: Mapped[str] = mapped_column(Text, default="")
    what_next: Mapped[str] = mapped_column(Text, default="")
    what_next_easy: Mapped[str] = mapped_column(Text, default="")
    costs_covered: Mapped[str] = mapped_column(Text, default="")
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    feedback_due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    small_group_threshold: Mapped[int] = mapped_column(Integer, default=5)
    discussion_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    # "pre" or "post" (see moderation.models.Policy); empty: the organisation's choice.
    discussion_moderation: Mapped[str] = mapped_column(String(8), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    announced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    feedback_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    evaluated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    overdue_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Shown on the organisation's public page since then (app/consultations/public.py);
    # empty: private, the default.
    shown_publicly_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The picture on the invited people's home page (a name of app/consultations/pictograms.py,
    # "own-<id>" included); empty: none.
    pictogram: Mapped[str] = mapped_column(String(80), default="", server_default="")

    organisation: Mapped[Organisation] = relationship()
    questions: Mapped[list[Question]] = relationship(
        back_populates="round", order_by="Question.position", cascade="all, delete-orphan"
    )
    invitations: Mapped[list[Invitation]] = relationship(
        back_populates="round", cascade="all, delete-orphan"
    )
    feedback_items: Mapped[list[FeedbackItem]] = relationship(
        back_populates="round", order_by="FeedbackItem.position", cascade="all, delete-orphan"
    )

    def easy(self, field: str) -> str:
        """The easy-to-read version of a text, or the full one when there is none."""
        return getattr(self, f"{field}_easy") or getattr(self, field)


class Question(Base):
    __tablename__ = "consultation_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_rounds.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[QuestionKind] = mapped_column(StrEnumType(QuestionKind, 16))
    text: Mapped[str] = mapped_column(Text)
    text_easy: Mapped[str] = mapped_column(Text, default="")
    # A conditional question: shown only to the people who chose this choice of an earlier
    # question ("only if the answer to question 2 is ..."). None: shown to everybody.
    condition_choice_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation_choices.id", ondelete="SET NULL", use_alter=True)
    )
    # The last correction of its wording after the round was announced (services: correct the
    # words, never the meaning); shown as "Changed on ..." beside the question. None: never.
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    round: Mapped[ConsultationRound] = relationship(back_populates="questions")
    # Read only: the rules that set the condition are in app/consultations/conditions.py.
    condition_choice: Mapped[Choice | None] = relationship(
        foreign_keys=[condition_choice_id], viewonly=True
    )
    choices: Mapped[list[Choice]] = relationship(
        back_populates="question",
        order_by="Choice.position",
        cascade="all, delete-orphan",
        foreign_keys="Choice.question_id",
    )

    def easy(self) -> str:
        return self.text_easy or self.text


class Choice(Base):
    __tablename__ = "consultation_choices"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_questions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(200))
    pictogram: Mapped[str | None] = mapped_column(String(40))
    pictogram_alt: Mapped[str | None] = mapped_column(String(120))

    question: Mapped[Question] = relationship(back_populates="choices", foreign_keys=[question_id])


class Invitation(Base):
    """One invited person, or one paper code for someone without an account."""

    __tablename__ = "consultation_invitations"
    personal_rows: ClassVar[str] = "person_id = :pid"
    __table_args__ = (UniqueConstraint("round_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_rounds.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    paper_code: Mapped[str | None] = mapped_column(String(16), unique=True, info=personal())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The reminder 2 days before closing (app/consultations/jobs.py): set with its message.
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A paper code cancelled by a facilitator (a questionnaire lost or spoiled): nobody answers with it.
    paper_code_cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    round: Mapped[ConsultationRound] = relationship(back_populates="invitations")
    person: Mapped[Person | None] = relationship()


class Response(AssistedEntryMixin, Base):
    """One person's set of answers to a round. Saved as it goes, sent once."""

    __tablename__ = "consultation_responses"
    personal_rows: ClassVar[str] = (
        "invitation_id IN (SELECT id FROM consultation_invitations WHERE person_id = :pid)"
    )
    __table_args__ = (UniqueConstraint("invitation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_rounds.id", ondelete="CASCADE"), index=True
    )
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_invitations.id", ondelete="CASCADE")
    )
    channel: Mapped[Channel] = mapped_column(StrEnumType(Channel, 16), default=Channel.SELF)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    invitation: Mapped[Invitation] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )
    entered_by: Mapped[Person | None] = relationship(foreign_keys="Response.entered_by_id")


class Answer(Base):
    """The answer to one question. `declined` is "I prefer not to answer": a real answer."""

    __tablename__ = "consultation_answers"
    __table_args__ = (UniqueConstraint("response_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_responses.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_questions.id", ondelete="CASCADE"), index=True
    )
    value_int: Mapped[int | None] = mapped_column(Integer)
    value_text: Mapped[str | None] = mapped_column(Text)
    declined: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    response: Mapped[Response] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()
    selections: Mapped[list[AnswerChoice]] = relationship(
        back_populates="answer", cascade="all, delete-orphan"
    )


class AnswerChoice(Base):
    __tablename__ = "consultation_answer_choices"
    __table_args__ = (UniqueConstraint("answer_id", "choice_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_answers.id", ondelete="CASCADE"), index=True
    )
    choice_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_choices.id", ondelete="CASCADE"), index=True
    )
    # The place given to the choice in a ranking (1: the most important); empty otherwise.
    position: Mapped[int | None] = mapped_column(Integer)

    answer: Mapped[Answer] = relationship(back_populates="selections")


class Confusion(Base):
    """A press on "I do not understand the question", counted per question."""

    __tablename__ = "consultation_confusions"
    __table_args__ = (Index("ix_consultation_confusions_question", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_questions.id", ondelete="CASCADE")
    )
    response_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation_responses.id", ondelete="SET NULL")
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class FeedbackStatus(StrEnum):
    """Where a "We did" item stands. Shown as words, never as a colour alone."""

    UNDER_STUDY = "under_study"
    DECIDED = "decided"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    NOT_KEPT = "not_kept"

    @property
    def label(self) -> str:
        return str(FEEDBACK_STATUS_LABELS[self])

    @property
    def needs_reason(self) -> bool:
        """ "Not kept" says why, in easy words."""
        return self == FeedbackStatus.NOT_KEPT

    @property
    def waits_for_news(self) -> bool:
        """Decided or in progress: people wait for news (the kit's checklist asks for it)."""
        return self in (FeedbackStatus.DECIDED, FeedbackStatus.IN_PROGRESS)


FEEDBACK_STATUS_LABELS = {
    FeedbackStatus.UNDER_STUDY: _l("Under study"),
    FeedbackStatus.DECIDED: _l("Decided"),
    FeedbackStatus.IN_PROGRESS: _l("In progress"),
    FeedbackStatus.DONE: _l("Carried out"),
    FeedbackStatus.NOT_KEPT: _l("Not kept"),
}


class FeedbackItem(Base):
    """ "Vous avez dit / Nous avons fait": one item per question or theme."""

    __tablename__ = "consultation_feedback_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_rounds.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation_questions.id", ondelete="SET NULL")
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    theme: Mapped[str] = mapped_column(String(200), default="")
    you_said: Mapped[str] = mapped_column(Text)
    you_said_easy: Mapped[str] = mapped_column(Text, default="")
    we_did: Mapped[str] = mapped_column(Text)
    we_did_easy: Mapped[str] = mapped_column(Text, default="")
    who: Mapped[str] = mapped_column(String(200), default="")
    when: Mapped[str] = mapped_column(String(200), default="")
    # Followed over time (app/consultations/feedback.py): where the item stands, how far it
    # went, why it was not kept (easy words), and the date of its last news.
    status: Mapped[FeedbackStatus] = mapped_column(
        StrEnumType(FeedbackStatus, 16),
        default=FeedbackStatus.UNDER_STUDY,
        server_default="under_study",
    )
    progress: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=utcnow)
    news_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=utcnow)

    round: Mapped[ConsultationRound] = relationship(back_populates="feedback_items")
    question: Mapped[Question | None] = relationship()
    updates: Mapped[list[FeedbackUpdate]] = relationship(
        back_populates="item",
        order_by="(FeedbackUpdate.created_at.desc(), FeedbackUpdate.id.desc())",
        cascade="all, delete-orphan",
    )

    @property
    def last_update(self) -> FeedbackUpdate | None:
        """The newest dated news of the item (its updates are newest first)."""
        return self.updates[0] if self.updates else None


class FeedbackUpdate(Base):
    """Dated news of a feedback item: its status and progress then, and what happened."""

    __tablename__ = "consultation_feedback_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_feedback_items.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status: Mapped[FeedbackStatus] = mapped_column(StrEnumType(FeedbackStatus, 16))
    progress: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    text_easy: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))

    item: Mapped[FeedbackItem] = relationship(back_populates="updates")
    author: Mapped[Person | None] = relationship()


class PaperCodeState(StrEnum):
    """What became of a paper code: the codes page shows it, the answering-by-code path obeys it."""

    UNUSED = "unused"
    USED = "used"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return str(PAPER_CODE_STATE_LABELS[self])


PAPER_CODE_STATE_LABELS = {
    PaperCodeState.UNUSED: _l("Not used yet"),
    PaperCodeState.USED: _l("Used"),
    PaperCodeState.CANCELLED: _l("Code cancelled"),
}


class EvaluationAnswer(StrEnum):
    YES = "yes"
    A_LITTLE = "a_little"
    NO = "no"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        return str(EVALUATION_ANSWER_LABELS[self])


EVALUATION_ANSWER_LABELS = {
    EvaluationAnswer.YES: _l("Yes"),
    EvaluationAnswer.A_LITTLE: _l("A little"),
    EvaluationAnswer.NO: _l("No"),
    EvaluationAnswer.DECLINED: _l("I prefer not to answer"),
}

# The built-in questions about the participation itself (the kit's "after" phase).
EVALUATION_QUESTIONS = {
    "understood": _l("Did you understand the questions?"),
    "could_speak": _l("Could you say what you think?"),
    "costs_covered": _l("Were your costs paid?"),
    "sees_change": _l("Do you see what changed thanks to your words?"),
}


class Evaluation(AssistedEntryMixin, Base):
    """One person's evaluation of how the round went. Anonymous in results. A facilitator may
    type in the evaluation of someone who answered on paper (who typed it, the consent note)."""

    __tablename__ = "consultation_evaluations"
    personal_rows: ClassVar[str] = (
        "invitation_id IN (SELECT id FROM consultation_invitations WHERE person_id = :pid)"
    )
    __table_args__ = (UniqueConstraint("invitation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_rounds.id", ondelete="CASCADE"), index=True
    )
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_invitations.id", ondelete="CASCADE")
    )
    understood: Mapped[EvaluationAnswer] = mapped_column(StrEnumType(EvaluationAnswer, 16))
    could_speak: Mapped[EvaluationAnswer] = mapped_column(StrEnumType(EvaluationAnswer, 16))
    costs_covered: Mapped[EvaluationAnswer] = mapped_column(StrEnumType(EvaluationAnswer, 16))
    sees_change: Mapped[EvaluationAnswer] = mapped_column(StrEnumType(EvaluationAnswer, 16))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Comment(Base):
    """A message in the discussion of a round (optionally about one question).
    Every comment goes through the moderation service before anyone else sees it."""

    __tablename__ = "consultation_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_rounds.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation_questions.id", ondelete="SET NULL")
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    moderation_status: Mapped[ModerationStatus] = mapped_column(
        StrEnumType(ModerationStatus, 16), default=ModerationStatus.HELD
    )
    moderation_reason: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[Person | None] = relationship()
    question: Mapped[Question | None] = relationship()
    round: Mapped[ConsultationRound] = relationship()

"""Feedback followed over time: "You said / We did" items, where each stands (a status, an
optional progress, why it was not kept), their dated news, and the people who took part told
of each change; evaluations typed in for people who answered on paper.

Items are written from the round's closing on and stay open to changes once published (the
lifecycle's `Allow.FEEDBACK_ITEMS`). Before publication nobody is told (publishing tells
everybody at once); after it, each new item, status change and piece of news is a
notification (`app.core.notifications.notify`: home page, e-mail, text message or the
facilitators' "À prévenir" list, per the person's choice) to every invited person who sent
answers. Each change is a locked read-check-write: the same change asked twice (a form sent
again from another tab) finds it done and tells nobody again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import db
from app.accounts.models import Person
from app.consultations import lifecycle, paper_codes
from app.consultations.lifecycle import Allow
from app.consultations.models import (
    EVALUATION_QUESTIONS,
    ConsultationRound,
    Evaluation,
    EvaluationAnswer,
    FeedbackItem,
    FeedbackStatus,
    FeedbackUpdate,
    Invitation,
    Response,
)
from app.core import audit
from app.core.errors import DomainError, NotFound
from app.core.notifications import notify
from app.core.permissions import require
from app.core.provenance import CONSENT_MIN_LENGTH, Provenance
from app.core.urls import external_url
from app.db import utcnow

# An item decided or in progress with no news for this long asks for news on the kit's
# checklist (so does an item past the date it was announced for).
NEWS_DUE_AFTER = timedelta(days=90)
TEXT_MAX = 5000
REASON_MAX = 2000
SMS_ITEM_MAX = 60  # the item's name in a text message, cut at a word


@dataclass
class FeedbackData:
    you_said: str
    we_did: str
    you_said_easy: str = ""
    we_did_easy: str = ""
    theme: str = ""
    question_id: int | None = None
    who: str = ""
    when: str = ""
    status: FeedbackStatus | str = FeedbackStatus.UNDER_STUDY
    progress: int | None = None
    reason: str = ""


@dataclass
class NewsData:
    """Dated news of an item: where it stands now, and what happened (full and easy)."""

    status: FeedbackStatus | str
    progress: int | None = None
    text: str = ""
    text_easy: str = ""
    reason: str = ""


# The pages write "You said:" before each item: the same words typed by the facilitator
# at the start ("Vous avez dit :", "you said:", any case, a space or not before the colon)
# are dropped, so that nobody reads "Vous avez dit : Vous avez dit : ...".
_YOU_SAID_LABEL = re.compile(r"^\s*(?:vous\s+avez\s+dit|you\s+said)\s*:\s*", re.IGNORECASE)


def without_you_said_label(text: str) -> str:
    """`text` without the label the pages add before it, however many times it was typed."""
    text = text.strip()
    while (found := _YOU_SAID_LABEL.match(text)) is not None:
        text = text[found.end() :]
    return text


def item_title(item: FeedbackItem, easy: bool = True) -> str:
    """The name of an item: its theme, its question, or "Theme n"."""
    if item.theme:
        return item.theme
    if item.question is not None:
        return item.question.easy() if easy else item.question.text
    return _("Theme %(n)s", n=item.position)


# --- rules --------------------------------------------------------------------------------


def _status(value: FeedbackStatus | str) -> FeedbackStatus:
    try:
        return FeedbackStatus(value)
    except ValueError:
        raise DomainError(_l("Choose where it stands."), field="status") from None


def _standing(
    status: FeedbackStatus | str, progress: int | None, reason: str
) -> tuple[FeedbackStatus, int | None, str]:
    """The status, the progress (0 to 100, or none) and the reason (only for "not kept",
    and then required), checked."""
    status = _status(status)
    if progress is not None and not 0 <= progress <= 100:
        raise DomainError(_l("Write a number between 0 and 100."), field="progress")
    reason = (reason or "").strip()
    if status.needs_reason and not reason:
        raise DomainError(_l("Say why it is not kept, in simple words."), field="reason")
    if len(reason) > REASON_MAX:
        raise DomainError(
            _l("This text is too long: %(n)s characters at most.", n=REASON_MAX), field="reason"
        )
    return status, progress, reason if status.needs_reason else ""


def _texts(round_: ConsultationRound, data: FeedbackData) -> FeedbackData:
    data = replace(
        data,
        you_said=without_you_said_label(data.you_said),
        you_said_easy=without_you_said_label(data.you_said_easy),
        we_did=data.we_did.strip(),
        we_did_easy=data.we_did_easy.strip(),
        theme=data.theme.strip(),
        who=data.who.strip(),
        when=data.when.strip(),
    )
    if not data.you_said:
        raise DomainError(_l("Write what people said."), field="you_said")
    if not data.we_did:
        raise DomainError(_l("Write what was done, or what will be done."), field="we_did")
    if not data.you_said_easy or not data.we_did_easy:
        raise DomainError(_l("Write the easy-to-read version too."), field="you_said_easy")
    if data.question_id is not None and data.question_id not in {q.id for q in round_.questions}:
        raise DomainError(_l("Choose a question of this round."), field="question_id")
    return data


_TEXT_FIELDS = ("theme", "you_said", "you_said_easy", "we_did", "we_did_easy", "who", "when")


def _published(round_: ConsultationRound) -> bool:
    return lifecycle.allows(round_, Allow.FEEDBACK_SHOWN)


# --- items --------------------------------------------------------------------------------


def add_feedback_item(actor: Person, round_: ConsultationRound, data: FeedbackData) -> FeedbackItem:
    """A new item, from closing on (also once the feedback is published: then the people who
    took part are told). A form sent again counts once (its idempotency key); two tabs are two
    items the facilitator wrote, one after the other."""
    round_ = db.lock(round_)  # the position is counted under the lock: two items, two positions
    require(actor, "consultations.manage", round_)
    lifecycle.check(round_, Allow.FEEDBACK_ITEMS)
    data = _texts(round_, data)
    status, progress, reason = _standing(data.status, data.progress, data.reason)
    now = utcnow()
    item = FeedbackItem(
        round_id=round_.id,
        question_id=data.question_id,
        position=len(round_.feedback_items) + 1,
        **{name: getattr(data, name) for name in _TEXT_FIELDS},
        status=status,
        progress=progress,
        reason=reason,
        created_at=now,
        news_at=now,
    )
    db.session.add(item)
    db.session.flush()
    db.session.refresh(round_, ["feedback_items"])
    audit.record(actor, "consultation.feedback_added", item, organisation_id=round_.organisation_id)
    if _published(round_):
        _tell_participants(round_, item, _new_item_sentence)
    return item


def edit_feedback_item(actor: Person, item: FeedbackItem, data: FeedbackData) -> FeedbackItem:
    """Correct an item's words, or change where it stands. A change of status or progress is
    dated news (an update) and, once the feedback is published, told to the people who took
    part; a correction of the words alone tells nobody. The same form sent twice changes it
    once."""
    round_ = db.lock(item.round)  # the round before its items
    item = db.lock(item)
    require(actor, "consultations.manage", round_)
    lifecycle.check(round_, Allow.FEEDBACK_ITEMS)
    data = _texts(round_, data)
    status, progress, reason = _standing(data.status, data.progress, data.reason)
    reworded = item.question_id != data.question_id or any(
        getattr(item, name) != getattr(data, name) for name in _TEXT_FIELDS
    )
    moved = (status, progress, reason) != (item.status, item.progress, item.reason)
    if not reworded and not moved:
        return item  # nothing changed (the same form sent again)
    for name in _TEXT_FIELDS:
        setattr(item, name, getattr(data, name))
    item.question_id = data.question_id
    if moved:
        _record_news(actor, round_, item, NewsData(status, progress, reason=reason))
    db.session.flush()
    audit.record(
        actor, "consultation.feedback_changed", item, organisation_id=round_.organisation_id
    )
    return item


def give_news(actor: Person, item: FeedbackItem, data: NewsData) -> FeedbackUpdate:
    """Dated news of an item: where it stands now (status, progress, why not kept) and what
    happened, in full and easy-to-read words. Once the feedback is published the people who
    took part are told. The same news sent again (same words, same status, by the same person)
    is the news already given: nobody is told twice."""
    round_ = db.lock(item.round)
    item = db.lock(item)
    require(actor, "consultations.manage", round_)
    lifecycle.check(round_, Allow.FEEDBACK_ITEMS)
    status, progress, reason = _standing(data.status, data.progress, data.reason)
    text, text_easy = (data.text or "").strip(), (data.text_easy or "").strip()
    for name, value in (("text", text), ("text_easy", text_easy)):
        if len(value) > TEXT_MAX:
            raise DomainError(
                _l("This text is too long: %(n)s characters at most.", n=TEXT_MAX), field=name
            )
    if text and not text_easy:
        raise DomainError(_l("Write the easy-to-read version too."), field="text_easy")
    last = item.last_update
    if (
        last is not None
        and item.reason == reason
        and (last.author_id, last.status, last.progress, last.text, last.text_easy)
        == (actor.id, status, progress, text, text_easy)
    ):
        return last  # the same news, sent again
    if not text_easy and (status, progress, reason) == (item.status, item.progress, item.reason):
        raise DomainError(_l("Write the news, or change where it stands."), field="text_easy")
    update = _record_news(
        actor, round_, item, NewsData(status, progress, text, text_easy, reason=reason)
    )
    audit.record(actor, "consultation.feedback_news", item, organisation_id=round_.organisation_id)
    return update


def _record_news(
    actor: Person, round_: ConsultationRound, item: FeedbackItem, news: NewsData
) -> FeedbackUpdate:
    """Write the update, move the item to where it stands now, tell the people once published."""
    before = item.status
    now = utcnow()
    update = FeedbackUpdate(
        item_id=item.id,
        created_at=now,
        status=news.status,
        progress=news.progress,
        text=news.text,
        text_easy=news.text_easy,
        author_id=actor.id,
    )
    db.session.add(update)
    item.status = FeedbackStatus(news.status)
    item.progress = news.progress
    item.reason = news.reason
    item.news_at = now
    db.session.flush()
    db.session.refresh(item, ["updates"])
    if _published(round_):
        sentence = _status_sentence if item.status != before else _news_sentence
        _tell_participants(round_, item, sentence)
    return update


# --- who is told, and what ----------------------------------------------------------------


def participants(round_: ConsultationRound) -> list[Person]:
    """The people who took part: invited with an account still open, and who sent their
    answers (alone, with help, or on a paper questionnaire typed in for them)."""
    return list(
        db.session.scalars(
            select(Person)
            .join(Invitation, Invitation.person_id == Person.id)
            .join(Response, Response.invitation_id == Invitation.id)
            .where(
                Invitation.round_id == round_.id,
                Response.submitted_at.is_not(None),
                Person.is_active.is_(True),
                Person.closed_at.is_(None),
            )
            .order_by(Person.id)
        )
    )


def _new_item_sentence(item: FeedbackItem) -> str:
    return _(
        'A new point: "%(item)s". Where it stands: %(status)s.',
        item=item_title(item),
        status=item.status.label,
    )


def _status_sentence(item: FeedbackItem) -> str:
    return _('About "%(item)s": it is now %(status)s.', item=item_title(item), status=item.status.label)


def _news_sentence(item: FeedbackItem) -> str:
    return _('There is news about "%(item)s".', item=item_title(item))


def _short(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def _tell_participants(
    round_: ConsultationRound, item: FeedbackItem, sentence: Callable[[FeedbackItem], str]
) -> None:
    link = external_url("consultations.feedback", round_id=round_.id) + f"#feedback-item-{item.id}"
    news = item.last_update

    def subject() -> str:
        return _("News about your words: %(title)s", title=round_.easy("title"))

    def body() -> str:
        lines = [
            _("You gave your opinion: %(title)s.", title=round_.easy("title")),
            sentence(item),
        ]
        if item.status.needs_reason and item.reason:
            lines.append(_("Why: %(reason)s", reason=item.reason))
        if news is not None and news.text_easy:
            lines.append(news.text_easy)
        return "\n".join(lines)

    def sms() -> str:
        return _(
            "Parole: news about %(item)s. Now: %(status)s.",
            item=_short(item_title(item), SMS_ITEM_MAX),
            status=item.status.label,
        )

    for person in participants(round_):
        notify(person, subject, body, link=link, sms_body=sms)


# --- the pages ----------------------------------------------------------------------------


def timeline(round_: ConsultationRound) -> list[FeedbackItem]:
    """The round's points in order, each with its question and its news (newest first), in
    three queries whatever their number."""
    return list(
        db.session.scalars(
            select(FeedbackItem)
            .where(FeedbackItem.round_id == round_.id)
            .order_by(FeedbackItem.position)
            .options(selectinload(FeedbackItem.updates), selectinload(FeedbackItem.question))
        )
    )


def find_item(round_: ConsultationRound, position: int) -> FeedbackItem:
    """The item at this place of the round's feedback (the pages name items by position)."""
    item = db.session.scalar(
        select(FeedbackItem).where(
            FeedbackItem.round_id == round_.id, FeedbackItem.position == position
        )
    )
    if item is None:
        raise NotFound(_l("This page does not exist."))
    return item


def news_overdue(item: FeedbackItem, now: datetime | None = None) -> bool:
    """Decided or in progress, and no news for 90 days, or past the date it was announced
    for (`when` is free text: only a date written 31/12/2027 counts)."""
    if not item.status.waits_for_news:
        return False
    now = now or utcnow()
    last = item.news_at or item.created_at
    if last is not None and now - last > NEWS_DUE_AFTER:
        return True
    due = _written_date(item.when)
    return due is not None and due < now.date() and (last is None or last.date() <= due)


_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")


def _written_date(text: str) -> date | None:
    found = _DATE.search(text or "")
    if found is None:
        return None
    day, month, year = (int(part) for part in found.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


# --- evaluations typed in from paper ------------------------------------------------------


def paper_respondents(actor: Person, round_: ConsultationRound) -> list[str]:
    """The codes of the paper questionnaires typed in whose evaluation is not typed in yet."""
    require(actor, "consultations.enter_paper_evaluation", round_)
    evaluated = select(Evaluation.id).where(Evaluation.invitation_id == Invitation.id)
    return list(
        db.session.scalars(
            select(Invitation.paper_code)
            .join(Response, Response.invitation_id == Invitation.id)
            .where(
                Invitation.round_id == round_.id,
                Invitation.paper_code.is_not(None),
                Response.submitted_at.is_not(None),
                ~evaluated.exists(),
            )
            .order_by(Invitation.paper_code)
        )
    )


def evaluation_values(answers: dict[str, str]) -> dict[str, EvaluationAnswer]:
    values = {}
    for name in EVALUATION_QUESTIONS:
        try:
            values[name] = EvaluationAnswer(answers.get(name) or "")
        except ValueError:
            raise DomainError(
                _l('Choose an answer, or choose "I prefer not to answer".'), field=name
            ) from None
    return values


def submit_paper_evaluation(
    actor: Person,
    round_: ConsultationRound,
    code: str,
    answers: dict[str, str],
    consent_note: str,
    comment: str = "",
) -> Evaluation:
    """A facilitator types in the evaluation of someone who answered on paper (no account):
    the questionnaire is chosen by its code, once; who typed it and how the person agreed are
    kept, as for answers entered with help."""
    round_ = db.lock(round_)
    require(actor, "consultations.enter_paper_evaluation", round_)
    lifecycle.check(round_, Allow.EVALUATION)
    invitation = db.session.scalar(
        select(Invitation)
        .where(
            Invitation.round_id == round_.id,
            Invitation.paper_code == paper_codes.normalise_paper_code(code or ""),
        )
        .with_for_update()
    )
    answered = invitation is not None and db.session.scalar(
        select(Response.id).where(
            Response.invitation_id == invitation.id, Response.submitted_at.is_not(None)
        )
    )
    if invitation is None or not answered:
        raise DomainError(
            _l("Choose the code of a paper questionnaire that was typed in."), field="code"
        )
    if db.session.scalar(select(Evaluation.id).where(Evaluation.invitation_id == invitation.id)):
        raise DomainError(
            _l("The evaluation of this questionnaire was already typed in."), field="code"
        )
    note = (consent_note or "").strip()
    if len(note) < CONSENT_MIN_LENGTH:
        raise DomainError(
            _l("Write how the person agreed that you fill this in for them."),
            field="consent_note",
        )
    evaluation = Evaluation(
        round_id=round_.id,
        invitation_id=invitation.id,
        comment=(comment or "").strip()[:2000],
        **evaluation_values(answers),
    )
    evaluation.apply_provenance(Provenance(entered_by=actor, consent_note=note))
    db.session.add(evaluation)
    db.session.flush()
    audit.record(
        actor,
        "consultation.paper_evaluation",
        evaluation,
        organisation_id=round_.organisation_id,
    )
    return evaluation

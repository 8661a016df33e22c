"""Free texts chosen before they are shown.

After a round closes, the facilitator reads the free answers of each question (the personal-data
detector of moderation marks names, phones, addresses and places), chooses which are quoted, and
may shorten them or mask parts. Only the chosen quotes, in the version kept, reach participants
(results page, texts page, summary PDF) and public pages, and only once the facilitator has said
the choice for the question is finished. The answer itself never changes: staff exports keep the
original with a mark. Each change is in the audit log (who, when, what changed; never the text).

Reading (no actor: also used by public pages): `quotes_ready`, `shown_quotes`,
`shown_quote_count`, `quotes_page`. Changing: `save_quote`, `mark_quotes_ready`, each under a
lock (two facilitators, or one form sent twice, act once)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, select

from app import db
from app.consultations.curation_models import Quote, QuotesReady
from app.consultations.models import Answer, ConsultationRound, Question, Response


def _submitted(round_id: int) -> Any:
    return and_(Response.round_id == round_id, Response.submitted_at.is_not(None))


def quotes_ready(question: Question) -> bool:
    """Whether the facilitator has finished choosing the quotes of this question."""
    return db.session.get(QuotesReady, question.id) is not None


def _shown_query(round_: ConsultationRound, question: Question) -> Any:
    return (
        select(func.coalesce(Quote.shown_text, Answer.value_text))
        .join(Answer, Answer.id == Quote.answer_id)
        .join(Response, Response.id == Answer.response_id)
        .join(QuotesReady, QuotesReady.question_id == Answer.question_id)
        .where(
            _submitted(round_.id),
            Answer.question_id == question.id,
            Answer.value_text.is_not(None),
            Quote.chosen.is_(True),
        )
    )


def shown_quotes(
    round_: ConsultationRound, question: Question, offset: int = 0, limit: int | None = None
) -> list[str]:
    """The chosen quotes of a question, in the version the facilitator kept, in the order
    they were sent; nothing before the facilitator has finished choosing (`quotes_ready`).
    The only texts of people that participants and public pages may show."""
    query = _shown_query(round_, question).order_by(Answer.id).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def shown_quote_count(round_: ConsultationRound, question: Question) -> int:
    """How many quotes `shown_quotes` gives for this question."""
    query = _shown_query(round_, question).with_only_columns(func.count(Quote.id))
    return int(db.session.scalar(query) or 0)


@dataclass
class QuotesPage:
    question: Question
    texts: list[str]
    page: int
    pages: int
    total: int
    first: int  # number of the first quote on the page, from 1
    ready: bool  # False: the facilitator is still choosing (texts is empty)


def quotes_page(
    round_: ConsultationRound, question: Question, page: int, per_page: int = 50
) -> QuotesPage:
    """One page of the chosen quotes (pages from 1; a page beyond the last gives the last)."""
    ready = quotes_ready(question)
    total = shown_quote_count(round_, question) if ready else 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    offset = (page - 1) * per_page
    texts = shown_quotes(round_, question, offset, per_page) if total else []
    return QuotesPage(question, texts, page, pages, total, offset + 1, ready)

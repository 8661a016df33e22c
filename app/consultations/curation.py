"""Free texts chosen before they are shown.

After a round closes, the facilitator reads the free answers of each question (the personal-data
detector of moderation marks names, phones, addresses and places), chooses which are quoted, and
may shorten them or mask parts. Only the chosen quotes, in the version kept, reach participants
(results page, texts page, summary PDF) and public pages, and only once the facilitator has said
the choice for the question is finished. The answer itself never changes: staff exports keep the
original with a mark. Each change is in the audit log (who, when, what changed; never the text).

Reading (no actor: also used by public pages): `published_quotes` is the one way to the
quotes any participant or visitor reads (capped by disclosure control: each quote is one
answer, see disclosure.py rule 8); `quotes_ready`, `shown_quotes` and `shown_quote_count`
are the facilitator's uncapped view. Changing: `save_quote`, `mark_quotes_ready`, each under a
lock (two facilitators, or one form sent twice, act once)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, select

from app import db
from app.accounts.models import Person
from app.consultations import lifecycle
from app.consultations.curation_models import Quote, QuotesReady
from app.consultations.kinds import kind_of
from app.consultations.lifecycle import Allow
from app.consultations.models import Answer, ConsultationRound, Invitation, Question, Response
from app.core import audit
from app.core.errors import DomainError, NotFound
from app.core.permissions import require
from app.db import utcnow
from app.moderation import detectors
from app.moderation import services as moderation


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
    Not capped: participants and public pages get them through `published_quotes`."""
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
    total: int  # quotes a reader may count (all pages), never more than the cap
    first: int  # number of the first quote on the page, from 1
    ready: bool  # False: the facilitator is still choosing (texts is empty)
    # Disclosure control caps these quotes (disclosure.quote_cap): the page says that some
    # written answers may not be shown, whether or not any are held back.
    protected: bool = False
    held_back: int = 0  # chosen quotes not shown to protect people: for the staff's note only


def _chosen_of(round_id: int, question_ids: list[int]) -> Any:
    return (
        select(Answer.question_id)
        .select_from(Quote)
        .join(Answer, Answer.id == Quote.answer_id)
        .join(Response, Response.id == Answer.response_id)
        .join(QuotesReady, QuotesReady.question_id == Answer.question_id)
        .where(
            _submitted(round_id),
            Answer.question_id.in_(question_ids),
            Answer.value_text.is_not(None),
            Quote.chosen.is_(True),
        )
    )


def published_quotes(
    round_: ConsultationRound, results: Iterable[Any], per_page: int, page: int = 1
) -> dict[int, QuotesPage]:
    """THE quotes participants and public pages show (results page, texts page, summary
    PDF, public page), by question id: the chosen ones, in the version kept, in the order
    sent, once the facilitator has finished choosing, and no more than disclosure control
    allows (`result.quote_cap`, set by disclosure.protect_results on each question's
    published result). `results`: the published results of questions with free texts;
    `page` (from 1; beyond the last gives the last) only with one question. Three queries,
    however many questions."""
    results = list(results)
    assert page == 1 or len(results) == 1, "pages one question at a time"
    ids = [r.question.id for r in results]
    if not ids:
        return {}
    ready = set(
        db.session.scalars(select(QuotesReady.question_id).where(QuotesReady.question_id.in_(ids)))
    )
    chosen = dict(
        db.session.execute(
            _chosen_of(round_.id, ids)
            .add_columns(func.count(Quote.id))
            .group_by(Answer.question_id)
        ).all()
    )
    pages: dict[int, QuotesPage] = {}
    for result in results:
        question_id = result.question.id
        count = int(chosen.get(question_id, 0))
        cap = result.quote_cap
        total = count if cap is None else min(count, cap)
        last = max(1, -(-total // per_page))
        number = min(max(page, 1), last)
        pages[question_id] = QuotesPage(
            question=result.question,
            texts=[],
            page=number,
            pages=last,
            total=total,
            first=(number - 1) * per_page + 1,
            ready=question_id in ready,
            protected=cap is not None,
            held_back=count - total,
        )
    offset = (pages[ids[0]].page - 1) * per_page if len(ids) == 1 else 0
    wanted = [i for i in ids if pages[i].total > offset]
    if wanted:
        place = (
            func.row_number().over(partition_by=Answer.question_id, order_by=Answer.id).label("n")
        )
        numbered = (
            _chosen_of(round_.id, wanted)
            .add_columns(func.coalesce(Quote.shown_text, Answer.value_text).label("text"), place)
            .subquery()
        )
        rows = db.session.execute(
            select(numbered.c.question_id, numbered.c.text, numbered.c.n)
            .where(numbered.c.n > offset, numbered.c.n <= offset + per_page)
            .order_by(numbered.c.question_id, numbered.c.n)
        ).all()
        for question_id, text, n in rows:
            if n <= pages[question_id].total:
                pages[question_id].texts.append(text)
    return pages


# --- the facilitator's work ---------------------------------------------------------------

PER_PAGE = 20  # free answers on a page of the curation page
PLACEHOLDER = "[…]"  # what "mask what was found" writes instead of each part found

# What the detector found, in the words the curation page shows next to each marked part.
# A name is any name the organisation knows (its staff, the names it listed, the people
# invited to the round), so it is "a name", not "a staff member's name".
FOUND_LABELS = {
    "phone": _l("Phone number"),
    "email": _l("E-mail address"),
    "address": _l("Postal address"),
    "iban": _l("Bank details (IBAN)"),
    "nir": _l("Social security number"),
    "staff_name": _l("Name of a person"),
    "place": _l("Name of a place"),
}


def found_label(kind: str) -> str:
    return str(FOUND_LABELS.get(kind, kind))


def names_to_mark(round_: ConsultationRound) -> list[str]:
    """The names the detector looks for: the organisation's staff and listed names
    (moderation's list) and the people invited to the round."""
    invited = db.session.scalars(
        select(Person.display_name)
        .join(Invitation, Invitation.person_id == Person.id)
        .where(Invitation.round_id == round_.id)
        .distinct()
    ).all()
    return sorted(set(moderation.staff_names(round_.organisation_id)) | {n for n in invited if n})


def find_personal_data(text: str, names: Iterable[str]) -> list[detectors.Finding]:
    """What may tell who someone is: phones, e-mail and postal addresses, places, bank and
    social security numbers, names. Insults and distress are moderation's business."""
    found = [
        f
        for f in detectors.detect(text, staff_names=names, insults=(), distress=())
        if f.kind in detectors.PERSONAL
    ]
    taken = [(f.start, f.end) for f in found]
    for kind, start, end in _names_and_places(text):
        if all(end <= a or start >= b for a, b in taken):
            found.append(detectors.Finding(kind, start, end, text[start:end]))
            taken.append((start, end))
    return sorted(found, key=lambda f: (f.start, f.end))


# Names nobody listed ("Martine Durand", "Mme Lefèvre", "chez Martine") and places ("à Évry",
# "près de Lille"): capitalised words in the middle of a sentence. A hint for the facilitator,
# who reads every text anyway: a false alarm costs a glance, a miss can tell who wrote.
_CAPITAL = r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+(?:[-'’][A-ZÀ-ÖØ-Þa-zà-öø-ÿ]+)*"
_CIVILITY = r"(?:Madame|Monsieur|Mademoiselle|Mme|Mlle|M\.|Dr|Docteur|Maître)"
_NAME_AFTER_CIVILITY = re.compile(rf"\b{_CIVILITY}\s+{_CAPITAL}(?:\s+{_CAPITAL})?")
_TWO_CAPITALS = re.compile(rf"\b{_CAPITAL}\s+{_CAPITAL}\b")
_AFTER_CHEZ = re.compile(rf"\bchez\s+({_CAPITAL}(?:\s+{_CAPITAL})?)")
_PLACE = re.compile(rf"\b(?:à|a|au|en|vers|près de|habite|de)\s+({_CAPITAL}(?:[- ]{_CAPITAL})*)")
# Words that start a sentence before a capitalised word that is not a name ("Le Havre" is
# still a place: `_PLACE` finds it after "au").
_NOT_A_FIRST_NAME = frozenset(
    [
        "le",
        "la",
        "les",
        "l",
        "un",
        "une",
        "des",
        "du",
        "de",
        "je",
        "tu",
        "il",
        "elle",
        "on",
        "nous",
        "vous",
        "ils",
        "elles",
        "mon",
        "ma",
        "mes",
        "ton",
        "ta",
        "tes",
        "son",
        "sa",
        "ses",
        "notre",
        "nos",
        "votre",
        "vos",
        "leur",
        "leurs",
        "ce",
        "cet",
        "cette",
        "ces",
        "et",
        "ou",
        "mais",
        "donc",
        "car",
        "si",
        "quand",
        "bonjour",
        "merci",
        "oui",
        "non",
    ]
)


def _names_and_places(text: str) -> list[tuple[str, int, int]]:
    found: list[tuple[str, int, int]] = []
    for match in _NAME_AFTER_CIVILITY.finditer(text):
        found.append(("staff_name", *match.span()))
    for match in _AFTER_CHEZ.finditer(text):
        found.append(("staff_name", *match.span(1)))
    for match in _TWO_CAPITALS.finditer(text):
        if match.group().split()[0].lower() not in _NOT_A_FIRST_NAME:
            found.append(("staff_name", *match.span()))
    for match in _PLACE.finditer(text):
        found.append(("place", *match.span(1)))
    return found


@dataclass
class QuestionCuration:
    """One question with free texts, on the round's curation page."""

    question: Question
    total: int  # free answers sent
    chosen: int  # chosen as quotes
    edited: int  # chosen or not, with a version of their own
    ready: bool


def _free_answers(round_: ConsultationRound) -> Any:
    return and_(_submitted(round_.id), Answer.value_text.is_not(None))


def _text_questions(round_: ConsultationRound) -> list[Question]:
    return [q for q in round_.questions if kind_of(q).has_free_texts]


def curation_overview(actor: Person, round_: ConsultationRound) -> list[QuestionCuration]:
    """The round's questions with free texts: how many answers, how many chosen, finished."""
    require(actor, "consultations.curate", round_)
    questions = _text_questions(round_)
    ids = [q.id for q in questions]
    totals = dict(
        db.session.execute(
            select(Answer.question_id, func.count(Answer.id))
            .join(Response, Response.id == Answer.response_id)
            .where(_free_answers(round_), Answer.question_id.in_(ids))
            .group_by(Answer.question_id)
        ).all()
    )
    marks = {
        question_id: (int(chosen or 0), int(edited or 0))
        for question_id, chosen, edited in db.session.execute(
            select(
                Answer.question_id,
                func.sum(case((Quote.chosen.is_(True), 1), else_=0)),
                func.count(Quote.shown_text),
            )
            .join(Answer, Answer.id == Quote.answer_id)
            .join(Response, Response.id == Answer.response_id)
            .where(_free_answers(round_), Answer.question_id.in_(ids))
            .group_by(Answer.question_id)
        ).all()
    }
    ready = set(
        db.session.scalars(select(QuotesReady.question_id).where(QuotesReady.question_id.in_(ids)))
    )
    return [
        QuestionCuration(
            question=q,
            total=int(totals.get(q.id, 0)),
            chosen=marks.get(q.id, (0, 0))[0],
            edited=marks.get(q.id, (0, 0))[1],
            ready=q.id in ready,
        )
        for q in questions
    ]


@dataclass
class CurationItem:
    """One free answer on the curation page."""

    answer_id: int
    number: int  # its place in the order of sending, from 1
    original: str
    segments: list[tuple[str, str | None]]  # the original cut for highlighting (kind or None)
    found: list[str]  # the kinds found, in KINDS order, once each
    chosen: bool
    shown_text: str | None  # the facilitator's version; None: the original
    still_found: list[str] = field(default_factory=list)  # found in the version shown

    @property
    def shown(self) -> str:
        return self.shown_text if self.shown_text is not None else self.original


@dataclass
class CurationPage:
    round: ConsultationRound
    question: Question
    items: list[CurationItem]
    page: int
    pages: int
    total: int
    chosen: int
    ready: bool

    @property
    def first(self) -> int:
        return (self.page - 1) * PER_PAGE + 1


def _question_of(round_: ConsultationRound, question_id: int) -> Question:
    question = next((q for q in _text_questions(round_) if q.id == question_id), None)
    if question is None:
        raise NotFound(_l("This page does not exist."))
    return question


def curation_page(
    actor: Person, round_: ConsultationRound, question_id: int, page: int
) -> CurationPage:
    """One page of a question's free answers, each with what the detector found and the
    facilitator's choice."""
    require(actor, "consultations.curate", round_)
    question = _question_of(round_, question_id)
    overview = next(o for o in curation_overview(actor, round_) if o.question.id == question.id)
    pages = max(1, -(-overview.total // PER_PAGE))
    page = min(max(page, 1), pages)
    rows = db.session.execute(
        select(Answer.id, Answer.value_text, Quote.chosen, Quote.shown_text)
        .join(Response, Response.id == Answer.response_id)
        .outerjoin(Quote, Quote.answer_id == Answer.id)
        .where(_free_answers(round_), Answer.question_id == question.id)
        .order_by(Answer.id)
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE)
    ).all()
    names = names_to_mark(round_)
    items = []
    for number, (answer_id, text, chosen, shown_text) in enumerate(
        rows, start=(page - 1) * PER_PAGE + 1
    ):
        found = find_personal_data(text, names)
        still = found if shown_text is None else find_personal_data(shown_text, names)
        items.append(
            CurationItem(
                answer_id=answer_id,
                number=number,
                original=text,
                segments=detectors.segments(text, found),
                found=detectors.kinds(found),
                chosen=bool(chosen),
                shown_text=shown_text,
                still_found=detectors.kinds(still),
            )
        )
    return CurationPage(
        round=round_,
        question=question,
        items=items,
        page=page,
        pages=pages,
        total=overview.total,
        chosen=overview.chosen,
        ready=overview.ready,
    )


@dataclass(frozen=True)
class QuoteData:
    chosen: bool
    text: str  # the version to show (the original, shortened or masked)
    mask: bool = False  # replace what the detector finds in `text` by PLACEHOLDER


def _lines(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip()


def save_quote(
    actor: Person, round_: ConsultationRound, answer_id: int, data: QuoteData
) -> Quote | None:
    """Choose a free answer as a quote or not, and keep the version to show. The answer is
    never changed. A change is recorded in the audit log (who, when, what changed, never the
    text); the same choice sent twice changes nothing the second time."""
    require(actor, "consultations.curate", round_)
    lifecycle.check(round_, Allow.CURATION)
    answer = db.session.get(Answer, answer_id)
    response = db.session.get(Response, answer.response_id) if answer is not None else None
    if (
        answer is None
        or response is None
        or response.round_id != round_.id
        or response.submitted_at is None
        or answer.value_text is None
    ):
        raise NotFound(_l("This page does not exist."))
    _question_of(round_, answer.question_id)
    answer = db.lock(answer)  # two facilitators, or one form sent twice: one after the other
    original = answer.value_text or ""
    text = _lines(data.text)
    masked = False
    if data.mask:
        source = text or original
        text = detectors.redact(
            source, find_personal_data(source, names_to_mark(round_)), PLACEHOLDER
        )
        masked = text != source
    if not text and data.chosen:
        raise DomainError(_l("Write the text to show, or do not choose it."), field="text")
    if len(text) > len(original) + 200:
        raise DomainError(
            _l("The text shown may shorten the answer, not lengthen it."), field="text"
        )
    shown = text if text and text != original else None
    quote = db.session.scalar(select(Quote).where(Quote.answer_id == answer.id))
    if quote is None:
        if not data.chosen and shown is None:
            return None
        quote = Quote(answer_id=answer.id, chosen=False, shown_text=None)
        db.session.add(quote)
    changes = {}
    if quote.chosen != data.chosen:
        changes["chosen"] = data.chosen
    if quote.shown_text != shown:
        changes["edited"] = shown is not None
        changes["masked"] = masked
    if not changes:
        return quote
    quote.chosen = data.chosen
    quote.shown_text = shown
    quote.updated_at = utcnow()
    db.session.flush()
    audit.record(
        actor,
        "consultation.quote_changed",
        quote,
        organisation_id=round_.organisation_id,
        round_id=round_.id,
        question_id=answer.question_id,
        answer_id=answer.id,
        **changes,
    )
    return quote


def mark_quotes_ready(actor: Person, round_: ConsultationRound, question_id: int) -> bool:
    """The facilitator has finished choosing: participants see the chosen quotes of the
    question from now on. False when it was already done (a second click acts once)."""
    require(actor, "consultations.curate", round_)
    lifecycle.check(round_, Allow.CURATION)
    round_ = db.lock(round_)
    question = _question_of(round_, question_id)
    if db.session.get(QuotesReady, question.id) is not None:
        return False
    db.session.add(QuotesReady(question_id=question.id, ready_at=utcnow()))
    db.session.flush()
    audit.record(
        actor,
        "consultation.quotes_ready",
        round_,
        organisation_id=round_.organisation_id,
        question_id=question.id,
        chosen=shown_quote_count(round_, question),
    )
    return True


def quotes_of(round_: ConsultationRound) -> dict[int, Quote]:
    """The facilitator's choices about the round's answers, by answer id (staff export)."""
    return {
        quote.answer_id: quote
        for quote in db.session.scalars(
            select(Quote)
            .join(Answer, Answer.id == Quote.answer_id)
            .join(Response, Response.id == Answer.response_id)
            .where(Response.round_id == round_.id)
        )
    }


def quotes_of_answers(answer_ids: Iterable[int]) -> dict[int, Quote]:
    """The choices about these answers, by answer id ("My data")."""
    ids = list(answer_ids)
    if not ids:
        return {}
    return {
        q.answer_id: q for q in db.session.scalars(select(Quote).where(Quote.answer_id.in_(ids)))
    }

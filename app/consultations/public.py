"""An organisation's public page: the rounds it chose to show, readable without logging in.

A round is private until a facilitator who manages it chooses to show it, once its results
exist (`set_shown_publicly`; the rule `consultations.show_publicly`). The organisation's page
(`/public/<slug>`) lists its shown rounds; an organisation that shows nothing has no public
page at all (404, the same answer as an address that never existed: nobody learns from it
whether an organisation uses Parole). Its address is made from its name the first time it
shows a round and never changes afterwards, so links given out stay good.

What a public page may show, and only through the modules that guard it:
- the texts of the round (title, what it is about, why, what will be done: easy-to-read and
  full versions) and its questions;
- how many people took part and the numbers of each question, through the disclosure
  control (`services.results_of`, ruled by disclosure.py: the numbers of the results page
  and the summary PDF, a hidden one written "hidden", never a number by way of answering);
- the quotes the facilitator chose (`curation.published_quotes`, capped by disclosure
  control as on the results page): never a raw free text;
- once published, what was done (the feedback items with their status).
Never a name of a participant, an answer one by one, a number by way of answering (alone,
with help, on paper), the discussion or the evaluation.

Reading functions take no actor (the visitor has no account); `set_shown_publicly` is a
service like the others: the actor first, locked, audited, flushed, never committed."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import db
from app.accounts.models import Organisation, Person
from app.consultations import curation, disclosure, services
from app.consultations.kinds import Count, kind_of
from app.consultations.lifecycle import Allow, allows, statuses_allowing
from app.consultations.models import ConsultationRound, FeedbackItem, Question
from app.core import audit
from app.core.errors import NotFound
from app.core.permissions import require
from app.db import utcnow

SLUG_MAX = 80
QUOTES_SHOWN = 20  # chosen quotes per question on a public page

NOTHING_PUBLIC = _l("There is nothing public at this address.")


# --- choosing what is shown ------------------------------------------------------------------


def _slug_base(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    return slug[: SLUG_MAX - 6].strip("-") or "organisation"


def _give_slug(organisation: Organisation) -> None:
    """The organisation's public address, made once from its name (a number added when
    another organisation has it already)."""
    if organisation.public_slug:
        return
    base = _slug_base(organisation.name)
    taken = set(
        db.session.scalars(
            select(Organisation.public_slug).where(
                Organisation.public_slug.is_not(None),
                (Organisation.public_slug == base) | Organisation.public_slug.like(f"{base}-%"),
            )
        )
    )
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    organisation.public_slug = slug


def set_shown_publicly(
    actor: Person, round_: ConsultationRound, shown: bool, now: datetime | None = None
) -> bool:
    """Show the round on its organisation's public page, or stop showing it. Asked again
    when it is already so: nothing changes (no second audit entry). Returns whether it
    changed."""
    round_ = db.lock(round_)
    require(actor, "consultations.show_publicly", round_)
    if (round_.shown_publicly_at is not None) == shown:
        return False
    if shown:
        organisation = db.lock(round_.organisation)
        _give_slug(organisation)
        round_.shown_publicly_at = now or utcnow()
    else:
        round_.shown_publicly_at = None
    audit.record(
        actor,
        "consultations.shown_publicly" if shown else "consultations.hidden_publicly",
        round_,
        organisation_id=round_.organisation_id,
    )
    db.session.flush()
    return True


# --- reading (no actor: the visitor has no account) --------------------------------------------


def _shown_filter():  # noqa: ANN202 - a SQL condition
    return ConsultationRound.shown_publicly_at.is_not(None) & ConsultationRound.status.in_(
        statuses_allowing(Allow.RESULTS_TO_INVITED)
    )


def is_public(round_: ConsultationRound) -> bool:
    return round_.shown_publicly_at is not None and allows(round_, Allow.RESULTS_TO_INVITED)


def shown_rounds(organisation: Organisation) -> list[ConsultationRound]:
    """The rounds an organisation shows, the most recently closed first."""
    return list(
        db.session.scalars(
            select(ConsultationRound)
            .where(ConsultationRound.organisation_id == organisation.id, _shown_filter())
            .order_by(ConsultationRound.closes_at.desc(), ConsultationRound.id.desc())
        )
    )


def public_organisation(slug: str) -> tuple[Organisation, list[ConsultationRound]]:
    """The organisation at this address with the rounds it shows; 404 when there is none
    or it shows nothing (the same answer, so the address tells nothing)."""
    organisation = None
    if len(slug) <= SLUG_MAX:
        organisation = db.session.scalar(
            select(Organisation).where(Organisation.public_slug == slug)
        )
    rounds = shown_rounds(organisation) if organisation is not None else []
    if organisation is None or not rounds:
        raise NotFound(NOTHING_PUBLIC)
    return organisation, rounds


def public_round(slug: str, round_id: int) -> ConsultationRound:
    """A round shown by the organisation at this address; 404 for any other."""
    organisation, rounds = public_organisation(slug)
    round_ = next((r for r in rounds if r.id == round_id), None)
    if round_ is None:
        raise NotFound(NOTHING_PUBLIC)
    return round_


@dataclass
class PublicQuestion:
    question: Question
    result: Any  # its published result (services.QuestionResult, through disclosure.py)
    threshold: int
    quotes: list[str] = field(default_factory=list)
    more_quotes: int = 0  # chosen quotes not shown on the page
    # Disclosure control caps its quotes: the page says some may not be shown.
    quotes_protected: bool = False

    @property
    def lines(self) -> list[str]:
        """Its numbers, as the summary PDF prints them (hidden ones say "hidden"). Written
        when the page is, in its language."""
        return list(kind_of(self.question).summary_lines(self.result, self.threshold))

    @property
    def declined(self) -> str:
        return disclosure.text(self.result.declined)


@dataclass
class PublicRound:
    round: ConsultationRound
    respondents: Count
    threshold: int
    questions: list[PublicQuestion]
    feedback_items: list[FeedbackItem]  # empty until the feedback is published
    feedback_published: bool


def public_view(round_: ConsultationRound) -> PublicRound:
    """Everything the public page of a round shows, and nothing else: the numbers are those
    the disclosure control publishes (`services.results_of`, the same as the results page
    and the summary PDF, never by way of answering), the free texts only the chosen quotes."""
    results = services.results_of(round_, include_texts=False)
    by_question = {r.question.id: r for r in results.questions}
    with_texts = [r for r in results.questions if kind_of(r.question).has_free_texts]
    # The quotes of the results page, capped the same way (disclosure.py rule 8).
    pages = curation.published_quotes(round_, with_texts, QUOTES_SHOWN)
    questions = []
    for question in round_.questions:
        shown = PublicQuestion(question, by_question[question.id], results.threshold)
        if question.id in pages:
            quotes = pages[question.id]
            shown.quotes = quotes.texts
            shown.more_quotes = quotes.total - len(quotes.texts)
            shown.quotes_protected = quotes.protected
        questions.append(shown)
    published = allows(round_, Allow.FEEDBACK_SHOWN)
    return PublicRound(
        round=round_,
        respondents=results.respondents,
        threshold=results.threshold,
        questions=questions,
        feedback_items=list(round_.feedback_items) if published else [],
        feedback_published=published,
    )

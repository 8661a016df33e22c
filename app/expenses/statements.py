"""Costs without a receipt: the sworn statement ("déclaration sur l'honneur").

Per kind of cost, the paying organisation says whether a sworn statement may replace the
receipt, and up to what amount per cost (no amount: no limit). Until it chooses, the table's
defaults apply (categories.py: car and childcare without limit, bus up to 20 €, parking up to
30 €; train, taxi, hotel need a receipt). Where the rule allows a statement, no receipt is ever
asked for: the person ticks a box whose exact sentence is kept on the cost line with the time,
or a facilitator ticks it for them, with the consent note, as for every assisted entry."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import db
from app.core import audit
from app.core.errors import DomainError, InvalidTransition, NotFound
from app.core.permissions import can, require
from app.core.provenance import assisted_entry
from app.db import utcnow
from app.expenses import money
from app.expenses.categories import CATEGORIES, Category
from app.expenses.models import CategoryRule, ExpenseLine


@dataclass(frozen=True)
class SwornRule:
    """May a sworn statement replace the receipt, and up to what amount (None: no limit)."""

    allowed: bool
    ceiling: Decimal | None


def default_rule(category: Category | str) -> SwornRule:
    rule = CATEGORIES[Category(category)]
    return SwornRule(rule.sworn_by_default, rule.sworn_ceiling_by_default)


def rules(organisation_id: int) -> dict[Category, SwornRule]:
    """The organisation's rule for every kind of cost, in the table's order."""
    chosen = {
        row.category: SwornRule(row.sworn_allowed, row.sworn_ceiling)
        for row in db.session.scalars(
            select(CategoryRule).where(CategoryRule.organisation_id == organisation_id)
        )
    }
    return {c: chosen.get(c) or default_rule(c) for c in CATEGORIES}


def rule_for(organisation_id: int, category: Category | str) -> SwornRule:
    row = db.session.get(CategoryRule, (organisation_id, Category(category)))
    if row is None:
        return default_rule(category)
    return SwornRule(row.sworn_allowed, row.sworn_ceiling)


def refusal(line: ExpenseLine, organisation_id: int) -> Any:
    """Why a sworn statement may not replace this cost's receipt, or None when it may."""
    rule = rule_for(organisation_id, line.category)
    if not rule.allowed:
        return _l("For this cost, a receipt is needed. Ask your facilitator if you lost it.")
    if rule.ceiling is not None and line.amount > rule.ceiling:
        return _l(
            "Without a receipt, the limit is %(amount)s.",
            amount=money.format_amount(rule.ceiling),
        )
    return None


def allowed_without_receipt(organisation_id: int) -> list[str]:
    """For the cost form: the kinds of cost a statement may replace the receipt of, with their
    limit ("Parking, up to 30,00 €")."""
    found = []
    for category, rule in rules(organisation_id).items():
        if not rule.allowed:
            continue
        if rule.ceiling is None:
            found.append(str(category.label))
        else:
            found.append(
                _(
                    "%(cost)s, up to %(amount)s",
                    cost=category.label,
                    amount=money.format_amount(rule.ceiling),
                )
            )
    return found


def sentence(line: ExpenseLine, person_name: str, for_someone: bool) -> str:
    """The statement as shown next to the box, and kept word for word once signed."""
    what = line.category.label
    if line.description:
        what = f"{what} ({line.description})"
    if for_someone:
        return _(
            "%(name)s declares on their honour that this cost is real: %(what)s, %(amount)s. "
            "They have no receipt.",
            name=person_name,
            what=what,
            amount=money.format_amount(line.amount),
        )
    return _(
        "I declare on my honour that this cost is real: %(what)s, %(amount)s. I have no receipt.",
        what=what,
        amount=money.format_amount(line.amount),
    )


def sign(
    actor: Any, line: ExpenseLine, agreed: bool, consent_note: str | None = None
) -> ExpenseLine:
    """The person (or a facilitator for them, with the consent note) signs the statement that
    replaces this cost's receipt, where the organisation's rule allows it. Signed already (a
    double click): nothing more."""
    request = line.request
    if not can(actor, "expenses.fill", request):
        raise NotFound(_l("This page does not exist."))
    request = db.lock(request)
    if not request.status.is_editable:
        raise InvalidTransition(_l("This request was sent. You cannot change it now."))
    line = db.session.get(ExpenseLine, line.id, populate_existing=True)
    if line is None:
        raise NotFound(_l("This page does not exist."))
    why_not = refusal(line, request.organisation_id)
    if why_not is not None:
        raise DomainError(why_not, field="agreed")
    if line.sworn_statement:
        return line
    if not agreed:
        raise DomainError(_l("Tick the box to sign the statement."), field="agreed")
    person = request.person
    provenance = assisted_entry(actor, person, consent_note)
    line.sworn_statement = True
    line.sworn_text = sentence(line, person.display_name, provenance.is_assisted)
    line.sworn_at = utcnow()
    line.sworn_by_id = actor.id
    line.sworn_consent_note = provenance.consent_note
    db.session.flush()
    audit.record(
        actor,
        "expenses.sworn_statement",
        request,
        organisation_id=request.organisation_id,
        assisted=provenance.is_assisted,
    )
    return line


def unsign(line: ExpenseLine) -> None:
    """A receipt was added after all: the statement no longer stands in for it."""
    line.sworn_statement = False
    line.sworn_text = line.sworn_at = line.sworn_by_id = line.sworn_consent_note = None


def save_rules(actor: Any, organisation_id: int, typed: dict[str, tuple[bool, str]]) -> None:
    """The organisation's choice for every kind of cost: (allowed, limit typed the French way,
    empty for no limit). Called within the saving of the settings (flushes, never commits)."""
    require(actor, "expenses.settings", organisation_id)
    for category in CATEGORIES:
        allowed, ceiling_text = typed.get(category.value, (False, ""))
        ceiling = None
        if (ceiling_text or "").strip():
            ceiling = money.parse_amount(ceiling_text, field=f"ceiling_{category.value}")
        row = db.session.get(CategoryRule, (organisation_id, category))
        if row is None:
            row = CategoryRule(organisation_id=organisation_id, category=category)
            db.session.add(row)
        row.sworn_allowed = bool(allowed)
        row.sworn_ceiling = ceiling
    db.session.flush()

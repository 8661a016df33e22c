"""Moderation service: the one entry point for user text that others will read.

`submit(actor, content)` runs the detectors and the space's policy: the text is published at
once, or held for a person. Distress is held *and* raises an urgent alert to the
organisation's referent. Reports never hide a text: they raise it in the queue. Moderators
decide with a reason in simple words; the author is told, may change the text or appeal, and
an appeal goes to another moderator. Services flush and never commit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, or_, select, true
from sqlalchemy.orm import selectinload

from app import db
from app.accounts.models import Membership, Person, Role
from app.core import audit, formatting
from app.core.errors import DomainError, InvalidTransition, NotAllowed, NotFound
from app.core.notifications import notify
from app.core.permissions import can, require
from app.core.urls import external_url
from app.db import utcnow
from app.moderation import detectors, registry
from app.moderation.models import (
    ACTION_STATUS,
    Action,
    AppealStatus,
    AuthorMeasure,
    MeasureKind,
    ModerationAppeal,
    ModerationDecision,
    ModerationItem,
    ModerationReport,
    ModerationSettings,
    ModerationStatus,
    Policy,
    ReasonTemplate,
    ReportReason,
)

__all__ = [
    "ModerationStatus",
    "submit",
    "decide",
    "report",
    "appeal",
    "resubmit",
    "may_read",
    "readable",
    "readable_filter",
]

# Queue order: the smaller, the more urgent.
PRIORITY_DISTRESS = 0
PRIORITY_PERSONAL = 1
PRIORITY_ABUSE = 2
PRIORITY_APPEAL = 3
PRIORITY_POLICY = 4
PRIORITY_REPORT = 5
REPORT_PRIORITY = {
    ReportReason.IDENTIFIES: PRIORITY_PERSONAL,
    ReportReason.RUDE: PRIORITY_ABUSE,
    ReportReason.ADVERT: PRIORITY_REPORT,
    ReportReason.OTHER: PRIORITY_REPORT,
}
HISTORY_DAYS = 90
REPORT_COMMENT_MAX = 500
APPEAL_MAX = 1000

# What the author reads about why a text waits (one sentence each).
HELD_FOR_TEXTS = {
    "phone": _l("It looks like a phone number. We check it to protect you."),
    "email": _l("It looks like an e-mail address. We check it to protect you."),
    "address": _l("It looks like an address. We check it to protect you."),
    "iban": _l("It looks like bank details. We check it to protect you."),
    "nir": _l("It looks like a social security number. We check it to protect you."),
    "staff_name": _l("It gives the name of a person who works here. We check it."),
    "insult": _l("Some words may hurt someone. A person checks them."),
    "distress": _l("A person of the organisation will read it soon. You are not alone."),
    "policy": _l("In this space, a person checks every message before it is shown."),
    "measure": _l("For some days, a person checks your messages before they are shown."),
}
# What a moderator reads next to a text.
KIND_LABELS = {
    "distress": _l("Distress"),
    "phone": _l("Phone number"),
    "email": _l("E-mail address"),
    "address": _l("Postal address"),
    "iban": _l("Bank details (IBAN)"),
    "nir": _l("Social security number"),
    "staff_name": _l("Name of a staff member"),
    "insult": _l("Insult"),
    "policy": _l("Checked before publication"),
    "measure": _l("Author checked before publication"),
}
DEFAULT_REASONS = (
    _l("Your message follows the charter. It is published."),
    _l("Your message gives personal information: a phone number, an address or a name."),
    _l("Your message may hurt someone."),
    _l("Your message is advertising."),
    _l("Your message is not about this subject."),
    _l("Your message shows that you may need help. A person of the organisation will call you."),
    _l("Several people reported this message. We looked at it again."),
)


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


# --- settings, lists, content ----------------------------------------------------------


def settings_for(organisation_id: int) -> ModerationSettings:
    settings = db.session.get(ModerationSettings, organisation_id)
    if settings is None:
        settings = ModerationSettings(
            organisation_id=organisation_id,
            default_policy=Policy.POST,
            premoderation_days=14,
            pause_days=7,
            insults="",
            distress="",
            staff_names="",
        )
    return settings


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def staff_names(organisation_id: int) -> list[str]:
    """Names of the people who work in the organisation, plus the names it listed itself."""
    names = db.session.scalars(
        select(Person.display_name)
        .join(Membership, Membership.person_id == Person.id)
        .where(Membership.organisation_id == organisation_id, Membership.role != Role.PARTICIPANT)
        .distinct()
    ).all()
    return sorted({n for n in names if n} | set(_lines(settings_for(organisation_id).staff_names)))


def detect_for(organisation_id: int, text: str) -> list[detectors.Finding]:
    settings = settings_for(organisation_id)
    return detectors.detect(
        text,
        staff_names=staff_names(organisation_id),
        insults=_lines(settings.insults) or None,
        distress=[*detectors.DEFAULT_DISTRESS, *_lines(settings.distress)],
    )


def content_of(item: ModerationItem) -> Any:
    content_type = registry.get(item.content_type)
    content = db.session.get(content_type.model, item.content_id)
    if content is None:
        raise NotFound(_l("This text does not exist any more."))
    return content


def contents_of(items: list[ModerationItem]) -> dict[int, Any]:
    """The texts of many items, one query per content type (and one per relationship the
    queue shows), instead of one per row. Items whose text is gone are left out."""
    by_type: dict[str, list[int]] = {}
    for item in items:
        by_type.setdefault(item.content_type, []).append(item.content_id)
    found: dict[tuple[str, int], Any] = {}
    for key, ids in by_type.items():
        model = registry.get(key).model
        rows = db.session.scalars(
            select(model).where(model.id.in_(ids)).options(selectinload("*"))
        ).all()
        found.update({(key, row.id): row for row in rows})
    return {
        item.id: found[(item.content_type, item.content_id)]
        for item in items
        if (item.content_type, item.content_id) in found
    }


def text_of(content: Any) -> str:
    return getattr(content, registry.for_object(content).text_attr) or ""


def item_for(content: Any) -> ModerationItem | None:
    key = registry.for_object(content).key
    return db.session.scalar(
        select(ModerationItem).where(
            ModerationItem.content_type == key, ModerationItem.content_id == content.id
        )
    )


def items_for(contents: Iterable[Any]) -> dict[int, ModerationItem]:
    """Moderation items of several texts of one type, keyed by content id (one query)."""
    contents = list(contents)
    if not contents:
        return {}
    key = registry.for_object(contents[0]).key
    items = db.session.scalars(
        select(ModerationItem).where(
            ModerationItem.content_type == key,
            ModerationItem.content_id.in_([c.id for c in contents]),
        )
    )
    return {item.content_id: item for item in items}


# --- who reads a text ------------------------------------------------------------------


class _Reading:
    """`may_read` for one reader over many texts: the space and the organisation are
    checked once each, so a list costs the same number of queries whatever its length."""

    def __init__(self, actor: Any) -> None:
        self.actor = actor
        self.signed_in = bool(getattr(actor, "is_authenticated", False))
        self._spaces: dict[tuple[str, Any], bool] = {}
        self._moderates: dict[int, bool] = {}

    def sees_space(self, content_type: registry.ContentType, content: Any) -> bool:
        if content_type.space_key is None:
            return bool(content_type.can_view(self.actor, content))
        key = (content_type.key, content_type.space_key(content))
        if key not in self._spaces:
            self._spaces[key] = bool(content_type.can_view(self.actor, content))
        return self._spaces[key]

    def moderates(self, organisation_id: int) -> bool:
        if organisation_id not in self._moderates:
            self._moderates[organisation_id] = can(self.actor, "moderation.decide", organisation_id)
        return self._moderates[organisation_id]

    def may_read(self, content: Any) -> bool:
        if not self.signed_in:
            return False
        content_type = registry.for_object(content)
        if not self.sees_space(content_type, content):
            return False
        if ModerationStatus(content.moderation_status).public:
            return True
        if content.author_id is not None and content.author_id == self.actor.id:
            return True  # held, hidden or to change: the author reads it to change it or appeal
        if content_type.referent is not None and content_type.referent(self.actor, content):
            return True
        return self.moderates(content.organisation_id)


def may_read(actor: Any, content: Any) -> bool:
    """The one rule for reading a moderated text, wherever it is shown.

    The reader must be allowed to see the space the text lives in (`can_view` of its type);
    then a published text is readable by all of them; a text in any other state (waiting for
    a check, hidden, to change, sent to the referent) only by its author, by the people its
    type names as answering for it with the author (`referent`), and by the people who decide
    on the organisation's texts (moderators, facilitators, administrators, the referent).
    The moderation queue itself is for deciders only (`load_item`)."""
    return _Reading(actor).may_read(content)


def readable(actor: Any, contents: Iterable[Any]) -> list[Any]:
    """The texts among `contents` that `may_read` lets `actor` read, in the same order."""
    reading = _Reading(actor)
    return [content for content in contents if reading.may_read(content)]


def readable_filter(actor: Any, model: type, organisation_id: int) -> ColumnElement[bool]:
    """`may_read` as a SQL condition, for the texts of one space the caller already checked
    the actor may see (its `can_view`): published, or written by the actor, or all of them
    for a person who decides on the organisation's texts. A type with a `referent` has no
    SQL twin: filter its texts with `readable`."""
    content_type = registry.for_model(model)
    if content_type.referent is not None:
        raise TypeError(f"{content_type.key} names a referent: use readable().")
    if not getattr(actor, "is_authenticated", False):
        return model.id.is_(None)
    if _Reading(actor).moderates(organisation_id):
        return true()
    return or_(
        model.moderation_status == ModerationStatus.PUBLISHED,
        model.author_id == actor.id,
    )


# --- measures --------------------------------------------------------------------------


def active_measure(organisation_id: int, person_id: int | None) -> AuthorMeasure | None:
    """The strongest measure in force for this author in this organisation."""
    if person_id is None:
        return None
    now = utcnow()
    measures = db.session.scalars(
        select(AuthorMeasure).where(
            AuthorMeasure.organisation_id == organisation_id,
            AuthorMeasure.person_id == person_id,
            AuthorMeasure.lifted_at.is_(None),
            AuthorMeasure.starts_at <= now,
        )
    ).all()
    strength = {MeasureKind.BAN: 0, MeasureKind.PAUSE: 1, MeasureKind.PREMODERATION: 2}
    live = [m for m in measures if m.ends_at is None or m.ends_at > now]
    return min(live, key=lambda m: strength[m.kind], default=None)


def check_may_write(actor: Any, organisation_id: int) -> None:
    """Raise a plain-language error when a pause or a ban stops this person writing."""
    measure = active_measure(organisation_id, getattr(actor, "id", None))
    if measure is None or measure.kind == MeasureKind.PREMODERATION:
        return
    if measure.kind == MeasureKind.BAN:
        raise DomainError(
            _l("You cannot write messages here any more. Reason: %(reason)s", reason=measure.reason)
        )
    raise DomainError(
        _l(
            "You cannot write messages until %(day)s. Reason: %(reason)s",
            day=formatting.date_only(measure.ends_at),
            reason=measure.reason,
        )
    )


# --- submit ----------------------------------------------------------------------------


def submit(actor: Any, content: Any) -> ModerationStatus:
    """Decide whether a new or changed text is published at once or held for a person."""
    content_type = registry.for_object(content)
    check_may_write(actor, content.organisation_id)
    item = item_for(content)
    now = utcnow()
    if item is None:
        item = ModerationItem(
            content_type=content_type.key,
            content_id=content.id,
            organisation_id=content.organisation_id,
            author_id=content.author_id,
            version=1,
            created_at=now,
        )
        db.session.add(item)
    else:
        item.version += 1
    item.updated_at = now

    findings = detect_for(content.organisation_id, text_of(content))
    kinds = detectors.kinds(findings)
    held_for = [k for k in kinds if k in detectors.URGENT | detectors.PERSONAL | detectors.ABUSE]
    measure = active_measure(content.organisation_id, content.author_id)
    policy = content_type.policy(content) or settings_for(content.organisation_id).default_policy
    if not held_for and measure is not None:
        held_for = ["measure"]
    elif not held_for and policy == Policy.PRE:
        held_for = ["policy"]
    item.findings = [[f.kind, f.start, f.end] for f in findings]
    item.held_for = held_for
    item.urgent = "distress" in held_for
    item.status = ModerationStatus.HELD if held_for else ModerationStatus.PUBLISHED
    item.waiting_since = None
    content.moderation_status = item.status
    if hasattr(content, "moderation_reason"):
        content.moderation_reason = ",".join(held_for)[:80] or None
    for open_appeal in [a for a in item.appeals if a.status == AppealStatus.OPEN]:
        open_appeal.status = AppealStatus.CHANGED
        open_appeal.closed_at = now
    _refresh_queue(item)
    db.session.flush()
    audit.record(
        actor,
        "moderation.submitted",
        item,
        organisation_id=content.organisation_id,
        status=item.status.value,
        held_for=held_for,
        version=item.version,
    )
    if item.urgent:
        _alert_referent(actor, item, urgent=True)
    return item.status


def _refresh_queue(item: ModerationItem) -> None:
    """Work out whether a moderator has something to do, and how urgent it is."""
    priorities = []
    if item.status in (ModerationStatus.HELD, ModerationStatus.ESCALATED):
        if "distress" in item.held_for or item.urgent:
            priorities.append(PRIORITY_DISTRESS)
        elif any(k in detectors.PERSONAL for k in item.held_for):
            priorities.append(PRIORITY_PERSONAL)
        elif any(k in detectors.ABUSE for k in item.held_for):
            priorities.append(PRIORITY_ABUSE)
        elif item.status == ModerationStatus.ESCALATED:
            priorities.append(PRIORITY_PERSONAL)
        else:
            priorities.append(PRIORITY_POLICY)
    if item.open_appeal is not None:
        priorities.append(PRIORITY_APPEAL)
    priorities.extend(REPORT_PRIORITY[r.reason] for r in item.open_reports)
    item.in_queue = bool(priorities)
    item.priority = min(priorities, default=9)
    if item.in_queue and item.waiting_since is None:
        item.waiting_since = utcnow()
    elif not item.in_queue:
        item.waiting_since = None


def referents(organisation_id: int) -> list[Person]:
    """The organisation's referent; without one, its administrators and facilitators."""
    settings = settings_for(organisation_id)
    if settings.referent_id:
        person = db.session.get(Person, settings.referent_id)
        if person is not None and person.is_active:
            return [person]
    return _members(organisation_id, [Role.ADMIN, Role.FACILITATOR], Person.id)


def _members(organisation_id: int, roles: list[Role], order_by: Any) -> list[Person]:
    """The people with one of `roles` in the organisation, each once."""
    return list(
        db.session.scalars(
            select(Person)
            .join(Membership, Membership.person_id == Person.id)
            .where(Membership.organisation_id == organisation_id, Membership.role.in_(roles))
            .distinct()
            .order_by(order_by)
        )
    )


def is_referent(actor: Any, organisation_id: int) -> bool:
    return any(p.id == getattr(actor, "id", None) for p in referents(organisation_id))


def _alert_referent(actor: Any, item: ModerationItem, urgent: bool) -> None:
    """Tell the referent at once. The mail holds a link, never the text itself."""
    link = external_url("moderation.item", item_id=item.id)
    people = referents(item.organisation_id)
    for person in people:
        if urgent:
            notify(
                person,
                lambda: _("A message may show that a person is in danger"),
                lambda: _(
                    "A person wrote words that may show distress. Read the message now. "
                    "Then contact the person."
                ),
                link=link,
                urgent=True,
            )
        else:
            notify(
                person,
                lambda: _("A moderator asks for your opinion on a message"),
                lambda: _("A moderator sent you a message to look at. Open the link to read it."),
                link=link,
            )
    audit.record(
        actor,
        "moderation.alerted",
        item,
        organisation_id=item.organisation_id,
        urgent=urgent,
        recipients=[p.id for p in people],
    )


# --- the queue -------------------------------------------------------------------------


def moderated_organisations(actor: Any) -> list[int]:
    roles = (Role.MODERATOR, Role.FACILITATOR, Role.ADMIN)
    ids = {m.organisation_id for m in actor.memberships if m.role in roles}
    ids |= set(
        db.session.scalars(
            select(ModerationSettings.organisation_id).where(
                ModerationSettings.referent_id == actor.id
            )
        )
    )
    return sorted(ids)


def queue(actor: Any, organisation_id: int | None = None) -> list[ModerationItem]:
    """Texts that wait for a moderator in the actor's organisations: the most urgent first,
    then the oldest. An appeal is not shown to the moderator who took the decision."""
    require(actor, "moderation.queue")
    organisations = moderated_organisations(actor)
    if organisation_id is not None:
        organisations = [o for o in organisations if o == organisation_id]
    if not organisations:
        return []
    items = db.session.scalars(
        select(ModerationItem)
        .where(ModerationItem.organisation_id.in_(organisations), ModerationItem.in_queue)
        .options(
            selectinload(ModerationItem.reports),
            selectinload(ModerationItem.appeals).selectinload(ModerationAppeal.decision),
        )
        .order_by(ModerationItem.priority, ModerationItem.waiting_since, ModerationItem.id)
    ).all()
    return [i for i in items if not _appeal_blocks(actor, i)]


def _appeal_blocks(actor: Any, item: ModerationItem) -> bool:
    appeal_ = item.open_appeal
    if appeal_ is None:
        return False
    # An appeal that is the only reason for being in the queue goes to someone else.
    decided_by = appeal_.decision.moderator_id if appeal_.decision else None
    return decided_by == actor.id


def load_item(actor: Any, item_id: int) -> ModerationItem:
    item = db.session.get(ModerationItem, item_id)
    if item is None or not can(actor, "moderation.decide", item.organisation_id):
        raise NotFound(_l("This page does not exist."))
    return item


@dataclass
class AuthorHistory:
    """What a moderator may know about an author, without knowing who it is."""

    texts: int = 0
    hidden_recently: int = 0
    measure: AuthorMeasure | None = None
    past_measures: int = 0
    name: str | None = None  # only for the referent, who may need to contact the person
    counts: dict[str, int] = field(default_factory=dict)


def author_history(actor: Any, item: ModerationItem) -> AuthorHistory:
    history = AuthorHistory()
    if item.author_id is None:
        return history
    since = utcnow() - timedelta(days=HISTORY_DAYS)
    items = db.session.scalars(
        select(ModerationItem).where(
            ModerationItem.organisation_id == item.organisation_id,
            ModerationItem.author_id == item.author_id,
        )
    ).all()
    history.texts = len(items)
    history.hidden_recently = sum(
        1
        for other in items
        for d in other.decisions
        if d.action == Action.HIDE and d.created_at >= since
    )
    history.measure = active_measure(item.organisation_id, item.author_id)
    history.past_measures = len(_measures(item.organisation_id, item.author_id))
    if (item.urgent or item.status == ModerationStatus.ESCALATED) and is_referent(
        actor, item.organisation_id
    ):
        author = db.session.get(Person, item.author_id)
        history.name = author.display_name if author else None
    return history


def _measures(organisation_id: int, person_id: int) -> list[AuthorMeasure]:
    return list(
        db.session.scalars(
            select(AuthorMeasure)
            .where(
                AuthorMeasure.organisation_id == organisation_id,
                AuthorMeasure.person_id == person_id,
            )
            .order_by(AuthorMeasure.id)
        )
    )


# --- reasons ---------------------------------------------------------------------------


def _stored_reasons(organisation_id: int) -> list[ReasonTemplate]:
    return list(
        db.session.scalars(
            select(ReasonTemplate)
            .where(ReasonTemplate.organisation_id == organisation_id)
            .order_by(ReasonTemplate.position, ReasonTemplate.id)
        )
    )


def _default_reasons(organisation_id: int) -> list[ReasonTemplate]:
    """Parole's reasons, not stored: their ids are negative (-1 is the first one)."""
    return [
        ReasonTemplate(
            id=-position,
            organisation_id=organisation_id,
            text=str(text),
            position=position,
            active=True,
        )
        for position, text in enumerate(DEFAULT_REASONS, start=1)
    ]


def reason_templates(organisation_id: int, include_inactive: bool = False) -> list[ReasonTemplate]:
    """The organisation's reasons; Parole's own until the organisation changes one.
    Reading them never writes anything."""
    templates = _stored_reasons(organisation_id) or _default_reasons(organisation_id)
    return [t for t in templates if include_inactive or t.active]


def _reason_text(organisation_id: int, reason_id: int | None) -> str:
    template = next(
        (t for t in reason_templates(organisation_id) if reason_id and t.id == reason_id), None
    )
    if template is None:
        raise DomainError(_l("Choose a reason."), field="reason_id")
    return template.text


def save_reason(
    actor: Any, organisation_id: int, text: str, reason_id: int | None = None, active: bool = True
) -> ReasonTemplate:
    """Add or change a reason. The first change stores Parole's reasons for the organisation."""
    require(actor, "moderation.settings", organisation_id)
    text = (text or "").strip()
    if not text:
        raise DomainError(_l("Write the reason."), field="text")
    if len(text) > 300:
        raise DomainError(_l("Your text is too long: 300 characters at most."), field="text")
    stored = _stored_reasons(organisation_id)
    if not stored:
        for default in _default_reasons(organisation_id):
            template = ReasonTemplate(
                organisation_id=organisation_id, text=default.text, position=default.position
            )
            template.active = True
            db.session.add(template)
            stored.append(template)
        db.session.flush()
        if reason_id is not None and reason_id < 0 and -reason_id <= len(stored):
            reason_id = stored[-reason_id - 1].id
    if reason_id is None:
        template = ReasonTemplate(
            organisation_id=organisation_id,
            position=max((t.position for t in stored), default=0) + 1,
        )
        db.session.add(template)
    else:
        template = next((t for t in stored if t.id == reason_id), None)
        if template is None:
            raise NotFound(_l("This page does not exist."))
    template.text = text
    template.active = active
    db.session.flush()
    audit.record(
        actor,
        "moderation.reason_saved",
        template,
        organisation_id=organisation_id,
        active=active,
    )
    return template


# --- decisions -------------------------------------------------------------------------


def decide(
    actor: Any,
    item: ModerationItem,
    action: Action | str,
    reason_id: int | None,
    note: str = "",
    redacted_text: str | None = None,
) -> ModerationDecision:
    """A moderator's decision on a text, with a reason the author will read."""
    # Locked read-check-write: the same decision sent twice (a double click, two moderators)
    # is taken once; the second copy finds it taken and is refused, so the author is told once.
    item = db.lock(item)
    require(actor, "moderation.decide", item.organisation_id)
    action = Action(action)
    last = item.last_decision
    if (
        last is not None
        and last.action == action
        and action != Action.REDACT  # a second redaction is refused below if nothing changed
        and item.status == ACTION_STATUS.get(action)
        and item.open_appeal is None
        and not item.open_reports
    ):
        raise InvalidTransition(_l("This decision is already taken. Nothing changed."))
    if item.author_id is not None and item.author_id == actor.id:
        raise NotAllowed(_l("You cannot decide on your own text. Another moderator will do it."))
    appeal_ = item.open_appeal
    if appeal_ is not None and _appeal_blocks(actor, item):
        raise NotAllowed(
            _l("The author disagrees with your decision. Another moderator must look at it.")
        )
    if action == Action.DISMISS and not item.open_reports:
        raise InvalidTransition(_l("Nobody reported this text."), field="action")
    reason = _reason_text(item.organisation_id, reason_id)
    note = (note or "").strip()
    if len(note) > 1000:
        raise DomainError(_l("Your text is too long: 1000 characters at most."), field="note")
    content = content_of(item)
    decision = ModerationDecision(
        item_id=item.id, moderator_id=actor.id, action=action, reason=reason, note=note
    )
    if action == Action.REDACT:
        original = text_of(content)
        redacted = (redacted_text or "").strip()
        if not redacted:
            raise DomainError(_l("Write the text without the personal information."), "redacted")
        if redacted == original.strip():
            raise DomainError(
                _l("The text did not change. Remove the personal information."), "redacted"
            )
        decision.original_text = original
        decision.removed = detectors.removed_parts(original, redacted)
        setattr(content, registry.for_object(content).text_attr, redacted)
        item.findings = [
            [f.kind, f.start, f.end] for f in detect_for(item.organisation_id, redacted)
        ]
    now = utcnow()
    decision.created_at = now
    db.session.add(decision)
    db.session.flush()
    if appeal_ is not None:
        previous = appeal_.decision.action if appeal_.decision else None
        appeal_.status = AppealStatus.UPHELD if previous == action else AppealStatus.CHANGED
        appeal_.closed_at = now
        appeal_.answer_id = decision.id
    for open_report in item.open_reports:
        open_report.closed_at = now
    if action in ACTION_STATUS:
        item.status = ACTION_STATUS[action]
        content.moderation_status = item.status
    if action != Action.ESCALATE:
        item.urgent = False
    item.waiting_since = None if action != Action.ESCALATE else item.waiting_since
    _refresh_queue(item)
    db.session.flush()
    audit.record(
        actor,
        "moderation.decided",
        item,
        organisation_id=item.organisation_id,
        decision=action.value,
        decision_id=decision.id,
        status=item.status.value,
        appeal_id=appeal_.id if appeal_ else None,
    )
    if action == Action.ESCALATE:
        _alert_referent(actor, item, urgent=item.urgent)
    if action != Action.DISMISS:
        _tell_author(item, decision)
    return decision


def _tell_author(item: ModerationItem, decision: ModerationDecision) -> None:
    author = db.session.get(Person, item.author_id) if item.author_id else None
    if author is None:
        return

    def body(for_mail: bool = False) -> str:
        lines = [
            _("Decision: %(decision)s.", decision=decision.action.label),
            _("Why: %(reason)s", reason=decision.reason),
        ]
        if decision.note:
            lines.append(decision.note)
        if decision.removed and not for_mail:
            lines.append(_("We removed: %(parts)s", parts=" ; ".join(decision.removed)))
        elif decision.removed:
            # What was removed is often a phone number or an address: it stays on Parole.
            lines.append(_("On Parole, you can read what we removed."))
        lines.append(_("You can change your message, or tell us that you disagree."))
        return "\n".join(lines)

    notify(
        author,
        lambda: _("A decision about your message"),
        body,
        link=external_url("moderation.mine"),
        mail_body=lambda: body(for_mail=True),
    )


# --- reports ---------------------------------------------------------------------------


def report(actor: Any, content: Any, reason: ReportReason | str, comment: str = "") -> None:
    """Anyone who can read a published text may report it. It is never hidden by this."""
    # The text is locked (before its moderation item, which may not exist yet): a report sent
    # twice is counted once, the second copy finds the first.
    content = db.lock(content)
    if not may_read(actor, content):
        raise NotFound(_l("This page does not exist."))
    if content.moderation_status != ModerationStatus.PUBLISHED:
        raise InvalidTransition(_l("This text is not published. A moderator already checks it."))
    if content.author_id == actor.id:
        raise DomainError(_l("This is your own message. You can change it instead."))
    try:
        reason = ReportReason(reason)
    except ValueError:
        raise DomainError(_l("Choose a reason."), field="reason") from None
    comment = (comment or "").strip()
    if len(comment) > REPORT_COMMENT_MAX:
        raise DomainError(
            _l("Your text is too long: %(n)s characters at most.", n=REPORT_COMMENT_MAX),
            field="comment",
        )
    item = item_for(content)
    if item is None:  # texts published before moderation existed
        submit(actor, content)
        item = item_for(content)
        assert item is not None
    if any(r.reporter_id == actor.id for r in item.open_reports):
        raise DomainError(_l("You already reported this message. A moderator will look at it."))
    db.session.add(
        ModerationReport(item=item, reporter_id=actor.id, reason=reason, comment=comment)
    )
    db.session.flush()
    db.session.refresh(item, ["reports"])
    _refresh_queue(item)
    db.session.flush()
    audit.record(
        actor,
        "moderation.reported",
        item,
        organisation_id=item.organisation_id,
        reason=reason.value,
    )


# --- the author's side -----------------------------------------------------------------


def my_items(actor: Any) -> list[tuple[ModerationItem, Any]]:
    items = db.session.scalars(
        select(ModerationItem)
        .where(ModerationItem.author_id == actor.id)
        .options(selectinload(ModerationItem.decisions), selectinload(ModerationItem.appeals))
        .order_by(ModerationItem.updated_at.desc(), ModerationItem.id.desc())
    ).all()
    contents = contents_of(list(items))  # one query per content type, not one per text
    reading = _Reading(actor)
    return [
        (item, contents[item.id])
        for item in items
        if item.id in contents and reading.may_read(contents[item.id])
    ]


def load_own_item(actor: Any, item_id: int) -> ModerationItem:
    item = db.session.get(ModerationItem, item_id)
    if item is None or item.author_id is None or item.author_id != actor.id:
        raise NotFound(_l("This page does not exist."))
    if not may_read(actor, content_of(item)):  # the author left the space
        raise NotFound(_l("This page does not exist."))
    return item


def may_change(item: ModerationItem) -> bool:
    last = item.last_decision
    return item.status != ModerationStatus.PUBLISHED or (
        last is not None and last.action == Action.REDACT
    )


def may_appeal(item: ModerationItem) -> bool:
    last = item.last_decision
    return (
        last is not None
        and last.action in (Action.HIDE, Action.REDACT, Action.ASK_CHANGE)
        and item.open_appeal is None
        and not any(a.decision_id == last.id for a in item.appeals)
    )


def resubmit(actor: Any, item: ModerationItem, text: str) -> ModerationStatus:
    """The author changes a held, hidden or redacted text; it goes through `submit` again."""
    item = db.lock(item)
    if item.author_id != actor.id:
        raise NotFound(_l("This page does not exist."))
    if not may_change(item):
        raise InvalidTransition(_l("This message is published. You cannot change it now."))
    content = content_of(item)
    content_type = registry.for_object(content)
    text = (text or "").strip()
    if not text:
        raise DomainError(_l("Write your message."), field="body")
    if len(text) > content_type.max_length:
        raise DomainError(
            _l("Your message is too long: %(n)s characters at most.", n=content_type.max_length),
            field="body",
        )
    setattr(content, content_type.text_attr, text)
    db.session.flush()
    return submit(actor, content)


def appeal(actor: Any, item: ModerationItem, text: str) -> ModerationAppeal:
    """The author disagrees with the last decision. Another moderator will look at it."""
    item = db.lock(item)  # sent twice: the second finds the open appeal and is refused
    if item.author_id != actor.id:
        raise NotFound(_l("This page does not exist."))
    if not may_appeal(item):
        raise InvalidTransition(_l("You cannot disagree with this decision now."))
    text = (text or "").strip()
    if len(text) > APPEAL_MAX:
        raise DomainError(
            _l("Your text is too long: %(n)s characters at most.", n=APPEAL_MAX), field="text"
        )
    last = item.last_decision
    assert last is not None
    new = ModerationAppeal(item=item, decision_id=last.id, author_id=actor.id, text=text)
    db.session.add(new)
    db.session.flush()
    db.session.refresh(item, ["appeals"])
    _refresh_queue(item)
    db.session.flush()
    audit.record(
        actor, "moderation.appealed", item, organisation_id=item.organisation_id, appeal_id=new.id
    )
    return new


def author_view(item: ModerationItem | None) -> dict[str, Any]:
    """What the author reads about their own text: its state, why, and what they can do."""
    if item is None:
        return {"status": None, "reasons": [], "decision": None}
    return {
        "status": item.status,
        "reasons": [str(HELD_FOR_TEXTS[k]) for k in item.held_for if k in HELD_FOR_TEXTS]
        if item.status == ModerationStatus.HELD
        else [],
        "decision": item.last_decision,
        "appeal": item.open_appeal,
        "may_change": may_change(item),
        "may_appeal": may_appeal(item),
    }


# --- graduated measures ----------------------------------------------------------------


def restrict_author(actor: Any, item: ModerationItem, reason_id: int | None) -> AuthorMeasure:
    """Next step for repeated abuse: first checked before publication for some days, then a
    pause. A ban is never automatic (see `ban_author`)."""
    item = db.lock(item)
    require(actor, "moderation.decide", item.organisation_id)
    if item.author_id is None:
        raise InvalidTransition(_l("This text has no author any more."))
    if item.author_id == actor.id:
        raise NotAllowed(_l("You cannot decide on your own text. Another moderator will do it."))
    reason = _reason_text(item.organisation_id, reason_id)
    # The author is locked too: two moderators restricting them at once (from this text or
    # another) decide one after the other, and the second sees the first's measure.
    db.lock(db.session.get(Person, item.author_id))
    current = active_measure(item.organisation_id, item.author_id)
    if current is not None and current.kind in (MeasureKind.PAUSE, MeasureKind.BAN):
        raise InvalidTransition(_l("This author already cannot write for now."))
    settings = settings_for(item.organisation_id)
    since = utcnow() - timedelta(days=HISTORY_DAYS)
    earlier = [
        m
        for m in _measures(item.organisation_id, item.author_id)
        if m.kind == MeasureKind.PREMODERATION and m.starts_at >= since
    ]
    now = utcnow()
    if earlier:
        kind, days = MeasureKind.PAUSE, settings.pause_days
        if current is not None:
            current.lifted_at = now
    else:
        kind, days = MeasureKind.PREMODERATION, settings.premoderation_days
    measure = AuthorMeasure(
        organisation_id=item.organisation_id,
        person_id=item.author_id,
        kind=kind,
        starts_at=now,
        ends_at=now + timedelta(days=days),
        reason=reason,
        decided_by_id=actor.id,
    )
    db.session.add(measure)
    db.session.flush()
    audit.record(
        actor,
        "moderation.measure",
        measure,
        organisation_id=item.organisation_id,
        kind=kind.value,
        days=days,
        item_id=item.id,
    )
    _tell_measure(measure)
    return measure


def ban_author(actor: Any, item: ModerationItem, reason: str) -> AuthorMeasure:
    """No more messages in this organisation: an administrator's decision, with a reason."""
    item = db.lock(item)
    require(actor, "moderation.ban", item.organisation_id)
    if item.author_id is None:
        raise InvalidTransition(_l("This text has no author any more."))
    current = active_measure(item.organisation_id, item.author_id)
    if current is not None and current.kind == MeasureKind.BAN:
        raise InvalidTransition(_l("This author already cannot write for now."))
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise DomainError(_l("Write the reason in a sentence."), field="reason")
    now = utcnow()
    measure = AuthorMeasure(
        organisation_id=item.organisation_id,
        person_id=item.author_id,
        kind=MeasureKind.BAN,
        starts_at=now,
        ends_at=None,
        reason=reason,
        decided_by_id=actor.id,
    )
    db.session.add(measure)
    db.session.flush()
    audit.record(
        actor, "moderation.measure", measure, organisation_id=item.organisation_id, kind="ban"
    )
    _tell_measure(measure)
    return measure


def lift_measure(actor: Any, measure: AuthorMeasure) -> None:
    measure = db.lock(measure)  # lifted twice: the second finds it lifted and is refused
    needed = "moderation.ban" if measure.kind == MeasureKind.BAN else "moderation.decide"
    require(actor, needed, measure.organisation_id)
    if measure.lifted_at is not None:
        raise InvalidTransition(_l("This measure was already lifted."))
    measure.lifted_at = utcnow()
    db.session.flush()
    audit.record(
        actor, "moderation.measure_lifted", measure, organisation_id=measure.organisation_id
    )


def _tell_measure(measure: AuthorMeasure) -> None:
    author = db.session.get(Person, measure.person_id)
    if author is None:
        return

    def body() -> str:
        if measure.kind == MeasureKind.PREMODERATION:
            first = _(
                "Until %(day)s, a person checks your messages before they are shown.",
                day=formatting.date_only(measure.ends_at),
            )
        elif measure.kind == MeasureKind.PAUSE:
            first = _(
                "You cannot write messages until %(day)s.",
                day=formatting.date_only(measure.ends_at),
            )
        else:
            first = _("You cannot write messages here any more.")
        return "\n".join(
            [
                first,
                _("Why: %(reason)s", reason=measure.reason),
                _("You can talk about it with your facilitator."),
            ]
        )

    notify(author, lambda: _("About your messages"), body, link=external_url("moderation.mine"))


# --- settings --------------------------------------------------------------------------


@dataclass
class SettingsData:
    default_policy: Policy
    referent_id: int | None
    premoderation_days: int
    pause_days: int
    insults: str
    distress: str
    staff_names: str


def update_settings(actor: Any, organisation_id: int, data: SettingsData) -> ModerationSettings:
    require(actor, "moderation.settings", organisation_id)
    if data.referent_id is not None and data.referent_id not in {
        p.id for p in staff(organisation_id)
    }:
        raise DomainError(_l("Choose a person who works in this organisation."), "referent_id")
    for name in ("premoderation_days", "pause_days"):
        if not 1 <= getattr(data, name) <= 90:
            raise DomainError(_l("Choose a number of days between 1 and 90."), field=name)
    settings = db.session.get(ModerationSettings, organisation_id)
    if settings is None:
        settings = ModerationSettings(organisation_id=organisation_id)
        db.session.add(settings)
    settings.default_policy = data.default_policy
    settings.referent_id = data.referent_id
    settings.premoderation_days = data.premoderation_days
    settings.pause_days = data.pause_days
    settings.insults = "\n".join(_lines(data.insults))
    settings.distress = "\n".join(_lines(data.distress))
    settings.staff_names = "\n".join(_lines(data.staff_names))
    db.session.flush()
    audit.record(
        actor,
        "moderation.settings_saved",
        settings,
        organisation_id=organisation_id,
        policy=settings.default_policy.value,
        referent_id=settings.referent_id,
    )
    return settings


def staff(organisation_id: int) -> list[Person]:
    return _members(
        organisation_id, [Role.ADMIN, Role.FACILITATOR, Role.MODERATOR], Person.display_name
    )


# --- the organisation's monthly count --------------------------------------------------


@dataclass
class MonthCount:
    month: datetime
    reports: int = 0
    held: int = 0
    decisions: Counter[str] = field(default_factory=Counter)


def monthly_counts(actor: Any, organisation_id: int, months: int = 12) -> list[MonthCount]:
    """Numbers only: no text, no name. Shown to every member of the organisation."""
    require(actor, "moderation.stats", organisation_id)
    start = utcnow() - timedelta(days=31 * months)
    by_month: dict[tuple[int, int], MonthCount] = {}

    def bucket(when: datetime) -> MonthCount:
        key = (when.year, when.month)
        if key not in by_month:
            by_month[key] = MonthCount(month=datetime(when.year, when.month, 1, tzinfo=UTC))
        return by_month[key]

    rows = db.session.execute(
        select(ModerationDecision.action, ModerationDecision.created_at)
        .join(ModerationItem, ModerationItem.id == ModerationDecision.item_id)
        .where(
            ModerationItem.organisation_id == organisation_id,
            ModerationDecision.created_at >= start,
        )
    ).all()
    for action, when in rows:
        bucket(when).decisions[action.value] += 1
    for (when,) in db.session.execute(
        select(ModerationReport.created_at)
        .join(ModerationItem, ModerationItem.id == ModerationReport.item_id)
        .where(
            ModerationItem.organisation_id == organisation_id,
            ModerationReport.created_at >= start,
        )
    ):
        bucket(when).reports += 1
    for when, held_for in db.session.execute(
        select(ModerationItem.created_at, ModerationItem.held_for).where(
            ModerationItem.organisation_id == organisation_id,
            ModerationItem.created_at >= start,
        )
    ):
        if held_for:
            bucket(when).held += 1
    return [by_month[k] for k in sorted(by_month, reverse=True)]

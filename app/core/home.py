"""The home page's "For you now": what waits for the person, given by the domains.

Core owns the home page but knows no domain: each domain registers, from its `init_app`, a
*section*: a provider that takes the actor and returns what its template snippet needs, or
None when there is nothing for this person (the snippet is then not shown at all).

Two places on the page:

- `FOR_YOU_NOW`: the snippet renders `<li>` items of the "For you now" list (a round to answer,
  a place offered from a waiting list, a text to proofread...). The list is shown when at least
  one section has something.
- `OWN_SECTION`: the snippet renders a whole `<section>` with its own heading, above the list
  (the invitations to join an organisation, each with its answer form).

Adding an item = one provider (in the domain, usually `app/<domain>/home.py`) + one template
snippet + one `register_home_section(...)` line in the domain's `init_app`. In the snippet,
`section.data` is what the provider returned.

Things that wait for the person are `WaitingItem`s: a provider of "For you now" that returns a
list of them gets one entry per item, and the list mixes the items of every domain in order of
urgency (what expires first comes first, then what has no end date, in section order). The
same items, in the same order, make the e-mail digest (app/accounts/digest.py), so their words are
made by the provider in the person's language, not by the snippet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

Place = Literal["for_you_now", "own_section"]
FOR_YOU_NOW: Place = "for_you_now"
OWN_SECTION: Place = "own_section"


@dataclass(frozen=True)
class HomeSection:
    name: str
    order: int  # smaller first; leave gaps (10, 20...) so that others fit in between
    template: str
    provider: Callable[[Any], Any | None]
    place: Place = FOR_YOU_NOW


@dataclass(frozen=True)
class ShownSection:
    """A section with what its provider returned for this person."""

    name: str
    template: str
    place: Place
    data: Any


@dataclass(frozen=True)
class WaitingItem:
    """One thing that waits for the person: one short sentence, the date or time left, one
    link to act (an endpoint and its values, so that the page and the e-mail both build it).

    `key` names it for good ("trainings.offer:12"): the digest tells only when a key is new.
    `due_at` is when it expires (None: no end date); `when` says it in words ("You can answer
    until 21 December 2026."). `data` is anything else its snippet shows."""

    key: str
    text: str
    endpoint: str
    values: dict[str, Any] = field(default_factory=dict)
    anchor: str = ""
    due_at: datetime | None = None
    when: str = ""
    data: Any = None


_sections: dict[str, HomeSection] = {}


def register_home_section(
    name: str,
    order: int,
    provider: Callable[[Any], Any | None],
    template: str,
    place: Place = FOR_YOU_NOW,
) -> None:
    """Register (or, with the same name, replace: `create_app` may run more than once in a
    process) what a domain shows on the home page."""
    if place not in (FOR_YOU_NOW, OWN_SECTION):
        raise ValueError(f"unknown home page place {place!r}")
    _sections[name] = HomeSection(name, order, template, provider, place)


def registered_sections() -> list[HomeSection]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.name))


@dataclass(frozen=True)
class HomeItems:
    """What the home page shows `actor`, place by place, each list in order."""

    own_sections: list[ShownSection] = field(default_factory=list)
    for_you_now: list[ShownSection] = field(default_factory=list)


_NO_END = datetime.max.replace(tzinfo=UTC)


def _waiting(data: Any) -> bool:
    return isinstance(data, list | tuple) and all(isinstance(i, WaitingItem) for i in data)


def items_for(actor: Any) -> HomeItems:
    """The sections that have something for `actor`. Empty answers (None, an empty list or
    dict) are left out. A list of `WaitingItem`s becomes one entry per item (`section.data` is
    the item), and "For you now" is sorted by urgency: the earliest `due_at` first, then the
    rest in section order."""
    items = HomeItems()
    ranked: list[tuple[tuple[Any, ...], ShownSection]] = []
    for section in registered_sections():
        data = section.provider(actor)
        if not data:
            continue
        if section.place == OWN_SECTION:
            items.own_sections.append(
                ShownSection(section.name, section.template, section.place, data)
            )
        elif _waiting(data):
            for n, item in enumerate(data):
                rank = (item.due_at is None, item.due_at or _NO_END, section.order, n)
                ranked.append(
                    (rank, ShownSection(section.name, section.template, section.place, item))
                )
        else:
            rank = (True, _NO_END, section.order, 0)
            ranked.append((rank, ShownSection(section.name, section.template, section.place, data)))
    ranked.sort(key=lambda pair: pair[0])
    items.for_you_now.extend(shown for _, shown in ranked)
    return items


def waiting_items(actor: Any) -> list[WaitingItem]:
    """Every `WaitingItem` of "For you now" for `actor`, most urgent first (the digest)."""
    found: list[tuple[tuple[Any, ...], WaitingItem]] = []
    for section in registered_sections():
        if section.place != FOR_YOU_NOW:
            continue
        data = section.provider(actor)
        if data and _waiting(data):
            found.extend(
                ((item.due_at is None, item.due_at or _NO_END, section.order, n), item)
                for n, item in enumerate(data)
            )
    found.sort(key=lambda pair: pair[0])
    return [item for _, item in found]


def answer_until(due_at: datetime) -> str:
    """ "You can answer until 21 December 2026." (the day in France)."""
    from flask_babel import gettext as _

    from app.core.formatting import date_only

    return _("You can answer until %(date)s.", date=date_only(due_at))


def time_left(due_at: datetime, now: datetime) -> str:
    """ "You have 36 hours left to answer.": whole hours up to two days, then whole days
    (always a plural: under two hours, "less than 2 hours")."""
    from flask_babel import gettext as _

    hours = int((due_at - now).total_seconds() // 3600)
    if hours < 2:
        return _("You have less than 2 hours left to answer.")
    if hours <= 48:
        return _("You have %(num)s hours left to answer.", num=hours)
    return _("You have %(num)s days left to answer.", num=hours // 24)

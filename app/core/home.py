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
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
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


def items_for(actor: Any) -> HomeItems:
    """The sections that have something for `actor`. Empty answers (None, an empty list or
    dict) are left out."""
    items = HomeItems()
    for section in registered_sections():
        data = section.provider(actor)
        if data:
            shown = ShownSection(section.name, section.template, section.place, data)
            place = items.own_sections if section.place == OWN_SECTION else items.for_you_now
            place.append(shown)
    return items

"""Small worlds for tests, built from a few composable builders (flush, never commit).

    with saved(app):                       # a request context; commits at the end
        team = an_organisation("CRPA Essai", domain="c.test", fac=Role.FACILITATOR)
        people = team.join_many("p", 3)    # p0@c.test, p1@c.test, p2@c.test (participants)
        a_stranger("c.test")               # another organisation's facilitator
        round_ = a_round(team.org, team["fac"], step="open", invited=people)
        return {"org": team.org.id, "round": round_.id}

Everyone's secret is tests.factories.PASSWORD unless said. People are made in the order they
are named, so their ids and default names follow that order.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select

from app import db
from app.accounts.models import Language, Organisation, OrganisationKind, Person, Role
from app.db import utcnow
from tests.factories import PASSWORD, make_org, make_person

# --- saving a world -------------------------------------------------------------------


@contextmanager
def saved(app: Flask) -> Iterator[None]:
    """Build a world in a request context of `app`, then commit. Inside a test's outer
    transaction (tests/conftest.py) the commit is a savepoint: the pages see the world and
    the rollback after the test removes it; on an app with its own database it is real."""
    with app.test_request_context("/"):
        yield
        db.session.commit()


def everyone_reads_english() -> None:
    """Every person made so far reads the pages in English (the msgids): tests that read
    pages then do not depend on the French catalogue."""
    for person in db.session.scalars(select(Person)):
        person.language = Language.EN


def ids(objects: dict[str, Any]) -> dict[str, Any]:
    """{name: object} -> {name: id}; lists become lists of ids."""
    return {
        name: [o.id for o in value] if isinstance(value, list | tuple) else value.id
        for name, value in objects.items()
    }


# --- organisations and their people ---------------------------------------------------


@dataclass(frozen=True)
class Member:
    """How to make one person of a team: a role in the team's organisation (or in `org`),
    none for a platform administrator without membership."""

    role: Role | None = Role.PARTICIPANT
    name: str | None = None
    email: str | None = None  # default: <key>@<domain>, unless an identifier is given
    identifier: str | None = None
    secret: str = PASSWORD
    admin: bool = False
    org: Organisation | None = None


def member(role: Role | None = Role.PARTICIPANT, **details: Any) -> Member:
    return Member(role, **details)


@dataclass
class Team:
    """An organisation and its people by key (fac, paul, p0...), e-mails <key>@<domain>."""

    org: Organisation
    domain: str
    people: dict[str, Person] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Person:
        return self.people[key]

    def join(self, key: str, role: Role | Member | None = Role.PARTICIPANT, **details) -> Person:
        """One more person, `key`@`domain` unless an e-mail or an identifier is given."""
        spec = role if isinstance(role, Member) else Member(role, **details)
        email = spec.email
        if email is None and spec.identifier is None:
            email = f"{key}@{self.domain}"
        memberships = [] if spec.role is None else [(spec.org or self.org, spec.role)]
        person = make_person(
            *memberships,
            email=email,
            identifier=spec.identifier,
            secret=spec.secret,
            name=spec.name,
            admin=spec.admin,
        )
        self.people[key] = person
        return person

    def join_many(
        self, prefix: str, n: int, role: Role = Role.PARTICIPANT, names: Sequence[str] = ()
    ) -> list[Person]:
        """`n` people `prefix`0@domain ... `prefix`(n-1)@domain, named `names` if given."""
        return [self.join(f"{prefix}{i}", role, name=names[i] if names else None) for i in range(n)]


def an_organisation(
    name: str | None = None,
    *,
    kind: OrganisationKind = OrganisationKind.CRPA,
    domain: str = "e.test",
    **people: Role | Member | None,
) -> Team:
    """An organisation with its named people, in order: `fac=Role.FACILITATOR` makes
    fac@<domain>; `paul=member(Role.PARTICIPANT, name="Paul")` sets more;
    `admin=member(None, admin=True)` is a platform administrator."""
    team = Team(make_org(name, kind=kind), domain)
    for key, spec in people.items():
        team.join(key, spec)
    return team


def a_stranger(
    domain: str = "e.test",
    role: Role = Role.FACILITATOR,
    *,
    key: str = "stranger",
    org_name: str | None = None,
    kind: OrganisationKind = OrganisationKind.CRPA,
) -> Person:
    """Someone of another organisation (a facilitator by default): <key>@<domain>."""
    return an_organisation(org_name, kind=kind, domain=domain, **{key: role})[key]


# --- consultations --------------------------------------------------------------------

ROUND_STEPS = ("draft", "open", "closed", "results", "feedback")


def a_round(
    org: Organisation,
    facilitator: Person,
    *,
    step: str = "draft",
    invited: Sequence[Person] = (),
    title: str = "Le logement",
    discussion: bool = False,
):
    """A round of the four usual questions (single, scale, yes/no, long text) brought to
    `step`: draft (announced in 10 days), open (the `invited` people invited), closed,
    results (one feedback item, results published) or feedback (feedback published: the
    evaluation is open)."""
    from app.consultations import services
    from app.consultations.models import RoundStatus
    from tests.consultation_factories import make_round, open_round, publish_feedback

    assert step in ROUND_STEPS, step
    round_, _ = make_round(org, facilitator, title=title)
    if discussion:
        round_.discussion_enabled = True
    if step == "draft":
        return round_
    open_round(round_, facilitator, list(invited))
    if step == "closed":
        services.transition(facilitator, round_, RoundStatus.CLOSED)
    elif step == "results":
        services.transition(facilitator, round_, RoundStatus.CLOSED)
        services.add_feedback_item(
            facilitator, round_, services.FeedbackData("a", "b", "a facile", "b facile")
        )
        services.transition(facilitator, round_, RoundStatus.RESULTS)
    elif step == "feedback":
        publish_feedback(round_, facilitator)
    return round_


# --- co-training ----------------------------------------------------------------------


def a_mission(
    staff: Person,
    institute: Organisation,
    title: str = "Cours",
    *,
    seats: int = 1,
    starts_in: timedelta = timedelta(days=10),
    hours: int = 2,
    sessions: list[tuple[datetime, datetime]] | None = None,
    published: bool = True,
    **details: Any,
):
    """A mission (teaching unless `type=` says otherwise) of one session starting in
    `starts_in` and lasting `hours` (or the given `sessions`), published unless said;
    `details` are the other fields of trainings.services.MissionData (place, online...)."""
    from app.trainings import services
    from app.trainings.models import MissionStatus, MissionType

    start = utcnow() + starts_in
    mission = services.create_mission(
        staff,
        institute,
        services.MissionData(
            type=details.pop("type", MissionType.TEACHING),
            title=title,
            seats=seats,
            sessions=sessions or [(start, start + timedelta(hours=hours))],
            **details,
        ),
    )
    if published:
        services.move_mission(staff, mission, MissionStatus.PUBLISHED)
    return mission


@dataclass
class SignUps:
    holders: list[Any]  # confirmed sign-ups, in order
    waiting: list[Any]  # on the waiting list, oldest first


def sign_ups(
    staff: Person,
    mission,
    holders: Sequence[Person],
    waiting: Sequence[Person],
    minutes_ago: int = 60,
) -> SignUps:
    """`holders` sign up and are confirmed, then `waiting` sign up and are put on the
    waiting list: the first signed up `minutes_ago` minutes ago, the next one minute later..."""
    from app.trainings import services

    made = SignUps([], [])
    for n, person in enumerate([*holders, *waiting]):
        signup = services.sign_up(person, person, mission, services.SignupData())
        signup.created_at = utcnow() - timedelta(minutes=minutes_ago - n)
        if n < len(holders):
            services.confirm(staff, signup)
            made.holders.append(signup)
        else:
            services.put_on_waiting_list(staff, signup)
            made.waiting.append(signup)
    return made


# --- expenses -------------------------------------------------------------------------


def a_jpeg(colour: tuple[int, int, int] = (220, 200, 170)) -> bytes:
    """A small real JPEG photo, as a receipt."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (80, 60), colour).save(out, "JPEG")
    return out.getvalue()


EXPENSE_STEPS = ("draft", "submitted", "approved", "paid")


def a_cost_request(person: Person, org: Organisation, finance: Person, *, step="draft", kind=None):
    """`person`'s request (one 12.50 train line, with a receipt unless it is an advance)
    brought to `step`: draft, submitted, approved or paid (by `finance`, to a third party).
    Returns (request, line)."""
    from app.expenses import services
    from app.expenses.categories import Category
    from app.expenses.models import ActivityType, PaymentMethod, RequestKind
    from app.expenses.services import LineInput, Payment, Review

    assert step in EXPENSE_STEPS, step
    kind = kind or RequestKind.REIMBURSEMENT
    request = services.create_request(person, person, org, kind, ActivityType.CONSULTATION, "")
    line = services.add_line(person, request, LineInput(Category.TRAIN, "12,50"))
    if kind != RequestKind.ADVANCE:
        services.attach_receipt(person, line, a_jpeg(), "billet.jpg")
    if step in ("submitted", "approved", "paid"):
        a_payment_choice(person)
        services.submit(person, request)
    if step in ("approved", "paid"):
        services.review(finance, request, Review("approve"))
    if step == "paid":
        services.pay(finance, request, Payment(PaymentMethod.THIRD_PARTY, "", None, "SNCF"))
    return request, line


def a_payment_choice(person: Person, method: str = "cash") -> None:
    """`person` chose how to be paid (asked before their first request is sent)."""
    from app.expenses.payment_models import PayeeMethod, PaymentPreference

    if db.session.get(PaymentPreference, person.id) is not None:
        return  # chosen already: a request needs a choice, once
    db.session.add(PaymentPreference(person_id=person.id, method=PayeeMethod(method)))
    db.session.flush()

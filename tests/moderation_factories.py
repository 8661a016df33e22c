"""A consultation with an open discussion, its staff and participants (flush, never commit)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.accounts.models import Role
from tests.consultation_factories import make_round, open_round
from tests.factories import make_org, make_person
from tests.worlds import a_round, an_organisation, member


@dataclass
class Discussion:
    org: Any
    round: Any
    facilitator: Any
    moderator: Any
    second_moderator: Any
    admin: Any
    author: Any
    reader: Any


def make_discussion(prefix: str = "") -> Discussion:
    """An open round with its discussion on; e-mails <prefix><key>@m.test."""
    people = {
        "fac": member(Role.FACILITATOR, name="Sophie Martin"),
        "mod": member(Role.MODERATOR, name="Karim Benali"),
        "mod2": member(Role.MODERATOR, name="Luc Durand"),
        "admin": member(Role.ADMIN, name="Anne Admin"),
        "author": member(Role.PARTICIPANT, name="Paul"),
        "reader": member(Role.PARTICIPANT, name="Nadia"),
    }
    team = an_organisation(domain="m.test", **{prefix + key: spec for key, spec in people.items()})
    fac, author, reader = (team[prefix + key] for key in ("fac", "author", "reader"))
    round_ = a_round(team.org, fac, step="open", invited=[author, reader], discussion=True)
    mod, mod2, admin = (team[prefix + key] for key in ("mod", "mod2", "admin"))
    return Discussion(team.org, round_, fac, mod, mod2, admin, author, reader)


# --- who reads a moderated text: one scene per registered content type -----------------

ROLES = (
    "anonymous",
    "author",
    "reader",  # may see the space, no power over the text
    "outsider",  # same organisation, may not see the space
    "facilitator",  # the space's facilitator (for co-training: the co-trainer's)
    "moderator",  # moderator of the organisation, not part of the space
    "moderator_in_space",  # decides on the organisation's texts and sees the space
    "other_moderator",  # moderator of another organisation
    "platform_admin",
)
ALWAYS, PUBLISHED, NEVER = "always", "published", "never"


@dataclass
class Scene:
    """One text and a person for each role. `expected` says, for each role, whether the
    person reads the text always, only while it is published, or never; `pages` are the
    space's pages that show the text to the people allowed to read it."""

    content: Any
    people: dict[str, Any]
    expected: dict[str, str]
    pages: list[str]
    text: str


def _people(prefix: str, roles: dict[str, tuple]) -> dict[str, Any]:
    people: dict[str, Any] = {"anonymous": None}
    for role, memberships in roles.items():
        people[role] = make_person(
            *memberships, email=f"{prefix}-{role}@v.test", name=f"{role.title()} {prefix}"
        )
    people["platform_admin"] = make_person(
        email=f"{prefix}-platform_admin@v.test", admin=True, name=f"Admin {prefix}"
    )
    return people


def comment_scene(prefix: str) -> Scene:
    """A message in a round's discussion, written by an invited participant."""
    from app.consultations import services as consultations

    org, elsewhere = make_org(), make_org()
    people = _people(
        prefix,
        {
            "facilitator": ((org, Role.FACILITATOR),),
            "author": ((org, Role.PARTICIPANT),),
            "reader": ((org, Role.PARTICIPANT),),
            "outsider": ((org, Role.PARTICIPANT),),
            "moderator": ((org, Role.MODERATOR),),
            "moderator_in_space": ((org, Role.ADMIN),),
            "other_moderator": ((elsewhere, Role.MODERATOR),),
        },
    )
    round_, _ = make_round(org, people["facilitator"])
    round_.discussion_enabled = True
    open_round(round_, people["facilitator"], [people["author"], people["reader"]])
    text = f"Le bus passe trop peu le soir, note {prefix}."
    comment = consultations.add_comment(people["author"], round_, text)
    return Scene(
        content=comment,
        people=people,
        expected={
            "anonymous": NEVER,
            "author": ALWAYS,
            "reader": PUBLISHED,
            "outsider": NEVER,
            "facilitator": ALWAYS,
            "moderator": NEVER,  # not in the round: reads it in the moderation queue only
            "moderator_in_space": ALWAYS,
            "other_moderator": NEVER,
            "platform_admin": NEVER,
        },
        pages=[f"/consultations/{round_.id}"],
        text=text,
    )


def feedback_scene(prefix: str) -> Scene:
    """A co-trainer's word after a mission, read by the institute."""
    from app.accounts.models import OrganisationKind
    from app.trainings import services as trainings
    from tests.training_factories import mission_begun_an_hour_ago

    institute = make_org(kind=OrganisationKind.TRAINING_INSTITUTE)
    home, elsewhere = make_org(), make_org()
    people = _people(
        prefix,
        {
            "reader": ((institute, Role.INSTITUTE_STAFF),),
            "author": ((home, Role.PARTICIPANT),),
            "facilitator": ((home, Role.FACILITATOR),),
            "outsider": ((home, Role.PARTICIPANT),),
            "moderator": ((institute, Role.MODERATOR),),
            "moderator_in_space": ((institute, Role.ADMIN),),
            "other_moderator": ((elsewhere, Role.MODERATOR),),
        },
    )
    staff, author = people["reader"], people["author"]
    mission = mission_begun_an_hour_ago(staff, institute)
    signup = trainings.sign_up(author, author, mission, trainings.SignupData(why="Je connais"))
    trainings.confirm(staff, signup)
    trainings.record_attendance(staff, mission.sessions[0], {signup.id: trainings.Presence(True)})
    text = f"Les étudiants ont bien écouté le groupe, note {prefix}."
    feedback = trainings.give_feedback(author, signup, "yes", text)
    return Scene(
        content=feedback,
        people=people,
        expected={
            "anonymous": NEVER,
            "author": ALWAYS,
            "reader": PUBLISHED,
            "outsider": NEVER,
            "facilitator": ALWAYS,  # acts for the co-trainer: the text speaks for both
            "moderator": NEVER,  # not in the institute's missions: the queue only
            "moderator_in_space": ALWAYS,
            "other_moderator": NEVER,
            "platform_admin": NEVER,
        },
        pages=[
            f"/co-training/signups/{signup.id}/feedback",
            f"/co-training/missions/{mission.id}/manage",
        ],
        text=text,
    )


# Every registered content type needs a scene here: the visibility test fails without one.
SCENES = {"consultation_comment": comment_scene, "training_feedback": feedback_scene}


def set_state(content: Any, status: Any) -> None:
    """Put a text in a moderation state, as a moderator's decision would."""
    from app import db
    from app.moderation import services as moderation

    item = moderation.item_for(content)
    assert item is not None, "the text has no moderation item"
    item.status = status
    content.moderation_status = status
    db.session.flush()

"""Demonstration data: fictional people and organisations, safe to load twice."""

from __future__ import annotations

from sqlalchemy import select

from app import db
from app.accounts.models import Membership, Organisation, OrganisationKind, Person, Role
from app.accounts.services import hash_secret

DEMO_PASSWORD = "parole-demo-2026"  # noqa: S105 - public demo password, printed by make run

ORGANISATIONS = [
    ("CRPA Région Exemple (démo)", OrganisationKind.CRPA),
    ("Association Les Voisins Fictifs (démo)", OrganisationKind.ASSOCIATION),
    ("IRTS de Villefictive (démo)", OrganisationKind.TRAINING_INSTITUTE),
]

# (name, e-mail or None, identifier or None, code, [(organisation index, role)], platform admin)
PEOPLE = [
    (
        "Adèle Admin (démo)",
        "admin@demo.parole.invalid",
        None,
        None,
        [(0, Role.ADMIN), (1, Role.ADMIN), (2, Role.ADMIN)],
        True,
    ),
    (
        "Fanny Animatrice (démo)",
        "animatrice@demo.parole.invalid",
        None,
        None,
        [(0, Role.FACILITATOR), (1, Role.FACILITATOR)],
        False,
    ),
    (
        "Ismaël Formateur (démo)",
        "formation@demo.parole.invalid",
        None,
        None,
        [(2, Role.INSTITUTE_STAFF)],
        False,
    ),
    (
        "Mona Modératrice (démo)",
        "moderation@demo.parole.invalid",
        None,
        None,
        [(0, Role.MODERATOR)],
        False,
    ),
    ("Paul Exemple (démo)", "paul@demo.parole.invalid", None, None, [(0, Role.PARTICIPANT)], False),
    (
        "Nadia Fictive (démo)",
        "nadia@demo.parole.invalid",
        None,
        None,
        [(0, Role.PARTICIPANT)],
        False,
    ),
    ("Jean Démo", "jean@demo.parole.invalid", None, None, [(0, Role.PARTICIPANT)], False),
    (
        "Fanny Finances (démo)",
        "finances@demo.parole.invalid",
        None,
        None,
        [(0, Role.FINANCE)],
        False,
    ),
    (
        "Sofia Essai (démo)",
        "sofia@demo.parole.invalid",
        None,
        None,
        [(0, Role.PARTICIPANT), (1, Role.PARTICIPANT)],
        False,
    ),
    (
        "Marc Imaginaire (démo)",
        "marc@demo.parole.invalid",
        None,
        None,
        [(1, Role.PARTICIPANT)],
        False,
    ),
    ("Léa Inventée (démo)", "lea@demo.parole.invalid", None, None, [(1, Role.PARTICIPANT)], False),
    (
        "Karim Supposé (démo)",
        "karim@demo.parole.invalid",
        None,
        None,
        [(0, Role.PARTICIPANT)],
        False,
    ),
    (
        "Rose Pourdefaux (démo)",
        "rose@demo.parole.invalid",
        None,
        None,
        [(1, Role.PARTICIPANT)],
        False,
    ),
    ("Bernard Sanscourriel (démo)", None, "DEMO-01", "482913", [(0, Role.PARTICIPANT)], False),
    ("Yasmina Sanscourriel (démo)", None, "DEMO-02", "730158", [(1, Role.PARTICIPANT)], False),
]


def load_demo() -> list[tuple[str, str, str]]:
    """Create what is missing, change nothing that exists. Returns (role, login, secret)."""
    orgs: list[Organisation] = []
    for name, kind in ORGANISATIONS:
        org = db.session.scalar(select(Organisation).where(Organisation.name == name))
        if org is None:
            org = Organisation(name=name, kind=kind)
            db.session.add(org)
            db.session.flush()
        orgs.append(org)

    facilitator = None
    logins: list[tuple[str, str, str]] = []
    for name, email, identifier, code, roles, is_admin in PEOPLE:
        column = Person.email if email else Person.login_identifier
        person = db.session.scalar(select(Person).where(column == (email or identifier)))
        if person is None:
            person = Person(
                display_name=name,
                email=email,
                login_identifier=identifier,
                secret_hash=hash_secret(code or DEMO_PASSWORD),
                is_platform_admin=is_admin,
            )
            if identifier and facilitator is not None:
                person.entered_by_id = facilitator.id
                person.consent_note = "Compte de démonstration créé avec l'accord de la personne."
            if identifier or roles[0][1] == Role.PARTICIPANT:
                # Made with help: held by the organisation where it was made. The demo's
                # participants with e-mail said their facilitators may help them (the box
                # they tick when they accept their organisation's invitation).
                person.holder_organisation_id = orgs[roles[0][0]].id
            db.session.add(person)
            db.session.flush()
        for index, role in roles:
            exists = db.session.scalar(
                select(Membership.id).where(
                    Membership.person_id == person.id,
                    Membership.organisation_id == orgs[index].id,
                    Membership.role == role,
                )
            )
            if exists is None:
                db.session.add(
                    Membership(person_id=person.id, organisation_id=orgs[index].id, role=role)
                )
        if email == "animatrice@demo.parole.invalid":
            facilitator = person
        first_role = roles[0][1]
        label = "platform admin" if is_admin else first_role.value.replace("_", " ")
        # The first people, everyone with a card, and one person of every role (finance too).
        if len(logins) < 7 or identifier or label not in {printed[0] for printed in logins}:
            logins.append((label, email or identifier or "", code or DEMO_PASSWORD))
    if facilitator is not None:
        from app.demo.consultations import load_demo_consultations

        load_demo_consultations(orgs[0], facilitator)
        from app.demo.expenses import load_demo_expenses

        load_demo_expenses(orgs[0], facilitator)
        from app.demo.trainings import load_demo_trainings

        load_demo_trainings(orgs[2])
        from app.demo.payment import load_demo_payment

        load_demo_payment(orgs[0], orgs[2])
        from app.demo.earnings import load_demo_earnings  # pay received, for its notices

        load_demo_earnings(orgs[0])
    from app.kit.fiches import ensure_seeded

    ensure_seeded()
    db.session.commit()
    return logins

"""A complete "world" for the route-enumerating security suites: two organisations, two
training institutes, a platform admin, and on A's side one object of every kind a URL can
name; and a second, unrelated organisation Z (with its own institute) that has its whole cast
(administrator, facilitator, finance, moderator, a participant with an e-mail address and one
whose account was made with help) and owns a few objects of its own (an open round with an
answer, an expense request made with help with a receipt, a co-training mission with a
sign-up, held comments and a measure, an invitation). Built with the factories and the services, flushed, never committed (the conftest's
outer transaction throws it away after each test).

`World.ids` maps every URL converter name to a value on A's side; `World.overrides` gives,
for a few endpoints, a better value (a finished round for the results pages). `World.z_ids`
and `World.z_overrides` do the same for the objects Z owns (test_access checks them with the
policy mirrored: Z's cast in A's place)."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from PIL import Image
from sqlalchemy import Connection

from app import db
from app.accounts import services as accounts
from app.accounts.models import OrganisationKind, Person, Role
from app.accounts.services import open_login_session
from app.consultations import services as consultations
from app.consultations.models import RoundStatus
from app.consultations.services import AnswerInput, FeedbackData
from app.core import outbox
from app.db import utcnow
from app.expenses import services as expenses
from app.expenses.models import ActivityType, Category, RequestKind
from app.expenses.services import LineInput
from app.falc import proofreading
from app.falc import services as falc
from app.kit import fiches
from app.moderation import services as moderation
from app.trainings import services as trainings
from app.trainings.services import Presence, ProfileData, SignupData
from tests import factories
from tests.consultation_factories import make_round, open_round
from tests.factories import PASSWORD, make_org, make_person
from tests.training_factories import mission_begun_an_hour_ago
from tests.worlds import a_payment_choice

IBAN = "FR76 3000 6000 0112 3456 7890 189"
CONSENT = "Elle a dit oui pendant la réunion du 3 mars."
HELD_TEXT = "Appelez-moi au 06 12 34 56 78 pour en parler."  # personal data: held
EASY_TEXT = "Vous êtes invité à une réunion. Elle a lieu le 3 mars."

# The actors the suites loop over; "anonymous" has no account.
ACTORS_A = (
    "anonymous",
    "participant_a",
    "participant_b",
    "facilitator_a",
    "moderator_a",
    "finance_a",
    "institute_a",
    "org_admin_a",
    "facilitator_other_org",
    "institute_other",
    "admin",
)
# Organisation Z, unrelated to A and B: its whole cast. participant_z_card's account was made
# by facilitator_z (identifier and code); participant_z_email has an e-mail address.
ACTORS_Z = (
    "admin_z",
    "facilitator_z",
    "finance_z",
    "moderator_z",
    "participant_z_email",
    "participant_z_card",
)
ACTORS = ACTORS_A + ACTORS_Z
# Who stands in whose place when the policy written for A's objects is read for Z's objects.
# An A-side actor without a counterpart in Z is, for Z's objects, like the outsiders of the
# same kind (institute A's staff like another institute's staff).
MIRROR = {
    "participant_a": "participant_z_card",
    "participant_b": "participant_z_email",
    "facilitator_a": "facilitator_z",
    "moderator_a": "moderator_z",
    "finance_a": "finance_z",
    "org_admin_a": "admin_z",
}
MIRROR |= {z: a for a, z in MIRROR.items()}
MIRROR["institute_a"] = "institute_other"


def mirrored(actor: str) -> str:
    """The actor whose outcome on A's objects `actor` should get on Z's objects."""
    return MIRROR.get(actor, actor)


@dataclass
class World:
    people: dict[str, Any]
    orgs: dict[str, Any]
    ids: dict[str, Any]
    overrides: dict[str, dict[str, Any]] = field(default_factory=dict)
    receipt_files: list[tuple[Path, bytes]] = field(default_factory=list)
    z_ids: dict[str, Any] = field(default_factory=dict)
    z_overrides: dict[str, dict[str, Any]] = field(default_factory=dict)

    def values_for(self, endpoint: str, arguments: set[str]) -> dict[str, Any]:
        values = {**self.ids, **self.overrides.get(endpoint, {})}
        missing = arguments - set(values)
        assert not missing, f"{endpoint}: the world has no value for {sorted(missing)}"
        return {name: values[name] for name in arguments}

    def z_values_for(self, endpoint: str, arguments: set[str]) -> dict[str, Any]:
        values = {**self.ids, **self.z_ids, **self.z_overrides.get(endpoint, {})}
        return {name: values[name] for name in arguments}


def names_z_object(endpoint: str, arguments: set[str]) -> bool:
    """True when the endpoint's URL names at least one object and Z owns one of each kind it
    names (so it can be checked on Z's objects with the policy mirrored)."""
    objects = arguments - NOT_OBJECTS
    return bool(objects) and objects <= Z_OBJECTS and endpoint not in A_ONLY


# URL arguments that name no object of an organisation (a page number, a year, a step...).
NOT_OBJECTS = {
    "position",
    "step",
    "year",
    "number",
    "code",
    "filename",
    "kind",
    "change",
    "item",
    "subject",
    "content_type",
}
# The kinds of object Z owns (World.z_ids), and the routes that need an object Z lacks of
# that kind (a round whose feedback is published, a sent response).
Z_OBJECTS = {
    "round_id",
    "question_id",
    "response_id",
    "request_id",
    "line_id",
    "receipt_id",
    "organisation_id",
    "org_id",
    "membership_id",
    "person_id",
    "mission_id",
    "session_id",
    "signup_id",
    "subject_id",
    "invitation_id",
    "content_id",
    "item_id",
    "measure_id",
}
FINISHED_ROUND_PAGES = (
    "results",
    "chart",
    "summary_pdf",
    "feedback",
    "feedback_audio",
    "evaluation",
    "export_csv",
    "public_setting",
    # feedback followed over time: its first point (position 1), evaluations typed in from paper
    "edit_feedback",
    "feedback_news",
    "paper_evaluation",
)
A_ONLY = {f"consultations.{name}" for name in (*FINISHED_ROUND_PAGES, "result_texts")}
A_ONLY.add("consultations.answer_done")
# The curation of free texts starts once a round is closed: Z has no such round.
CURATION_PAGES = ("curation_overview", "curation_question", "save_quote", "quotes_ready")
A_ONLY.update(f"consultations.{name}" for name in CURATION_PAGES)


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), (220, 200, 170)).save(out, "JPEG")
    return out.getvalue()


def _finished_round(org, facilitator, participants):  # noqa: ANN001, ANN202
    """A round whose feedback is published, with participant A's submitted answers."""
    round_, _ = make_round(org, facilitator, title="Le transport")
    open_round(round_, facilitator, participants)
    owner = participants[0]
    response = consultations.start_response(owner, round_)
    question = round_.questions[1]
    consultations.save_answer(owner, response, question, AnswerInput(value_int=4))
    for other in round_.questions:
        if other.id != question.id:
            consultations.save_answer(owner, response, other, AnswerInput(declined=True))
    consultations.submit_response(owner, response)
    later = utcnow() + timedelta(days=30)
    consultations.transition(facilitator, round_, RoundStatus.CLOSED, now=later)
    consultations.transition(facilitator, round_, RoundStatus.RESULTS, now=later)
    consultations.add_feedback_item(
        facilitator,
        round_,
        FeedbackData(
            you_said="Le bus est cher.",
            we_did="Le ticket est gratuit.",
            you_said_easy="Le bus coûte trop.",
            we_did_easy="Le bus est gratuit.",
            who="Le CD",
        ),
    )
    consultations.transition(facilitator, round_, RoundStatus.FEEDBACK_PUBLISHED, now=later)
    return round_, question, response


def build_world(seed_fiches: bool = True, a_joined_z: bool = False) -> World:
    """Every person gets the same (real scrypt) hash of PASSWORD, computed once per process
    (factories.hashed_once): the world is built for every test, and sixteen scrypt hashes
    would cost three seconds. The accounts made with help get it too (their first code,
    which they changed at once).

    `a_joined_z`: Z's administrator invited participant A as a participant of Z and the
    person said yes (the audit's takeover, as far as it can go now): Z still holds nothing."""
    real = accounts.hash_secret
    accounts.hash_secret = lambda _secret: factories.hashed_once(PASSWORD)  # type: ignore[assignment]
    try:
        world = _build(seed_fiches)
        if a_joined_z:
            participant_a = world.people["participant_a"]
            offer = accounts.invite_member(
                world.people["admin_z"],
                world.orgs["z"],
                participant_a.login_identifier or "",
                Role.PARTICIPANT.value,
            )
            accounts.answer_invitation(participant_a, offer, accept=True)
            db.session.flush()
        return world
    finally:
        accounts.hash_secret = real  # type: ignore[assignment]


def card_account(helper: Person, org: Any, name: str, identifier: str) -> Person:
    """An account made with help, the way a facilitator makes it (identifier and code, the
    organisation holds it), with a fixed identifier the tests can type and the code already
    chosen (PASSWORD): a first-login account would be sent to the code page from everywhere."""
    person = accounts.create_assisted_account(helper, org, name, CONSENT).person
    person.login_identifier = identifier
    person.must_choose_code = False
    db.session.flush()
    return person


def _build(seed_fiches: bool) -> World:  # noqa: PLR0915 - one object of every kind, in order
    org_a = make_org("CRPA Monde A")
    org_b = make_org("Association Monde B", kind=OrganisationKind.ASSOCIATION)
    inst_a = make_org("IRTS Monde A", kind=OrganisationKind.TRAINING_INSTITUTE)
    inst_b = make_org("IRTS Monde B", kind=OrganisationKind.TRAINING_INSTITUTE)
    org_z = make_org("CCAS Monde Z", kind=OrganisationKind.CCAS)
    inst_z = make_org("IRTS Monde Z", kind=OrganisationKind.TRAINING_INSTITUTE)
    fac = make_person((org_a, Role.FACILITATOR), email="fa@w.test", name="Fanny")
    fac_z = make_person((org_z, Role.FACILITATOR), email="fz@w.test", name="Zoé")
    people = {
        # A card account of A, made with help by A's facilitator: A holds it.
        "participant_a": card_account(fac, org_a, "Paul Monde", "MONDEA1"),
        "participant_b": make_person((org_a, Role.PARTICIPANT), email="pb@w.test", name="Nadia"),
        "facilitator_a": fac,
        "moderator_a": make_person((org_a, Role.MODERATOR), email="ma@w.test", name="Karim"),
        "finance_a": make_person((org_a, Role.FINANCE), email="fin@w.test", name="Fabien"),
        "institute_a": make_person((inst_a, Role.INSTITUTE_STAFF), email="ia@w.test"),
        "org_admin_a": make_person((org_a, Role.ADMIN), (inst_a, Role.ADMIN), email="oa@w.test"),
        "facilitator_other_org": make_person((org_b, Role.FACILITATOR), email="fb@w.test"),
        "institute_other": make_person((inst_b, Role.INSTITUTE_STAFF), email="ib@w.test"),
        "admin": make_person(email="admin@w.test", admin=True, name="Anne Admin"),
        "admin_z": make_person(
            (org_z, Role.ADMIN), (inst_z, Role.ADMIN), email="az@w.test", name="Zacharie"
        ),
        "facilitator_z": fac_z,
        "finance_z": make_person((org_z, Role.FINANCE), email="finz@w.test", name="Zinedine"),
        "moderator_z": make_person((org_z, Role.MODERATOR), email="mz@w.test", name="Zora"),
        "participant_z_email": make_person(
            (org_z, Role.PARTICIPANT), email="pz@w.test", name="Zia"
        ),
        "participant_z_card": card_account(fac_z, org_z, "Zélie Monde", "MONDEZ1"),
    }
    pa, pb = people["participant_a"], people["participant_b"]
    fac, mod, staff = people["facilitator_a"], people["moderator_a"], people["institute_a"]
    membership_a = next(m for m in pa.memberships)

    # --- consultations: an open round with discussion, answers, comments, paper codes.
    round_, _ = make_round(org_a, fac, title="Le logement")
    round_.discussion_enabled = True
    open_round(round_, fac, [pa, pb])
    question = round_.questions[0]
    response = consultations.start_response(pa, round_)
    consultations.save_answer(pa, response, round_.questions[1], AnswerInput(value_int=3))
    comment = consultations.add_comment(pa, round_, "Le loyer est trop cher.")
    paper_codes = consultations.create_paper_codes(fac, round_, 2)
    done_round, done_question, done_response = _finished_round(org_a, fac, [pa, pb])

    # --- moderation: participant A's held comment, a measure on participant B.
    held = consultations.add_comment(pa, round_, HELD_TEXT)
    item = moderation.item_for(held)
    assert item is not None, "the held comment made no moderation item"
    b_held = consultations.add_comment(pb, round_, HELD_TEXT)
    b_item = moderation.item_for(b_held)
    measure = moderation.restrict_author(mod, b_item, moderation.reason_templates(org_a.id)[0].id)

    # --- expenses: participant A's draft with a line and a stored receipt; bank details.
    request = expenses.create_request(
        pa, pa, org_a, RequestKind.REIMBURSEMENT, ActivityType.CONSULTATION, "Réunion logement"
    )
    line = expenses.add_line(pa, request, LineInput(Category.TRAIN, "23,40"))
    receipt = expenses.attach_receipt(pa, line, jpeg(), "billet.jpg")
    expenses.set_bank_details(pa, pa, IBAN, "Paul Monde")
    a_payment_choice(pa, "own_account")  # asked before a first request is sent

    # --- trainings: a published mission of institute A whose first session began an hour
    # ago; participant A signed up, confirmed, present; feedback; a visible profile.
    mission = mission_begun_an_hour_ago(staff, inst_a)
    signup = trainings.sign_up(pa, pa, mission, SignupData(why="Je connais la rue"))
    trainings.confirm(staff, signup)
    session = mission.sessions[0]
    trainings.record_attendance(staff, session, {signup.id: Presence(True)})
    trainings.give_feedback(pa, signup, "yes", "Les étudiants ont écouté.")
    trainings.save_profile(
        pa,
        pa,
        ProfileData(themes="La vie à la rue.", formats=["teaching"], institute_ids=[inst_a.id]),
    )
    trainings.set_profile_visible(pa, pa, True)

    # --- easy-read: participant A proofreads; a proofreading of the round; a glossary entry.
    proofreader = proofreading.register_proofreader(fac, pa, CONSENT, show_name=True)
    request_pr = proofreading.request_proofreading(
        fac,
        org_a,
        "consultation_round",
        round_.id,
        "subject_easy",
        EASY_TEXT,
        [pa.id],
        label="Le logement",
    )
    entry = falc.add_glossary_entry(fac, org_a, "CRPA", "Le conseil des personnes accompagnées.")
    # --- pictures: one of A's own (a PNG redrawn and stored like a receipt).
    import io

    from PIL import Image

    from app.consultations import own_pictograms

    png = io.BytesIO()
    Image.new("RGB", (64, 64), "blue").save(png, format="PNG")
    picture = own_pictograms.upload(fac, org_a, "Salle", "La salle du foyer.", png.getvalue())

    # --- kit: the fiches, a ticked item of the round's checklist.
    if seed_fiches:
        fiches.ensure_seeded()
    from app.kit import checklist

    checklist.tick(fac, "round", round_.id, "place_access", True, "Salle accessible.")
    db.session.flush()

    ids = {
        "round_id": round_.id,
        "question_id": question.id,
        "response_id": response.id,
        "position": 1,
        "step": "close",
        "request_id": request.id,
        "line_id": line.id,
        "receipt_id": receipt.id,
        "year": utcnow().year,
        "organisation_id": org_a.id,
        "org_id": org_a.id,
        "membership_id": membership_a.id,
        "person_id": pa.id,
        "mission_id": mission.id,
        "session_id": session.id,
        "signup_id": signup.id,
        "item_id": item.id,
        "measure_id": measure.id,
        "content_type": "consultation_comment",
        "content_id": comment.id,
        "proofreading_id": request_pr.id,
        "proofreader_id": proofreader.id,
        "entry_id": entry.id,
        "picture_id": picture.id,
        "picture_name": picture.name,
        "number": 1,
        "subject": "rounds",
        "subject_id": round_.id,
        "item": "place_access",
        "code": "en",
        "filename": "css/parole.css",
    }
    overrides = {
        # Results, charts and feedback only exist once a round has come that far.
        f"consultations.{name}": {"round_id": done_round.id, "question_id": done_question.id}
        for name in FINISHED_ROUND_PAGES
    }
    overrides["consultations.result_texts"] = {
        "round_id": done_round.id,
        "question_id": done_round.questions[3].id,  # the free-text question
    }
    overrides["consultations.answer_done"] = {"response_id": done_response.id}
    # --- curation: the finished round's free-text question, with one text sent on paper.
    from sqlalchemy import select

    from app.consultations.models import Answer
    from tests.consultation_factories import add_free_texts

    add_free_texts(done_round, 1)
    text_answer = db.session.scalar(
        select(Answer.id).where(
            Answer.question_id == done_round.questions[3].id, Answer.value_text.is_not(None)
        )
    )
    for name in CURATION_PAGES:
        overrides[f"consultations.{name}"] = {
            "round_id": done_round.id,
            "question_id": done_round.questions[3].id,
            "answer_id": text_answer,
        }
    # --- public page: the finished round is shown on A's public page (no login).
    from app.consultations import public

    public.set_shown_publicly(fac, done_round, True)
    ids["slug"] = org_a.public_slug
    overrides["public.round_page"] = {"round_id": done_round.id}
    overrides["consultations.cancel_paper_code"] = {"code": paper_codes[0]}
    overrides["expenses.step"] = {"step": "submit"}
    overrides["trainings.institute"] = {"organisation_id": inst_a.id}
    overrides["trainings.new_mission"] = {"organisation_id": inst_a.id}
    # --- personal data: a download link of participant A's data (accounts.personal_data).
    from app.accounts import personal_data

    data_token, _link = personal_data.make_export_link(pa)
    # --- memberships: A's administrator offers participant A a second role (waiting for the
    # person's answer, or for A's facilitator to note it); an e-mail in the outbox.
    invitation = accounts.invite_member(
        people["org_admin_a"], org_a, pa.login_identifier or "", Role.MODERATOR.value
    )
    ids["invitation_id"] = invitation.id
    ids["message_id"] = outbox.queue_mail("pb@w.test", "Parole", "Bonjour.").id
    # --- "À prévenir": a line for A's facilitators (participant A is told through them).
    from app.accounts.models import ToTellItem

    to_tell_item = ToTellItem(person_id=pa.id, organisation_id=org_a.id, text="Bonjour.")
    db.session.add(to_tell_item)
    db.session.flush()
    ids["to_tell_id"] = to_tell_item.id
    ids["token"] = data_token
    ids["kind"] = sorted(personal_data.SELF_GIVEN)[0].value
    ids["change"] = "give"

    z_ids, z_overrides, receipt_z = _build_z(people, org_z, inst_z)
    stored = [expenses.upload_root() / r.storage_key for r in (receipt, receipt_z)]
    return World(
        receipt_files=[(path, path.read_bytes()) for path in stored],
        people=people,
        orgs={
            "a": org_a,
            "b": org_b,
            "institute_a": inst_a,
            "institute_b": inst_b,
            "z": org_z,
            "institute_z": inst_z,
        },
        ids=ids,
        overrides=overrides,
        z_ids=z_ids,
        z_overrides=z_overrides,
    )


def _build_z(people: dict[str, Any], org_z: Any, inst_z: Any) -> tuple[dict, dict, Any]:
    """Z's own objects, in the same states as A's (so the policy, mirrored, applies): an open
    round with discussion where participant_z_card started answering and wrote a published
    and a held comment, participant_z_email a held one with a measure on them, a draft expense request
    made for them by facilitator_z with a line and a receipt, their bank details, a mission of
    Z's institute where they are confirmed, present and gave their word, their co-trainer
    profile shown to Z's institute, a role Z's administrator offers them."""
    fac_z, admin_z = people["facilitator_z"], people["admin_z"]
    card, email = people["participant_z_card"], people["participant_z_email"]
    round_z, _ = make_round(org_z, fac_z, title="Les transports")
    round_z.discussion_enabled = True
    open_round(round_z, fac_z, [card, email])
    response_z = consultations.start_response(card, round_z)
    consultations.save_answer(card, response_z, round_z.questions[1], AnswerInput(value_int=2))
    paper_codes_z = consultations.create_paper_codes(fac_z, round_z, 2)
    comment_z = consultations.add_comment(card, round_z, "Le bus passe trop peu.")
    item_z = moderation.item_for(consultations.add_comment(card, round_z, HELD_TEXT))
    email_item_z = moderation.item_for(consultations.add_comment(email, round_z, HELD_TEXT))
    assert item_z is not None and email_item_z is not None, "Z's held comments made no item"
    measure_z = moderation.restrict_author(
        people["moderator_z"], email_item_z, moderation.reason_templates(org_z.id)[0].id
    )

    request_z = expenses.create_request(
        fac_z,
        card,
        org_z,
        RequestKind.REIMBURSEMENT,
        ActivityType.CONSULTATION,
        "Réunion transports",
        consent_note=CONSENT,
    )
    line_z = expenses.add_line(fac_z, request_z, LineInput(Category.TRAIN, "12,80"))
    receipt_z = expenses.attach_receipt(fac_z, line_z, jpeg(), "billet.jpg")
    expenses.set_bank_details(fac_z, card, IBAN, "Zélie Monde")
    a_payment_choice(card, "own_account")

    mission_z = mission_begun_an_hour_ago(admin_z, inst_z)
    signup_z = trainings.sign_up(
        fac_z, card, mission_z, SignupData(why="Je connais le bus"), consent_note=CONSENT
    )
    trainings.confirm(admin_z, signup_z)
    trainings.record_attendance(admin_z, mission_z.sessions[0], {signup_z.id: Presence(True)})
    trainings.give_feedback(card, signup_z, "yes", "Les étudiants ont posé des questions.")
    trainings.save_profile(
        card,
        card,
        ProfileData(themes="Prendre le bus.", formats=["teaching"], institute_ids=[inst_z.id]),
    )
    trainings.set_profile_visible(card, card, True)
    invitation_z = accounts.invite_member(
        admin_z, org_z, card.login_identifier or "", Role.MODERATOR.value
    )
    db.session.flush()

    z_ids = {
        "round_id": round_z.id,
        "question_id": round_z.questions[0].id,
        "response_id": response_z.id,
        "request_id": request_z.id,
        "line_id": line_z.id,
        "receipt_id": receipt_z.id,
        "organisation_id": org_z.id,
        "org_id": org_z.id,
        "membership_id": next(m for m in card.memberships).id,
        "person_id": card.id,
        "mission_id": mission_z.id,
        "session_id": mission_z.sessions[0].id,
        "signup_id": signup_z.id,
        "subject_id": round_z.id,
        "invitation_id": invitation_z.id,
        "content_id": comment_z.id,
        "item_id": item_z.id,
        "measure_id": measure_z.id,
    }
    z_overrides = {
        "expenses.step": {"step": "submit"},
        "trainings.institute": {"organisation_id": inst_z.id},
        "trainings.new_mission": {"organisation_id": inst_z.id},
        "consultations.cancel_paper_code": {"code": paper_codes_z[0]},
    }
    assert set(z_ids) == Z_OBJECTS, "Z_OBJECTS names the kinds of object Z owns"
    return z_ids, z_overrides, receipt_z


# --- clients -----------------------------------------------------------------------------

CSRF_RAW = hashlib.sha1(b"parole security suite").hexdigest()  # noqa: S324 - a fixed test value


def csrf_token(app: Flask) -> str:
    """The signed form token that matches CSRF_RAW in the session, made the way Flask-WTF
    makes it (flask_wtf.csrf.generate_csrf)."""
    secret = app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key
    return URLSafeTimedSerializer(secret, salt="wtf-csrf-token").dumps(CSRF_RAW)


def clients(app: Flask, world: World) -> dict[str, FlaskClient]:
    """One client per actor. Logged in the way the login view does it (a server-side login
    session, then `_user_id` and `sid` in the cookie session; see accounts.views.login) without
    nine scrypt checks per test; test_access checks once that a real login gives the same."""
    tokens = {name: open_login_session(person) for name, person in world.people.items()}
    db.session.commit()
    out: dict[str, FlaskClient] = {}
    for name in ACTORS:
        client = app.test_client()
        with client.session_transaction() as sess:
            sess["csrf_token"] = CSRF_RAW
            if name in tokens:
                sess["_user_id"] = str(world.people[name].id)
                sess["_fresh"] = True
                sess["sid"] = tokens[name]
        out[name] = client
    return out


def connection_of(app: Flask) -> Connection:
    """The connection of the conftest's outer transaction."""
    return app.extensions["parole.db"].session_factory.kw["bind"]


@contextmanager
def undone(app: Flask, world: World) -> Iterator[None]:
    """Whatever a request writes is rolled back after it (a savepoint around it), and the
    stored receipt file is put back, so each actor meets the same world."""
    database = app.extensions["parole.db"]
    nested = connection_of(app).begin_nested()
    try:
        yield
    finally:
        database.session.remove()
        nested.rollback()
        for path, data in world.receipt_files:
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)

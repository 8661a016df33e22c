"""Personal data: closing an account erases every column tagged personal (found from the
models, not listed here), keeps contributions and accounting records, records the erasure;
agreements; download links; the retention purge."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import bindparam, select, text

from app import db
from app.accounts import onboarding, personal_data
from app.accounts import services as accounts
from app.accounts.models import (
    ConsentKind,
    Erasure,
    LoginSession,
    OrganisationKind,
    Person,
    Role,
)
from app.consultations import services as consultations
from app.consultations.models import Comment, Invitation, Response
from app.consultations.services import AnswerInput
from app.core.errors import DomainError, NotAllowed, NotFound
from app.core.models import AuditEntry, Notification, OutboxMessage
from app.core.notifications import notify
from app.core.outbox import queue_sms
from app.core.personal import ANONYMOUS_NAME, personal_tables
from app.db import utcnow
from app.expenses.models import (
    ActivityType,
    BankDetails,
    Category,
    ExpenseLine,
    ExpenseRequest,
    RequestKind,
    RequestStatus,
)
from app.falc import proofreading
from app.trainings import services as trainings
from app.trainings.models import CoTrainerProfile, MissionStatus, MissionType
from app.trainings.services import MissionData, SignupData
from tests import figures
from tests.consultation_factories import make_round, open_round
from tests.factories import PASSWORD, make_org, make_person

pytestmark = pytest.mark.usefixtures("ctx")
CONSENT = "Elle a dit oui au téléphone le 3 mars."


def _round_for(facilitator, org, people):
    round_, _ = make_round(org, facilitator, opens_in_days=16)
    open_round(round_, facilitator, people)
    return round_


@pytest.fixture
def w() -> SimpleNamespace:
    """A person with something in every table that holds personal data."""
    org = make_org("CRPA Données")
    facilitator = make_person((org, Role.FACILITATOR), name="Fanny Animatrice")
    person = make_person((org, Role.PARTICIPANT), email="sam@example.test", name="Sam Témoin")
    other = make_person((org, Role.PARTICIPANT), email="other@example.test", name="Autre Personne")
    email = person.email

    # Consultation: answers entered with help (consent note), sent; a comment; a paper code.
    round_ = _round_for(facilitator, org, [person, other])
    response = consultations.start_response(
        facilitator, round_, person=person, consent_note=CONSENT
    )
    first, *others = round_.questions
    choice = AnswerInput(choice_ids=[first.choices[1].id])
    consultations.save_answer(facilitator, response, first, choice)
    for question in others:
        consultations.save_answer(facilitator, response, question, AnswerInput(declined=True))
    consultations.submit_response(facilitator, response)
    invitation = db.session.get(Invitation, response.invitation_id)
    invitation.paper_code = "PAPR-2345"
    # Their evaluation, typed in from paper by the facilitator (consent note).
    from app.consultations.models import Evaluation, EvaluationAnswer

    db.session.add(
        Evaluation(
            round_id=round_.id,
            invitation_id=invitation.id,
            entered_by_id=facilitator.id,
            consent_note=CONSENT,
            **dict.fromkeys(
                ("understood", "could_speak", "costs_covered", "sees_change"), EvaluationAnswer.YES
            ),
        )
    )
    db.session.add(
        Comment(
            round_id=round_.id, organisation_id=org.id, author_id=person.id, body="Mon avis à moi"
        )
    )

    # Costs: bank details, a paid request for a third party entered with help, a draft.
    db.session.add(
        BankDetails(
            person_id=person.id,
            iban_encrypted="x",
            iban_country="FR",
            iban_last4="1234",
            holder_name="Sam Témoin",
        )
    )
    paid = ExpenseRequest(
        organisation_id=org.id,
        person_id=person.id,
        kind=RequestKind.REIMBURSEMENT,
        activity_type=ActivityType.CONSULTATION,
        status=RequestStatus.PAID,
        third_party_name="Mon fils",
        consent_note=CONSENT,
        entered_by_id=facilitator.id,
        paid_at=utcnow(),
        paid_amount=Decimal("12.50"),
    )
    draft = ExpenseRequest(
        organisation_id=org.id,
        person_id=person.id,
        kind=RequestKind.REIMBURSEMENT,
        activity_type=ActivityType.CONSULTATION,
    )
    db.session.add_all([paid, draft])
    db.session.flush()
    db.session.add(
        ExpenseLine(
            request_id=paid.id,
            category=Category.LOCAL_TRANSPORT,
            description="Bus",
            amount=Decimal("12.50"),
        )
    )
    # How they are paid: to their curator, kept with the paid request too.
    from app.expenses.payment_models import ExpensePayee, PayeeMethod, PaymentPreference

    db.session.add(
        PaymentPreference(
            person_id=person.id,
            method=PayeeMethod.THIRD_PARTY,
            third_party_name="Mme Curatrice",
            iban_encrypted="x",
            iban_country="FR",
            iban_last4="9999",
        )
    )
    db.session.add(
        ExpensePayee(
            request_id=paid.id,
            method=PayeeMethod.THIRD_PARTY,
            name="Mme Curatrice",
            iban_encrypted="x",
            iban_last4="9999",
        )
    )
    # Told that a quarter's statement of their pay was ready.
    from app.expenses.earnings_models import EarningsNotice

    db.session.add(EarningsNotice(person_id=person.id, year=2026, quarter=1))

    # Co-training: a sign-up entered with help, with needs; a profile.
    institute = make_org(kind=OrganisationKind.TRAINING_INSTITUTE)
    staff = make_person((institute, Role.INSTITUTE_STAFF))
    start = utcnow() + timedelta(days=20)
    mission = trainings.create_mission(
        staff,
        institute,
        MissionData(
            type=MissionType.TEACHING,
            title="Accueillir",
            seats=2,
            sessions=[(start, start + timedelta(hours=3))],
            place="IRTS",
            departement="59",
            hourly_rate=Decimal("20.00"),
            contact_name="Claire",
            contact_phone="03 20 00 00 00",
        ),
    )
    trainings.move_mission(staff, mission, MissionStatus.PUBLISHED)
    signup = trainings.sign_up(
        facilitator,
        person,
        mission,
        SignupData(
            why="J'ai vécu à la rue",
            can_share="Mon parcours",
            access_needs="Fauteuil",
            dietary_needs="Sans porc",
            contact_channel="phone",
            needs_childcare=True,
        ),
        consent_note=CONSENT,
    )
    trainings.confirm(staff, signup)
    db.session.add(
        CoTrainerProfile(
            person_id=person.id, themes="Logement", availability="Lundi", places="Lille"
        )
    )

    # Proofreading: registered with help, name shown; a sentence marked with help.
    proofreading.register_proofreader(facilitator, person, CONSENT, show_name=True)
    request = proofreading.request_proofreading(
        facilitator,
        org,
        "consultation_round",
        round_.id,
        "subject_easy",
        "Vous êtes invité. Venez.",
        [person.id],
        required_understood=1,
        label="Texte",
    )
    proofreading.mark_sentence(
        facilitator, request, 0, True, for_person=person, consent_note=CONSENT
    )

    # Messages, agreements, sessions.
    db.session.add(Notification(person_id=person.id, subject="Bonjour Sam", body="Votre RDV"))
    db.session.add(OutboxMessage(to_address=email, subject="Bonjour Sam", body_text="Votre RDV"))
    # How to reach them: a phone number, told by the facilitator ("À prévenir"), a text message.
    person.phone, person.holder_organisation_id = "+33612345678", org.id
    person.contact_channel = "facilitator"
    told = notify(person, lambda: "Votre place est confirmée", lambda: "Mardi", due_at=utcnow())
    queue_sms(person.phone, "Parole : votre place est confirmée", notification_id=told.id)
    personal_data.give_consent(person, person, ConsentKind.PHOTOS)
    accounts.open_login_session(person)
    onboarding.request_reset(email)  # a link to choose a new password, mailed to them
    # An invitation to another role: the address the administrator typed is personal.
    accounts.invite_member(make_person((org, Role.ADMIN)), org, email, "moderator")
    db.session.flush()
    return SimpleNamespace(
        org=org,
        facilitator=facilitator,
        person=person,
        other=other,
        email=email,
        round=round_,
        paid=paid,
        draft=draft,
        mission=mission,
        signup=signup,
        staff=staff,
    )


def _rows(entry, person_id: int, email: str) -> list:
    names = {"pid": person_id, "email": email}
    condition = text(entry.rows).bindparams(
        *(bindparam(k, v) for k, v in names.items() if f":{k}" in entry.rows)
    )
    return db.session.execute(select(*entry.table.columns).where(condition)).mappings().all()


def test_every_personal_column_is_empty_after_closing(w):
    tables = personal_tables()
    assert len(tables) >= 12
    # Before: every table with personal columns holds a row of this person with something in
    # at least one of those columns, so the test below proves something for each of them.
    for entry in tables:
        rows = _rows(entry, w.person.id, w.email)
        assert rows, f"the fixture has no row of {entry.table.name}"
        assert any(
            row[c.name] not in (None, "", False, c.info["erased_value"])
            for row in rows
            for c in entry.columns
        ), f"{entry.table.name}: nothing personal in the fixture's rows"

    personal_data.close_account(w.person, w.person, PASSWORD)
    db.session.expire_all()

    checked = 0
    for entry in tables:
        rows = _rows(entry, w.person.id, w.email)
        if entry.mode == "delete":
            assert rows == [], entry.table.name
        for row in rows:
            for c in entry.columns:
                assert row[c.name] == c.info["erased_value"], f"{entry.table.name}.{c.name}"
                checked += 1
        checked += len(entry.columns) if entry.mode == "delete" else 0
    figures.add("erasure: personal columns proved empty after closing", checked)
    person = db.session.get(Person, w.person.id)
    assert person.display_name == ANONYMOUS_NAME and person.closed_at is not None
    assert not person.is_active
    assert db.session.scalar(select(Erasure.reason).where(Erasure.person_id == person.id)) == (
        "closed"
    )


def test_other_people_keep_their_data(w):
    personal_data.close_account(w.person, w.person, PASSWORD)
    db.session.expire_all()
    other = db.session.get(Person, w.other.id)
    assert other.display_name == "Autre Personne" and other.email == "other@example.test"
    assert db.session.get(Person, w.facilitator.id).display_name == "Fanny Animatrice"


def test_contributions_stay_signed_anonymous_and_accounting_stays_pseudonymised(w):
    personal_data.close_account(w.person, w.person, PASSWORD)
    db.session.expire_all()
    comment = db.session.scalar(select(Comment).where(Comment.author_id == w.person.id))
    assert comment.body == "Mon avis à moi" and comment.author.display_name == ANONYMOUS_NAME
    response = db.session.scalar(
        select(Response).join(Invitation).where(Invitation.person_id == w.person.id)
    )
    assert response.submitted_at is not None and len(response.answers) == 4
    paid = db.session.get(ExpenseRequest, w.paid.id)
    assert paid.paid_amount == Decimal("12.50") and paid.person_id == w.person.id
    assert paid.third_party_name == "" and paid.consent_note is None
    assert db.session.get(ExpenseRequest, w.draft.id) is None  # never sent: not accounting
    assert (
        db.session.scalar(select(LoginSession).where(LoginSession.person_id == w.person.id)) is None
    )


def test_a_held_co_training_place_goes_to_the_next_person(w):
    assert db.session.get(type(w.mission), w.mission.id).confirmed_count == 1
    personal_data.close_account(w.person, w.person, PASSWORD)
    db.session.expire_all()
    assert db.session.get(type(w.mission), w.mission.id).confirmed_count == 0


def test_closing_needs_the_secret_and_only_the_person_or_a_platform_admin(w):
    with pytest.raises(DomainError) as wrong:
        personal_data.close_account(w.person, w.person, "not it")
    assert wrong.value.field == "secret"
    with pytest.raises(NotAllowed):
        personal_data.close_account(w.facilitator, w.person)
    admin = make_person(admin=True)
    personal_data.close_account(admin, w.person, reason="admin")
    with pytest.raises(DomainError):
        personal_data.close_account(admin, w.person)


def test_money_on_its_way_or_being_the_last_admin_blocks_closing(w):
    w.paid.status = RequestStatus.APPROVED
    w.paid.paid_at = None
    db.session.flush()
    assert personal_data.closing_blockers(w.person)
    with pytest.raises(DomainError):
        personal_data.close_account(w.person, w.person, PASSWORD)
    org = make_org()
    lone_admin = make_person((org, Role.ADMIN))
    assert org.name in personal_data.closing_blockers(lone_admin)[0]
    make_person((org, Role.ADMIN))
    assert personal_data.closing_blockers(lone_admin) == []


def test_erasures_are_applied_again_after_an_old_backup_comes_back(w):
    personal_data.close_account(w.person, w.person, PASSWORD)
    # An older backup restored: the person's row and bank details are back.
    person = db.session.get(Person, w.person.id)
    person.display_name, person.email, person.is_active = "Sam Témoin", w.email, True
    db.session.add(
        BankDetails(person_id=person.id, iban_encrypted="x", iban_country="FR", iban_last4="1234")
    )
    db.session.flush()
    assert personal_data.reapply_erasures() == [person.id]
    db.session.expire_all()
    person = db.session.get(Person, w.person.id)
    assert person.display_name == ANONYMOUS_NAME and person.email is None
    assert db.session.get(BankDetails, person.id) is None
    assert personal_data.reapply_erasures() == []  # nothing left to do


def test_closing_and_the_purge_delete_the_receipt_files_they_no_longer_keep():
    """A request never sent goes with its receipt photos when the account closes; receipts
    of costs paid more than 10 years ago go, file and row, with the purge. Real files."""
    from app.expenses import receipts as receipt_files
    from app.expenses.models import Receipt
    from app.expenses.services import upload_root
    from tests.worlds import a_cost_request

    org = make_org()
    finance = make_person((org, Role.FINANCE))
    person = make_person((org, Role.PARTICIPANT))
    draft, draft_line = a_cost_request(person, org, finance, step="draft")
    paid, paid_line = a_cost_request(
        make_person((org, Role.PARTICIPANT)), org, finance, step="paid"
    )
    draft_file = receipt_files.path_for(upload_root(), draft_line.receipts[0].storage_key)
    paid_receipt = paid_line.receipts[0]
    paid_file = receipt_files.path_for(upload_root(), paid_receipt.storage_key)
    assert draft_file.exists() and paid_file.exists()

    closed = personal_data.close_account(person, person, PASSWORD)
    assert closed.files_removed == 1 and not draft_file.exists()
    assert db.session.get(ExpenseRequest, draft.id) is None

    paid.paid_at = utcnow() - timedelta(days=11 * 366)
    db.session.flush()
    assert personal_data.purge().receipts == 1 and paid_file.exists()  # dry run: counted only
    assert personal_data.purge(apply=True).receipts == 1
    assert not paid_file.exists()
    assert db.session.get(Receipt, paid_receipt.id) is None
    assert db.session.get(ExpenseRequest, paid.id) is not None  # the accounting record stays


# --- agreements ----------------------------------------------------------------------------


def test_assisted_entry_records_the_agreement_and_a_withdrawal_stops_it(w):
    assert personal_data.has_consent(w.person, ConsentKind.ASSISTED_ENTRY)
    personal_data.withdraw_consent(w.person, w.person, ConsentKind.ASSISTED_ENTRY)
    round_ = _round_for(w.facilitator, w.org, [w.person])
    with pytest.raises(DomainError) as refused:
        consultations.start_response(w.facilitator, round_, person=w.person, consent_note=CONSENT)
    assert refused.value.field == "consent_note"
    # The person gives it again themselves: help is possible again.
    personal_data.give_consent(w.person, w.person, ConsentKind.ASSISTED_ENTRY)
    consultations.start_response(w.facilitator, round_, person=w.person, consent_note=CONSENT)


def test_taking_back_the_proofreader_name_hides_it(w):
    from app.falc.proofreading_models import Proofreader

    assert personal_data.has_consent(w.person, ConsentKind.PROOFREADER_NAME)
    personal_data.withdraw_consent(w.person, w.person, ConsentKind.PROOFREADER_NAME)
    shown = db.session.scalar(
        select(Proofreader.show_name).where(Proofreader.person_id == w.person.id)
    )
    assert shown is False
    with pytest.raises(DomainError):
        personal_data.withdraw_consent(w.person, w.person, ConsentKind.PROOFREADER_NAME)


def test_agreements_are_in_the_export(w):
    data = personal_data.export_person_data(w.person)
    kinds = {a["kind"]: a for a in data["agreements"]}
    assert kinds["photos"]["taken_back_at"] is None
    assert kinds["assisted_entry"]["noted_by_id"] == w.facilitator.id
    assert data["co_training_signups"][0]["why"] == "J'ai vécu à la rue"
    answers = data["consultation_answers"][0]["answers"]
    assert answers[0]["choices"] == ["Un foyer"] and answers[1]["declined"] is True
    assert data["bank_account"]["account"].endswith("1234")
    assert "x" not in str(data["bank_account"])  # never the encrypted IBAN


def _person_columns() -> set[str]:
    """Every column of every table that points to a person (a foreign key to people.id)."""
    from app.models import metadata

    return {
        f"{table.name}.{column.name}"
        for table in metadata.sorted_tables
        for column in table.columns
        for key in column.foreign_keys
        if key.column.table.name == "people" and key.column.name == "id"
    }


# Columns to a person that no domain's personal-data provider shows or deletes, on purpose.
# Anything else pointing to people.id must be declared by the provider of its domain
# (`exported` or `deleted_at_closure` in app/<domain>/personal_data.py).
_OTHERS = "the rows are about other people; what the person did is in the journal"
_STAFF = "work done as staff for an organisation; what the person did is in the journal"
LEFT_OUT: dict[str, str] = {
    "people.entered_by_id": _OTHERS,
    "consents.recorded_by_id": _OTHERS,
    "consents.withdrawn_by_id": _OTHERS,
    "consultation_responses.entered_by_id": _OTHERS,
    "consultation_evaluations.entered_by_id": _OTHERS,
    "expense_requests.entered_by_id": _OTHERS,
    "expense_lines.sworn_by_id": _OTHERS,
    "expense_receipts.uploaded_by_id": (
        "the person's own receipts are in the download with their requests; receipts they "
        "sent for other people belong to those people"
    ),
    "falc_proofreaders.entered_by_id": _OTHERS,
    "falc_sentence_marks.entered_by_id": _OTHERS,
    "training_signups.entered_by_id": _OTHERS,
    "membership_invitations.invited_by_id": _STAFF,
    "account_links.invited_by_id": _STAFF,
    "membership_invitations.answered_by_id": (
        "who answered: the person (then it is their invitation, shown) or a facilitator "
        "for someone else"
    ),
    "expense_requests.first_reviewer_id": _STAFF,
    "expense_requests.second_reviewer_id": _STAFF,
    "expense_requests.handed_over_by_id": _STAFF,
    "expense_requests.paid_by_id": _STAFF,
    "consultation_rounds.created_by_id": _STAFF,
    "consultation_feedback_updates.author_id": _STAFF,
    "falc_proofreadings.requested_by_id": _STAFF,
    "kit_checklist_ticks.ticked_by_id": _STAFF,
    "kit_fiches.updated_by_id": _STAFF,
    "kit_fiche_revisions.saved_by_id": _STAFF,
    "moderation_decisions.moderator_id": _STAFF,
    "moderation_measures.decided_by_id": _STAFF,
    "moderation_settings.referent_id": _STAFF,
    "training_missions.created_by_id": _STAFF,
    "training_attendance.recorded_by_id": _STAFF,
    "to_tell_items.done_by_id": _STAFF,
}


def test_every_column_pointing_to_a_person_is_covered_by_a_domain_or_left_out_with_a_reason(w):
    """A new table that links rows to a person must be shown in "My data" or deleted when the
    account closes, declared by its domain's provider, or be listed above with why not:
    nobody has to remember it."""
    columns = _person_columns()
    exported = set(personal_data.exported_columns())
    deleted = personal_data.columns_deleted_at_closure()
    covered = exported | deleted
    assert len(columns) >= 40
    assert columns - covered - set(LEFT_OUT) == set(), "declare them in the domain's provider"
    assert covered & set(LEFT_OUT) == set(), "declared by a provider: not an exception"
    assert covered - columns == set(), "declared, but not a column to people.id"
    assert all(len(reason) > 20 for reason in LEFT_OUT.values())
    data = personal_data.export_person_data(w.person)
    assert set(personal_data.exported_columns().values()) - set(data) == set()
    figures.add("my data: columns pointing to a person, each exported or excused", len(columns))


def test_rows_a_domain_says_go_at_closing_are_gone(w):
    """What the providers declare as deleted when the account closes is really deleted."""
    declared = sorted(personal_data.columns_deleted_at_closure())

    def count(column: str) -> int:
        table, name = column.split(".")
        return db.session.execute(
            text(f"SELECT count(*) FROM {table} WHERE {name} = :pid"), {"pid": w.person.id}
        ).scalar_one()

    from app.core.models import IdempotencyKey

    personal_data.make_export_link(w.person)
    db.session.add(
        IdempotencyKey(
            key="k" * 64, person_id=w.person.id, endpoint="x", fingerprint="f", location="/"
        )
    )
    db.session.flush()
    before = {column: count(column) for column in declared}
    assert 0 not in before.values(), "the fixture must hold rows for each, to prove something"
    personal_data.close_account(w.person, w.person, PASSWORD)
    assert {column: count(column) for column in declared} == dict.fromkeys(declared, 0)


def test_the_export_keeps_its_sections_in_their_order(w):
    """The download's keys come in the same order, whatever order the domains register in."""
    expected = [
        "person",
        "memberships",
        "agreements",
        "consultation_answers",
        "comments",
        "evaluations",
        "costs_and_pay",
        "bank_account",
        "payment_preference",
        "statement_notices",
        "co_training_signups",
        "co_trainer_profile",
        "co_training_feedback",
        "proofreading",
        "moderation",
        "consultation_invitations",
        "own_pictures",
        "role_invitations",
        "notifications",
        "logins",
        "download_links",
        "journal",
    ]
    assert list(personal_data.export_person_data(w.person)) == expected
    registered = personal_data.providers()
    try:
        personal_data._providers.clear()
        for provider in reversed(registered):
            personal_data.register(provider)
        assert [p.domain for p in personal_data.providers()][0] != "accounts"
        assert list(personal_data.export_person_data(w.person)) == expected
        lines = [label for label, _count in personal_data.purge().lines()]
        assert lines[-2:] == [
            "cost requests never sent, older than 24 months",
            "receipts of costs paid more than 10 years ago",
        ]
        assert lines[2] == "journal entries older than 12 months"
    finally:
        personal_data._providers.clear()
        for provider in registered:
            personal_data.register(provider)


def test_a_domain_cannot_take_an_order_number_or_a_key_already_used():
    from app.accounts.personal_data import PersonalDataProvider, Section

    before = personal_data.providers()
    with pytest.raises(ValueError, match="order"):
        personal_data.register(
            PersonalDataProvider("newcomer", sections=(Section("newcomer", 70, dict),))
        )
    with pytest.raises(ValueError, match="costs_and_pay"):
        personal_data.register(
            PersonalDataProvider("newcomer", sections=(Section("costs_and_pay", 75, dict),))
        )
    with pytest.raises(ValueError, match="round"):
        personal_data.register(PersonalDataProvider("newcomer", labels={"round": "Tour"}))
    assert personal_data.providers() == before


def test_the_export_holds_every_kind_of_record_about_the_person(w):
    from app.trainings.models import Attendance

    w.paid.reason = "Le ticket de bus était illisible, nous avons payé le tarif connu."
    w.paid.payment_reference = "VIR-2026-0042"
    w.paid.approved_amount = Decimal("12.50")
    db.session.add(
        Attendance(
            signup_id=w.signup.id,
            session_id=w.mission.sessions[0].id,
            present=True,
            hours=Decimal("3"),
            recorded_by_id=w.staff.id,
        )
    )
    db.session.flush()
    db.session.expire_all()
    data = personal_data.export_person_data(w.person)
    paid = next(r for r in data["costs_and_pay"] if r["id"] == w.paid.id)
    assert paid["reason"].startswith("Le ticket de bus")
    assert paid["payment_reference"] == "VIR-2026-0042"
    assert paid["paid_to"] == "Mon fils"
    attendance = data["co_training_signups"][0]["attendance"]
    assert attendance == [
        {"session": attendance[0]["session"], "present": True, "attended_hours": "3.00"}
    ]
    notes = [(n["subject"], n["text"]) for n in data["notifications"]]
    assert ("Bonjour Sam", "Votre RDV") in notes
    assert data["consultation_invitations"][0]["paper_code"] == "PAPR-2345"
    assert data["proofreading"]["sentences_marked"][0]["sentence_understood"] is True
    assert data["proofreading"]["texts_to_read"][0]["text"] == "Texte"
    assert [i["role"] for i in data["role_invitations"]] == ["moderator"]
    events = {(e["event"], e["by_you"]) for e in data["journal"]}
    assert ("consent.given", True) in events  # what the person did
    assert any(not by_you for _event, by_you in events)  # what others did about them


def test_the_export_keeps_other_people_out(w):
    """The facilitator who helped, the staff who checked, the other participant: shown by
    their role or a number at most, never by name or address."""
    import json

    text = json.dumps(personal_data.export_person_data(w.person), ensure_ascii=False, default=str)
    for value in (
        w.facilitator.display_name,
        w.facilitator.email,
        w.other.display_name,
        w.other.email,
        w.staff.email,
    ):
        assert value not in text
    assert "Sam Témoin" in text


# --- download links ------------------------------------------------------------------------


def test_a_download_link_works_7_days_for_its_owner_only(w):
    now = utcnow()
    token, link = personal_data.make_export_link(w.person, now=now)
    assert personal_data.valid_link(w.person, token, now + timedelta(days=6, hours=23)) == link
    with pytest.raises(personal_data.LinkExpired):
        personal_data.valid_link(w.person, token, now + timedelta(days=7))
    with pytest.raises(NotFound):
        personal_data.valid_link(w.other, token, now)
    with pytest.raises(NotFound):
        personal_data.valid_link(w.person, token + "x", now)
    assert token not in str(link.token_hash)


# --- retention -----------------------------------------------------------------------------


def test_purge_is_a_dry_run_unless_applied(w):
    later = utcnow() + timedelta(days=800)
    report = personal_data.purge(now=later)
    assert w.person.id in report.people and w.other.id in report.people
    assert db.session.get(Person, w.person.id).closed_at is None
    applied = personal_data.purge(apply=True, now=later)
    assert applied.people == report.people
    db.session.expire_all()
    assert db.session.get(Person, w.other.id).display_name == ANONYMOUS_NAME


def test_purge_keeps_people_seen_recently_and_follows_the_organisation_setting(w):
    soon = utcnow() + timedelta(days=400)
    assert personal_data.purge(now=soon).people == []
    personal_data.set_retention(make_person(admin=True), w.org, 12)
    assert w.other.id in personal_data.purge(now=soon).people
    with pytest.raises(DomainError) as wrong:
        personal_data.set_retention(make_person(admin=True), w.org, 2)
    assert wrong.value.field == "retention_months"


def test_purge_removes_old_logs_and_keeps_recent_ones(w):
    old = AuditEntry(at=utcnow() - timedelta(days=400), action="old.entry", object_type="-")
    db.session.add(old)
    db.session.flush()
    report = personal_data.purge(apply=True)
    assert report.audit_entries >= 1
    db.session.expire_all()
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "old.entry")) is None
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "consent.given"))


def test_purge_keeps_people_who_wait_for_money(w):
    w.paid.status = RequestStatus.SUBMITTED
    w.paid.paid_at = None
    db.session.flush()
    report = personal_data.purge(now=utcnow() + timedelta(days=800))
    assert w.person.id in report.people_kept_for_money and w.person.id not in report.people


def test_every_key_of_the_export_has_words_for_people(w):
    """The readable page shows each key in words: a key added to the export needs a label."""

    def keys(value):
        if isinstance(value, dict):
            for key, item in value.items():
                yield key
                yield from keys(item)
        elif isinstance(value, list):
            for item in value:
                yield from keys(item)

    found = set(keys(personal_data.export_person_data(w.person)))
    assert found - set(personal_data.EXPORT_LABELS) == set()

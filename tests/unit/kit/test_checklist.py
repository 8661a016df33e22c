"""The kit's checklists computed from real data: each computed item of a round and of a
mission on a true and a false case, the items ticked by hand (who, when, a note), computed
items that refuse a tick, the dashboard's order, and the wrong organisation."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event, select

from app import db
from app.accounts.models import OrganisationKind, Role
from app.consultations import services as consultations
from app.consultations.models import RoundStatus
from app.consultations.services import AnswerInput, FeedbackData, RoundData
from app.core.errors import DomainError, NotAllowed, NotFound
from app.core.models import AuditEntry
from app.db import utcnow
from app.expenses.models import ExpenseSettings
from app.falc.proofreading import text_hash
from app.falc.proofreading_models import Proofreading, ProofreadingStatus
from app.kit import checklist
from app.kit.models import ChecklistTick, Phase
from app.moderation import services as moderation
from app.moderation.models import Action
from app.trainings import services as trainings
from app.trainings.models import MissionStatus, MissionType
from app.trainings.services import MissionData, Presence, SignupData
from tests.consultation_factories import make_round, open_round
from tests.factories import make_org, make_person
from tests.unit.trainings.test_signups import make_mission, people

pytestmark = pytest.mark.usefixtures("ctx")


@pytest.fixture(autouse=True)
def _in_english(ctx):
    """The explanations are checked in English (the French catalogue is tested on its own)."""
    from flask_babel import force_locale

    with force_locale("en"):
        yield


def items(kind, subject, now=None):
    return {
        row.item.key: row
        for phase in checklist.checklist(kind, subject, now)
        for row in phase.items
    }


def participants(round_, n=1):
    return [make_person((round_.organisation, Role.PARTICIPANT)) for _ in range(n)]


def answer_all(actor, response, round_):
    for question in round_.questions:
        consultations.save_answer(actor, response, question, AnswerInput(declined=True))
    consultations.submit_response(actor, response)


def to_results(round_, facilitator):
    consultations.transition(facilitator, round_, RoundStatus.CLOSED)
    consultations.transition(facilitator, round_, RoundStatus.RESULTS)


def publish_feedback(round_, facilitator, now=None):
    consultations.add_feedback_item(
        facilitator, round_, FeedbackData("a", "b", "a facile", "b facile")
    )
    consultations.transition(facilitator, round_, RoundStatus.FEEDBACK_PUBLISHED, now=now)


EVALUATION = {
    "understood": "yes",
    "could_speak": "yes",
    "costs_covered": "a_little",
    "sees_change": "declined",
}


# --- a round: before ---------------------------------------------------------------------------


def test_invitation_sent_less_than_15_days_before_opening_is_not_done():
    round_, facilitator = make_round(opens_in_days=9)
    consultations.invite_people(facilitator, round_, [p.id for p in participants(round_)])
    row = items("round", round_)["invitation_notice"]
    assert row.state == "not_done" and "not sent yet" in row.result.explanation
    consultations.transition(facilitator, round_, RoundStatus.ANNOUNCED)
    row = items("round", round_)["invitation_notice"]
    assert row.state == "not_done"
    assert "9 days before opening (the aim is 15)" in row.result.explanation
    assert "announcement" in row.result.explanation


def test_invitation_sent_15_days_before_opening_is_done():
    round_, facilitator = make_round(opens_in_days=16)
    consultations.invite_people(facilitator, round_, [p.id for p in participants(round_)])
    consultations.transition(facilitator, round_, RoundStatus.ANNOUNCED)
    row = items("round", round_)["invitation_notice"]
    assert row.state == "done" and "16 days before opening" in row.result.explanation


def test_easy_read_version_present_or_missing():
    round_, _facilitator = make_round()
    assert items("round", round_)["easy_read"].state == "done"
    round_.subject_easy = ""
    round_.questions[1].text_easy = ""
    row = items("round", round_)["easy_read"]
    assert row.state == "not_done"
    assert "what it is about" in row.result.explanation and "question 2" in row.result.explanation


def _proofreading(round_, field, text, status):
    record = Proofreading(
        organisation_id=round_.organisation_id,
        subject_type="consultation_round",
        subject_id=round_.id,
        field=field,
        text=text,
        text_hash=text_hash(text),
        sentences=[text],
        status=status,
    )
    db.session.add(record)
    db.session.flush()
    return record


def test_proofreading_done_only_with_an_approved_text_still_on_the_page():
    round_, _facilitator = make_round()
    assert items("round", round_)["proofreading"].state == "not_done"
    _proofreading(round_, "subject_easy", round_.subject_easy, ProofreadingStatus.WAITING)
    row = items("round", round_)["proofreading"]
    assert row.state == "not_done" and "waiting" in row.result.explanation
    approved = _proofreading(round_, "title_easy", "Un ancien titre", ProofreadingStatus.VALIDATED)
    assert items("round", round_)["proofreading"].state == "not_done"  # the text changed since
    approved.text_hash = text_hash(round_.title_easy)
    row = items("round", round_)["proofreading"]
    assert row.state == "done" and row.result.explanation.startswith("1 of 6")


def test_proofreading_of_another_organisation_does_not_count():
    round_, _facilitator = make_round()
    record = _proofreading(round_, "title_easy", round_.title_easy, ProofreadingStatus.VALIDATED)
    record.organisation_id = make_org().id
    assert items("round", round_)["proofreading"].state == "not_done"


def test_costs_need_the_round_to_say_it_and_expense_rates_saved():
    round_, _facilitator = make_round()
    row = items("round", round_)["costs"]
    assert row.state == "not_done" and "expense rates" in row.result.explanation
    db.session.add(ExpenseSettings(organisation_id=round_.organisation_id))
    db.session.flush()
    assert items("round", round_)["costs"].state == "done"
    round_.costs_covered = " "
    row = items("round", round_)["costs"]
    assert row.state == "not_done" and "does not say" in row.result.explanation


def test_meeting_place_is_always_ticked_by_hand():
    round_, _facilitator = make_round()
    row = items("round", round_)["place_access"]
    assert row.manual and row.state == "to_tick" and row.done is None


def test_paper_and_help_is_computed_once_paper_codes_exist_else_ticked():
    round_, facilitator = make_round()
    row = items("round", round_)["paper_and_help"]
    assert row.manual and row.state == "to_tick"
    consultations.create_paper_codes(facilitator, round_, 3)
    row = items("round", round_)["paper_and_help"]
    assert not row.manual and row.state == "done"
    assert "Paper questionnaires printed: 3." in row.result.explanation


def test_paper_and_help_is_computed_from_an_answer_given_with_help():
    round_, facilitator = make_round()
    (person,) = participants(round_)
    open_round(round_, facilitator, [person])
    response = consultations.start_response(
        facilitator, round_, person=person, consent_note="Elle m'a dicté ses réponses."
    )
    answer_all(facilitator, response, round_)
    row = items("round", round_)["paper_and_help"]
    assert row.state == "done" and "Answers entered with help: 1." in row.result.explanation


# --- a round: during ---------------------------------------------------------------------------


def test_moderation_done_when_the_discussion_is_off():
    round_, _facilitator = make_round()
    row = items("round", round_)["moderation"]
    assert row.state == "done" and "off" in row.result.explanation


def test_moderation_not_done_when_a_message_waits_more_than_2_days():
    round_, facilitator = make_round()
    round_.discussion_enabled = True
    round_.discussion_moderation = "pre"
    author, _reader = participants(round_, 2)
    open_round(round_, facilitator, [author, _reader])
    comments = [
        consultations.add_comment(author, round_, "Le loyer est trop cher."),
        consultations.add_comment(author, round_, "Le bus est en retard."),
    ]
    row = items("round", round_)["moderation"]
    assert row.state == "done" and "2 messages wait" in row.result.explanation
    later = utcnow() + timedelta(days=3)
    row = items("round", round_, later)["moderation"]
    assert row.state == "not_done" and "more than 2 days" in row.result.explanation
    # Every message decided: done again, even days later.
    reason = moderation.reason_templates(round_.organisation_id)[0].id
    for comment in comments:
        moderation.decide(facilitator, moderation.item_for(comment), Action.PUBLISH, reason)
    row = items("round", round_, later)["moderation"]
    assert row.state == "done" and "2 messages, all checked" in row.result.explanation


def test_answers_counted_with_their_channel():
    round_, facilitator = make_round()
    alone, helped = participants(round_, 2)
    row = items("round", round_)["answers"]
    assert row.state == "not_done" and "not open" in row.result.explanation
    open_round(round_, facilitator, [alone, helped])
    answer_all(alone, consultations.start_response(alone, round_), round_)
    answer_all(
        facilitator,
        consultations.start_response(facilitator, round_, helped, "Il m'a dicté ses réponses."),
        round_,
    )
    code = consultations.create_paper_codes(facilitator, round_, 1)[0]
    answer_all(facilitator, consultations.start_paper_response(facilitator, round_, code), round_)
    row = items("round", round_)["answers"]
    assert row.state == "done"
    assert row.result.explanation == "3 answers: 1 alone, 1 with help, 1 on paper."


# --- a round: after ----------------------------------------------------------------------------


def test_results_published_or_not():
    round_, facilitator = make_round()
    open_round(round_, facilitator, participants(round_))
    consultations.transition(facilitator, round_, RoundStatus.CLOSED)
    row = items("round", round_)["results"]
    assert row.state == "not_done" and round_.status.label in row.result.explanation
    consultations.transition(facilitator, round_, RoundStatus.RESULTS)
    assert items("round", round_)["results"].state == "done"


def test_feedback_published_before_its_due_date_is_done():
    round_, facilitator = make_round()
    open_round(round_, facilitator, participants(round_))
    to_results(round_, facilitator)
    row = items("round", round_)["feedback_on_time"]
    assert row.state == "not_done" and "due by" in row.result.explanation
    publish_feedback(round_, facilitator)
    row = items("round", round_)["feedback_on_time"]
    assert row.state == "done" and row.result.explanation.startswith("Published on")


def test_feedback_late_or_published_late_is_not_done():
    round_, facilitator = make_round()
    open_round(round_, facilitator, participants(round_))
    to_results(round_, facilitator)
    late = round_.feedback_due_at + timedelta(days=3)
    row = items("round", round_, late)["feedback_on_time"]
    assert row.state == "not_done" and row.result.explanation.startswith("Late")
    publish_feedback(round_, facilitator, now=late)
    row = items("round", round_, late)["feedback_on_time"]
    assert row.state == "not_done" and row.result.explanation.startswith("Published late")


def test_evaluation_open_with_its_response_rate():
    round_, facilitator = make_round()
    invited = participants(round_, 4)
    open_round(round_, facilitator, invited)
    to_results(round_, facilitator)
    row = items("round", round_)["evaluation"]
    assert row.state == "not_done" and "opens when the feedback" in row.result.explanation
    publish_feedback(round_, facilitator)
    row = items("round", round_)["evaluation"]
    assert row.state == "not_done" and "0 of 4 invited people answered" in row.result.explanation
    consultations.submit_evaluation(invited[0], round_, EVALUATION)
    row = items("round", round_)["evaluation"]
    assert row.state == "done" and "1 of 4 invited people answered (25%)" in row.result.explanation


# --- a mission ---------------------------------------------------------------------------------


def test_mission_easy_read_version():
    mission, _staff = make_mission()
    row = items("mission", mission)["easy_read"]
    assert row.state == "not_done" and "the title" in row.result.explanation
    mission.title_easy = "Parler de la vie à la rue"
    assert items("mission", mission)["easy_read"].state == "done"


def test_mission_place_accessibility_computed_from_flags_or_online_else_ticked():
    mission, _staff = make_mission()
    row = items("mission", mission)["place_access"]
    assert row.manual and row.state == "to_tick"
    mission.step_free = True
    mission.quiet_room = True
    row = items("mission", mission)["place_access"]
    assert row.state == "done" and "no step, a quiet room" in row.result.explanation
    mission.step_free = mission.quiet_room = False
    mission.online = True
    assert items("mission", mission)["place_access"].state == "done"


def test_mission_pay_and_covered_costs_declared():
    mission, _staff = make_mission()
    row = items("mission", mission)["pay_and_costs"]
    assert row.state == "not_done" and "costs that are paid" in row.result.explanation
    assert "pay per hour" not in row.result.explanation
    mission.covered_costs = ["train", "meal"]
    assert items("mission", mission)["pay_and_costs"].state == "done"
    mission.hourly_rate = None
    assert items("mission", mission)["pay_and_costs"].state == "not_done"


def test_mission_preparation_meeting_planned():
    mission, _staff = make_mission()
    assert items("mission", mission)["preparation"].state == "not_done"
    mission.preparation_at = utcnow() + timedelta(days=5)
    assert items("mission", mission)["preparation"].state == "done"


def test_signups_left_interested_more_than_7_days_are_not_answered():
    mission, staff = make_mission(seats=2)
    first, second = people(2)
    row = items("mission", mission)["signups_answered"]
    assert row.state == "done" and "Nobody has signed up" in row.result.explanation
    waiting = trainings.sign_up(first, first, mission, SignupData())
    answered = trainings.sign_up(second, second, mission, SignupData())
    trainings.confirm(staff, answered)
    assert items("mission", mission)["signups_answered"].state == "done"
    later = utcnow() + timedelta(days=8)
    row = items("mission", mission, later)["signups_answered"]
    assert row.state == "not_done" and row.result.explanation.startswith("1 sign-up waits")
    trainings.put_on_waiting_list(staff, waiting)
    assert items("mission", mission, later)["signups_answered"].state == "done"


def past_mission(days=(30, 20)):
    """A published mission for 2 co-trainers whose sessions took place `days` ago, both
    confirmed."""
    institute = make_org(kind=OrganisationKind.TRAINING_INSTITUTE)
    staff = make_person((institute, Role.INSTITUTE_STAFF))
    now = utcnow()
    mission = trainings.create_mission(
        staff,
        institute,
        MissionData(
            type=MissionType.TEACHING,
            title="Accueillir une personne à la rue",
            seats=2,
            sessions=[
                (now - timedelta(days=d), now - timedelta(days=d) + timedelta(hours=3))
                for d in days
            ],
            place="IRTS, Villefictive",
            hourly_rate=Decimal("20.00"),
            covered_costs=["meal"],
        ),
    )
    trainings.move_mission(staff, mission, MissionStatus.PUBLISHED)
    signups = []
    for person in people(2):
        signup = trainings.sign_up(person, person, mission, SignupData())
        trainings.confirm(staff, signup)
        signups.append(signup)
    return mission, staff, signups


def test_attendance_and_attestations_not_yet_before_any_session():
    mission, _staff = make_mission()
    rows = items("mission", mission)
    assert rows["attendance"].state == "not_yet" and rows["attestations"].state == "not_yet"
    assert rows["feedback"].state == "not_yet"
    scores = checklist.score("mission", mission)
    assert scores[Phase.AFTER] == checklist.Score(done=0, applicable=0)


def test_attendance_recorded_for_every_past_session():
    mission, staff, (a, b) = past_mission()
    row = items("mission", mission)["attendance"]
    assert row.state == "not_done" and "2 of 2 past sessions" in row.result.explanation
    first, second = mission.sessions
    trainings.record_attendance(
        staff, first, {a.id: Presence(present=True), b.id: Presence(present=False)}
    )
    row = items("mission", mission)["attendance"]
    assert row.state == "not_done" and "1 of 2 past sessions" in row.result.explanation
    trainings.record_attendance(staff, second, {a.id: Presence(present=False)})
    row = items("mission", mission)["attendance"]
    assert row.state == "done" and "2 past sessions" in row.result.explanation


def test_attestations_available_once_someone_is_recorded_present():
    mission, staff, (a, b) = past_mission(days=(10,))
    (session,) = mission.sessions
    trainings.record_attendance(staff, session, {a.id: Presence(present=False)})
    assert items("mission", mission)["attestations"].state == "not_done"
    trainings.record_attendance(staff, session, {b.id: Presence(present=True)})
    row = items("mission", mission)["attestations"]
    assert row.state == "done" and "1 co-trainer" in row.result.explanation


def test_feedback_needs_both_sides():
    mission, staff, (a, _b) = past_mission(days=(10,))
    (session,) = mission.sessions
    trainings.record_attendance(staff, session, {a.id: Presence(present=True)})
    assert items("mission", mission)["feedback"].state == "not_done"
    trainings.give_feedback(staff, a, "yes", "")
    row = items("mission", mission)["feedback"]
    assert row.state == "not_done" and "0 co-trainers gave theirs" in row.result.explanation
    trainings.give_feedback(a.person, a, "partly", "")
    assert items("mission", mission)["feedback"].state == "done"


# --- ticks by hand ---------------------------------------------------------------------------


def test_manual_tick_records_who_when_and_the_note():
    round_, facilitator = make_round()
    before = utcnow()
    record = checklist.tick(
        facilitator, "round", round_.id, "place_access", True, " Salle au rez-de-chaussée. "
    )
    assert record.ticked_by_id == facilitator.id and record.ticked_at >= before
    assert record.note == "Salle au rez-de-chaussée." and record.done is True
    row = items("round", round_)["place_access"]
    assert row.state == "done" and row.tick.ticked_by.id == facilitator.id
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "kit.checklist_ticked"))
    assert entry.actor_id == facilitator.id and entry.organisation_id == round_.organisation_id
    assert entry.details == {
        "subject": "round",
        "subject_id": round_.id,
        "item": "place_access",
        "done": True,
    }
    # Unticked later by someone else: the same record, without a note needed.
    colleague = make_person((round_.organisation, Role.ADMIN))
    again = checklist.tick(colleague, "round", round_.id, "place_access", False, "")
    assert again.id == record.id and again.ticked_by_id == colleague.id and not again.done
    assert items("round", round_)["place_access"].state == "not_done"
    assert db.session.query(ChecklistTick).count() == 1


def test_ticking_done_needs_a_note():
    mission, staff = make_mission()
    with pytest.raises(DomainError) as missing:
        checklist.tick(staff, "mission", mission.id, "place_access", True, "  ")
    assert missing.value.field == "note"
    checklist.tick(staff, "mission", mission.id, "place_access", True, "Rampe à l'entrée.")
    assert items("mission", mission)["place_access"].state == "done"


def test_computed_items_refuse_a_tick():
    round_, facilitator = make_round()
    with pytest.raises(DomainError) as refused:
        checklist.tick(facilitator, "round", round_.id, "easy_read", True, "Fait.")
    assert "cannot be ticked" in str(refused.value.message)
    consultations.create_paper_codes(facilitator, round_, 2)
    with pytest.raises(DomainError):  # computed now that paper codes exist
        checklist.tick(facilitator, "round", round_.id, "paper_and_help", True, "Fait.")
    with pytest.raises(NotFound):
        checklist.tick(facilitator, "round", round_.id, "no_such_item", True, "Fait.")


def test_a_tick_from_another_organisation_is_refused():
    round_, _facilitator = make_round()
    other = make_org()
    stranger = make_person((other, Role.FACILITATOR))
    participant = make_person((round_.organisation, Role.PARTICIPANT))
    for actor in (stranger, participant):
        with pytest.raises(NotAllowed):
            checklist.tick(actor, "round", round_.id, "place_access", True, "Fait.")
    with pytest.raises(NotFound):
        checklist.tick(stranger, "round", 999_999, "place_access", True, "Fait.")
    with pytest.raises(NotFound):
        checklist.tick(stranger, "meeting", round_.id, "place_access", True, "Fait.")


# --- scores and the dashboard ------------------------------------------------------------------


def test_score_counts_done_items_of_those_that_apply():
    round_, facilitator = make_round()
    scores = checklist.score("round", round_)
    # easy-read done; invitation, proofreading, costs not done; two items to tick by hand.
    assert scores[Phase.BEFORE] == checklist.Score(done=1, applicable=6)
    checklist.tick(facilitator, "round", round_.id, "place_access", True, "Salle accessible.")
    assert checklist.score("round", round_)[Phase.BEFORE].done == 2


def _dated_round(org, facilitator, title, opened_days_ago):
    now = utcnow()
    return consultations.create_round(
        facilitator,
        org,
        RoundData(
            title=title,
            opens_at=now - timedelta(days=opened_days_ago),
            closes_at=now - timedelta(days=opened_days_ago - 14),
        ),
    )


def test_dashboard_shows_rounds_with_late_feedback_first_then_newest():
    org = make_org()
    facilitator = make_person((org, Role.FACILITATOR))
    old_late = _dated_round(org, facilitator, "Ancienne, en retard", 200)
    recent_late = _dated_round(org, facilitator, "Récente, en retard", 100)
    on_time = _dated_round(org, facilitator, "Dans les temps", 20)
    upcoming = _dated_round(org, facilitator, "À venir", -10)
    published = _dated_round(org, facilitator, "Restitution faite", 300)
    published.feedback_published_at = utcnow() - timedelta(days=250)
    db.session.flush()
    mission, _staff = make_mission(institute=org, staff=make_person((org, Role.INSTITUTE_STAFF)))
    board = checklist.dashboard(facilitator, org.id)
    assert [row.subject.id for row in board.rounds] == [
        old_late.id,
        recent_late.id,
        upcoming.id,
        on_time.id,
        published.id,
    ]
    assert [row.overdue for row in board.rounds] == [True, True, False, False, False]
    assert [row.subject.id for row in board.missions] == [mission.id]
    assert set(board.rounds[0].scores) == set(Phase)


def test_dashboard_of_another_organisation_is_refused():
    org = make_org()
    make_round(org)
    stranger = make_person((make_org(), Role.FACILITATOR))
    participant = make_person((org, Role.PARTICIPANT))
    for actor in (stranger, participant):
        with pytest.raises(NotAllowed):
            checklist.dashboard(actor, org.id)


def test_queries_do_not_grow_with_the_number_of_rounds():
    def count_queries(rounds_count):
        org = make_org()
        facilitator = make_person((org, Role.FACILITATOR))
        for n in range(rounds_count):
            round_, _f = make_round(org, facilitator, title=f"Tour {n}")
            consultations.create_paper_codes(facilitator, round_, 1)
            checklist.tick(facilitator, "round", round_.id, "place_access", True, "Fait.")
        db.session.expire_all()
        statements = []
        engine = db.session.get_bind()

        def _count(*_args):
            statements.append(1)

        event.listen(engine, "before_cursor_execute", _count)
        try:
            checklist.dashboard(facilitator, org.id)
        finally:
            event.remove(engine, "before_cursor_execute", _count)
        return len(statements)

    first = count_queries(1)
    assert first > 0 and first == count_queries(4)


def test_every_item_points_to_one_of_the_ten_fiches_and_keys_are_unique():
    from app.kit.seed_content import FICHES

    numbers = {f["number"] for f in FICHES}
    for kind, defined in checklist.ITEMS.items():
        assert len({i.key for i in defined}) == len(defined), kind
        assert all(i.fiche in numbers for i in defined), kind
        assert all(len(i.key) <= 40 for i in defined)  # ChecklistTick.item

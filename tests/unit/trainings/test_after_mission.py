"""After a co-training session: attendance and the pay and costs drafts it makes, the
attestation PDF, each side's feedback through moderation, and the co-trainer profile only the
chosen institutes can read."""

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from flask_babel import format_date
from pypdf import PdfReader
from sqlalchemy import select

from app import db
from app.accounts.models import OrganisationKind, Role
from app.core.errors import DomainError, InvalidTransition, NotAllowed, NotFound
from app.core.permissions import can
from app.db import utcnow
from app.expenses import services as expenses
from app.expenses.models import (
    ActivityType,
    Category,
    ExpenseLine,
    ExpenseRequest,
    PayChoice,
    RequestKind,
    RequestStatus,
)
from app.moderation import services as moderation
from app.moderation.models import ModerationItem, ModerationStatus, Policy
from app.trainings import services
from app.trainings.models import Attendance, FeedbackSide, MissionStatus, MissionType
from app.trainings.services import MissionData, Presence, ProfileData, SignupData
from tests.factories import make_org, make_person
from tests.unit.trainings.test_signups import make_mission, people
from tests.worlds import a_payment_choice

pytestmark = pytest.mark.usefixtures("ctx")

TITLE = "Accueillir une personne à la rue"


def past_mission(days=(30,), hours=3, covered_costs=(), hourly_rate=Decimal("20.00"), seats=3):
    """A published mission whose sessions took place `days` ago (oldest first)."""
    institute = make_org(kind=OrganisationKind.TRAINING_INSTITUTE)
    staff = make_person((institute, Role.INSTITUTE_STAFF))
    base = (utcnow() - timedelta(days=max(days))).replace(hour=8, minute=0, second=0, microsecond=0)
    starts = [base + timedelta(days=max(days) - d) for d in days]
    mission = services.create_mission(
        staff,
        institute,
        MissionData(
            type=MissionType.TRAINING_TRAINERS,
            title=TITLE,
            seats=seats,
            sessions=[(s, s + timedelta(hours=hours)) for s in starts],
            place="IRTS, Villefictive",
            departement="59",
            hourly_rate=hourly_rate,
            covered_costs=list(covered_costs),
            contact_name="Claire",
        ),
    )
    services.move_mission(staff, mission, MissionStatus.PUBLISHED)
    return mission, staff


def confirmed(mission, staff, n=1, org=None):
    signups = []
    for person in people(n, org):
        signup = services.sign_up(person, person, mission, SignupData())
        services.confirm(staff, signup)
        signups.append(signup)
    return signups


def present(staff, session, *signups, hours=""):
    return services.record_attendance(
        staff, session, {s.id: Presence(present=True, hours=hours) for s in signups}
    )


def absent(staff, session, *signups):
    return services.record_attendance(
        staff, session, {s.id: Presence(present=False) for s in signups}
    )


def requests_of(person, kind):
    return db.session.scalars(
        select(ExpenseRequest).where(
            ExpenseRequest.person_id == person.id, ExpenseRequest.kind == kind
        )
    ).all()


def lines_of(request_id):
    return db.session.scalars(
        select(ExpenseLine).where(ExpenseLine.request_id == request_id).order_by(ExpenseLine.id)
    ).all()


# --- record_attendance -----------------------------------------------------------------


def test_attendance_waits_for_the_session_to_start():
    mission, staff = make_mission(seats=1)
    (person,) = people(1)
    signup = services.sign_up(person, person, mission, SignupData())
    services.confirm(staff, signup)
    with pytest.raises(InvalidTransition):
        present(staff, mission.sessions[0], signup)
    assert signup.attendance == [] and signup.pay_request_id is None


def test_only_confirmed_people_and_only_the_institute():
    mission, staff = past_mission()
    (holder,) = confirmed(mission, staff)
    (person,) = people(1)
    interested = services.sign_up(person, person, mission, SignupData())
    session = mission.sessions[0]
    with pytest.raises(NotFound):
        present(staff, session, interested)
    other_staff = make_person(
        (make_org(kind=OrganisationKind.TRAINING_INSTITUTE), Role.INSTITUTE_STAFF)
    )
    with pytest.raises(NotAllowed):
        present(other_staff, session, holder)
    with pytest.raises(NotAllowed):
        present(holder.person, session, holder)
    assert db.session.scalars(select(Attendance)).all() == []


def test_hours_default_to_the_session_and_can_be_typed():
    mission, staff = past_mission(hours=3)
    first, second, third = confirmed(mission, staff, 3)
    session = mission.sessions[0]
    records = services.record_attendance(
        staff,
        session,
        {
            first.id: Presence(present=True),
            second.id: Presence(present=True, hours="2,5"),
            third.id: Presence(present=False, hours="3"),
        },
    )
    by_signup = {r.signup_id: r for r in records}
    assert by_signup[first.id].hours == Decimal("3.00") and by_signup[first.id].present
    assert by_signup[second.id].hours == Decimal("2.50")
    assert by_signup[third.id].hours == Decimal("0") and not by_signup[third.id].present
    assert by_signup[first.id].recorded_by_id == staff.id


@pytest.mark.parametrize("typed", ["30", "7,01", "beaucoup", "-2"])
def test_absurd_hours_are_refused_next_to_the_person(typed):
    mission, staff = past_mission(hours=3)
    (signup,) = confirmed(mission, staff)
    with pytest.raises(DomainError) as wrong:
        present(staff, mission.sessions[0], signup, hours=typed)
    assert wrong.value.field == f"hours-{signup.id}"


def test_presence_makes_a_pay_draft_for_the_institute_to_pay():
    mission, staff = past_mission(days=(14, 7), hours=3)
    (signup,) = confirmed(mission, staff)
    person = signup.person
    assert all(m.organisation_id != mission.organisation_id for m in person.memberships)
    first, second = mission.sessions
    present(staff, first, signup)
    (pay,) = requests_of(person, RequestKind.PAY)
    assert signup.pay_request_id == pay.id
    assert pay.status == RequestStatus.DRAFT
    assert pay.organisation_id == mission.organisation_id
    assert pay.activity_type == ActivityType.CO_TRAINING and pay.activity_id == mission.id
    assert pay.hours == Decimal("3.00") and pay.hourly_rate == Decimal("20.00")
    assert pay.activity_on == first.starts_at.date()
    assert can(person, "expenses.view", pay)
    (stranger,) = people(1)
    assert not can(stranger, "expenses.view", pay)

    present(staff, second, signup, hours="2,5")
    assert requests_of(person, RequestKind.PAY) == [pay]
    assert pay.hours == Decimal("5.50")
    # Correcting a session changes the total again, on the same draft.
    absent(staff, first, signup)
    assert pay.hours == Decimal("2.50") and pay.activity_on == second.starts_at.date()
    assert requests_of(person, RequestKind.REIMBURSEMENT) == []  # no costs covered


def test_a_sent_pay_request_is_not_changed_by_later_attendance():
    mission, staff = past_mission(days=(14, 7), hours=3)
    (signup,) = confirmed(mission, staff)
    person = signup.person
    first, second = mission.sessions
    present(staff, first, signup)
    (pay,) = requests_of(person, RequestKind.PAY)
    expenses.set_pay(person, pay, "3", "20,00", PayChoice.PAID, notice_read=True)
    a_payment_choice(person)
    expenses.submit(person, pay)
    assert pay.status == RequestStatus.SUBMITTED
    present(staff, second, signup)
    assert pay.hours == Decimal("3.00") and pay.status == RequestStatus.SUBMITTED
    assert requests_of(person, RequestKind.PAY) == [pay]


def test_marked_absent_after_all_leaves_no_hours_to_be_paid():
    mission, staff = past_mission(hours=3)
    (signup,) = confirmed(mission, staff)
    session = mission.sessions[0]
    present(staff, session, signup)
    (pay,) = requests_of(signup.person, RequestKind.PAY)
    assert pay.hours == Decimal("3.00")
    absent(staff, session, signup)
    assert not pay.hours
    assert pay.asked_amount == Decimal("0")


def test_no_pay_draft_when_the_mission_is_not_paid():
    mission, staff = past_mission(hourly_rate=None)
    (signup,) = confirmed(mission, staff)
    present(staff, mission.sessions[0], signup)
    assert signup.pay_request_id is None
    assert requests_of(signup.person, RequestKind.PAY) == []
    assert signup.hours_present == Decimal("3.00")


def test_covered_meals_make_one_flat_rate_line_per_session_attended():
    mission, staff = past_mission(days=(21, 14, 7), covered_costs=["meal", "train"])
    settings = expenses.settings_for(mission.organisation_id)
    settings.meal_flat_rate = Decimal("12.50")
    db.session.add(settings)
    db.session.flush()
    (signup,) = confirmed(mission, staff)
    first, second, third = mission.sessions
    present(staff, first, signup)
    present(staff, second, signup)
    present(staff, second, signup)  # recorded twice: still one meal
    absent(staff, third, signup)
    (costs,) = requests_of(signup.person, RequestKind.REIMBURSEMENT)
    assert signup.costs_request_id == costs.id
    assert costs.status == RequestStatus.DRAFT
    assert costs.organisation_id == mission.organisation_id and costs.activity_id == mission.id
    lines = lines_of(costs.id)
    assert [line.spent_on for line in lines] == [first.starts_at.date(), second.starts_at.date()]
    for line in lines:
        assert line.category == Category.MEAL and line.flat_rate
        assert line.amount == Decimal("12.50")
    assert not expenses.problems(costs)  # flat-rate lines need no receipt

    absent(staff, first, signup)
    assert [line.spent_on for line in lines_of(costs.id)] == [second.starts_at.date()]
    present(staff, first, signup)
    assert len(lines_of(costs.id)) == 2


def test_the_meal_goes_away_when_the_only_session_is_marked_absent():
    mission, staff = past_mission(covered_costs=["meal"])
    (signup,) = confirmed(mission, staff)
    session = mission.sessions[0]
    present(staff, session, signup)
    (costs,) = requests_of(signup.person, RequestKind.REIMBURSEMENT)
    assert len(lines_of(costs.id)) == 1
    absent(staff, session, signup)
    assert lines_of(costs.id) == []
    (record,) = signup.attendance
    assert record.meal_line_id is None


# --- attestation -----------------------------------------------------------------------


def pdf_text(data):
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text)


def test_no_attestation_before_a_recorded_presence():
    mission, staff = past_mission()
    (signup,) = confirmed(mission, staff)
    with pytest.raises(InvalidTransition):
        services.attestation_pdf(signup.person, signup)
    absent(staff, mission.sessions[0], signup)
    with pytest.raises(InvalidTransition):
        services.attestation_pdf(signup.person, signup)


def test_the_attestation_lists_the_sessions_attended_and_the_hours():
    mission, staff = past_mission(days=(40, 33, 26), hours=3)
    (signup,) = confirmed(mission, staff)
    first, missed, third = mission.sessions
    present(staff, first, signup)
    absent(staff, missed, signup)
    present(staff, third, signup, hours="2,5")

    data = services.attestation_pdf(signup.person, signup)

    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert signup.person.display_name in text
    assert TITLE in text
    assert str(MissionType.TRAINING_TRAINERS.label) in text
    assert mission.organisation.name in text
    for session in (first, third):
        assert re.search(rf"(?<!\d){format_date(session.starts_at, 'd MMMM yyyy')}", text)
    assert not re.search(rf"(?<!\d){format_date(missed.starts_at, 'd MMMM yyyy')}", text)
    assert re.search(r"(?<![\d,])5,5(?![\d,])", text)  # 3 + 2,5 hours, the French way
    assert re.search(r"(?<![\d,])2,5(?![\d,])", text)


def test_who_may_download_the_attestation():
    association = make_org()
    facilitator = make_person((association, Role.FACILITATOR))
    mission, staff = past_mission()
    (signup,) = confirmed(mission, staff, org=association)
    (other,) = confirmed(mission, staff)
    present(staff, mission.sessions[0], signup, other)
    with pytest.raises(NotFound):
        services.attestation_pdf(other.person, signup)
    other_staff = make_person(
        (make_org(kind=OrganisationKind.TRAINING_INSTITUTE), Role.INSTITUTE_STAFF)
    )
    with pytest.raises(NotFound):
        services.attestation_pdf(other_staff, signup)
    for actor in (staff, facilitator, signup.person):
        assert signup.person.display_name in pdf_text(services.attestation_pdf(actor, signup))


# --- feedback --------------------------------------------------------------------------


def attended():
    mission, staff = past_mission()
    (signup,) = confirmed(mission, staff)
    present(staff, mission.sessions[0], signup)
    return signup, staff


def item_of(feedback):
    return db.session.scalar(
        select(ModerationItem).where(
            ModerationItem.content_type == "training_feedback",
            ModerationItem.content_id == feedback.id,
        )
    )


def test_feedback_waits_for_a_presence_and_a_clear_answer():
    mission, staff = past_mission()
    (signup,) = confirmed(mission, staff)
    with pytest.raises(InvalidTransition):
        services.give_feedback(signup.person, signup, "yes", "Bien.")
    present(staff, mission.sessions[0], signup)
    with pytest.raises(DomainError) as wrong:
        services.give_feedback(signup.person, signup, "maybe", "Bien.")
    assert wrong.value.field == "went_well"
    with pytest.raises(DomainError) as wrong:
        services.give_feedback(signup.person, signup, "yes", "x" * (services.FEEDBACK_MAX + 1))
    assert wrong.value.field == "body"
    assert services.feedback_for(signup) == {}


def test_each_side_gives_its_own_feedback():
    signup, staff = attended()
    mine = services.give_feedback(
        signup.person, signup, "partly", "J'ai pu parler, mais trop vite."
    )
    theirs = services.give_feedback(staff, signup, "yes", "Les étudiants ont beaucoup appris.")
    assert mine.side == FeedbackSide.CO_TRAINER and mine.author_id == signup.person_id
    assert theirs.side == FeedbackSide.INSTITUTE and theirs.author_id == staff.id
    assert mine.organisation_id == theirs.organisation_id == signup.mission.organisation_id
    both = services.feedback_for(signup)
    assert both == {FeedbackSide.CO_TRAINER: mine, FeedbackSide.INSTITUTE: theirs}
    assert both[FeedbackSide.CO_TRAINER].went_well == "partly"


def test_a_facilitator_writes_on_the_co_trainer_side():
    association = make_org()
    facilitator = make_person((association, Role.FACILITATOR))
    mission, staff = past_mission()
    (signup,) = confirmed(mission, staff, org=association)
    present(staff, mission.sessions[0], signup)
    feedback = services.give_feedback(facilitator, signup, "yes", "Elle était contente.")
    assert feedback.side == FeedbackSide.CO_TRAINER


def test_a_phone_number_is_held_and_a_plain_text_published():
    signup, staff = attended()
    held = services.give_feedback(signup.person, signup, "yes", "Rappelez-moi au 06 12 34 56 78.")
    assert held.moderation_status == ModerationStatus.HELD
    assert "phone" in (held.moderation_reason or "")
    item = item_of(held)
    assert item is not None and item.status == ModerationStatus.HELD and item.in_queue
    assert item.organisation_id == signup.mission.organisation_id

    plain = services.give_feedback(staff, signup, "yes", "Une vraie aide pour le groupe.")
    assert plain.moderation_status == ModerationStatus.PUBLISHED
    assert item_of(plain).status == ModerationStatus.PUBLISHED


def test_a_pre_moderating_institute_holds_even_a_plain_text():
    signup, _staff = attended()
    settings = moderation.settings_for(signup.mission.organisation_id)
    settings.default_policy = Policy.PRE
    db.session.add(settings)
    db.session.flush()
    feedback = services.give_feedback(signup.person, signup, "yes", "Très bien passé.")
    assert feedback.moderation_status == ModerationStatus.HELD
    assert item_of(feedback).held_for == ["policy"]


def test_editing_the_feedback_submits_it_again():
    signup, _staff = attended()
    first = services.give_feedback(signup.person, signup, "yes", "Appelez-moi au 06 12 34 56 78")
    assert item_of(first).version == 1 and first.moderation_status == ModerationStatus.HELD
    again = services.give_feedback(signup.person, signup, "partly", "Finalement, c'était long.")
    assert again.id == first.id
    item = item_of(again)
    assert item.version == 2 and item.status == ModerationStatus.PUBLISHED
    assert again.went_well == "partly" and again.body == "Finalement, c'était long."
    assert len(services.feedback_for(signup)) == 1


def test_strangers_cannot_give_feedback():
    signup, _staff = attended()
    (other,) = people(1)
    other_staff = make_person(
        (make_org(kind=OrganisationKind.TRAINING_INSTITUTE), Role.INSTITUTE_STAFF)
    )
    for stranger in (other, other_staff):
        with pytest.raises(NotFound):
            services.give_feedback(stranger, signup, "no", "Nul.")
    assert services.feedback_for(signup) == {}


# --- co-trainer profile ----------------------------------------------------------------


def institute_with_staff():
    institute = make_org(kind=OrganisationKind.TRAINING_INSTITUTE)
    return institute, make_person((institute, Role.INSTITUTE_STAFF))


def profile(**changes):
    values = dict(
        themes="La rue, les démarches, la santé",
        formats=[MissionType.TEACHING.value, MissionType.JURY.value],
        availability="Le mardi",
        places="Lille",
    )
    values.update(changes)
    return ProfileData(**values)


def test_a_profile_needs_themes_a_known_format_and_a_chosen_institute():
    institute, _staff = institute_with_staff()
    (person,) = people(1)
    with pytest.raises(DomainError) as wrong:
        services.save_profile(person, person, profile(themes=" ", institute_ids=[institute.id]))
    assert wrong.value.field == "themes"
    with pytest.raises(DomainError) as wrong:
        services.save_profile(person, person, profile(institute_ids=[]))
    assert wrong.value.field == "institute_ids"
    with pytest.raises(DomainError) as wrong:
        services.save_profile(
            person, person, profile(formats=["podcast"], institute_ids=[institute.id])
        )
    assert wrong.value.field == "formats"
    association = make_org()  # not a training institute
    with pytest.raises(DomainError) as wrong:
        services.save_profile(person, person, profile(institute_ids=[association.id]))
    assert wrong.value.field == "institute_ids"
    assert services.profile_of(person) is None
    saved = services.save_profile(person, person, profile(institute_ids=[institute.id]))
    assert saved.institutes == [institute] and saved.visible
    assert saved.formats == ["teaching", "jury"]


def test_only_the_chosen_institutes_read_a_shown_profile():
    chosen, chosen_staff = institute_with_staff()
    _other, other_staff = institute_with_staff()
    (person,) = people(1)
    services.save_profile(person, person, profile(institute_ids=[chosen.id]))
    assert services.profile_for_institute(chosen_staff, person.id).themes.startswith("La rue")
    for stranger in (other_staff, people(1)[0]):
        with pytest.raises(NotFound):
            services.profile_for_institute(stranger, person.id)
    services.set_profile_visible(person, person, False)
    with pytest.raises(NotFound):
        services.profile_for_institute(chosen_staff, person.id)
    services.set_profile_visible(person, person, True)
    assert services.profile_for_institute(chosen_staff, person.id).person_id == person.id


def test_visible_profiles_lists_only_shown_profiles_that_chose_the_institute():
    institute, staff = institute_with_staff()
    other, _other_staff = institute_with_staff()
    shown, hidden, elsewhere, both = people(4)
    services.save_profile(shown, shown, profile(institute_ids=[institute.id]))
    services.save_profile(hidden, hidden, profile(institute_ids=[institute.id]))
    services.set_profile_visible(hidden, hidden, False)
    services.save_profile(elsewhere, elsewhere, profile(institute_ids=[other.id]))
    services.save_profile(both, both, profile(institute_ids=[other.id, institute.id]))
    listed = services.visible_profiles(staff, institute.id)
    assert sorted(p.person_id for p in listed) == sorted([shown.id, both.id])
    with pytest.raises(NotAllowed):
        services.visible_profiles(shown, institute.id)


def test_a_facilitator_saves_the_profile_of_their_participant_a_stranger_cannot():
    institute, staff = institute_with_staff()
    association = make_org()
    facilitator = make_person((association, Role.FACILITATOR))
    (person,) = people(1, association)
    saved = services.save_profile(facilitator, person, profile(institute_ids=[institute.id]))
    assert saved.person_id == person.id
    (stranger,) = people(1)
    other_facilitator = make_person((make_org(), Role.FACILITATOR))
    for actor in (stranger, other_facilitator, staff):
        with pytest.raises(NotFound):
            services.save_profile(
                actor, person, profile(themes="Autre", institute_ids=[institute.id])
            )
        with pytest.raises(NotFound):
            services.set_profile_visible(actor, person, False)
    assert services.profile_of(person).themes == "La rue, les démarches, la santé"
    assert services.profile_of(person).visible

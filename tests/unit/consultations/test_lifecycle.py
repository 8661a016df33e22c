from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app import db
from app.accounts.models import Role
from app.consultations import services
from app.consultations.models import Channel, QuestionKind, RoundStatus
from app.consultations.services import AnswerInput, FeedbackData
from app.core.errors import DomainError, InvalidTransition, NotAllowed
from app.core.models import AuditEntry, OutboxMessage
from app.db import utcnow
from tests.consultation_factories import make_round, open_round, publish_feedback
from tests.factories import make_org, make_person

pytestmark = pytest.mark.usefixtures("ctx")


def test_announcing_sends_invitations_through_the_outbox_in_each_language():
    round_, facilitator = make_round()
    org = round_.organisation
    make_person((org, Role.PARTICIPANT), email="fr@example.test")
    en = make_person((org, Role.PARTICIPANT), email="en@example.test")
    en.language = "en"
    no_mail = make_person((org, Role.PARTICIPANT), identifier="NOML-12", secret="918273")
    assert services.invite_members(facilitator, round_) == 3
    services.transition(facilitator, round_, RoundStatus.ANNOUNCED)
    mails = {m.to_address: m for m in db.session.scalars(select(OutboxMessage))}
    assert set(mails) == {"fr@example.test", "en@example.test"}
    assert mails["fr@example.test"].subject.startswith("Invitation")
    assert "ticket de bus" in mails["fr@example.test"].body_text
    assert "You are invited" in mails["en@example.test"].body_text
    assert "Vous êtes invité" in mails["fr@example.test"].body_text
    assert no_mail.id in {i.person_id for i in round_.invitations}


def test_announcing_too_late_is_refused_with_the_date_to_choose():
    round_, facilitator = make_round(opens_in_days=3)
    services.invite_people(
        facilitator, round_, [make_person((round_.organisation, Role.PARTICIPANT)).id]
    )
    with pytest.raises(DomainError) as exc:
        services.transition(facilitator, round_, RoundStatus.ANNOUNCED)
    assert "7" in str(exc.value.message)
    assert round_.status == RoundStatus.DRAFT


def test_notice_period_is_an_organisation_setting():
    org = make_org()
    org.invitation_notice_days = 2
    round_, facilitator = make_round(org, opens_in_days=3)
    services.invite_people(facilitator, round_, [make_person((org, Role.PARTICIPANT)).id])
    services.transition(facilitator, round_, RoundStatus.ANNOUNCED)
    assert round_.status == RoundStatus.ANNOUNCED


def test_opening_before_the_notice_period_is_refused():
    round_, facilitator = make_round()
    services.invite_people(
        facilitator, round_, [make_person((round_.organisation, Role.PARTICIPANT)).id]
    )
    services.transition(facilitator, round_, RoundStatus.ANNOUNCED)
    with pytest.raises(DomainError):
        services.transition(facilitator, round_, RoundStatus.OPEN, now=utcnow() + timedelta(days=3))
    services.transition(
        facilitator, round_, RoundStatus.OPEN, now=utcnow() + timedelta(days=7, minutes=1)
    )
    assert round_.status == RoundStatus.OPEN


def test_announcing_needs_easy_versions_questions_and_invitations():
    round_, facilitator = make_round(questions=False)
    with pytest.raises(DomainError):
        services.transition(facilitator, round_, RoundStatus.ANNOUNCED)
    services.add_question(facilitator, round_, QuestionKind.SHORT_TEXT, "Pourquoi ?")
    services.invite_people(
        facilitator, round_, [make_person((round_.organisation, Role.PARTICIPANT)).id]
    )
    with pytest.raises(DomainError) as exc:
        services.transition(facilitator, round_, RoundStatus.ANNOUNCED)
    assert "1" in str(exc.value.message)


@pytest.mark.parametrize(
    "target",
    [
        RoundStatus.OPEN,
        RoundStatus.CLOSED,
        RoundStatus.RESULTS,
        RoundStatus.FEEDBACK_PUBLISHED,
        RoundStatus.EVALUATED,
    ],
)
def test_illegal_transitions_from_draft_are_refused(target):
    round_, facilitator = make_round()
    with pytest.raises(InvalidTransition):
        services.transition(facilitator, round_, target)


def test_every_transition_is_audited_and_full_lifecycle_works():
    round_, facilitator = make_round()
    person = make_person((round_.organisation, Role.PARTICIPANT))
    open_round(round_, facilitator, [person])
    services.transition(facilitator, round_, RoundStatus.CLOSED)
    services.transition(facilitator, round_, RoundStatus.RESULTS)
    with pytest.raises(DomainError):
        services.transition(facilitator, round_, RoundStatus.FEEDBACK_PUBLISHED)
    services.add_feedback_item(
        facilitator,
        round_,
        FeedbackData(
            you_said="Les loyers sont chers.",
            you_said_easy="Vous avez dit : le loyer coûte cher.",
            we_did="Une aide au loyer est créée.",
            we_did_easy="Nous avons fait : une aide pour payer le loyer.",
        ),
    )
    services.transition(facilitator, round_, RoundStatus.FEEDBACK_PUBLISHED)
    services.transition(facilitator, round_, RoundStatus.EVALUATED)
    moves = db.session.scalars(
        select(AuditEntry.details).where(
            AuditEntry.action == "consultation.transition", AuditEntry.object_id == round_.id
        )
    ).all()
    assert [m["to_status"] for m in moves] == [
        "announced",
        "open",
        "closed",
        "results",
        "feedback_published",
        "evaluated",
    ]


def test_publishing_feedback_notifies_every_invited_person():
    round_, facilitator = make_round()
    people = [make_person((round_.organisation, Role.PARTICIPANT)) for _ in range(3)]
    open_round(round_, facilitator, people)
    services.transition(facilitator, round_, RoundStatus.CLOSED)
    services.add_feedback_item(facilitator, round_, FeedbackData("a", "b", "a facile", "b facile"))
    before = db.session.scalar(select(func.count(OutboxMessage.id)))
    services.transition(facilitator, round_, RoundStatus.RESULTS)
    services.transition(facilitator, round_, RoundStatus.FEEDBACK_PUBLISHED)
    after = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()[before:]
    assert sorted(m.to_address for m in after) == sorted(p.email for p in people)
    assert all("/feedback" in m.body_text for m in after)


def test_feedback_overdue_is_detected():
    round_, facilitator = make_round()
    open_round(round_, facilitator, [make_person((round_.organisation, Role.PARTICIPANT))])
    services.transition(facilitator, round_, RoundStatus.CLOSED)
    assert services.overdue_feedback([round_]) == []
    late = round_.feedback_due_at + timedelta(days=1)
    assert services.overdue_feedback([round_], now=late) == [round_]
    assert (round_.feedback_due_at - round_.closes_at).days >= 60


def test_facilitator_of_another_organisation_cannot_manage():
    round_, _ = make_round()
    stranger = make_person((make_org(), Role.FACILITATOR))
    with pytest.raises(NotAllowed):
        services.transition(stranger, round_, RoundStatus.ANNOUNCED)
    with pytest.raises(NotAllowed):
        services.add_question(stranger, round_, QuestionKind.SHORT_TEXT, "?")


def test_answering_saves_as_it_goes_and_resumes():
    round_, facilitator = make_round()
    person = make_person((round_.organisation, Role.PARTICIPANT))
    open_round(round_, facilitator, [person])
    q1, q2, q3, q4 = round_.questions
    response = services.start_response(person, round_)
    services.save_answer(person, response, q1, AnswerInput(choice_ids=[q1.choices[1].id]))
    again = services.start_response(person, round_)
    assert (
        again.id == response.id
        and services.answers_by_question(again)[q1.id].selections[0].choice_id == q1.choices[1].id
    )
    with pytest.raises(DomainError):
        services.submit_response(person, response)
    services.save_answer(person, response, q2, AnswerInput(value_int=4))
    services.save_answer(person, response, q3, AnswerInput(declined=True))
    services.save_answer(person, response, q4, AnswerInput(value_text="Plus de logements."))
    # changed before sending (review page)
    services.save_answer(person, response, q1, AnswerInput(choice_ids=[q1.choices[0].id]))
    services.submit_response(person, response)
    with pytest.raises(NotAllowed):
        services.save_answer(person, response, q1, AnswerInput(choice_ids=[q1.choices[2].id]))


def test_invalid_answers_are_refused_plainly():
    round_, facilitator = make_round()
    person = make_person((round_.organisation, Role.PARTICIPANT))
    open_round(round_, facilitator, [person])
    q1, q2, _q3, q4 = round_.questions
    response = services.start_response(person, round_)
    for question, data in [
        (q1, AnswerInput()),
        (q1, AnswerInput(choice_ids=[q1.choices[0].id, q1.choices[1].id])),
        (q2, AnswerInput(value_int=9)),
        (q4, AnswerInput(value_text="   ")),
    ]:
        with pytest.raises(DomainError):
            services.save_answer(person, response, question, data)


def test_not_invited_person_cannot_answer():
    round_, facilitator = make_round()
    invited = make_person((round_.organisation, Role.PARTICIPANT))
    outsider = make_person((round_.organisation, Role.PARTICIPANT))
    open_round(round_, facilitator, [invited])
    with pytest.raises(NotAllowed):
        services.start_response(outsider, round_)


def test_assisted_answer_records_who_for_whom_and_consent():
    round_, facilitator = make_round()
    person = make_person((round_.organisation, Role.PARTICIPANT))
    open_round(round_, facilitator, [person])
    with pytest.raises(DomainError):
        services.start_response(facilitator, round_, person=person, consent_note="")
    response = services.start_response(
        facilitator, round_, person=person, consent_note="Elle m'a dicté ses réponses."
    )
    assert response.channel == Channel.ASSISTED
    assert response.provenance_export() == {
        "entered_with_help": True,
        "entered_by_id": facilitator.id,
        "consent_note": "Elle m'a dicté ses réponses.",
    }
    # the person cannot take over a response a facilitator is filling
    with pytest.raises(NotAllowed):
        services.save_answer(person, response, round_.questions[0], AnswerInput(declined=True))


def test_paper_answers_are_typed_in_with_their_code():
    round_, facilitator = make_round()
    open_round(round_, facilitator, [make_person((round_.organisation, Role.PARTICIPANT))])
    code = services.create_paper_codes(facilitator, round_, 2)[0]
    with pytest.raises(DomainError):
        services.start_paper_response(facilitator, round_, "P-NOPE00")
    response = services.start_paper_response(facilitator, round_, code.lower())
    assert response.channel == Channel.PAPER and response.entered_by_id == facilitator.id
    for question in round_.questions:
        services.save_answer(facilitator, response, question, AnswerInput(declined=True))
    services.submit_response(facilitator, response)
    with pytest.raises(DomainError):
        services.start_paper_response(facilitator, round_, code)


def test_evaluation_after_feedback_once_per_person_with_hidden_small_counts():
    round_, facilitator = make_round()
    people = [make_person((round_.organisation, Role.PARTICIPANT)) for _ in range(6)]
    open_round(round_, facilitator, people)
    answers = {
        "understood": "yes",
        "could_speak": "a_little",
        "costs_covered": "no",
        "sees_change": "declined",
    }
    with pytest.raises(InvalidTransition):
        services.submit_evaluation(people[0], round_, answers)
    services.transition(facilitator, round_, RoundStatus.CLOSED)
    services.add_feedback_item(facilitator, round_, FeedbackData("a", "b", "a facile", "b facile"))
    services.transition(facilitator, round_, RoundStatus.RESULTS)
    services.transition(facilitator, round_, RoundStatus.FEEDBACK_PUBLISHED)
    for person in people[:5]:
        assert services.can_evaluate(person, round_)
        services.submit_evaluation(person, round_, answers)
    services.submit_evaluation(people[5], round_, {**answers, "understood": "no"})
    assert not services.can_evaluate(people[0], round_)
    with pytest.raises(DomainError):
        services.submit_evaluation(people[0], round_, answers)
    with pytest.raises(DomainError) as exc:
        services.submit_evaluation(make_person((round_.organisation, Role.PARTICIPANT)), round_, {})
    summary = services.evaluation_summary(facilitator, round_)
    assert summary["understood"]["yes"].value == 5 and not summary["understood"]["yes"].hidden
    assert summary["understood"]["no"].hidden
    with pytest.raises(NotAllowed):
        services.evaluation_summary(people[0], round_)
    assert exc.value is not None


def test_late_feedback_is_reported_once_to_facilitators_and_admins():
    round_, facilitator = make_round()
    org = round_.organisation
    admin = make_person((org, Role.ADMIN), email="admin-org@example.test")
    make_person((org, Role.PARTICIPANT), email="not-staff@example.test")
    open_round(round_, facilitator, [make_person((org, Role.PARTICIPANT))])
    services.transition(facilitator, round_, RoundStatus.CLOSED)
    assert services.notify_overdue_feedback() == 0
    late = round_.feedback_due_at + timedelta(days=1)
    before = db.session.scalar(select(func.count(OutboxMessage.id)))
    assert services.notify_overdue_feedback(now=late) == 1
    sent = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()[before:]
    assert sorted(m.to_address for m in sent) == sorted([facilitator.email, admin.email])
    assert all("/consultations/" in m.body_text for m in sent)
    assert services.notify_overdue_feedback(now=late + timedelta(days=1)) == 0


def test_evaluation_comments_reach_the_staff_without_names_once_enough_people_answered():
    from app.accounts.personal_data import export_person_data

    round_, facilitator = make_round()
    people = [make_person((round_.organisation, Role.PARTICIPANT)) for _ in range(5)]
    publish_feedback(open_round(round_, facilitator, people), facilitator)
    answers = dict.fromkeys(("understood", "could_speak", "costs_covered", "sees_change"), "yes")
    for i, person in enumerate(people[:4]):
        services.submit_evaluation(person, round_, answers, "Merci pour le bus." if i == 0 else "")
        assert services.evaluation_comments(facilitator, round_) is None  # 4 < threshold 5
    services.submit_evaluation(people[4], round_, answers, "  La salle était trop petite. ")
    assert services.evaluation_comments(facilitator, round_) == [
        "Merci pour le bus.",
        "La salle était trop petite.",
    ]
    with pytest.raises(NotAllowed):
        services.evaluation_comments(people[0], round_)
    # The person finds their evaluation in "My data".
    mine = export_person_data(people[0])["evaluations"]
    assert mine == [
        {
            "round": round_.title,
            **answers,
            "comment": "Merci pour le bus.",
            "at": mine[0]["at"],
        }
    ]
    assert export_person_data(people[1])["evaluations"][0]["comment"] == ""

"""Feedback followed over time (app/consultations/feedback.py): where each point stands ("not
kept" says why), its progress, dated news, changes after publishing, the people who took part
told of each change by their own channel (real SMTP server for the e-mail, the text message
in the outbox, the facilitators' "À prévenir" line, the home page's notification) and only
once, and evaluations typed in from paper with who typed them and the consent note."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from app import db
from app.accounts.models import Role, ToTellItem
from app.consultations import feedback
from app.consultations import services as consultations
from app.consultations.feedback import FeedbackData, NewsData
from app.consultations.models import (
    Evaluation,
    EvaluationAnswer,
    FeedbackStatus,
    FeedbackUpdate,
    RoundStatus,
)
from app.consultations.services import AnswerInput
from app.core.errors import DomainError, InvalidTransition, NotAllowed
from app.core.models import AuditEntry, Notification, OutboxChannel, OutboxMessage
from app.core.outbox import send_due
from app.db import utcnow
from app.kit import checklist
from tests.consultation_factories import make_round, open_round
from tests.factories import make_person

pytestmark = pytest.mark.usefixtures("ctx")

CONSENT = "Elle me l'a dit à la réunion du 7 décembre."
ITEM = FeedbackData(
    you_said="Le bus coûte trop cher.",
    we_did="Le conseil départemental étudie un ticket gratuit.",
    you_said_easy="Le bus coûte cher.",
    we_did_easy="On regarde pour un bus gratuit.",
    theme="Transport",
)


def _answer(person, round_):
    response = consultations.start_response(person, round_)
    for question in round_.questions:
        consultations.save_answer(person, response, question, AnswerInput(declined=True))
    consultations.submit_response(person, response)


def _round(published=True):
    """A round with four invited people: three answered (by e-mail, by text message, told by
    their facilitator), one did not. Published unless said."""
    round_, facilitator = make_round()
    org = round_.organisation
    by_mail = make_person((org, Role.PARTICIPANT), email="mail@f.test", name="Marc")
    by_sms = make_person((org, Role.PARTICIPANT), identifier="SMS-12", name="Sonia")
    by_sms.contact_channel, by_sms.phone = "sms", "+33612345678"
    by_facilitator = make_person((org, Role.PARTICIPANT), identifier="FAC-12", name="Félix")
    by_facilitator.contact_channel = "facilitator"
    silent = make_person((org, Role.PARTICIPANT), email="silent@f.test", name="Sam")
    open_round(round_, facilitator, [by_mail, by_sms, by_facilitator, silent])
    for person in (by_mail, by_sms, by_facilitator):
        _answer(person, round_)
    later = utcnow() + timedelta(days=30)
    consultations.transition(facilitator, round_, RoundStatus.CLOSED, now=later)
    item = feedback.add_feedback_item(facilitator, round_, ITEM)
    consultations.transition(facilitator, round_, RoundStatus.RESULTS, now=later)
    if published:
        consultations.transition(facilitator, round_, RoundStatus.FEEDBACK_PUBLISHED, now=later)
    db.session.flush()
    return round_, facilitator, item, (by_mail, by_sms, by_facilitator, silent)


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _notifications(person) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.person_id == person.id)))


# --- statuses -----------------------------------------------------------------------------


def test_not_kept_is_refused_without_a_reason_in_simple_words():
    round_, facilitator, item, _people = _round()
    with pytest.raises(DomainError) as refused:
        feedback.give_news(facilitator, item, NewsData(FeedbackStatus.NOT_KEPT))
    assert refused.value.field == "reason"
    assert item.status == FeedbackStatus.UNDER_STUDY
    feedback.give_news(
        facilitator, item, NewsData(FeedbackStatus.NOT_KEPT, reason="Il n'y a pas d'argent.")
    )
    assert (item.status, item.reason) == (FeedbackStatus.NOT_KEPT, "Il n'y a pas d'argent.")


def test_a_new_item_not_kept_needs_its_reason_too():
    round_, facilitator, _item, _people = _round(published=False)
    data = FeedbackData(**{**ITEM.__dict__, "status": FeedbackStatus.NOT_KEPT})
    with pytest.raises(DomainError) as refused:
        feedback.add_feedback_item(facilitator, round_, data)
    assert refused.value.field == "reason"


def test_progress_outside_0_to_100_is_refused():
    round_, facilitator, item, _people = _round()
    for wrong in (-1, 101):
        with pytest.raises(DomainError) as refused:
            feedback.give_news(facilitator, item, NewsData(FeedbackStatus.IN_PROGRESS, wrong))
        assert refused.value.field == "progress"
    feedback.give_news(facilitator, item, NewsData(FeedbackStatus.IN_PROGRESS, 40))
    assert (item.status, item.progress) == (FeedbackStatus.IN_PROGRESS, 40)


def test_the_reason_is_dropped_when_the_point_is_kept_again():
    round_, facilitator, item, _people = _round()
    feedback.give_news(facilitator, item, NewsData(FeedbackStatus.NOT_KEPT, reason="Trop cher."))
    feedback.give_news(facilitator, item, NewsData(FeedbackStatus.DECIDED))
    assert (item.status, item.reason) == (FeedbackStatus.DECIDED, "")


# --- after publishing ---------------------------------------------------------------------


def test_items_are_added_and_changed_after_publishing():
    round_, facilitator, item, _people = _round()
    assert round_.status == RoundStatus.FEEDBACK_PUBLISHED
    second = feedback.add_feedback_item(
        facilitator, round_, FeedbackData(**{**ITEM.__dict__, "theme": "Logement"})
    )
    assert second.position == 2
    changed = FeedbackData(**{**ITEM.__dict__, "we_did_easy": "Le bus est gratuit le samedi."})
    feedback.edit_feedback_item(facilitator, item, changed)
    assert item.we_did_easy == "Le bus est gratuit le samedi."
    consultations.transition(facilitator, round_, RoundStatus.EVALUATED)
    feedback.give_news(facilitator, item, NewsData(FeedbackStatus.DONE, 100))
    assert item.status == FeedbackStatus.DONE


def test_items_are_refused_before_the_round_is_closed():
    round_, facilitator = make_round()
    with pytest.raises(InvalidTransition):
        feedback.add_feedback_item(facilitator, round_, ITEM)


def test_news_is_dated_kept_newest_first_and_moves_the_item():
    round_, facilitator, item, _people = _round()
    first = feedback.give_news(facilitator, item, NewsData(FeedbackStatus.DECIDED))
    first.created_at = utcnow() - timedelta(days=3)
    second = feedback.give_news(
        facilitator,
        item,
        NewsData(FeedbackStatus.IN_PROGRESS, 30, "Les devis sont signés.", "C'est commencé."),
    )
    db.session.refresh(item, ["updates"])
    assert [u.id for u in item.updates] == [second.id, first.id]
    assert item.last_update.text_easy == "C'est commencé."
    assert (second.author_id, second.status, second.progress) == (
        facilitator.id,
        FeedbackStatus.IN_PROGRESS,
        30,
    )
    assert item.news_at == second.created_at


def test_news_with_nothing_new_is_refused_and_a_text_needs_its_easy_version():
    round_, facilitator, item, _people = _round()
    with pytest.raises(DomainError) as nothing:
        feedback.give_news(facilitator, item, NewsData(FeedbackStatus.UNDER_STUDY))
    assert nothing.value.field == "text_easy"
    with pytest.raises(DomainError) as no_easy:
        feedback.give_news(
            facilitator, item, NewsData(FeedbackStatus.UNDER_STUDY, text="Une réunion a eu lieu.")
        )
    assert no_easy.value.field == "text_easy"


def test_a_participant_cannot_give_news():
    round_, _facilitator, item, people = _round()
    with pytest.raises(NotAllowed):
        feedback.give_news(people[0], item, NewsData(FeedbackStatus.DONE))


# --- who is told ----------------------------------------------------------------------------


def test_each_change_after_publishing_reaches_the_people_who_answered_by_their_channel(app, smtp):
    controller, inbox = smtp
    round_, facilitator, item, (by_mail, by_sms, by_facilitator, silent) = _round()
    published = {p.id: len(_notifications(p)) for p in (by_mail, by_sms, by_facilitator, silent)}
    old_port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = controller.port
    try:
        send_due(app)  # the invitations and the publication, sent before
        inbox.messages.clear()
        feedback.give_news(
            facilitator,
            item,
            NewsData(FeedbackStatus.IN_PROGRESS, 50, "Le vote a eu lieu.", "Le vote est fait."),
        )
        db.session.flush()
        send_due(app)
    finally:
        app.config["MAIL_PORT"] = old_port
    # E-mail: one mail, to the person with an address who answered, in French.
    assert [rcpt for rcpt, _m in inbox.messages] == [["mail@f.test"]]
    mail = inbox.messages[0][1]
    assert mail["Subject"] == "Du nouveau sur vos mots : Le logement : votre avis"
    body = mail.get_content()
    assert "Pour « Transport » : c'est maintenant « En cours »." in body
    assert "Le vote est fait." in body and f"/consultations/{round_.id}/feedback" in body
    # Text message: one, short, with the status in words and the link.
    texts = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.channel == OutboxChannel.SMS)
    ).all()
    news_texts = [t for t in texts if "Transport" in t.body_text]
    assert [t.to_address for t in news_texts] == ["+33612345678"]
    assert "En cours" in news_texts[0].body_text and "/feedback" in news_texts[0].body_text
    # Through the facilitator: a line on the "À prévenir" list of the holder organisation.
    lines = db.session.scalars(
        select(ToTellItem).where(ToTellItem.person_id == by_facilitator.id)
    ).all()
    assert any("Du nouveau sur vos mots" in line.text for line in lines)
    # The home page's notifications: one more for each person who answered, none for Sam.
    for person in (by_mail, by_sms, by_facilitator):
        assert len(_notifications(person)) == published[person.id] + 1
    assert len(_notifications(silent)) == published[silent.id]


def test_a_new_item_and_a_status_change_are_told_a_correction_of_words_is_not():
    round_, facilitator, item, (by_mail, *_others) = _round()
    before = len(_notifications(by_mail))
    feedback.edit_feedback_item(
        facilitator, item, FeedbackData(**{**ITEM.__dict__, "we_did": "Une étude est lancée."})
    )
    assert len(_notifications(by_mail)) == before  # words corrected: nobody is told
    feedback.edit_feedback_item(
        facilitator, item, FeedbackData(**{**ITEM.__dict__, "status": FeedbackStatus.DECIDED})
    )
    feedback.add_feedback_item(
        facilitator, round_, FeedbackData(**{**ITEM.__dict__, "theme": "Logement"})
    )
    told = _notifications(by_mail)[before:]
    assert len(told) == 2
    assert "Pour « Transport » : c'est maintenant « Décidé »." in told[0].body
    assert "Un nouveau point : « Logement »." in told[1].body


def test_changes_before_publishing_tell_nobody():
    round_, facilitator, item, people = _round(published=False)
    before = {p.id: len(_notifications(p)) for p in people}
    feedback.give_news(facilitator, item, NewsData(FeedbackStatus.DECIDED))
    feedback.add_feedback_item(facilitator, round_, FeedbackData(**{**ITEM.__dict__}))
    assert {p.id: len(_notifications(p)) for p in people} == before


def test_the_same_news_sent_again_is_kept_once_and_told_once():
    round_, facilitator, item, (by_mail, *_others) = _round()
    before = len(_notifications(by_mail))
    news = NewsData(FeedbackStatus.DONE, 100, "La carte est prête.", "La carte est prête.")
    first = feedback.give_news(facilitator, item, news)
    again = feedback.give_news(facilitator, item, news)
    assert again.id == first.id
    assert _count(FeedbackUpdate, FeedbackUpdate.item_id == item.id) == 1
    assert len(_notifications(by_mail)) == before + 1
    assert _count(AuditEntry, AuditEntry.action == "consultation.feedback_news") == 1


# --- the kit's checklist --------------------------------------------------------------------


def _kit_line(round_, now):
    rows = {r.item.key: r for p in checklist.checklist("round", round_, now) for r in p.items}
    return rows["feedback_news"]


def test_kit_asks_for_news_of_a_point_in_progress_without_news_for_90_days():
    round_, facilitator, item, _people = _round()
    feedback.give_news(facilitator, item, NewsData(FeedbackStatus.IN_PROGRESS, 20))
    with force_locale("en"):
        fresh = _kit_line(round_, utcnow() + timedelta(days=89))
        late = _kit_line(round_, utcnow() + timedelta(days=91))
    assert fresh.state == "done"
    assert late.state == "not_done"
    assert late.result.explanation == "Give news about: Transport."


def test_kit_asks_for_news_after_the_date_the_point_was_announced_for():
    round_, facilitator, item, _people = _round()
    feedback.edit_feedback_item(
        facilitator,
        item,
        FeedbackData(
            **{**ITEM.__dict__, "status": FeedbackStatus.DECIDED, "when": "Avant le 31/01/2027"}
        ),
    )
    item.news_at = utcnow().replace(year=2027, month=1, day=2)
    with force_locale("en"):
        line = _kit_line(round_, utcnow().replace(year=2027, month=2, day=3))
    assert line.state == "not_done" and "Transport" in line.result.explanation


def test_kit_line_waits_until_the_feedback_is_published():
    round_, _facilitator, _item, _people = _round(published=False)
    assert _kit_line(round_, utcnow()).state == "not_yet"


# --- evaluations typed in from paper ----------------------------------------------------------


def _paper_round():
    """A round answered on one paper questionnaire, its feedback published."""
    round_, facilitator = make_round()
    invited = make_person((round_.organisation, Role.PARTICIPANT))
    open_round(round_, facilitator, [invited])
    code = consultations.create_paper_codes(facilitator, round_, 2)
    response = consultations.start_paper_response(facilitator, round_, code[0])
    for question in round_.questions:
        consultations.save_answer(facilitator, response, question, AnswerInput(declined=True))
    consultations.submit_response(facilitator, response)
    consultations.transition(facilitator, round_, RoundStatus.CLOSED)
    feedback.add_feedback_item(facilitator, round_, ITEM)
    consultations.transition(facilitator, round_, RoundStatus.RESULTS)
    consultations.transition(facilitator, round_, RoundStatus.FEEDBACK_PUBLISHED)
    return round_, facilitator, code


ANSWERS = {
    "understood": "yes",
    "could_speak": "a_little",
    "costs_covered": "no",
    "sees_change": "declined",
}


def test_paper_evaluation_keeps_who_typed_it_and_the_consent_note():
    round_, facilitator, (used, unused) = _paper_round()
    assert feedback.paper_respondents(facilitator, round_) == [used]
    evaluation = feedback.submit_paper_evaluation(
        facilitator, round_, used.lower().replace("-", ""), ANSWERS, CONSENT, "Merci."
    )
    assert (evaluation.entered_by_id, evaluation.consent_note) == (facilitator.id, CONSENT)
    assert evaluation.provenance_export()["entered_with_help"] is True
    assert evaluation.could_speak == EvaluationAnswer.A_LITTLE
    assert feedback.paper_respondents(facilitator, round_) == []
    summary = consultations.evaluation_summary(facilitator, round_)
    assert _count(Evaluation, Evaluation.round_id == round_.id) == 1 and summary


def test_paper_evaluation_is_refused_twice_for_an_unused_code_and_without_consent():
    round_, facilitator, (used, unused) = _paper_round()
    with pytest.raises(DomainError) as no_consent:
        feedback.submit_paper_evaluation(facilitator, round_, used, ANSWERS, "oui")
    assert no_consent.value.field == "consent_note"
    with pytest.raises(DomainError) as not_typed_in:
        feedback.submit_paper_evaluation(facilitator, round_, unused, ANSWERS, CONSENT)
    assert not_typed_in.value.field == "code"
    feedback.submit_paper_evaluation(facilitator, round_, used, ANSWERS, CONSENT)
    with pytest.raises(DomainError) as twice:
        feedback.submit_paper_evaluation(facilitator, round_, used, ANSWERS, CONSENT)
    assert twice.value.field == "code"
    assert _count(Evaluation, Evaluation.round_id == round_.id) == 1


def test_paper_evaluation_is_refused_to_a_participant_and_before_publishing():
    round_, facilitator, (used, _unused) = _paper_round()
    participant = make_person((round_.organisation, Role.PARTICIPANT))
    with pytest.raises(NotAllowed):
        feedback.submit_paper_evaluation(participant, round_, used, ANSWERS, CONSENT)
    consultations.transition(facilitator, round_, RoundStatus.EVALUATED)
    with pytest.raises(NotAllowed):  # the evaluation is over: the rule says no first
        feedback.submit_paper_evaluation(facilitator, round_, used, ANSWERS, CONSENT)


def test_a_new_reason_alone_is_news_too():
    round_, facilitator, item, _people = _round()
    feedback.give_news(facilitator, item, NewsData(FeedbackStatus.NOT_KEPT, reason="Trop cher."))
    feedback.give_news(
        facilitator, item, NewsData(FeedbackStatus.NOT_KEPT, reason="La loi ne le permet pas.")
    )
    assert item.reason == "La loi ne le permet pas."
    assert _count(FeedbackUpdate, FeedbackUpdate.item_id == item.id) == 2


def test_a_closed_account_is_told_nothing():
    round_, facilitator, item, (by_mail, *_others) = _round()
    by_mail.is_active, by_mail.closed_at = False, utcnow()
    before = len(_notifications(by_mail))
    feedback.give_news(facilitator, item, NewsData(FeedbackStatus.DECIDED))
    assert len(_notifications(by_mail)) == before


def test_publishing_the_feedback_reaches_people_without_e_mail_by_their_channel():
    """Publishing was told by e-mail only: the text message and the facilitator's list now
    carry it too."""
    round_, facilitator, _item, (by_mail, by_sms, by_facilitator, silent) = _round(published=False)
    consultations.transition(facilitator, round_, RoundStatus.FEEDBACK_PUBLISHED)
    texts = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.channel == OutboxChannel.SMS,
            OutboxMessage.to_address == "+33612345678",
        )
    ).all()
    assert any("/feedback" in t.body_text for t in texts)
    lines = db.session.scalars(
        select(ToTellItem).where(ToTellItem.person_id == by_facilitator.id)
    ).all()
    assert any(f"/consultations/{round_.id}/feedback" in line.link for line in lines)
    mails = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_address == "mail@f.test")
    ).all()
    assert sum("/feedback" in m.body_text for m in mails) == 1


def test_kit_counts_the_evaluations_typed_in_from_paper():
    round_, facilitator, (used, _unused) = _paper_round()
    with force_locale("en"):
        before = _kit_evaluation(round_)
        feedback.submit_paper_evaluation(facilitator, round_, used, ANSWERS, CONSENT)
        after = _kit_evaluation(round_)
    # One person invited with an account and two paper questionnaires: three people.
    assert before.state == "not_done" and "0 of 3 invited people" in before.result.explanation
    assert after.state == "done" and "1 of 3 invited people" in after.result.explanation


def _kit_evaluation(round_):
    rows = {r.item.key: r for p in checklist.checklist("round", round_) for r in p.items}
    return rows["evaluation"]

"""Free texts chosen before they are shown (app/consultations/curation.py), service by service."""

import threading

import pytest
from sqlalchemy import delete, func, select

from app import db
from app.accounts.models import Person, Role
from app.accounts.personal_data import export_person_data
from app.consultations import curation, services
from app.consultations.curation import QuoteData
from app.consultations.curation_models import Quote
from app.consultations.models import Answer, Response, RoundStatus
from app.consultations.services import AnswerInput
from app.core.errors import DomainError, InvalidTransition, NotAllowed
from app.core.models import AuditEntry
from tests.conftest import WAIT, app_on_own_database
from tests.worlds import a_round, an_organisation

pytestmark = pytest.mark.usefixtures("ctx")

TEXTS = (
    "Mon numéro : 06 12 34 56 78. Le bus est trop cher.",
    "Karim Benali m'a aidé à remplir le dossier.",
    "Il faut plus de bus le soir.",
)


def _closed_round(texts=TEXTS):
    team = an_organisation(fac=Role.FACILITATOR, other=Role.ADMIN)
    people = team.join_many("p", len(texts), names=["Chloé Martin", "Karim Benali", "Rose Petit"])
    round_ = a_round(team.org, team["fac"], step="open", invited=people)
    question = round_.questions[3]
    for person, text in zip(people, texts, strict=True):
        response = services.start_response(person, round_)
        for other in round_.questions[:3]:
            services.save_answer(person, response, other, AnswerInput(declined=True))
        services.save_answer(person, response, question, AnswerInput(value_text=text))
        services.submit_response(person, response)
    services.transition(team["fac"], round_, RoundStatus.CLOSED)
    answers = {
        a.value_text: a
        for a in db.session.scalars(select(Answer).where(Answer.question_id == question.id))
    }
    return team, round_, question, answers


def test_the_detector_marks_a_phone_and_a_name():
    team, round_, _question, _answers = _closed_round()
    names = curation.names_to_mark(round_)
    assert "Karim Benali" in names  # an invited person, not staff
    found = curation.find_personal_data(TEXTS[0], names)
    assert [(f.kind, f.text) for f in found] == [("phone", "06 12 34 56 78")]
    found = curation.find_personal_data(TEXTS[1], names)
    assert [(f.kind, f.text) for f in found] == [("staff_name", "Karim Benali")]
    assert curation.find_personal_data(TEXTS[2], names) == []
    page = curation.curation_page(team["fac"], round_, round_.questions[3].id, 1)
    assert [item.found for item in page.items] == [["phone"], ["staff_name"], []]
    assert ("Karim Benali", "staff_name") in page.items[1].segments


def _published(round_, question, page=1, per_page=50):
    results = services.results_of(round_, include_texts=False)
    result = next(r for r in results.questions if r.question.id == question.id)
    return curation.published_quotes(round_, [result], per_page, page)[question.id]


def test_only_chosen_quotes_are_shown_and_only_once_the_choice_is_finished():
    team, round_, question, answers = _closed_round()
    round_.small_group_threshold = 3  # 3 people answered: every number is shown
    curation.save_quote(team["fac"], round_, answers[TEXTS[2]].id, QuoteData(True, TEXTS[2]))
    curation.save_quote(team["fac"], round_, answers[TEXTS[1]].id, QuoteData(False, TEXTS[1]))
    assert curation.shown_quotes(round_, question) == []  # not finished: nothing
    assert _published(round_, question).ready is False
    assert curation.mark_quotes_ready(team["fac"], round_, question.id) is True
    assert curation.mark_quotes_ready(team["fac"], round_, question.id) is False  # once
    assert curation.shown_quotes(round_, question) == [TEXTS[2]]
    assert curation.shown_quote_count(round_, question) == 1
    page = _published(round_, question, 5, per_page=1)
    assert (page.texts, page.page, page.pages, page.total) == ([TEXTS[2]], 1, 1, 1)


def test_masking_replaces_what_was_found_and_keeps_the_answer():
    team, round_, question, answers = _closed_round()
    answer = answers[TEXTS[0]]
    curation.save_quote(team["fac"], round_, answer.id, QuoteData(True, TEXTS[0], mask=True))
    curation.mark_quotes_ready(team["fac"], round_, question.id)
    assert curation.shown_quotes(round_, question) == ["Mon numéro : […]. Le bus est trop cher."]
    db.session.expire_all()
    assert db.session.get(Answer, answer.id).value_text == TEXTS[0]
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "consultation.quote_changed")
    )
    assert entry.actor_id == team["fac"].id and entry.details["masked"] is True
    assert "06" not in str(entry.details) and "bus" not in str(entry.details)


def test_choosing_is_refused_before_closing_and_to_others():
    team, round_, question, answers = _closed_round()
    stranger = an_organisation(domain="x.test", fac=Role.FACILITATOR)["fac"]
    with pytest.raises(NotAllowed):
        curation.save_quote(stranger, round_, answers[TEXTS[2]].id, QuoteData(True, TEXTS[2]))
    participant = db.session.scalar(select(Person).where(Person.display_name == "Rose Petit"))
    with pytest.raises(NotAllowed):
        curation.curation_overview(participant, round_)
    with pytest.raises(DomainError) as empty:
        curation.save_quote(team["fac"], round_, answers[TEXTS[2]].id, QuoteData(True, "  "))
    assert empty.value.field == "text"
    round_.status = RoundStatus.OPEN
    with pytest.raises((NotAllowed, InvalidTransition)):
        curation.save_quote(team["fac"], round_, answers[TEXTS[2]].id, QuoteData(True, TEXTS[2]))


def test_an_erased_answer_takes_its_quote_with_it():
    team, round_, question, answers = _closed_round()
    answer = answers[TEXTS[2]]
    curation.save_quote(team["fac"], round_, answer.id, QuoteData(True, "Plus de bus le soir."))
    curation.mark_quotes_ready(team["fac"], round_, question.id)
    assert curation.shown_quotes(round_, question) == ["Plus de bus le soir."]
    db.session.execute(delete(Response).where(Response.id == answer.response_id))
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Quote.id))) == 0
    assert curation.shown_quotes(round_, question) == []


def test_my_data_shows_what_the_facilitator_did_with_my_words():
    team, round_, _question, answers = _closed_round()
    curation.save_quote(
        team["fac"], round_, answers[TEXTS[0]].id, QuoteData(True, "Le bus est trop cher.")
    )
    person = db.session.scalar(select(Person).where(Person.display_name == "Chloé Martin"))
    exported = export_person_data(person)["consultation_answers"][0]["answers"]
    text = next(a for a in exported if a["text"] == TEXTS[0])
    assert text["chosen_as_quote"] is True and text["shown_version"] == "Le bus est trop cher."


@pytest.fixture
def race_app(request, tmp_path):
    with app_on_own_database(request, tmp_path, "quotes") as app:
        yield app


def test_two_facilitators_choosing_the_same_text_at_once_act_once(race_app):
    with race_app.test_request_context("/"):
        team, round_, _question, answers = _closed_round()
        second = team.join("fac2", Role.FACILITATOR)
        ids = (round_.id, answers[TEXTS[2]].id, [team["fac"].id, second.id])
        db.session.commit()
    round_id, answer_id, actor_ids = ids
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def choose(actor_id):
        from app.consultations.models import ConsultationRound

        with race_app.test_request_context("/"):
            actor = db.session.get(Person, actor_id)
            round_ = db.session.get(ConsultationRound, round_id)
            actor.memberships  # noqa: B018 - loaded before the race
            round_.questions  # noqa: B018
            db.session.commit()
            barrier.wait(timeout=WAIT)
            try:
                curation.save_quote(actor, round_, answer_id, QuoteData(True, TEXTS[2]))
                db.session.commit()
                outcomes.append("saved")
            except Exception as exc:  # noqa: BLE001 - any failure is the finding
                db.session.rollback()
                outcomes.append(repr(exc))

    threads = [threading.Thread(target=choose, args=(a,)) for a in actor_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=WAIT)
    assert outcomes == ["saved", "saved"]
    with race_app.test_request_context("/"):
        assert db.session.scalar(select(func.count(Quote.id))) == 1
        changes = db.session.scalar(
            select(func.count(AuditEntry.id)).where(
                AuditEntry.action == "consultation.quote_changed"
            )
        )
        assert changes == 1


def test_a_chosen_quote_still_holding_a_phone_is_pointed_out():
    team, round_, question, answers = _closed_round()
    answer = answers[TEXTS[0]]
    curation.save_quote(team["fac"], round_, answer.id, QuoteData(True, TEXTS[0]))
    item = curation.curation_page(team["fac"], round_, question.id, 1).items[0]
    assert item.chosen and item.still_found == ["phone"]
    curation.save_quote(team["fac"], round_, answer.id, QuoteData(True, TEXTS[0], mask=True))
    item = curation.curation_page(team["fac"], round_, question.id, 1).items[0]
    assert item.found == ["phone"] and item.still_found == []  # the original keeps it


def test_names_and_places_nobody_listed_are_marked_too():
    find = curation.find_personal_data
    text = "Je voudrais que Martine Durand vienne, elle habite à Évry-Courcouronnes."
    assert [(f.kind, f.text) for f in find(text, [])] == [
        ("staff_name", "Martine Durand"),
        ("place", "Évry-Courcouronnes"),
    ]
    assert [(f.kind, f.text) for f in find("Mme Lefèvre m'a aidé, chez Rose.", [])] == [
        ("staff_name", "Mme Lefèvre"),
        ("staff_name", "Rose"),
    ]
    # capitalised words at the start of a sentence are not names
    assert find("Le bus est trop cher. La salle est loin.", []) == []

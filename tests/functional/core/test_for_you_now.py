""" "For you now" on the home page lists every kind of thing that waits for the person, for
that person only, most urgent first, and each item leaves the list once it is done."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app import db
from app.accounts.models import OrganisationKind, Role
from app.consultations import services as consultations
from app.consultations.models import ConsultationRound
from app.db import utcnow
from app.expenses import services as expenses
from app.expenses.models import ExpenseRequest, RequestKind
from app.falc import proofreading
from app.moderation import services as moderation
from app.trainings import services as trainings
from app.trainings.models import Signup
from tests.conftest import login
from tests.consultation_factories import publish_feedback
from tests.factories import PASSWORD
from tests.worlds import (
    a_cost_request,
    a_mission,
    a_round,
    an_organisation,
    everyone_reads_english,
    saved,
    sign_ups,
)

CONSENT = "Elle a dit oui pendant la réunion du 3 mars."


def _team():
    return an_organisation(
        "CRPA Maintenant",
        domain="m.test",
        fac=Role.FACILITATOR,
        fin=Role.FINANCE,
        mod=Role.MODERATOR,
        alice=Role.PARTICIPANT,
        bob=Role.PARTICIPANT,
    )


def _answer(person, round_) -> None:
    response = consultations.start_response(person, round_)
    for question in round_.questions:
        if question.choices:
            value = consultations.AnswerInput(choice_ids=[question.choices[0].id])
        elif question.kind.value == "scale":
            value = consultations.AnswerInput(value_int=3)
        else:
            value = consultations.AnswerInput(value_text="Plus de logements.")
        consultations.save_answer(person, response, question, value)
    consultations.submit_response(person, response)


def _home(app: Flask, who: str) -> str:
    """The "For you now" list of `who`'s home page ("" when there is none)."""
    client: FlaskClient = app.test_client()
    login(client, f"{who}@m.test", PASSWORD)
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    if 'id="news-title"' not in html:
        return ""
    start = html.index('id="news-title"')
    return html[start : html.index("</section>", start)]


def _act(app: Flask, action) -> None:  # noqa: ANN001
    with saved(app):
        action()


def test_round_to_answer_shows_its_closing_date_and_leaves_once_answered(app):
    with saved(app):
        team = _team()
        round_ = a_round(team.org, team["fac"], step="open", invited=[team["alice"]])
        everyone_reads_english()
        ids = {"round": round_.id, "alice": team["alice"].id}

    html = _home(app, "alice")
    assert "Give your opinion: Le logement" in html
    assert "You can answer until" in html
    assert f'href="/consultations/{ids["round"]}"' in html
    assert "Give your opinion" not in _home(app, "bob")  # not invited

    def answer() -> None:
        from app.accounts.models import Person

        _answer(
            db.session.get(Person, ids["alice"]), db.session.get(ConsultationRound, ids["round"])
        )

    _act(app, answer)
    assert "Give your opinion" not in _home(app, "alice")


def test_feedback_and_evaluation_wait_for_those_who_answered(app):
    with saved(app):
        team = _team()
        round_ = a_round(team.org, team["fac"], step="open", invited=[team["alice"], team["bob"]])
        _answer(team["alice"], round_)
        publish_feedback(round_, team["fac"])
        everyone_reads_english()
        ids = {"round": round_.id, "alice": team["alice"].id}

    alice, bob = _home(app, "alice"), _home(app, "bob")
    assert "What we did with your answers: Le logement" in alice
    assert "What we did with your answers: Le logement" in bob  # invited, did not answer
    assert "Tell us how the consultation went for you: Le logement" in alice
    assert "Tell us how the consultation went" not in bob
    assert f'href="/consultations/{ids["round"]}/evaluation"' in alice
    assert "See what was done" not in _home(app, "fac")

    def evaluate_and_age() -> None:
        from app.accounts.models import Person

        round_ = db.session.get(ConsultationRound, ids["round"])
        consultations.submit_evaluation(
            db.session.get(Person, ids["alice"]),
            round_,
            {name: "yes" for name in ("understood", "could_speak", "costs_covered", "sees_change")},
        )

    _act(app, evaluate_and_age)
    alice = _home(app, "alice")
    assert "Tell us how the consultation went" not in alice
    assert "What we did with your answers" in alice

    def a_month_later() -> None:
        round_ = db.session.get(ConsultationRound, ids["round"])
        round_.feedback_published_at = utcnow() - timedelta(days=31)

    _act(app, a_month_later)
    assert "What we did with your answers" not in _home(app, "alice")


def test_place_offered_shows_the_time_left_and_leaves_once_accepted(app):
    with saved(app):
        team = _team()
        institute = an_organisation(
            "IRTS Maintenant",
            kind=OrganisationKind.TRAINING_INSTITUTE,
            domain="m.test",
            staff=Role.INSTITUTE_STAFF,
        )
        mission = a_mission(
            institute["staff"],
            institute.org,
            "Cours du mardi",
            seats=1,
            place="IRTS",
            departement="59",
        )
        made = sign_ups(institute["staff"], mission, [team["fac"]], [team["alice"], team["bob"]])
        trainings.cancel(team["fac"], made.holders[0])  # the place goes to Alice, first waiting
        everyone_reads_english()
        offer = made.waiting[0].id

    alice = _home(app, "alice")
    assert "A place is free for you: Cours du mardi" in alice
    assert "hours left to answer." in alice
    assert f'href="/co-training/mine#signup-{offer}"' in alice
    assert "A place is free" not in _home(app, "bob")

    def accept() -> None:
        signup = db.session.get(Signup, offer)
        trainings.accept_offer(signup.person, signup)

    _act(app, accept)
    assert "A place is free" not in _home(app, "alice")


def test_cost_requests_that_need_the_person_and_leave_once_done(app):
    with saved(app):
        team = _team()
        draft, _ = a_cost_request(team["alice"], team.org, team["fin"], step="draft")
        asked, _ = a_cost_request(team["alice"], team.org, team["fin"], step="submitted")
        expenses.review(team["fin"], asked, expenses.Review("needs_info", "Quel train ?"))
        advance, _ = a_cost_request(
            team["alice"], team.org, team["fin"], step="paid", kind=RequestKind.ADVANCE
        )
        everyone_reads_english()
        ids = {"draft": draft.id, "asked": asked.id, "advance": advance.id}

    alice = _home(app, "alice")
    assert "Your request is not sent yet" in alice
    assert "We need more information" in alice
    assert "Send the receipts of your advance" in alice
    # The question comes before the request not sent, which comes before the advance.
    assert (
        alice.index(f'href="/expenses/{ids["asked"]}"')
        < alice.index(f'href="/expenses/{ids["draft"]}"')
        < alice.index(f'href="/expenses/{ids["advance"]}"')
    )
    bob = _home(app, "bob")
    assert "We need more information" not in bob and "Your request is not sent" not in bob

    def do_everything() -> None:
        for name in ("draft", "asked"):
            request = db.session.get(ExpenseRequest, ids[name])
            expenses.submit(request.person, request)
        advance = db.session.get(ExpenseRequest, ids["advance"])
        settlement = expenses.settle_advance(advance.person, advance)
        expenses.add_line(
            advance.person, settlement, expenses.LineInput(expenses.Category.TRAIN, "12,50")
        )

    _act(app, do_everything)
    alice = _home(app, "alice")
    assert "We need more information" not in alice
    assert "Send the receipts of your advance" not in alice
    # What is left: the settling request, not sent yet.
    assert alice.count("Your request is not sent yet") == 1


def test_text_to_proofread_leaves_once_finished(app):
    with saved(app):
        team = _team()
        proofreading.register_proofreader(team["fac"], team["alice"], CONSENT, show_name=False)
        text = proofreading.request_proofreading(
            team["fac"],
            team.org,
            "consultation_round",
            7,
            "subject_easy",
            "Vous êtes invité. Venez.",
            [team["alice"].id],
            label="La réunion",
        )
        everyone_reads_english()
        ids = {"text": text.id, "alice": team["alice"].id}

    alice = _home(app, "alice")
    assert "A text waits for your proofreading: La réunion" in alice
    assert f'href="/relecture/{ids["text"]}"' in alice
    assert "A text waits for your proofreading" not in _home(app, "bob")

    def finish() -> None:
        from app.accounts.models import Person

        person = db.session.get(Person, ids["alice"])
        text = proofreading.get_proofreading(ids["text"])
        marks = [proofreading.MarkInput(i, True) for i in range(len(text.sentences))]
        proofreading.submit_marks(person, text, marks)  # and "I have finished"

    _act(app, finish)
    assert "A text waits for your proofreading" not in _home(app, "alice")


def test_moderation_decisions_about_my_message_until_appealed(app):
    with saved(app):
        team = _team()
        round_ = a_round(
            team.org, team["fac"], step="open", invited=[team["alice"]], discussion=True
        )
        round_.discussion_moderation = "pre"
        comment = consultations.add_comment(team["alice"], round_, "Il faut plus de logements.")
        everyone_reads_english()
        ids = {"comment": comment.id}

    alice = _home(app, "alice")
    assert "waits to be checked." in alice
    assert "waits to be checked." not in _home(app, "bob")

    def hide() -> None:
        from app.accounts.models import Person
        from app.consultations.models import Comment

        item = moderation.item_for(db.session.get(Comment, ids["comment"]))
        moderator = db.session.scalar(select(Person).where(Person.email == "mod@m.test"))
        moderation.decide(moderator, item, "hide", -2)
        ids["item"] = item.id

    _act(app, hide)
    alice = _home(app, "alice")
    assert "waits to be checked." not in alice
    assert "was taken off. You can say that you disagree." in alice
    assert f'href="/moderation/mine/{ids["item"]}/appeal"' in alice

    def appeal() -> None:
        from app.moderation.models import ModerationItem

        item = db.session.get(ModerationItem, ids["item"])
        from app.accounts.models import Person

        moderation.appeal(db.session.get(Person, item.author_id), item, "Je ne donne pas de nom.")

    _act(app, appeal)
    assert "was taken off" not in _home(app, "alice")


def test_what_expires_first_comes_first_whatever_its_kind(app):
    with saved(app):
        team = _team()
        a_cost_request(team["alice"], team.org, team["fin"], step="draft")  # no end date
        round_ = a_round(team.org, team["fac"], step="open", invited=[team["alice"]])
        institute = an_organisation(
            "IRTS Urgent",
            kind=OrganisationKind.TRAINING_INSTITUTE,
            domain="m.test",
            staff=Role.INSTITUTE_STAFF,
        )
        mission = a_mission(
            institute["staff"],
            institute.org,
            "Cours urgent",
            seats=1,
            place="IRTS",
            departement="59",
        )
        made = sign_ups(institute["staff"], mission, [team["fac"]], [team["alice"]])
        trainings.cancel(team["fac"], made.holders[0])
        # The round closes in 3 days, the offer ends in 48 hours.
        round_.closes_at = utcnow() + timedelta(days=3)
        everyone_reads_english()

    alice = _home(app, "alice")
    offer = alice.index("A place is free for you")
    round_answer = alice.index("Give your opinion")
    draft = alice.index("Your request is not sent yet")
    assert offer < round_answer < draft

    def round_closes_sooner() -> None:
        round_ = db.session.scalar(select(ConsultationRound))
        round_.closes_at = utcnow() + timedelta(hours=5)

    _act(app, round_closes_sooner)
    alice = _home(app, "alice")
    assert alice.index("Give your opinion") < alice.index("A place is free for you")


def _everything(tag: str, n: int) -> None:
    """`tag`-alice@m.test with `n` things of every kind waiting for her."""
    team = an_organisation(
        f"CRPA {tag}",
        domain="m.test",
        **{f"{tag}-{k}": r for k, r in (("fac", Role.FACILITATOR), ("fin", Role.FINANCE))},
        **{f"{tag}-alice": Role.PARTICIPANT},
    )
    fac, fin, alice = team[f"{tag}-fac"], team[f"{tag}-fin"], team[f"{tag}-alice"]
    institute = an_organisation(
        f"IRTS {tag}",
        kind=OrganisationKind.TRAINING_INSTITUTE,
        domain="m.test",
        **{f"{tag}-staff": Role.INSTITUTE_STAFF},
    )
    staff = institute[f"{tag}-staff"]
    proofreading.register_proofreader(fac, alice, CONSENT, show_name=False)
    for i in range(n):
        done = a_round(team.org, fac, step="open", invited=[alice], title=f"Fait {i}")
        _answer(alice, done)
        publish_feedback(done, fac)
        open_ = a_round(team.org, fac, step="open", invited=[alice], discussion=True)
        open_.discussion_moderation = "pre"
        consultations.add_comment(alice, open_, f"Plus de logements ({i}).")
        mission = a_mission(staff, institute.org, f"Cours {i}", place="IRTS", departement="59")
        made = sign_ups(staff, mission, [fac], [alice])
        trainings.cancel(fac, made.holders[0])
        a_cost_request(alice, team.org, fin, step="draft")
        asked, _ = a_cost_request(alice, team.org, fin, step="submitted")
        expenses.review(fin, asked, expenses.Review("needs_info", "Quel train ?"))
        a_cost_request(alice, team.org, fin, step="paid", kind=RequestKind.ADVANCE)
        proofreading.request_proofreading(
            fac, team.org, "consultation_round", open_.id, "subject_easy", "Venez.", [alice.id]
        )


def test_home_page_queries_stay_the_same_with_many_items_waiting(app):
    from tests.functional.core.test_query_counts import _counting

    with saved(app):
        _everything("few", 1)
        _everything("many", 4)
    counts = {}
    for tag in ("few", "many"):
        client = app.test_client()
        login(client, f"{tag}-alice@m.test", PASSWORD)
        client.get("/")  # warm caches (translations, templates)
        with _counting(app) as statements:
            html = client.get("/").get_data(as_text=True)
        counts[tag] = len(statements)
        assert html.count('class="waiting-item"') == 9 * (1 if tag == "few" else 4)
    assert counts["few"] == counts["many"], counts

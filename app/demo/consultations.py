"""Demo consultation rounds, one in each step, about the seeds' themes. Fictional content."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app import db
from app.accounts.models import Membership, Organisation, Person, Role
from app.consultations import curation, services
from app.consultations.models import (
    Answer,
    ConsultationRound,
    FeedbackStatus,
    QuestionKind,
    Response,
    RoundStatus,
)
from app.consultations.services import AnswerInput, ChoiceData, FeedbackData, RoundData
from app.db import utcnow
from app.moderation import services as moderation
from app.moderation.models import ReportReason

# (title, easy title, subject, easy subject, target step, days from now to the opening)
ROUNDS = [
    (
        "Accès aux droits : simplifier les démarches en ligne",
        "Les démarches sur internet",
        "Le département veut simplifier les démarches en ligne pour les aides sociales.",
        "Le département veut rendre les démarches sur internet plus simples.",
        RoundStatus.DRAFT,
        30,
    ),
    (
        "Hébergement d'urgence : l'accueil de nuit",
        "Dormir au foyer : votre avis",
        "Le conseil régional prépare des règles d'accueil pour les centres d'hébergement.",
        "Nous voulons savoir comment vous êtes accueilli la nuit au foyer.",
        RoundStatus.ANNOUNCED,
        9,
    ),
    (
        "Logement : trouver un logement stable",
        "Trouver un logement",
        "Le plan départemental pour le logement des personnes défavorisées est révisé.",
        "Le département change son plan pour aider les gens à trouver un logement.",
        RoundStatus.OPEN,
        -5,
    ),
    (
        "Formation des travailleurs sociaux : la place des personnes accompagnées",
        "Former les futurs travailleurs sociaux",
        "Les écoles de travail social veulent associer les personnes accompagnées aux cours.",
        "Les écoles veulent que vous aidiez à former les futurs travailleurs sociaux.",
        RoundStatus.CLOSED,
        -40,
    ),
    (
        "Frais de participation : rembourser sans avancer l'argent",
        "Être remboursé sans payer d'abord",
        "Le CRPA étudie comment payer les frais de transport avant les réunions.",
        "Nous voulons payer votre ticket de bus avant la réunion.",
        RoundStatus.RESULTS,
        -60,
    ),
    (
        "Accueil au centre communal d'action sociale",
        "L'accueil au centre social de la mairie",
        "Le centre communal d'action sociale revoit ses horaires et son accueil.",
        "Le centre social de la mairie veut mieux vous accueillir.",
        RoundStatus.FEEDBACK_PUBLISHED,
        -90,
    ),
    (
        "Bilan de la participation au conseil régional",
        "Le conseil régional : votre bilan",
        "Bilan de l'année de participation au conseil régional des personnes accompagnées.",
        "Vous nous dites comment s'est passée l'année au conseil régional.",
        RoundStatus.EVALUATED,
        -120,
    ),
]
ORDER = list(RoundStatus)
# The picture beside a round on the invited people's home page (app/consultations/pictograms.py).
PICTURES = {
    "Logement : trouver un logement stable": "house",
    "Formation des travailleurs sociaux : la place des personnes accompagnées": "school",
    "Frais de participation : rembourser sans avancer l'argent": "money",
    "Accueil au centre communal d'action sociale": "counter",
}


def load_demo_consultations(org: Organisation, facilitator: Person) -> None:
    participants = list(
        db.session.scalars(
            select(Person)
            .join(Membership, Membership.person_id == Person.id)
            .where(Membership.organisation_id == org.id, Membership.role == Role.PARTICIPANT)
            .order_by(Person.id)
        )
    )
    now = utcnow()
    for title, easy_title, subject, easy_subject, target, opens_in in ROUNDS:
        if db.session.scalar(select(ConsultationRound.id).where(ConsultationRound.title == title)):
            continue
        opens = now + timedelta(days=opens_in)
        round_ = services.create_round(
            facilitator,
            org,
            RoundData(
                title=title,
                title_easy=easy_title,
                subject=subject,
                subject_easy=easy_subject,
                why="Les personnes concernées connaissent le mieux ce qui marche et ce qui ne marche pas.",
                why_easy="Vous savez ce qui marche. Votre avis compte.",
                what_next="Les réponses seront présentées à la commission, puis nous vous dirons ce qui a été décidé.",
                what_next_easy="Nous lisons toutes les réponses. Ensuite, nous vous disons ce qui change.",
                costs_covered="Ticket de bus ou de tram, repas, garde des enfants.",
                contact_name="Fanny, animatrice : 01 23 45 67 89 (numéro fictif)",
                opens_at=opens,
                closes_at=opens + timedelta(days=21),
                discussion_enabled=target == RoundStatus.OPEN,
                pictogram=PICTURES.get(title, ""),
            ),
        )
        services.add_question(
            facilitator,
            round_,
            QuestionKind.SINGLE,
            "Comment faites-vous aujourd'hui vos démarches ?",
            "Comment faites-vous vos papiers ?",
            [
                ChoiceData("Seul, sur internet", "school"),
                ChoiceData("Avec l'aide d'un travailleur social", "people"),
                ChoiceData("Au guichet", "house"),
            ],
        )
        services.add_question(
            facilitator,
            round_,
            QuestionKind.SCALE,
            "Êtes-vous satisfait de l'accueil ?",
            "Êtes-vous content de l'accueil ?",
        )
        services.add_question(
            facilitator,
            round_,
            QuestionKind.YES_NO,
            "Avez-vous déjà renoncé à une aide parce que la démarche était trop compliquée ?",
            "Avez-vous déjà laissé tomber une aide parce que c'était trop compliqué ?",
        )
        services.add_question(
            facilitator,
            round_,
            QuestionKind.LONG_TEXT,
            "Qu'est-ce qui vous aiderait le plus ?",
            "Qu'est-ce qui vous aiderait ?",
        )
        if target == RoundStatus.OPEN:
            # A conditional question, right after question 3: only for people who said "Oui".
            which = services.add_question(
                facilitator,
                round_,
                QuestionKind.SINGLE,
                "Quelle aide avez-vous laissée de côté ?",
                "Quelle aide avez-vous laissé tomber ?",
                [
                    ChoiceData("Une aide pour le logement", "house"),
                    ChoiceData("Une aide pour l'argent", "money"),
                    ChoiceData("Une aide pour la santé", "health"),
                ],
                condition_choice_id=round_.questions[2].choices[0].id,
            )
            services.move_question(facilitator, which, -1)
        services.invite_members(facilitator, round_)
        steps = ORDER[1 : ORDER.index(target) + 1]
        clock = opens - timedelta(days=10)
        for step in steps:
            if step == RoundStatus.OPEN:
                clock = opens
            if step == RoundStatus.CLOSED:
                _demo_answers(round_, participants)
                clock = opens + timedelta(days=22)
            if step == RoundStatus.FEEDBACK_PUBLISHED:
                services.add_feedback_item(
                    facilitator,
                    round_,
                    FeedbackData(
                        you_said="Beaucoup de personnes trouvent les démarches trop compliquées et renoncent.",
                        you_said_easy="Vous avez dit : les papiers sont trop compliqués.",
                        we_did="Une permanence d'aide aux démarches ouvre chaque mardi au centre social.",
                        we_did_easy="Nous avons fait : une aide pour les papiers, tous les mardis.",
                        who="Le centre communal d'action sociale",
                        when="Depuis le 1er mars",
                        status=FeedbackStatus.DONE,
                    ),
                )
            services.transition(facilitator, round_, step, now=clock)
            clock += timedelta(days=1)
        if target in (RoundStatus.RESULTS, RoundStatus.FEEDBACK_PUBLISHED, RoundStatus.EVALUATED):
            _demo_quotes(facilitator, round_)  # the closed round's texts are left to choose
        if target == RoundStatus.OPEN and len(participants) > 2:
            services.add_comment(
                participants[1],
                round_,
                "Pour moi, le plus dur, c'est de trouver un logement près de mon travail.",
            )
            foyer = services.add_comment(
                participants[2],
                round_,
                "Le foyer, c'est bien pour commencer, mais on ne peut pas y rester longtemps.",
                round_.questions[0].id,
            )
            # Held for a person: a phone number, and an insult. One published message reported.
            services.add_comment(
                participants[1], round_, "Vous pouvez m'appeler au 06 12 34 56 78 pour en parler."
            )
            services.add_comment(participants[2], round_, "Le chauffeur du bus est un abruti.")
            moderation.report(
                participants[1],
                foyer,
                ReportReason.OTHER,
                "Ce n'est pas vrai pour tous les foyers.",
            )
            response = services.start_response(participants[0], round_)
            question = round_.questions[0]
            services.save_answer(
                participants[0],
                response,
                question,
                AnswerInput(choice_ids=[question.choices[1].id]),
            )
    db.session.flush()


PAPER_ANSWERS = 14  # questionnaires filled on paper at the meeting, typed in afterwards


def _demo_quotes(facilitator: Person, round_: ConsultationRound) -> None:
    """The facilitator chose each different free text once as a quote (curation.py)."""
    for question in round_.questions:
        if not question.kind.type.has_free_texts:
            continue
        seen: set[str] = set()
        rows = db.session.execute(
            select(Answer.id, Answer.value_text)
            .join(Response, Response.id == Answer.response_id)
            .where(
                Answer.question_id == question.id,
                Answer.value_text.is_not(None),
                Response.submitted_at.is_not(None),
            )
            .order_by(Answer.id)
        ).all()
        for answer_id, text in rows:
            if text not in seen:
                seen.add(text)
                curation.save_quote(facilitator, round_, answer_id, curation.QuoteData(True, text))
        curation.mark_quotes_ready(facilitator, round_, question.id)


def _demo_answers(round_: ConsultationRound, participants: list[Person]) -> None:
    q_single, q_scale, q_yes_no, q_text = round_.questions
    facilitator = db.session.get(Person, round_.created_by_id)
    for index, code in enumerate(services.create_paper_codes(facilitator, round_, PAPER_ANSWERS)):
        response = services.start_paper_response(facilitator, round_, code)
        services.save_answer(
            facilitator,
            response,
            q_single,
            AnswerInput(choice_ids=[q_single.choices[(index * 7) % 3].id]),
        )
        services.save_answer(
            facilitator, response, q_scale, AnswerInput(value_int=1 + (index * 3) % 5)
        )
        if index % 4 == 3:
            services.save_answer(facilitator, response, q_yes_no, AnswerInput(declined=True))
        else:
            services.save_answer(
                facilitator,
                response,
                q_yes_no,
                AnswerInput(choice_ids=[q_yes_no.choices[index % 3 == 0].id]),
            )
        services.save_answer(facilitator, response, q_text, AnswerInput(declined=True))
        services.submit_response(facilitator, response)
    texts = [
        "Quelqu'un pour m'aider à remplir les papiers.",
        "Des courriers plus simples, avec moins de mots compliqués.",
        "Pouvoir appeler quelqu'un au téléphone.",
    ]
    for index, person in enumerate(participants):
        response = services.start_response(person, round_)
        services.save_answer(
            person, response, q_single, AnswerInput(choice_ids=[q_single.choices[index % 3].id])
        )
        services.save_answer(person, response, q_scale, AnswerInput(value_int=2 + index % 3))
        services.save_answer(
            person, response, q_yes_no, AnswerInput(choice_ids=[q_yes_no.choices[index % 2].id])
        )
        services.save_answer(person, response, q_text, AnswerInput(value_text=texts[index % 3]))
        services.submit_response(person, response)

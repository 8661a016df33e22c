"""Demo co-training: the IRTS publishes a mission of each kind in the coming months; Paul
has a confirmed place, Nadia waits for an answer, and a mission already done shows the
attendance, the attestation and the drafts of pay and costs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from app.accounts.models import Organisation
from app.core.calendar import PARIS
from app.db import utcnow
from app.demo.existing import already_loaded, demo_person
from app.expenses.models import Category
from app.trainings import services
from app.trainings.models import Mission, MissionStatus, MissionType
from app.trainings.services import MissionData, Presence, ProfileData, SignupData

PLACE = "IRTS de Villefictive, 12 rue de l'École, 59000 Villefictive"
COSTS = [
    Category.TRAIN.value,
    Category.LOCAL_TRANSPORT.value,
    Category.MEAL.value,
    Category.CHILDCARE.value,
]

MISSIONS = [
    (
        MissionType.TEACHING,
        "Accueillir une personne sans domicile : le point de vue des personnes accueillies",
        "Parler de l'accueil à la rue avec des étudiants",
        "Un cours de 3 heures avec une formatrice, pour les étudiants éducateurs de 2e année. "
        "Vous racontez ce qui aide et ce qui blesse quand on est accueilli.",
        "Vous venez parler de l'accueil avec une formatrice. Les étudiants posent des questions.",
        21,
        [(9, 12)],
    ),
    (
        MissionType.COURSE_DESIGN,
        "Construire le module « Participation des personnes accompagnées »",
        "Préparer un cours avec les formateurs",
        "Trois ateliers pour écrire avec l'équipe pédagogique le module de participation.",
        "Vous écrivez un cours avec les formateurs. Il y a 3 ateliers.",
        35,
        [(14, 17), (14, 17), (14, 17)],
    ),
    (
        MissionType.TRAINING_TRAINERS,
        "Former les formateurs à la co-formation",
        "Aider les formateurs à travailler avec vous",
        "Une journée avec les formateurs de l'IRTS sur la place des experts du vécu.",
        "Vous aidez les formateurs à mieux travailler avec des personnes comme vous.",
        50,
        [(9, 16)],
    ),
    (
        MissionType.FIELD_ACTION,
        "Visite d'un accueil de jour avec les étudiants",
        "Visiter un accueil de jour avec des étudiants",
        "Une visite commentée de l'accueil de jour, puis un temps d'échange.",
        "Vous montrez un accueil de jour aux étudiants. Puis on parle ensemble.",
        64,
        [(10, 12)],
    ),
    (
        MissionType.EVENT,
        "Journée « Travail social et pouvoir d'agir »",
        "Une journée pour parler du pouvoir d'agir",
        "Une table ronde devant 150 personnes : étudiants, professionnels, personnes accompagnées.",
        "Vous parlez à une table ronde. Il y a beaucoup de monde.",
        78,
        [(13, 17)],
    ),
    (
        MissionType.JURY,
        "Jury du diplôme d'État d'assistant de service social",
        "Être membre du jury du diplôme",
        "Vous écoutez les soutenances avec deux professionnels et donnez votre avis.",
        "Vous écoutez des étudiants qui passent leur diplôme. Vous donnez votre avis.",
        92,
        [(8, 12), (13, 17)],
    ),
]


def _at(day: datetime, hour: int) -> datetime:
    """That day at that hour in Paris, stored in UTC."""
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=PARIS).astimezone(UTC)


def load_demo_trainings(institute: Organisation) -> None:
    if already_loaded(Mission, institute):
        return
    staff = demo_person("formation@demo.parole.invalid")
    paul = demo_person("paul@demo.parole.invalid")
    nadia = demo_person("nadia@demo.parole.invalid")
    today = utcnow()
    created = []
    for kind, title, title_easy, description, description_easy, in_days, hours in MISSIONS:
        day = today + timedelta(days=in_days)
        sessions = [
            (_at(day + timedelta(days=7 * i), a), _at(day + timedelta(days=7 * i), b))
            for i, (a, b) in enumerate(hours)
        ]
        mission = services.create_mission(
            staff,
            institute,
            MissionData(
                type=kind,
                title=title,
                title_easy=title_easy,
                description=description,
                description_easy=description_easy,
                topic="Accompagnement social",
                audience="Étudiants éducateurs spécialisés et assistants de service social",
                seats=2,
                sessions=sessions,
                place=PLACE,
                departement="59",
                step_free=True,
                lift=True,
                hearing_loop=kind != MissionType.FIELD_ACTION,
                quiet_room=True,
                preparation_at=_at(day - timedelta(days=7), 14),
                hourly_rate=Decimal("25.00"),
                expected_hours=Decimal(sum(b - a for a, b in hours)),
                covered_costs=COSTS,
                contact_name="Ismaël, secrétariat de l'IRTS",
                contact_phone="03 20 00 00 00",
                signup_deadline=day - timedelta(days=10),
            ),
        )
        services.move_mission(staff, mission, MissionStatus.PUBLISHED)
        created.append(mission)

    teaching, design = created[0], created[1]
    signup = services.sign_up(
        paul,
        paul,
        teaching,
        SignupData(
            why="J'ai vécu deux ans à la rue. Je veux que l'accueil soit plus humain.",
            needs_travel_help=True,
            contact_channel="email",
        ),
    )
    services.confirm(staff, signup)
    services.sign_up(nadia, nadia, design, SignupData(needs_childcare=True, contact_channel="sms"))

    # A mission already done: attendance recorded, drafts of pay and costs prepared.
    past = today - timedelta(days=14)
    done = services.create_mission(
        staff,
        institute,
        MissionData(
            type=MissionType.TEACHING,
            title="Le logement d'abord : ce que les personnes en disent",
            title_easy="Parler du logement avec des étudiants",
            description="Un cours de 3 heures avec les étudiants de 1re année.",
            seats=1,
            sessions=[(_at(past, 14), _at(past, 17))],
            place=PLACE,
            departement="59",
            step_free=True,
            hourly_rate=Decimal("25.00"),
            expected_hours=Decimal("3"),
            covered_costs=COSTS,
            contact_name="Ismaël, secrétariat de l'IRTS",
            contact_phone="03 20 00 00 00",
        ),
    )
    services.move_mission(staff, done, MissionStatus.PUBLISHED)
    past_signup = services.sign_up(paul, paul, done, SignupData(contact_channel="email"))
    services.confirm(staff, past_signup)
    services.record_attendance(staff, done.sessions[0], {past_signup.id: Presence(True)})
    services.move_mission(staff, done, MissionStatus.CLOSED)
    services.move_mission(staff, done, MissionStatus.DONE)

    services.save_profile(
        paul,
        paul,
        ProfileData(
            themes="La vie à la rue, l'accueil de jour, les démarches pour un logement.",
            formats=[MissionType.TEACHING.value, MissionType.FIELD_ACTION.value],
            availability="En semaine, le matin.",
            places="Villefictive et environs (59).",
            institute_ids=[institute.id],
        ),
    )

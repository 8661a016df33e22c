"""What the voice is given to read: every case is an input a facilitator writes and the words a
person should hear. A few go through the real espeak-ng to check the phonemes themselves."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from app.core.speech import ordinal_fr, to_speech

FRENCH = [
    # times
    ("Rendez-vous à 14h30", "Rendez-vous à 14 heures 30."),
    ("Rendez-vous à 14 h 30", "Rendez-vous à 14 heures 30."),
    ("Rendez-vous à 14:30", "Rendez-vous à 14 heures 30."),
    ("La réunion commence à 9h", "La réunion commence à 9 heures."),
    ("À 1h du matin", "À 1 heure du matin."),
    ("Jusqu'à 12h00", "Jusqu'à 12 heures."),
    ("Ouvert de 9h à 12h", "Ouvert de 9 heures à 12 heures."),
    ("Ouvert 9h-17h", "Ouvert 9 heures à 17 heures."),
    ("Une pause de 15 min", "Une pause de 15 minutes."),
    ("Nous avons 2 heures", "Nous avons 2 heures."),
    # dates
    ("Le 12/03/2026", "Le 12 mars 2026."),
    ("Le 12/03", "Le 12 mars."),
    ("Le 01/04/2026", "Le premier avril 2026."),
    ("Le 5/11/26", "Le 5 novembre 2026."),
    ("Le 2026-12-24", "Le 24 décembre 2026."),
    ("Une 1/2 journée", "Une 1/2 journée."),
    ("Le 31/08", "Le 31 août."),
    ("Le 45/13", "Le 45/13."),
    ("Ouvert 24h/24 et 7j/7", "Ouvert 24 heures sur 24 et 7 jours sur 7."),
    ("Une ligne ouverte 24/7", "Une ligne ouverte 24 heures sur 24, 7 jours sur 7."),
    # money
    ("Le ticket coûte 2,10 €", "Le ticket coûte 2 euros 10."),
    ("Le ticket coûte 2,10€", "Le ticket coûte 2 euros 10."),
    ("Le repas coûte 12 €", "Le repas coûte 12 euros."),
    ("Un café à 1 €", "Un café à 1 euro."),
    ("Une aide de 1 250 000 euros", "Une aide de 1250000 euros."),
    ("Le loyer est de 1 200 €", "Le loyer est de 1200 euros."),
    ("Un timbre à 0,50 €", "Un timbre à 50 centimes."),
    ("Le prix : 3,5 €", "Le prix : 3 euros 50."),
    ("Nous payons 2€10", "Nous payons 2 euros 10."),
    ("Il reste 7,25 euros", "Il reste 7 euros 25."),
    ("Un abonnement à 10 €/mois", "Un abonnement à 10 euros par mois."),
    ("Le total fait 100 EUR", "Le total fait 100 euros."),
    # ordinals
    ("Le 1er janvier", "Le premier janvier."),
    ("La 1re fois", "La première fois."),
    ("La 1ère réunion", "La première réunion."),
    ("Au 2e étage", "Au deuxième étage."),
    ("Au 3ème étage", "Au troisième étage."),
    ("Le 21e jour", "Le vingt et unième jour."),
    ("Le 5e rang", "Le cinquième rang."),
    ("La 9e place", "La neuvième place."),
    ("Au XXe siècle", "Au vingtième siècle."),
    ("Le IIe arrondissement", "Le deuxième arrondissement."),
    ("Le XIXe siècle", "Le dix-neuvième siècle."),
    ("François Ier", "François premier."),
    ("Ce jour-là", "Ce jour-là."),
    ("La 2nde étape", "La seconde étape."),
    # titles
    ("M. Dupont vous accueille", "Monsieur Dupont vous accueille."),
    ("Mme Martin est là", "Madame Martin est là."),
    ("Mlle Petit répond", "Mademoiselle Petit répond."),
    ("Le Dr Bernard vous reçoit", "Le Docteur Bernard vous reçoit."),
    ("MM. Durand et Leroy", "Messieurs Durand et Leroy."),
    ("Me Garnier, avocate", "Maître Garnier, avocate."),
    # words
    ("Vous pouvez venir seul et/ou accompagné", "Vous pouvez venir seul et ou accompagné."),
    ("Des fruits, des légumes, etc.", "Des fruits, des légumes, et cetera."),
    ("Du pain, du lait, etc. Puis le café", "Du pain, du lait, et cetera. Puis le café."),
    ("Le dossier n° 12", "Le dossier numéro 12."),
    ("Questions & réponses", "Questions et réponses."),
    ("Tél. : 01 23 45 67 89", "téléphone : 01 23 45 67 89."),
    ("RDV à 10h, env. 2 heures", "rendez-vous à 10 heures, environ 2 heures."),
    ("Des aides, ex. : le transport", "Des aides, par exemple : le transport."),
    ("50 % des personnes", "50 pour cent des personnes."),
    # inclusive writing
    ("Les participant·e·s arrivent", "Les participantes et participants arrivent."),
    ("Bonjour à tou·te·s", "Bonjour à toutes et tous."),
    ("Bonjour à tous·tes", "Bonjour à toutes et tous."),
    ("Les éducateur·rice·s", "Les éducatrices et éducateurs."),
    ("Les participant·es", "Les participantes et participants."),
    ("Un·e ami·e", "Une ou un amie ou ami."),
    ("Les travailleur·euse·s", "Les travailleuses et travailleurs."),
    ("Les infirmier·ère·s", "Les infirmières et infirmiers."),
    ("Les inscrit(e)s", "Les inscrites et inscrits."),
    ("Les participant.e.s", "Les participantes et participants."),
    ("Les sportif·ve·s", "Les sportives et sportifs."),
    ("ils·elles viennent", "ils et elles viennent."),
    # initials
    ("Le CCAS vous aide", "Le C. C. A. S. vous aide."),
    ("Demandez à la CAF", "Demandez à la C. A. F."),
    ("Au XIV", "Au XIV."),
    # phone numbers
    ("Appelez le 0612345678", "Appelez le 06 12 34 56 78."),
    ("Appelez le 06 12 34 56 78", "Appelez le 06 12 34 56 78."),
    ("Appelez le 06.12.34.56.78", "Appelez le 06 12 34 56 78."),
    ("Appelez le +33 6 12 34 56 78", "Appelez le 06 12 34 56 78."),
    # pauses after titles and lines
    ("Le repas\nVenez à 12h", "Le repas.\nVenez à 12 heures."),
    ("Bienvenue !\n\nLa sortie", "Bienvenue !\nLa sortie."),
    ("Ce qu'il faut savoir :\n- le lieu\n- l'heure", "Ce qu'il faut savoir :\nle lieu.\nl'heure."),
    ("BIENVENUE À LA RÉUNION DU MARDI", "bienvenue à la réunion du mardi."),
]

ENGLISH = [
    ("Meet at 14:30", "Meet at 14 30."),
    ("Meet at 2h30", "Meet at 2 30."),
    ("The ticket costs 2,10 €", "The ticket costs 2 euros 10."),
    ("The ticket costs €2.10", "The ticket costs 2 euros 10."),
    ("One coffee is 1 €", "One coffee is 1 euro."),
    ("Mr. Smith and Mrs. Jones", "Mister Smith and Missus Jones."),
    ("Dr. Brown will see you", "Doctor Brown will see you."),
    ("Come alone and/or with a friend", "Come alone and or with a friend."),
    ("Bread, milk, etc.", "Bread, milk, et cetera."),
    ("Some help, e.g. the bus", "Some help, for example the bus."),
    ("On 12/03/2026", "On 12 March 2026."),
    ("The CCAS helps", "The C. C. A. S. helps."),
    ("Call 0612345678", "Call 06 12 34 56 78."),
    ("The meal\nCome at noon", "The meal.\nCome at noon."),
]


@pytest.mark.parametrize(("written", "spoken"), FRENCH, ids=[c[0] for c in FRENCH])
def test_french_text_is_read_in_words_a_person_understands(written: str, spoken: str) -> None:
    assert to_speech(written) == spoken


@pytest.mark.parametrize(("written", "spoken"), ENGLISH, ids=[c[0] for c in ENGLISH])
def test_english_text_is_read_with_english_rules(written: str, spoken: str) -> None:
    assert to_speech(written, "en") == spoken


def test_initials_are_read_from_the_glossary_when_it_explains_them() -> None:
    expansions = {
        "MDPH": "maison départementale des personnes handicapées",
        "CCAS": "centre communal d'action sociale",
    }
    assert to_speech("La MDPH répond. Le CCAS aussi. La CAF non.", expansions=expansions) == (
        "La maison départementale des personnes handicapées répond. "
        "Le centre communal d'action sociale aussi. La C. A. F. non."
    )


def test_there_are_at_least_sixty_cases() -> None:
    assert len(FRENCH) + len(ENGLISH) >= 60


@pytest.mark.parametrize(
    ("number", "feminine", "words"),
    [
        (1, False, "premier"),
        (1, True, "première"),
        (2, False, "deuxième"),
        (4, False, "quatrième"),
        (17, False, "dix-septième"),
        (71, False, "soixante et onzième"),
        (80, False, "quatre-vingtième"),
        (99, False, "quatre-vingt-dix-neuvième"),
        (100, False, "centième"),
        (300, False, "trois centième"),
        (1000, False, "millième"),
    ],
)
def test_ordinals_are_written_in_french_words(number: int, feminine: bool, words: str) -> None:
    assert ordinal_fr(number, feminine) == words


needs_espeak = pytest.mark.skipif(not shutil.which("espeak-ng"), reason="espeak-ng not installed")


def _phonemes(text: str, voice: str = "fr") -> str:
    result = subprocess.run(  # noqa: S603
        ["espeak-ng", "-v", voice, "-q", "-x", text],  # noqa: S607
        capture_output=True,
        check=True,
        text=True,
    )
    return " ".join(result.stdout.split())


@needs_espeak
def test_ccas_is_no_longer_read_as_the_word_cas_by_espeak() -> None:
    before = _phonemes("Le CCAS vous aide.")
    after = _phonemes(to_speech("Le CCAS vous aide."))
    assert "k'a" in before  # what people heard: "le cas"
    assert after.count("s'e") == 2 and "'Es" in after  # cé, cé, a, esse


@needs_espeak
def test_a_time_is_no_longer_read_with_the_letter_h_by_espeak() -> None:
    assert "aS" in _phonemes("à 14h30")  # "hache"
    after = _phonemes(to_speech("à 14h30"))
    assert "aS" not in after and "'Wr" in after  # "heures"


@needs_espeak
def test_an_amount_is_no_longer_read_with_a_comma_by_espeak() -> None:
    assert "virgyl" in _phonemes("2,10 €").replace("'", "")  # "virgule"
    after = _phonemes(to_speech("2,10 €")).replace("'", "")
    assert "virgyl" not in after and "Yro" in after and "dis" in after

"""The FALC corpus: French sentences and what each rule must find in them, or must not.

``CASES`` is checked rule by rule: for a ``Case``, the findings of ``rule`` in ``analyse(text)``
must cover exactly ``spans`` (each one is ``text[start:end]``, in text order). An empty
``spans`` is a false-positive guard: the rule must stay silent on that text.

The ``SEED`` sentences are copied from the seed documents (HCTS activity report 2016-2021 and
the 2023 white paper on social work); their lines are joined, nothing else is changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Case:
    """A text, a rule, and the exact pieces of text the rule must flag (none for a guard)."""

    rule: str
    text: str
    spans: tuple[str, ...] = ()
    suggestions: tuple[str | None, ...] | None = None
    severities: tuple[str, ...] | None = None
    glossary: tuple[tuple[str, str], ...] = field(default=())

    @property
    def id(self) -> str:
        kind = "finds" if self.spans else "silent"
        return f"{self.rule}-{kind}-{self.text[:40]}"


# Real long sentences from /work/shared/seeds/ (004: white paper 2023, lines 5840-5910;
# 001: HCTS activity report, lines 451-460).
SEED_HORIZONTALITY = (
    "Il apparait nécessaire de promouvoir l’horizontalité et la réciprocité entre toutes les "
    "parties prenantes impliquées dans la construction des réponses aux besoins des personnes en "
    "situation de vulnérabilité : personnes concernées, professionnels, pairs professionnels, "
    "managers, élus, bénévoles, aidants, pair-aidants cercles de soutien (personnes de "
    "confiance), partenaires, directions, etc."
)
SEED_MEASURES = (
    "Plusieurs mesures peuvent rendre effective cette participation prônée par le HCTS depuis "
    "dix ans :"
)
SEED_EXPENSES = (
    "Simplifier les circuits administratifs et adopter un langage facile à lire et à comprendre "
    "pour obtenir le remboursement des frais inhérents à la participation (déplacements, garde "
    "d’enfant, repas, etc.) et/ou pour éviter l’avance de frais."
)
SEED_DIFFICULTY = (
    "Il faut veiller à ne jamais mettre la personne en difficulté financière (ex : perte du "
    "statut de demandeurs d’emploi ou du RSA, perte ou diminution de revenus sociaux)."
)
SEED_CONTRIBUTION = (
    "Cette contribution des personnes accompagnées revêt des modalités multiples allant d’une "
    "contribution à l’ingénierie de formation à l’évaluation de la formation, en passant par la "
    "transmission lors de cours."
)
SEED_REPRESENTATION = (
    "Cette représentation devrait être calibrée de façon à ne pas porter atteinte au principe de "
    "liberté d’association des parties prenantes."
)
SEED_INSTANCES = (
    "S'assurer, dans la composition des instances, d'une distinction claire entre les personnes "
    "accompagnées ou l'ayant été, et les associations ou les autres personnes les représentant, "
    "tout en permettant la participation de tous."
)
SEED_MEETINGS = (
    "Dans toutes les réunions, les personnes qui animent doivent, au moyen d'outils ou d'une "
    "méthode, permettre la compréhension et la prise de parole de tout le monde."
)
SEED_ORGANISER = (
    "La personne qui organise doit envoyer à l'avance aux participants le sujet de la réunion, "
    "pour qu'il soit bien compris et aider à sa préparation."
)
SEED_EXPERTS = (
    "Si les personnes sont invitées en tant que formateurs occasionnels ou « experts », elles "
    "doivent être rémunérées."
)

SEED = (
    SEED_HORIZONTALITY,
    SEED_MEASURES,
    SEED_EXPENSES,
    SEED_DIFFICULTY,
    SEED_CONTRIBUTION,
    SEED_REPRESENTATION,
    SEED_INSTANCES,
    SEED_MEETINGS,
    SEED_ORGANISER,
    SEED_EXPERTS,
)

# Easy sentences in the FALC style: short, common words, active, positive. No warning, no alert.
EASY = (
    "Vous pouvez venir à la réunion.",
    "La réunion est le 3 mars.",
    "Nous payons votre train.",
    "Vous avez une question ?",
    "Appelez Marie au téléphone.",
    "Le repas est gratuit.",
    "Vous donnez votre avis.",
    "Nous lisons le texte ensemble.",
    "Prenez votre carte d'identité.",
    "La salle est au premier étage.",
    "Vous recevez une lettre chaque mois.",
    "Merci pour votre aide.",
    "Le rendez-vous est à 10 heures.",
)

CASES: tuple[Case, ...] = (
    # --- sentence.long / sentence.too_long: more than 12 words, more than 20 words ---
    Case(
        "sentence.long",
        "Vous pouvez venir avec un ami à la réunion de mardi soir prochain.",
        ("Vous pouvez venir avec un ami à la réunion de mardi soir prochain.",),
        severities=("warning",),
    ),
    Case("sentence.long", "Vous pouvez venir avec un ami à la réunion de mardi soir."),
    Case(
        "sentence.long",
        "Vous pouvez venir avec un ami à la réunion de mardi soir prochain dans la grande salle "
        "de la mairie.",
        (
            "Vous pouvez venir avec un ami à la réunion de mardi soir prochain dans la grande "
            "salle de la mairie.",
        ),
    ),
    Case(
        "sentence.too_long",
        "Vous pouvez venir avec un ami à la réunion de mardi soir prochain dans la grande salle "
        "de la mairie.",
    ),
    Case(
        "sentence.too_long",
        "Vous pouvez venir avec un ami à la réunion de mardi soir prochain dans la grande salle "
        "de la mairie centrale.",
        (
            "Vous pouvez venir avec un ami à la réunion de mardi soir prochain dans la grande "
            "salle de la mairie centrale.",
        ),
        severities=("alert",),
    ),
    Case("sentence.long", "L'équipe d'accueil s'occupe d'abord de l'inscription aujourd'hui."),
    Case("sentence.too_long", SEED_HORIZONTALITY, (SEED_HORIZONTALITY,)),
    Case("sentence.long", SEED_HORIZONTALITY),
    Case("sentence.long", SEED_MEASURES, (SEED_MEASURES,)),
    Case("sentence.too_long", SEED_EXPENSES, (SEED_EXPENSES,)),
    Case("sentence.too_long", SEED_DIFFICULTY, (SEED_DIFFICULTY,)),
    Case("sentence.too_long", SEED_CONTRIBUTION, (SEED_CONTRIBUTION,)),
    Case("sentence.too_long", SEED_INSTANCES, (SEED_INSTANCES,)),
    Case("sentence.too_long", SEED_MEETINGS, (SEED_MEETINGS,)),
    # --- sentence.ideas: clause markers ---
    Case(
        "sentence.ideas",
        "La personne qui organise envoie le sujet, pour qu'il soit bien compris.",
        ("La personne qui organise envoie le sujet, pour qu'il soit bien compris.",),
        severities=("warning",),
    ),
    Case(
        "sentence.ideas",
        "La personne qui vient est mon amie.",
        ("La personne qui vient est mon amie.",),
        severities=("info",),
    ),
    Case(
        "sentence.ideas",
        "Vous venez ; nous payons le train, mais pas le taxi.",
        ("Vous venez ; nous payons le train, mais pas le taxi.",),
        severities=("info",),  # the semicolon alone is not another idea
    ),
    Case(
        "sentence.ideas",
        "Nous payons lorsque vous envoyez le ticket.",
        ("Nous payons lorsque vous envoyez le ticket.",),
    ),
    Case("sentence.ideas", SEED_ORGANISER, (SEED_ORGANISER,), severities=("warning",)),
    Case("sentence.ideas", "Qui vient à la réunion ?"),
    Case("sentence.ideas", "Il est plus grand que moi."),
    Case("sentence.ideas", "Vous ne payez que le repas."),
    Case("sentence.ideas", "Vous venez en tant que témoin."),
    Case("sentence.ideas", "Est-ce que vous venez ?"),
    Case("sentence.ideas", "Nous payons le train et le repas."),
    # --- word.rare: Zipf frequency below 3 ---
    Case("word.rare", "Il faut promouvoir l'horizontalité.", ("l'horizontalité",)),
    Case("word.rare", SEED_MEASURES, ("prônée",)),
    Case("word.rare", SEED_REPRESENTATION, ("calibrée",)),
    Case(
        "word.hard",  # a term of the organisation's glossary is a hard word
        "Nous parlons de la réciprocité et du psychotrauma.",
        ("psychotrauma",),
        suggestions=("une blessure de l'esprit",),
        glossary=(("psychotrauma", "une blessure de l'esprit"),),
    ),
    Case(
        "word.hard",
        "Nous parlons de la blessure.",
        glossary=(("psychotrauma", "une blessure de l'esprit"),),
    ),
    Case("word.rare", "Nous signons le papier."),
    Case("word.rare", "Vous remplissez le formulaire."),
    Case("word.rare", "Madame Kowalczyk vient demain."),
    Case("word.rare", "Le code est 4829."),
    Case("word.rare", "Les salarié·es arrivent."),
    # --- word.long: 5 syllables or more ---
    Case("word.long", "La rémunération arrive.", ("rémunération",), severities=("info",)),
    Case("word.long", "Le remboursement arrive."),
    Case("word.long", "Les frais sont payés."),
    # --- abbreviation ---
    Case(
        "abbreviation",
        "La CAF paie.",
        ("CAF",),
        suggestions=("caisse d'allocations familiales",),
        severities=("warning",),
    ),
    Case(
        "abbreviation",
        "Contactez le CRIJ.",
        ("CRIJ",),
        suggestions=(None,),
        severities=("warning",),
    ),
    Case(
        "abbreviation",
        "Le centre régional information jeunesse (CRIJ) vous aide. Appelez le CRIJ.",
        ("CRIJ", "CRIJ"),
        suggestions=("centre régional information jeunesse",) * 2,
        severities=("warning", "warning"),
    ),
    Case(
        "abbreviation",
        "Le CRIJ (centre régional information jeunesse) vous aide.",
        ("CRIJ",),
        suggestions=("centre régional information jeunesse",),
        severities=("warning",),
    ),
    Case(
        "abbreviation",
        "La maison des jeunes et de la culture (MJC) ouvre à 9 heures.",
        ("MJC",),
        suggestions=("maison des jeunes et de la culture",),
    ),
    Case(
        "abbreviation",
        "Le service des ZZT (MJC) ouvre.",
        ("ZZT", "MJC"),
        severities=("warning", "warning"),
    ),
    Case(
        "abbreviation",
        "Contactez le CRIJ.",
        ("CRIJ",),
        suggestions=("centre d'information pour les jeunes",),
        severities=("warning",),
        glossary=(("CRIJ", "centre d'information pour les jeunes"),),
    ),
    Case(
        "abbreviation",
        "La CAF paie.",
        ("CAF",),
        suggestions=("la caisse qui paie les aides",),
        glossary=(("CAF", "la caisse qui paie les aides"),),
    ),
    Case(
        "abbreviation",
        "Envoyez le papier à la Caf.",
        ("Caf",),
        suggestions=("caisse d'allocations familiales",),
    ),
    Case(
        "abbreviation",
        SEED_DIFFICULTY,
        ("RSA",),
        suggestions=("revenu de solidarité active",),
        severities=("warning",),
    ),
    Case("abbreviation", SEED_MEASURES, ("HCTS",), suggestions=("Haut conseil du travail social",)),
    Case("abbreviation", "La SNCF est en grève.", ("SNCF",)),
    Case("abbreviation", "Il a eu la note A."),
    Case("abbreviation", "Lisez le chapitre IV."),
    Case("abbreviation", "ATTENTION, la salle change."),
    Case("abbreviation", "Vous pouvez venir à la réunion."),
    # --- negation ---
    Case("negation", "Vous ne payez pas le repas.", ("ne payez pas",), severities=("info",)),
    Case("negation", "Vous n'avez rien à payer.", ("n'avez rien",)),
    Case("negation", "Il ne vient plus.", ("ne vient plus",)),
    Case("negation", "Je ne connais personne.", ("ne connais personne",)),
    Case("negation", "Personne ne vient.", ("Personne ne",)),
    Case("negation", "Il ne faut plus jamais payer.", ("ne faut plus jamais",)),
    Case("negation", "Aucun frais à payer.", ("Aucun",)),
    Case("negation", "Jamais le lundi.", ("Jamais",)),
    Case("negation", SEED_DIFFICULTY, ("ne jamais",)),
    Case("negation", SEED_REPRESENTATION, ("ne pas",)),
    Case("negation", "Il ne peut et ne doit plus payer.", ("ne doit plus",)),
    Case("negation", "La personne vient demain."),
    Case("negation", "Il reste plus de 10 places."),
    Case("negation", "Vous ne payez que le repas."),
    Case("negation", "Il ne reste que la personne de garde."),
    # --- passive ---
    Case(
        "passive",
        "Le dossier est étudié par la commission.",
        ("est étudié",),
        severities=("warning",),
    ),
    Case("passive", "Les frais sont remboursés.", ("sont remboursés",), severities=("info",)),
    Case("passive", "Le papier doit être signé.", ("être signé",)),
    Case(
        "passive",
        "Votre demande a été acceptée par la commission.",
        ("été acceptée",),
        severities=("warning",),
    ),
    Case("passive", "Le texte n'est pas encore écrit.", ("n'est pas encore écrit",)),
    Case("passive", "Les participants sont tous invités.", ("sont tous invités",)),
    Case("passive", SEED_REPRESENTATION, ("être calibrée",)),
    Case("passive", SEED_EXPERTS, ("sont invitées", "être rémunérées")),
    Case("passive", "Il est venu hier."),
    Case("passive", "Elle est partie à midi."),
    Case("passive", "Elle s'est inscrite."),
    Case("passive", "Vous vous êtes inscrits."),
    Case("passive", "Le repas est gratuit."),
    Case("passive", "Il est midi."),
    Case("passive", "C'est fini."),
    Case("passive", "Cet été, nous partons."),
    Case("passive", "Votre dossier est complet."),
    Case("passive", SEED_INSTANCES),
    # --- number.words ---
    Case("number.words", "Il y a trois salles.", ("trois",), suggestions=("3",)),
    Case("number.words", "J'ai vingt-trois ans.", ("vingt-trois",), suggestions=("23",)),
    Case(
        "number.words",
        "Il faut deux cent quatre-vingts euros.",
        ("deux cent quatre-vingts",),
        suggestions=("280",),
    ),
    Case(
        "number.words",
        "Nous sommes soixante et onze.",
        ("soixante et onze",),
        suggestions=("71",),
    ),
    Case(
        "number.words",
        "Le prix est de quatre-vingt-dix euros.",
        ("quatre-vingt-dix",),
        suggestions=("90",),
    ),
    Case(
        "number.words",
        "Nous avons reçu vingt mille lettres.",
        ("vingt mille",),
        suggestions=("20 000",),
    ),
    Case("number.words", "Un million de personnes.", ("Un million",), suggestions=("1 million",)),
    Case("number.words", "Neuf personnes viennent.", ("Neuf",), suggestions=("9",)),
    Case("number.words", SEED_MEASURES, ("dix",), suggestions=("10",)),
    Case("number.words", "Un vélo neuf."),
    Case("number.words", "Des millions de personnes votent."),
    Case("number.words", "Une personne vient."),
    Case("number.words", "Il a 3 enfants."),
    Case("number.words", "Je vais peut-être venir."),
    # --- percentage ---
    Case(
        "percentage", "Environ 25 % des places restent libres.", ("25 %",), suggestions=("1 sur 4",)
    ),
    Case(
        "percentage",
        "Cinquante pour cent des gens votent.",
        ("Cinquante pour cent",),
        suggestions=("la moitié",),
    ),
    Case("percentage", "Le taux est de 12,5%.", ("12,5%",), suggestions=(None,)),
    Case("percentage", "Une salle pour cent personnes."),
    Case("percentage", "Il a 25 ans."),
    Case("percentage", "Lisez https://exemple.fr/t%C3%A9l%C3%A9 demain."),
    Case("word.rare", "Écrivez à prenom.nomdefamille@exemple.fr demain."),
    # --- roman ---
    Case("roman", "Au XXe siècle, les droits changent.", ("XXe",), suggestions=("20e",)),
    Case("roman", "Lisez le chapitre IV.", ("IV",), suggestions=("4",)),
    Case("roman", "Louis XIV aimait danser.", ("XIV",), suggestions=("14",)),
    Case("roman", "Le Ier arrondissement est petit.", ("Ier",), suggestions=("1er",)),
    Case("roman", "Lisez le chapitre I.", ("I",), suggestions=("1",)),
    Case("roman", "Il vit au XIXe siècle.", ("XIXe",), suggestions=("19e",)),
    Case("roman", "Il a eu la note A."),
    Case("roman", "I like it."),
    Case("roman", "Le CV est prêt."),
    Case("roman", "Prenez de la vitamine C."),
    Case("roman", "De plus, le chemin est long."),
    Case("roman", "La taille XL est en stock."),
    Case("roman", "Il a une idée."),
    # --- date.numeric ---
    Case(
        "date.numeric",
        "Le rendez-vous est le 12/03/2024.",
        ("12/03/2024",),
        suggestions=("12 mars 2024",),
    ),
    Case("date.numeric", "Début le 2024-03-01.", ("2024-03-01",), suggestions=("1er mars 2024",)),
    Case("date.numeric", "Fin le 12.03.24 à midi.", ("12.03.24",), suggestions=("12 mars 2024",)),
    Case("date.numeric", "Fin le 5-6-2025.", ("5-6-2025",), suggestions=("5 juin 2025",)),
    Case("date.numeric", "Le prix est 12.50 euros."),
    Case("date.numeric", "Sa note est 10/20."),
    Case("date.numeric", "Le 31/02/2024 n'existe pas."),
    Case("date.numeric", "Appelez le 01.02.03.04.05."),
    Case("date.numeric", "La réunion est le 3 mars."),
    # --- capitals ---
    Case("capitals", "ATTENTION, la salle change.", ("ATTENTION",), severities=("warning",)),
    Case("capitals", "NE PAS OUBLIER VOTRE CARTE.", ("NE PAS OUBLIER VOTRE CARTE",)),
    Case("capitals", "LES ACTIONS REALISEES", ("LES ACTIONS REALISEES",)),
    Case("abbreviation", "LES ACTIONS REALISEES"),
    Case("capitals", "La CAF paie."),
    Case("capitals", "La SNCF est en grève."),
    Case("capitals", "Le HCTS se réunit."),
    Case("capitals", "Au XXe siècle, tout change."),
    Case("capitals", "Vous pouvez venir à la réunion."),
    # --- parentheses ---
    Case(
        "parentheses",
        "Apportez vos papiers (carte d'identité, facture).",
        ("(carte d'identité, facture)",),
        severities=("info",),
    ),
    Case("parentheses", SEED_HORIZONTALITY, ("(personnes de confiance)",)),
    Case("parentheses", "1) Lisez le texte."),
    # --- inclusive_dot ---
    Case(
        "inclusive_dot",
        "Les salarié·es arrivent.",
        ("salarié·es",),
        suggestions=("salariées et salariés",),
    ),
    Case("inclusive_dot", "Bonjour à tou·te·s.", ("tou·te·s",), suggestions=("toutes et tous",)),
    Case(
        "inclusive_dot",
        "Les usager.ère.s votent.",
        ("usager.ère.s",),
        suggestions=("usagères et usagers",),
    ),
    Case(
        "inclusive_dot",
        "Les acteur·rice·s parlent.",
        ("acteur·rice·s",),
        suggestions=("actrices et acteurs",),
    ),
    Case("inclusive_dot", "Les élu.e.s votent.", ("élu.e.s",), suggestions=("élues et élus",)),
    Case(
        "inclusive_dot",
        "Les conseillers.ères répondent.",
        ("conseillers.ères",),
        suggestions=("conseillères et conseillers",),
    ),
    Case("inclusive_dot", "Voir le site parole.fr demain."),
    Case("inclusive_dot", "Il coûte 12.50 euros."),
    Case("inclusive_dot", "Fin. Début."),
)

# split_sentences: text and the sentences expected, in order.
SPLITS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("M. Dupont arrive. Il est content.", ("M. Dupont arrive.", "Il est content.")),
    (
        "Le prix est 12,50 euros. Payez à l'accueil.",
        ("Le prix est 12,50 euros.", "Payez à l'accueil."),
    ),
    ("Le taux est de 3.5 %. Il monte.", ("Le taux est de 3.5 %.", "Il monte.")),
    ("Voir p. 4 du guide. Merci !", ("Voir p. 4 du guide.", "Merci !")),
    (
        "Apportez vos papiers, etc. Nous les gardons.",
        ("Apportez vos papiers, etc.", "Nous les gardons."),
    ),
    ("Apportez vos papiers, etc. et votre carte.", ("Apportez vos papiers, etc. et votre carte.",)),
    (
        "Vous venez ? Oui ! Très bien… À demain.",
        ("Vous venez ?", "Oui !", "Très bien…", "À demain."),
    ),
    ("Première ligne\nDeuxième ligne", ("Première ligne", "Deuxième ligne")),
    ("une phrase coupée\nen deux lignes.", ("une phrase coupée\nen deux lignes.",)),
    ("un paragraphe\n\nun autre", ("un paragraphe", "un autre")),
    ("1. Lisez le texte.\n2. Signez.", ("1. Lisez le texte.", "2. Signez.")),
    ("- Point un\n- Point deux", ("Point un", "Point deux")),
    ("Elle dit : « Venez. » Puis elle part.", ("Elle dit : « Venez. »", "Puis elle part.")),
    ("", ()),
    ("   \n\n  … ", ()),
)

# Texts for the readability order (compared with textstat's French Flesch).
READABILITY_EASY = (
    "Vous pouvez venir à la réunion. La réunion est le 3 mars. Nous payons votre train.",
    "Le repas est gratuit. Vous pouvez venir avec un ami. Nous vous attendons.",
    "Vous avez une question ? Appelez Marie. Elle peut vous aider.",
    "Lisez le texte. Dites ce que vous pensez. Votre avis compte pour nous.",
    "La salle est au premier étage. Il y a un ascenseur. Vous pouvez venir en fauteuil.",
)
READABILITY_HARD = (
    SEED_CONTRIBUTION,
    SEED_REPRESENTATION,
    SEED_INSTANCES,
    "Il apparait nécessaire de promouvoir l’horizontalité et la réciprocité entre toutes les "
    "parties prenantes impliquées dans la construction des réponses aux besoins des personnes en "
    "situation de vulnérabilité.",
    "Simplifier les circuits administratifs et adopter un langage facile à lire et à comprendre "
    "pour obtenir le remboursement des frais inhérents à la participation et pour éviter "
    "l’avance de frais.",
)

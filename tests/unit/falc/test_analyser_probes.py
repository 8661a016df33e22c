"""Probes of the easy-read analyser on the French language model: for each rule, short French
texts where it must speak and where it must stay silent (false alarms that people noticed).

Each table row is (text, expected): True when the rule must find something in the text.
The model loads once per process (app.falc.language); every probe is analysed once.
"""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

import pytest

from app.falc import language
from app.falc.analyser import analyse
from tests.conftest import WAIT

pytestmark = pytest.mark.skipif(
    language.nlp() is None, reason="the French language model is not installed"
)


@lru_cache(maxsize=1024)
def _found(text: str, rule: str, severity: str | None) -> bool:
    return any(
        f.rule == rule and (severity is None or f.severity == severity)
        for f in analyse(text).findings
    )


def _probe(rule: str, table):
    """One row per probe; `rule` names the rule the table is about (for the reader)."""
    return pytest.mark.parametrize(("text", "expected"), table, ids=[t for t, _ in table])


PASSIVE = [
    ("Le dossier est étudié par la commission.", True),
    ("Les personnes sont reçues par l'éducatrice.", True),
    ("La décision a été prise par le juge.", True),
    ("Le repas sera payé par l'association.", True),
    ("Votre demande est examinée par la CAF.", True),
    ("Le texte est relu par des personnes accompagnées.", True),
    ("La salle est ouverte.", False),
    ("Le repas est compris.", False),
    ("Le bureau est fermé le lundi.", False),
    ("Il est midi.", False),
    ("Vous êtes venus à la réunion.", False),
    ("Ils se sont inscrits hier.", False),
    ("La commission étudie le dossier.", False),
    ("Nous sommes contents de vous voir.", False),
]


@_probe("passive", PASSIVE)
def test_passive_with_agent_is_a_warning_states_are_not_passive(text, expected):
    assert _found(text, "passive", "warning") is expected
    if text in {"La salle est ouverte.", "Le repas est compris.", "Le bureau est fermé le lundi."}:
        assert not _found(text, "passive", None)


DOUBLE_NEGATION = [
    ("Vous ne pouvez pas ne pas venir.", True),
    ("Il n'est pas impossible de venir.", True),
    ("Ce n'est pas inutile.", True),
    ("Nous ne pouvons pas ne pas répondre.", True),
    ("Vous ne venez pas sans votre carte.", True),
    ("Il n'est pas interdit de parler.", True),
    ("Aucune inscription n'attend plus.", False),
    ("Vous ne pouvez plus inviter personne.", False),
    ("Vous ne venez pas.", False),
    ("Je ne viens pas et il ne vient pas.", False),
    ("Vous pouvez venir.", False),
    ("Il ne pleut pas, mais il ne fait pas beau.", False),
    ("Ce n'est pas grave.", False),
    ("Vous ne payez rien.", False),
]


@_probe("negation.double", DOUBLE_NEGATION)
def test_double_negation_is_a_warning(text, expected):
    assert _found(text, "negation.double", "warning") is expected


TIMES = [
    ("La réunion commence à 14h30.", True),
    ("Rendez-vous à 9h.", True),
    ("Le bus part à 14:30.", True),
    ("Venez à 18H15.", True),
    ("Le bureau ouvre à 8h00.", True),
    ("Nous finissons à 17h45 le mardi.", True),
    ("La réunion commence à 14 h 30.", False),
    ("Venez à 9 heures.", False),
    ("Le code est 1430.", False),
    ("Voir le 2:1 du texte 12:345.", False),
    ("Il a 14 ans.", False),
]


@_probe("time", TIMES)
def test_times_are_written_with_spaces(text, expected):
    assert _found(text, "time", "warning") is expected


def test_time_suggestion_is_the_plain_form():
    report = analyse("Venez à 14h30 ou à 9h00. Le bus part à 18:05.")
    assert [f.suggestion for f in report.findings if f.rule == "time"] == [
        "14 h 30",
        "9 h",
        "18 h 05",
    ]


MONEY = [
    ("Le repas coûte 12 €.", True),
    ("Le prix est de 12,50€.", True),
    ("Nous payons € 20 par jour.", True),
    ("Le billet coûte 30 EUR.", True),
    ("Le repas coûte 12 euros.", False),
    ("Le prix est de 12,50 euros.", False),
    ("Nous payons le train.", False),
]


@_probe("money.sign", MONEY)
def test_the_euro_sign_is_written_as_a_word(text, expected):
    assert _found(text, "money.sign", "warning") is expected


LARGE = [
    ("Le budget est de 1 250 000 euros.", True),
    ("La ville donne 2 340 000 euros.", True),
    ("Il y a 12 450 personnes.", True),
    ("Le projet coûte 1250000 euros.", True),
    ("Le budget est de 3 000 000 euros.", True),  # "3 millions d'euros" reads better
    ("Il y a 12 000 personnes.", False),
    ("Nous sommes en 2026.", False),
    ("Le repas coûte 12 euros.", False),
    ("Votre numéro est le 4829.", False),
    ("Écrivez au 12 rue Haute, 75001 Paris.", False),
    ("Appelez le 0612345678.", False),
]


@_probe("number.large", LARGE)
def test_large_amounts_are_rounded(text, expected):
    assert _found(text, "number.large", "warning") is expected


def test_large_amount_suggestion_says_more_than_a_million():
    report = analyse("Le budget est de 1 250 000 euros. La ville donne 2 340 000 euros.")
    assert [f.suggestion for f in report.findings if f.rule == "number.large"] == [
        "plus d'1 million d'euros",
        "plus de 2 millions d'euros",
    ]
    sign = analyse("Le repas coûte 12 €.").findings
    assert [f.suggestion for f in sign if f.rule == "money.sign"] == ["12 euros"]


AND_OR = [
    ("Venez avec votre mère et/ou votre père.", True),
    ("Vous pouvez écrire et / ou parler.", True),
    ("Appelez ET/OU écrivez.", True),
    ("Venez avec votre mère ou votre père.", False),
    ("Venez avec votre mère et votre père.", False),
]


@_probe("and_or", AND_OR)
def test_and_or_is_a_warning(text, expected):
    assert _found(text, "and_or", "warning") is expected


ETC = [
    ("Apportez vos papiers, vos photos, etc.", True),
    ("Nous payons le train, le bus, etc. Vous gardez les tickets.", True),
    ("Il y a des fruits, des légumes, etc...", True),
    ("Apportez vos papiers et vos photos.", False),
    ("Le cetcetera est un mot inventé.", False),
]


@_probe("etc", ETC)
def test_etc_is_a_warning(text, expected):
    assert _found(text, "etc", "warning") is expected


NO_YEAR = [
    ("La réunion a lieu le 12/03.", True),
    ("Venez le 01/09 à la mairie.", True),
    ("Le rendez-vous est le 25/12.", True),
    ("La réunion a lieu le 12 mars 2027.", False),
    ("La réunion a lieu le 12/03/2027.", False),
    ("Une personne sur 4 vient, soit 1/4.", False),
    ("Le score est de 45/60.", False),
]


@_probe("date.no_year", NO_YEAR)
def test_dates_without_a_year_are_a_warning(text, expected):
    assert _found(text, "date.no_year", "warning") is expected


STEPS = [
    ("Remplissez le papier, puis signez-le, ensuite envoyez-le.", True),
    ("D'abord vous lisez, puis vous signez.", True),
    ("Lisez le texte, ensuite répondez, enfin envoyez.", True),
    ("Vous lisez, et après vous signez, puis vous envoyez.", True),
    ("Remplissez le papier. Puis signez-le.", False),
    ("Vous venez après le repas, puis vous partez.", False),
    ("Ensuite, vous rentrez chez vous.", False),
    ("Les plus urgents d'abord, puis les plus anciens.", False),
]


@_probe("sentence.steps", STEPS)
def test_several_steps_in_one_sentence_are_a_warning(text, expected):
    assert _found(text, "sentence.steps", "warning") is expected


INITIALS = [
    ("La MDPH notifie l'AAH.", True),
    ("La CAF paie le RSA.", True),
    ("Le revenu de solidarité active (RSA) aide les gens.", True),
    ("Le CCAS vous aide.", True),
    ("Contactez le CRIJ.", True),
    ("La caisse d'allocations familiales paie.", False),
    ("Lisez le chapitre IV.", False),
    ("Il a eu la note A.", False),
    ("Vous pouvez venir à la réunion.", False),
]


@_probe("abbreviation", INITIALS)
def test_initials_are_a_warning_even_when_explained(text, expected):
    assert _found(text, "abbreviation", "warning") is expected


NUMBERS = [
    ("Vingt-trois personnes sont inscrites.", True),
    ("Il y a trois salles.", True),
    ("Nous avons cinq places.", True),
    ("Les deux sont invités.", False),
    ("Les deux ont voté.", False),
    ("Je suis d'accord à cent pour cent.", False),
    ("Un vélo neuf arrive.", False),
]


@_probe("number.words", NUMBERS)
def test_numbers_in_words_except_both_and_completely(text, expected):
    assert _found(text, "number.words", "warning") is expected


PERCENT = [
    ("Il reste 25 % des places.", True),
    ("Vingt pour cent des gens viennent.", True),
    ("Je suis d'accord à cent pour cent.", False),
    ("Une salle pour cent personnes.", False),
]


@_probe("percentage", PERCENT)
def test_percentages_except_cent_pour_cent(text, expected):
    assert _found(text, "percentage", "warning") is expected


IDEAS = [
    ("La personne qui organise envoie le sujet, pour qu'il soit bien compris.", True),
    ("Nous payons le train lorsque vous venez, mais vous payez le repas quand vous restez.", True),
    (
        "Le conseil, qui a adopté le schéma, souhaite recueillir l'avis des personnes afin "
        "d'améliorer l'accueil.",
        True,
    ),
    ("Nous payons le train ; le bus ; le repas.", False),
    ("Vous pouvez apporter : vos papiers ; votre carte ; une photo.", False),
    ("Nous payons le train et le repas.", False),
    ("Vous venez demain.", False),
    ("Il est plus grand que moi.", False),
]


@_probe("sentence.ideas", IDEAS)
def test_many_ideas_are_a_warning_semicolon_lists_are_not(text, expected):
    assert _found(text, "sentence.ideas", "warning") is expected


ABSTRACT = [
    ("Dynamiser les interactions dans une perspective durable.", True),
    ("Favoriser la coordination dans une logique de co-construction.", True),
    ("Retirer l'invitation de Marie.", False),
    ("Vos invitations aux consultations", False),
    ("Choisissez une question de cette consultation.", False),
    (
        "La mutualisation des ressources permet l'optimisation de la coordination des actions.",
        True,
    ),
    ("Le logement", False),
    ("Un appartement", False),
    ("Remplir le papier.", False),
    ("Vous venez à la réunion.", False),
    ("Nous parlons du logement.", False),
]


@_probe("sentence.abstract", ABSTRACT)
def test_abstract_style_is_a_warning_labels_are_not(text, expected):
    assert _found(text, "sentence.abstract", "warning") is expected


RARE = [
    ("Il faut promouvoir l'horizontalité.", True),
    ("La mesure est prônée par le conseil.", True),
    ("Le relecteur lit le texte.", False),
    ("L'éducatrice vient demain.", False),
    ("Nous signons le papier.", False),
    ("Madame Kowalczyk vient demain.", False),
]


@_probe("word.rare", RARE)
def test_rare_words_but_not_everyday_platform_words(text, expected):
    if not expected and text.split()[0] in {"Le", "L'éducatrice"}:
        from app.falc.analyser import _base_words

        if not _base_words().everyday:
            pytest.skip("the everyday-words list (app/falc/data/everyday_words.csv) is empty")
    assert _found(text, "word.rare", "warning") is expected


GLOSSARY = {
    "modalité": "façon de faire",
    "psychotrauma": "blessure de l'esprit",
    "à l'instar de": "comme",
    "CLSPD": "conseil local de sécurité et de prévention de la délinquance",
}
GLOSSARY_WORDS = [
    ("Voici les modalités de paiement.", "word.hard", True),
    ("La modalité change.", "word.hard", True),
    ("Nous parlons du psychotrauma.", "word.hard", True),
    ("Nous parlons des psychotraumas.", "word.hard", True),
    ("Nous payons, à l'instar de la mairie.", "phrase.hard", True),
    ("À l’instar de la mairie, nous payons.", "phrase.hard", True),
    ("Le CLSPD vous aide.", "abbreviation", True),
    ("Voici la façon de faire.", "word.hard", False),
    ("Nous parlons de la blessure.", "word.hard", False),
    ("Nous payons comme la mairie.", "phrase.hard", False),
    ("L'instar est un mot rare.", "phrase.hard", False),
]


@pytest.mark.parametrize(
    ("text", "rule", "expected"), GLOSSARY_WORDS, ids=[t for t, _, _ in GLOSSARY_WORDS]
)
def test_the_organisation_glossary_adds_hard_words_and_phrases(text, rule, expected):
    found = [
        f for f in analyse(text, GLOSSARY).findings if f.rule == rule and f.severity == "warning"
    ]
    assert bool(found) is expected
    if expected and rule != "abbreviation":
        term = (
            next(k for k in GLOSSARY if k.lower() in text.lower().replace("’", "'")[:200])
            if (rule == "phrase.hard")
            else None
        )
        assert found[0].suggestion in GLOSSARY.values() or (
            found[0].suggestion is None and found[0].alternatives[0] in GLOSSARY.values()
        )
        assert term is None or found[0].suggestion == GLOSSARY[term]


def test_an_inflected_phrase_is_found_through_its_lemmas_without_a_one_click_replacement():
    glossary = {"remplir le dossier rose": "remplir le papier de demande"}
    as_written = analyse("Vous allez remplir le dossier rose.", glossary).findings
    assert [(f.rule, f.suggestion) for f in as_written if f.rule == "phrase.hard"] == [
        ("phrase.hard", "remplir le papier de demande")
    ]
    text = "Il remplit le dossier rose."
    inflected = [f for f in analyse(text, glossary).findings if f.rule == "phrase.hard"]
    assert [(text[f.start : f.end], f.suggestion, f.alternatives) for f in inflected] == [
        ("remplit le dossier rose", None, ("remplir le papier de demande",))
    ]


def test_a_hard_word_in_another_form_gets_a_hint_not_a_one_click_replacement():
    glossary = {"modalité": "façon de faire", "régulariser": "corriger"}
    text = "La modalité change. Les modalités changent. Le dossier est régularisé."
    found = [
        (text[f.start : f.end], f.suggestion, f.alternatives)
        for f in analyse(text, glossary).findings
        if f.rule == "word.hard"
    ]
    assert found == [
        ("modalité", "façon de faire", ()),
        ("modalités", None, ("façon de faire",)),
        ("régularisé", None, ("corriger",)),
    ]


def test_a_word_is_hard_only_in_the_sense_of_its_lemma():
    glossary = {"arrêté": "décision officielle"}
    noun = analyse("Le maire signe un arrêté.", glossary).findings
    verb = analyse("Le bus est arrêté devant la gare.", glossary).findings
    assert [f.rule for f in noun if f.rule == "word.hard"] == ["word.hard"]
    assert [f.rule for f in verb if f.rule == "word.hard"] == []


def test_a_glossary_word_is_not_also_a_rare_word():
    report = analyse("Nous parlons du psychotrauma.", GLOSSARY)
    assert [(f.rule, f.suggestion) for f in report.findings if f.severity != "info"] == [
        ("word.hard", "blessure de l'esprit")
    ]


LAYERS = [
    (
        "Le conseil qui a adopté le plan que la ville a écrit pour les personnes qui vivent "
        "dans les quartiers où les loyers sont chers veut votre avis.",
        "sentence.depth",
        True,
    ),
    ("Apportez votre carte, votre photo, votre facture et votre ticket.", "sentence.list", True),
    (
        "Nous payons le train, le bus, le taxi, le repas et la garde des enfants.",
        "sentence.list",
        True,
    ),
    ("Vous venez demain.", "sentence.depth", False),
    ("La personne qui vient est mon amie.", "sentence.depth", False),
    ("Nous payons le train et le bus.", "sentence.list", False),
    ("Vous venez avec votre mère ou votre père.", "sentence.list", False),
    ("Vous venez, nous payons, et tout le monde est content.", "sentence.list", False),
]


@pytest.mark.parametrize(("text", "rule", "expected"), LAYERS, ids=[t for t, _, _ in LAYERS])
def test_deep_sentences_and_long_lists_are_worth_a_look(text, rule, expected):
    assert _found(text, rule, "info") is expected


# --- Score, band, counts, summary -----------------------------------------------------------

NOT_EASY = [
    "La MDPH notifie l'AAH à la personne.",
    "La CAF, le RSA, l'AAH et le CCAS vous aident.",
    "Le CCAS verse le RSA. La CAF paie l'AAH.",
    "Dynamiser les interactions dans une perspective durable.",
    "Vous ne pouvez pas ne pas venir.",
    "Le dossier est étudié par la commission le 12/03.",
    "Le repas coûte 12 €, etc.",
    (
        "Le conseil départemental, qui a adopté le schéma départemental d'insertion, souhaite "
        "recueillir l'avis des personnes concernées par le revenu de solidarité active afin "
        "d'améliorer l'accompagnement proposé par les services."
    ),
]


@pytest.mark.parametrize("text", NOT_EASY)
def test_texts_with_warnings_never_score_as_easy(text):
    report = analyse(text)
    assert report.band in {"to_simplify", "hard"}
    assert report.score < 75
    assert report.counts["warning"] + report.counts["alert"] >= 1


EASY = [
    "Vous venez à la réunion. Nous payons le train.",
    "La salle est ouverte. Le repas est compris.",
    "Les deux sont invités. Vous pouvez venir avec une amie.",
    "La réunion commence à 14 h 30. Le repas coûte 12 euros.",
]


@pytest.mark.parametrize("text", EASY)
def test_plain_texts_score_as_easy(text):
    report = analyse(text)
    assert report.band == "easy" and report.score >= 75, [
        (f.rule, f.severity) for f in report.findings
    ]


def test_a_long_administrative_text_is_hard():
    text = " ".join(NOT_EASY[-1:] * 3)
    report = analyse(text)
    assert report.band == "hard" and report.score < 50


def test_counts_are_the_findings_per_severity():
    report = analyse(NOT_EASY[-1] + " " + NOT_EASY[0])
    for severity in ("info", "warning", "alert"):
        assert report.counts[severity] == sum(1 for f in report.findings if f.severity == severity)


def test_the_summary_never_says_no_problem_while_a_finding_remains(app):
    from flask_babel import force_locale

    with app.test_request_context(), force_locale("en"):
        info_only = analyse("Les deux sont invités.")
        assert info_only.findings and info_only.counts["warning"] == 0
        assert "No problem" not in str(info_only.summary)
        assert "1 point" in str(info_only.summary)
        clean = analyse("Vous venez demain.")
        assert not clean.findings and "No problem" in str(clean.summary)


def test_the_report_says_whether_the_model_ran():
    assert analyse("La salle est ouverte.").model_used is True
    assert analyse("").model_used is True  # an empty text is no sign of a missing model
    fallback = analyse("La salle est ouverte.", use_model=False)
    assert fallback.model_used is False
    assert fallback.band in {"easy", "to_simplify", "hard"} and 0 <= fallback.score <= 100


def test_the_model_loads_once_per_process():
    assert language.nlp() is language.nlp()
    assert "ner" not in language.nlp().pipe_names
    assert language.lemma_of("modalités") == "modalité"


# --- The lexicon (app/falc/lexicon.py and app/falc/data/): rows whose entry is not in the
# data are skipped, so that the table keeps working while the data grows.

LEXICON = [
    ("Voici les modalités de paiement.", "word.hard", "modalité", True),
    ("Nous payons, à l'instar de la mairie.", "phrase.hard", "à l'instar de", True),
    ("Le train coûte les yeux de la tête.", "idiom", "coûter les yeux de la tête", True),
    ("Ce voyage m'a coûté les yeux de la tête.", "idiom", "coûter les yeux de la tête", True),
    ("Il pleut des cordes.", "idiom", "pleuvoir des cordes", True),
    ("Le train coûte très cher.", "idiom", "coûter les yeux de la tête", False),
    ("Voici les façons de faire.", "word.hard", "modalité", False),
    ("Nous payons comme la mairie.", "phrase.hard", "à l'instar de", False),
]


def _in_lexicon(term: str) -> bool:
    from app.falc.analyser import _base_words

    words = _base_words()
    return term in words.hard or any(phrase == term for phrase, _, _ in words.phrases)


@pytest.mark.parametrize(
    ("text", "rule", "term", "expected"), LEXICON, ids=[t for t, _, _, _ in LEXICON]
)
def test_lexicon_words_phrases_and_idioms_are_warnings_with_a_replacement(
    text, rule, term, expected
):
    if not _in_lexicon(term):
        pytest.skip(f"{term!r} is not in the lexicon's data")
    found = [f for f in analyse(text).findings if f.rule == rule and f.severity == "warning"]
    assert bool(found) is expected
    if expected:
        assert found[0].suggestion or found[0].alternatives


# --- Without the model: the pure Python rules still find the plain problems ------------------

FALLBACK = [
    ("La réunion commence à 14h30.", "time", True),
    ("Le repas coûte 12 €.", "money.sign", True),
    ("Venez avec votre mère et/ou votre père.", "and_or", True),
    ("Vous ne pouvez pas ne pas venir.", "negation.double", True),
    ("La MDPH notifie l'AAH.", "abbreviation", True),
    ("Remplissez le papier, puis signez-le, ensuite envoyez-le.", "sentence.steps", True),
    ("Nous payons le train ; le bus ; le repas.", "sentence.ideas", False),
    ("Les deux sont invités.", "number.words", False),
    ("Je suis d'accord à cent pour cent.", "percentage", False),
    ("La réunion commence à 14 h 30.", "time", False),
]


@pytest.mark.parametrize(("text", "rule", "expected"), FALLBACK, ids=[t for t, _, _ in FALLBACK])
def test_pure_python_rules_without_the_model(text, rule, expected):
    report = analyse(text, use_model=False)
    assert report.model_used is False
    assert any(f.rule == rule and f.severity == "warning" for f in report.findings) is expected


def test_without_the_model_the_report_says_so_and_the_rules_still_run():
    # A real process where the model's package name cannot be found: no mock.
    code = (
        "from app.falc import language\n"
        "language.MODEL_NAME = 'fr_missing_model'\n"
        "from app.falc.analyser import analyse\n"
        "report = analyse('Rendez-vous à 14h30 à la MDPH.')\n"
        "print(language.nlp(), report.model_used, language.lemma_of('Modalités'),\n"
        "      sorted({f.rule for f in report.findings}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=WAIT,
        cwd=Path(__file__).resolve().parents[3],
        check=True,
    )
    assert result.stdout.strip() == "None False modalité ['abbreviation', 'time']"


def test_the_model_can_be_used_from_several_threads():
    texts = ["Le dossier est étudié par la commission.", "Vous ne pouvez pas ne pas venir."] * 4
    expected = [sorted(f.rule for f in analyse(text).findings) for text in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda t: sorted(f.rule for f in analyse(t).findings), texts))
    assert results == expected

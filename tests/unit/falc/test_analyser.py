"""The FALC analyser: each rule on the corpus, sentence splitting, scores and the report."""

from __future__ import annotations

import dataclasses

import pytest
import textstat

from app.falc.analyser import (
    DEFAULT_GLOSSARY,
    Finding,
    Report,
    SentenceReport,
    analyse,
    kandel_moles,
    split_sentences,
)
from tests.unit.falc.corpus import (
    CASES,
    EASY,
    READABILITY_EASY,
    READABILITY_HARD,
    SEED,
    SPLITS,
    Case,
)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_rule_finds_exactly_the_expected_spans(case: Case) -> None:
    report = analyse(case.text, dict(case.glossary) or None)
    found = [f for f in report.findings if f.rule == case.rule]
    assert [case.text[f.start : f.end] for f in found] == list(case.spans)
    if case.suggestions is not None:
        assert [f.suggestion for f in found] == list(case.suggestions)
    if case.severities is not None:
        assert [f.severity for f in found] == list(case.severities)


def test_corpus_covers_every_rule_both_ways() -> None:
    rules = {
        "sentence.long", "sentence.too_long", "sentence.ideas", "word.rare", "word.long",
        "abbreviation", "negation", "passive", "number.words", "percentage", "roman",
        "date.numeric", "capitals", "parentheses", "inclusive_dot", "word.hard",
    }  # fmt: skip
    assert {case.rule for case in CASES if case.spans} == rules
    assert {case.rule for case in CASES if not case.spans} == rules


@pytest.mark.parametrize("sentence", EASY)
def test_easy_sentence_has_no_warning(sentence: str) -> None:
    report = analyse(sentence)
    assert [f.rule for f in report.findings if f.severity != "info"] == []
    assert [s.level for s in report.sentences] == ["ok"]


def test_easy_text_is_not_flagged_at_all() -> None:
    report = analyse("\n".join(EASY))
    assert len(report.sentences) == len(EASY)
    assert report.share_flagged == 0.0


@pytest.mark.parametrize("sentence", SEED, ids=[s[:30] for s in SEED])
def test_seed_sentence_is_flagged_as_long(sentence: str) -> None:
    report = analyse(sentence)
    assert len(report.sentences) == 1
    assert report.sentences[0].level in {"warning", "alert"}
    assert {f.rule for f in report.findings} & {"sentence.long", "sentence.too_long"}


@pytest.mark.parametrize(("text", "expected"), SPLITS, ids=[t[:30] or "empty" for t, _ in SPLITS])
def test_split_sentences(text: str, expected: tuple[str, ...]) -> None:
    assert tuple(text[start:end] for start, end in split_sentences(text)) == expected


def test_findings_point_into_their_sentence() -> None:
    text = "\n".join(case.text for case in CASES)
    report = analyse(text)
    assert report.findings
    for finding in report.findings:
        sentence = report.sentences[finding.sentence]
        assert sentence.start <= finding.start < finding.end <= sentence.end
        assert finding in sentence.findings
    assert list(report.findings) == [f for s in report.sentences for f in s.findings]
    assert all(text[s.start : s.end] == s.text for s in report.sentences)


def test_sentence_level_is_the_worst_severity() -> None:
    text = (
        "Vous ne payez pas.\n"  # info only: ok
        "Il y a trois salles.\n"  # warning
        "Vous pouvez venir avec un ami à la réunion de mardi soir prochain dans la grande "
        "salle de la mairie centrale."  # alert
    )
    report = analyse(text)
    assert [s.level for s in report.sentences] == ["ok", "warning", "alert"]
    assert report.share_flagged == pytest.approx(2 / 3)


def test_report_counts_words_and_sentence_length() -> None:
    report = analyse("Vous venez demain. Nous payons le train et le repas.")
    assert [s.words for s in report.sentences] == [3, 7]
    assert report.words == 10
    assert report.average_sentence_length == 5.0
    assert report.summary is not None


def test_empty_text_gives_an_empty_report() -> None:
    report = analyse("  \n ")
    assert report.sentences == () and report.findings == ()
    assert (report.words, report.score, report.share_flagged) == (0, 0.0, 0.0)
    assert kandel_moles("") == 0.0


def test_kandel_moles_applies_the_formula() -> None:
    # "Vous venez demain." + "Il vient." : 5 words, 2 sentences; pyphen gives
    # vous 1, ve-nez 2, de-main 2, il 1, vient 1 = 7 syllables.
    expected = 207 - 1.015 * (5 / 2) - 73.6 * (7 / 5)
    assert kandel_moles("Vous venez demain. Il vient.") == pytest.approx(expected)
    assert analyse("Vous venez demain. Il vient.").readability == pytest.approx(expected)


def _ranks(values: list[float]) -> list[float]:
    """Ranks from 1, ties sharing their average rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def _spearman(a: list[float], b: list[float]) -> float:
    ra, rb = _ranks(a), _ranks(b)
    mean = (len(a) + 1) / 2
    cov = sum((x - mean) * (y - mean) for x, y in zip(ra, rb, strict=True))
    var_a = sum((x - mean) ** 2 for x in ra)
    var_b = sum((y - mean) ** 2 for y in rb)
    return cov / (var_a * var_b) ** 0.5


def test_score_order_matches_textstat_french_flesch() -> None:
    # We do not require the exact same order: textstat counts syllables of "l'avance" as
    # "lavance" and drops sentences of 2 words or fewer, so close scores may swap. We require
    # instead that every easy text scores above every hard one, a Spearman rank correlation of
    # at least 0.9 with textstat, and scores within 5 points of textstat's (same formula).
    textstat.set_lang("fr")
    texts = [*READABILITY_EASY, *READABILITY_HARD]
    ours = [kandel_moles(text) for text in texts]
    reference = [textstat.flesch_reading_ease(text) for text in texts]
    easy, hard = ours[: len(READABILITY_EASY)], ours[len(READABILITY_EASY) :]
    assert min(easy) > max(hard)
    assert _spearman(ours, reference) >= 0.9
    assert all(abs(x - y) <= 5 for x, y in zip(ours, reference, strict=True))


def test_glossary_argument_merges_over_the_default() -> None:
    glossary = {"CRIJ": "centre d'information pour les jeunes"}
    report = analyse("Le CRIJ et la CAF vous aident.", glossary)
    assert [
        (f.rule, f.severity, f.suggestion) for f in report.findings if f.rule == "abbreviation"
    ] == [
        ("abbreviation", "warning", "centre d'information pour les jeunes"),
        ("abbreviation", "warning", DEFAULT_GLOSSARY["CAF"]),
    ]
    assert "CRIJ" not in DEFAULT_GLOSSARY  # the caller's glossary is not stored


def test_default_glossary_explains_the_sector_initials() -> None:
    for key in ("RSA", "CAF", "AAH", "CCAS", "CRPA", "CNPA", "HCTS", "IRTS", "EFTS", "VAE"):
        assert DEFAULT_GLOSSARY[key]
    for key in ("MDPH", "APL", "CMU", "CSS", "ASE", "PMI", "SIAO", "CHRS", "France Travail"):
        assert DEFAULT_GLOSSARY[key]
    assert DEFAULT_GLOSSARY["RSA"] == "revenu de solidarité active"


def test_results_are_frozen() -> None:
    report = analyse("La CAF paie.")
    for value in (report, report.sentences[0], report.findings[0]):
        assert isinstance(value, Report | SentenceReport | Finding)
        with pytest.raises(dataclasses.FrozenInstanceError):
            value.start = 0  # type: ignore[misc, union-attr]

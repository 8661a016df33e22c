"""Parole's own French interface, run through the easy-read analyser: no interface
sentence over 20 words; the 20 hardest strings are printed for the writers."""

import re

from babel.messages.pofile import read_po

from app.falc.analyser import analyse, split_sentences
from config import BASE_DIR

MAX_WORDS = 20
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def french_strings() -> list[str]:
    with (BASE_DIR / "translations" / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    # Placeholders become a plain value, as people will read them.
    return [
        PLACEHOLDER.sub("3", m.string)
        for m in catalog
        if m.id and isinstance(m.string, str) and m.string
    ]


def test_no_interface_sentence_is_longer_than_20_words(capsys):
    strings = french_strings()
    assert len(strings) > 300
    too_long = []
    ranked = []
    for text in strings:
        report = analyse(text)
        for sentence in report.sentences:
            if sentence.words > MAX_WORDS:
                too_long.append((sentence.words, sentence.text))
        flagged = sum(1 for f in report.findings if f.severity != "info")
        ranked.append((flagged, len(text), text))
    ranked.sort(reverse=True)
    with capsys.disabled():
        print("\nThe 20 interface strings with the most easy-read warnings:")
        for flagged, _length, text in ranked[:20]:
            print(f"  {flagged} warning(s): {text}")
    assert too_long == [], too_long


def test_the_check_really_counts_words():
    long_sentence = " ".join(["mot"] * 21) + "."
    assert split_sentences(long_sentence) == [(0, len(long_sentence))]
    assert analyse(long_sentence).sentences[0].words == 21

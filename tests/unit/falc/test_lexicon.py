"""The easy-read lexicon's data: enough entries, each with a plain replacement, no duplicates."""

from app.falc import lexicon


def all_entries() -> list[lexicon.Entry]:
    return [
        *lexicon.hard_words().values(),
        *lexicon.hard_phrases(),
        *lexicon.initials().values(),
        *lexicon.idioms(),
    ]


def test_lexicon_has_the_promised_number_of_entries():
    assert len(lexicon.hard_words()) + len(lexicon.hard_phrases()) >= 400
    assert len(lexicon.initials()) >= 60
    assert len(lexicon.idioms()) >= 80
    assert {"nounou", "éducatrice", "relecteur"} <= lexicon.everyday_words()


def test_every_entry_has_a_plain_replacement_other_than_the_term():
    for entry in all_entries():
        assert 1 <= len(entry.replacements) <= 2, entry
        for replacement in entry.replacements:
            assert replacement and replacement.lower() != entry.term.lower(), entry


def test_lexicon_has_no_duplicate_term():
    for kind in ("word", "phrase", "initials", "idiom"):
        terms = [e.lemma for e in all_entries() if e.kind == kind]
        assert len(terms) == len(set(terms)), kind
    phrases = {e.lemma for e in lexicon.hard_phrases()}
    assert not phrases & {e.lemma for e in lexicon.idioms()}


def test_word_keys_are_lowercase_lemmas_and_initials_capitals():
    for key, entry in lexicon.hard_words().items():
        assert key == entry.lemma == key.lower() and " " not in key
    for entry in lexicon.hard_phrases():
        assert entry.lemma == entry.lemma.lower() and entry.kind == "phrase"
    for key, entry in lexicon.initials().items():
        assert key == entry.term and key.replace(" ", "").isalpha() and key.isupper()


def test_everyday_words_are_never_hard_words():
    assert not lexicon.everyday_words() & set(lexicon.hard_words())


def test_lexicon_finds_the_brief_examples():
    assert lexicon.hard_words()["modalité"].replacements[0] == "façon de faire"
    assert lexicon.hard_words()["préalable"].replacements[0] == "avant"
    assert "à l'instar de" in {e.lemma for e in lexicon.hard_phrases()}
    assert lexicon.initials()["MDPH"].replacements == (
        "maison départementale des personnes handicapées",
    )
    assert "coûter les yeux de la tête" in {e.lemma for e in lexicon.idioms()}

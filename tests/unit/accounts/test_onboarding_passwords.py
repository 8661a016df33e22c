"""The password rule of onboarding: length over composition, the commonest refused, one
plain message each time."""

from __future__ import annotations

import pytest

from app.accounts.onboarding import password_problem


@pytest.mark.parametrize(
    "password",
    [
        "lapinbleu7",  # 10 characters, no rule about digits or capitals
        "chat vert sous pluie",  # 4 words
        "un deux trois quatre",
        "Ma tante habite à Rodez",
    ],
)
def test_long_or_four_word_passwords_are_accepted_without_composition_rules(ctx, password):
    assert password_problem(password) is None


@pytest.mark.parametrize("password", ["court", "chat vert", "abc def g", ""])
def test_short_passwords_of_fewer_than_four_words_are_refused(ctx, password):
    assert "au moins 10 caractères, ou 4 mots" in str(password_problem(password))


@pytest.mark.parametrize(
    "password",
    ["motdepasse", "motdepasse123", "Password1!", "azertyuiop", "1234567890", "aaaaaaaaaaaa"],
)
def test_commonest_passwords_are_refused_even_when_long(ctx, password):
    assert "trop facile à deviner" in str(password_problem(password))

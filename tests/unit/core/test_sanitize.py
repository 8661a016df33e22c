"""single_line(): one clean line for a mail subject, a title, an identifier typed in a form."""

import pytest

from app.core.sanitize import single_line


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Aide\r\nBcc: victime@example.org", "Aide Bcc: victime@example.org"),
        ("  Réunion \t du\n\n lundi  ", "Réunion du lundi"),
        ("ligne\u2028séparée\u2029ici\x85fin\x0bet\x0cplus", "ligne séparée ici fin et plus"),
        ("sonne\x07 \x00nul\x1b[31m", "sonne nul[31m"),
        ("\u202eevil\u202c.exe\u200b", "evil.exe"),
        ("", ""),
        (None, ""),
    ],
)
def test_single_line_removes_line_breaks_and_control_characters(raw, expected):
    assert single_line(raw) == expected


def test_single_line_keeps_ordinary_text_and_french_spaces():
    # accents, emoji sequences and the non-breaking space before "?" are ordinary text
    text = "Café à 10\u00a0h\u202f? 👩\u200d👩\u200d👧 Zoë"
    assert single_line(text) == text

"""The one CSV writer: what a spreadsheet would run is written as text, nothing else moves."""

import csv
import io
from decimal import Decimal

from app.core.csv_files import csv_text


def _cells(text: str, delimiter: str = ",") -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter))


def test_csv_quotes_every_formula_start_and_leaves_empty_and_numbers_alone():
    typed = [
        "=1+1",
        "+33 6 12",
        "-2+3",
        "@SUM(A1)",
        "\tcmd",
        "\rcmd",
        "",
        None,
        7,
        Decimal("12.50"),
    ]
    columns = [f"c{i}" for i in range(len(typed))]
    rows = _cells(csv_text(columns, [dict(zip(columns, typed, strict=True))], delimiter=";"), ";")
    assert rows[0] == columns
    assert rows[1] == [
        "'=1+1",
        "'+33 6 12",
        "'-2+3",
        "'@SUM(A1)",
        "'\tcmd",
        "'\rcmd",
        "",
        "",
        "7",
        "12.50",
    ]


def test_csv_keeps_a_normal_text_as_it_was_typed():
    rows = _cells(csv_text(["a"], [{"a": "Le bus = trop cher"}]))
    assert rows[1] == ["Le bus = trop cher"]

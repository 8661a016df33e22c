"""The CSV files Parole writes (answers of a round, the accountant's payments): one writer
with one guard, so that a spreadsheet never runs what a person typed as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from flask import Response

# A cell starting with one of these is read as a formula (or hides one) by spreadsheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A text that a spreadsheet would run as a formula gets a leading quote; an empty
    cell stays empty, numbers stay numbers, None is an empty cell."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(
    columns: Sequence[str], rows: Iterable[Mapping[str, Any]], delimiter: str = ","
) -> str:
    """The whole file, guarded, with a byte-order mark so that spreadsheets read UTF-8."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), delimiter=delimiter)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: safe_cell(v) for k, v in row.items()})
    return "\ufeff" + out.getvalue()


def csv_download(
    filename: str,
    columns: Sequence[str],
    rows: Iterable[Mapping[str, Any]],
    delimiter: str = ",",
) -> Response:
    """A CSV file to download, written by `csv_text`."""
    return Response(
        csv_text(columns, rows, delimiter),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f"attachment; filename={filename}",
            "X-Content-Type-Options": "nosniff",
        },
    )

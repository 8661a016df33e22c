"""Bar charts as server-rendered SVG (no JavaScript, no inline style: presentation
attributes only). The results page always shows the same figures in a table too. A bar
whose count disclosure control hides (disclosure.py) has no length and no number: only the
word "hidden"; the other bars are scaled on the shown counts alone."""

from __future__ import annotations

from xml.sax.saxutils import escape

from flask_babel import format_number
from flask_babel import gettext as _

from app.consultations.kinds import kind_of

BAR_COLOUR = "#1d4f91"
WIDTH, LABEL_W, ROW_H, BAR_MAX = 720, 340, 40, 300
LABEL_CHARS = 40


def short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def rows_for(result) -> list[tuple[str, int, bool]]:  # noqa: ANN001
    """(label, count, hidden) for each bar; none for a question without a chart."""
    return kind_of(result.question).chart_rows(result)


def bar_chart_svg(result, threshold: int | None = None) -> str:  # noqa: ANN001
    rows = rows_for(result)
    threshold = threshold or 5
    top = max([count for _l, count, hidden in rows if not hidden] or [1])
    height = ROW_H * len(rows) + 20
    title = escape(_("Answers to question %(n)s", n=result.question.position))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="t">',
        f'<title id="t">{title}</title>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>',
    ]
    for index, (label, count, hidden) in enumerate(rows):
        y = 10 + index * ROW_H
        parts.append(
            f'<text x="{LABEL_W - 10}" y="{y + 24}" text-anchor="end" font-family="sans-serif" '
            f'font-size="16" fill="#1a1a1a">{escape(short(label))}</text>'
        )
        if hidden:
            parts.append(
                f'<text x="{LABEL_W}" y="{y + 24}" font-family="sans-serif" font-size="16" '
                f'fill="#1a1a1a">{escape(_("hidden"))}</text>'
            )
            continue
        width = round(BAR_MAX * count / top) if count else 0
        parts.append(
            f'<rect x="{LABEL_W}" y="{y + 6}" width="{width}" height="{ROW_H - 14}" fill="{BAR_COLOUR}"/>'
        )
        parts.append(
            f'<text x="{LABEL_W + width + 8}" y="{y + 24}" font-family="sans-serif" font-size="16" '
            f'fill="#1a1a1a">{escape(format_number(count))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)

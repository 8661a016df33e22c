"""Disclosure control: which numbers of a round may be published, so that nobody can be
recognised from them. Every output of a round's numbers (results page, charts, summary PDF,
public page, evaluation table, the kit's yearly report) shows what this module leaves
visible, and nothing else; staff see the same numbers as participants.

The rules, as a facilitator can explain them
---------------------------------------------
1. **Small numbers are hidden.** A count of 1 to threshold - 1 people (5 by default) is
   hidden. A zero is shown: "nobody chose this" tells nothing about one person.
2. **A hidden number cannot be worked out.** Many numbers add up to a number that is shown:
   the answers to a question with one answer add up to the people who answered; the people
   who answered plus those who preferred not to answer make the people who saw the question;
   the faces of a scale, the answers put first in a ranking, the answers to an evaluation
   question all add up too. When only one number of such a group is hidden, the others and
   the total would give it back: the smallest other number of the group is hidden too (a
   zero first: hiding it costs nothing), again and again until no group has a single hidden
   number. When the total of a group is hidden, every number of the group is hidden.
3. **Averages** (the faces of a scale, the places of a ranking, and the order of a ranking,
   which comes from them) are hidden as soon as one number of their question is hidden: with
   the other numbers they could give it back.
4. **Several answers possible**: those numbers do not add up to anything (one person can
   tick several boxes), so a hidden one has nothing to be worked out from; each is only
   hidden when it is small, or when the number of people who answered is hidden.
5. **Breakdowns** (by way of answering: alone, with help, on paper; or by any other group)
   are shown only when every group, and every number inside, is 0 or at least the
   threshold, and the question's own numbers are all shown. Otherwise the whole breakdown
   is left out, with a sentence that says so.
6. **Conditional questions** ("only if you answered «Yes» to question 2") are seen by the
   people who chose that answer: that number is the total of the conditional question. When
   it is hidden, every number of the conditional question is hidden too.
7. **Too few people**: when fewer people than the threshold sent their answers, every
   number of the round is hidden; only "fewer than 5 people" is said.
8. **Quotes are answers too.** Each quote the facilitator chose is one answer to its
   question: a reader who counts 5 quotes knows that at least 5 people answered. When the
   number of people who answered a question is hidden, its quotes are capped
   (`quote_cap`) so that counting them never makes a hidden number exact, and the page
   says that some written answers may not be shown, whether or not any were held back (a
   sentence shown only when some are would tell it). When the people who saw the question
   are counted (shown), those who answered and those who preferred not to are both
   hidden: one of them is small, so each is at least 1, and the people who answered are
   at most that number minus 1; the quotes stop one below. When the people who saw the
   question are hidden too (too few people in the round, or a conditional question seen by
   a hidden number of people), no quote is shown: any would tell a least number of them.

Every hidden number is printed the same way ("hidden"), whether it is small or hidden to
protect another: the page never says which is which, so a reader cannot bound it.

The tables are built by `protect_results` from the round's counts. `services.results_of(round_)`
is the one way to get a round's published results without an actor (the public page);
`services.compute_results(actor, round_)` checks who may see them first. Both count once per
state of the round, then ask this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from app.consultations.kinds import Count, count_of, kind_of
from app.consultations.models import Channel


@dataclass(eq=False)
class Table:
    """Counts published together. `total`: the published count they add up to (or that
    bounds each of them, when `adds_up` is False: several answers possible)."""

    cells: list[Count]
    total: Count | None = None
    adds_up: bool = True


def hidden_label() -> str:
    """How a hidden number is printed, everywhere."""
    return _("hidden")


def text(count: Count) -> str:
    """A count as published: its number, or the word for a hidden number."""
    return hidden_label() if count.hidden else str(count.value)


def is_small(value: int, threshold: int) -> bool:
    return 0 < value < threshold


def suppress(tables: Sequence[Table], threshold: int) -> None:
    """Hide the small counts of `tables`, then enough others (rule 2) that none can be
    worked out from the totals. A count may sit in several tables (a choice of question 2
    is also the total of the question it shows): it is one object, hidden everywhere."""
    for table in tables:
        for count in (*table.cells, *((table.total,) if table.total else ())):
            if is_small(count.value, threshold):
                count.hidden = True
    changed = True
    while changed:
        changed = False
        for table in tables:
            if table.total is not None and table.total.hidden:
                for count in table.cells:
                    if not count.hidden:
                        count.hidden = changed = True
                continue
            if not table.adds_up or table.total is None:
                continue
            hidden = [c for c in table.cells if c.hidden]
            shown = [c for c in table.cells if not c.hidden]
            if len(hidden) == 1:
                if shown:
                    min(shown, key=lambda c: c.value).hidden = True
                else:  # pragma: no cover - a table has two cells at least
                    table.total.hidden = True
                changed = True


def breakdown_allowed(groups: Iterable[Count | int], threshold: int) -> bool:
    """A breakdown is shown only when every number in it is 0 or reaches the threshold."""
    return all(
        not is_small(g.value if isinstance(g, Count) else int(g or 0), threshold) for g in groups
    )


# --- a round's results ------------------------------------------------------------------------


@dataclass
class Protection:
    """What was hidden on a round's results, for the staff's note and the page's sentences."""

    hidden: int = 0  # hidden numbers (each counted once)
    breakdown_dropped: bool = False  # some breakdown by way of answering was left out
    tables: list[Table] = field(default_factory=list)


def question_tables(result: Any, population: Count) -> list[Table]:
    """The tables of one question: who saw it (answered + declined = population), and its
    kind's counts (kinds.py: `disclosure_cells`)."""
    tables = [Table([result.answered, result.declined], population)]
    cells, adds_up = kind_of(result.question).disclosure_cells(result)
    if cells:
        tables.append(Table(list(cells), result.answered, adds_up))
    return tables


def protect_results(results: Any) -> Protection:
    """Apply the rules to a round's results (services.RoundResults), in place."""
    threshold = results.threshold
    protection = Protection()
    by_choice = {c.choice.id: c for r in results.questions for c in r.choices}
    tables: list[Table] = []
    populations: list[Count] = []
    for result in results.questions:
        population = results.respondents
        condition_id = result.question.condition_choice_id
        if condition_id is not None and condition_id in by_choice:
            result.condition = by_choice[condition_id]
            population = result.condition.total
        tables.extend(question_tables(result, population))
        populations.append(population)
    suppress(tables, threshold)
    protection.tables = tables
    for result, population in zip(results.questions, populations, strict=True):
        result.quote_cap = quote_cap(result, population, threshold)

    # Averages and orders (rule 3).
    for result in results.questions:
        cells, _adds_up = kind_of(result.question).disclosure_cells(result)
        if result.answered.hidden or any(c.hidden for c in cells):
            kind_of(result.question).hide_figures(result)

    # Breakdowns (rule 5).
    round_shown = not results.respondents.hidden and breakdown_allowed(
        results.by_channel.values(), threshold
    )
    if not round_shown:
        protection.breakdown_dropped = any(n.value for n in results.by_channel.values())
        results.by_channel = {}
    for result in results.questions:
        allowed = round_shown and _question_breakdown_allowed(result, threshold)
        if not allowed:
            protection.breakdown_dropped |= _has_breakdown(result)
            result.answered_by_channel = {}
            result.declined_by_channel = {}
            for choice in result.choices:
                choice.by_channel = {}
        result.breakdown_shown = allowed and bool(result.answered_by_channel)

    seen: set[int] = set()
    for table in tables:
        for count in (*table.cells, *((table.total,) if table.total else ())):
            if count.hidden and id(count) not in seen:
                seen.add(id(count))
    protection.hidden = len(seen)
    return protection


def quote_cap(result: Any, population: Count, threshold: int) -> int | None:
    """How many chosen quotes of a question may be published (rule 8); None: all of them
    (the number of people who answered is shown, so counting quotes tells nothing new)."""
    if not result.answered.hidden:
        return None
    cells, _adds_up = kind_of(result.question).disclosure_cells(result)
    if population.hidden or cells:
        return 0
    # Who saw it is shown; answered and declined (in no other table) are both hidden, so
    # one of them is small (1 to threshold - 1) and neither is 0 (the other would be the
    # whole, not small: nothing would be hidden). The values answered may take:
    total = population.value

    def possible(value: int) -> bool:
        return 1 <= value <= total - 1 and (value < threshold or total - value < threshold)

    # The largest is total - 1; the cap is the next one down, so at least two remain.
    for value in (total - 2, min(threshold - 1, total - 2)):
        if possible(value):
            return value
    return 0


def _has_breakdown(result: Any) -> bool:
    return any(n.value for n in result.answered_by_channel.values()) or any(
        n.value for c in result.choices for n in c.by_channel.values()
    )


def _question_breakdown_allowed(result: Any, threshold: int) -> bool:
    cells, _adds_up = kind_of(result.question).disclosure_cells(result)
    if any(c.hidden for c in (result.answered, result.declined, *cells)):
        return False
    groups: list[Count] = [
        *result.answered_by_channel.values(),
        *result.declined_by_channel.values(),
    ]
    for choice in result.choices:
        groups.extend(choice.by_channel.values())
    return breakdown_allowed(groups, threshold)


# --- other tables: evaluation, yearly report ----------------------------------------------------


def protect_rows(
    rows: dict[Any, dict[Any, int]], total: int, threshold: int
) -> tuple[Count, dict[Any, dict[Any, Count]]]:
    """Rows of counts that each add up to `total` (each person gives one answer to every
    question: the evaluation questions). Returns the total and the rows as Counts, with
    the rules applied."""
    total_count = count_of(total, threshold)
    protected = {
        name: {key: count_of(value, threshold) for key, value in row.items()}
        for name, row in rows.items()
    }
    suppress([Table(list(row.values()), total_count) for row in protected.values()], threshold)
    return total_count, protected


def breakdown(groups: dict[Channel, int] | dict[Any, int], threshold: int) -> dict[Any, int]:
    """A breakdown as published: all its groups, or none (rule 5)."""
    if breakdown_allowed(groups.values(), threshold):
        return dict(groups)
    return {}

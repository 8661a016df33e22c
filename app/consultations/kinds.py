"""Kinds of questions: one class per kind, registered by its `QuestionKind` value.

Each class owns everything that depends on the kind of a question: its name and help in the
question editor, its possible answers and their limits, the answer field of the answering
pages (also used by a facilitator for assisted and paper entry) and its starting value, the
rules and saving of an answer, the counting for results (with the small-group suppression),
the results snippet, the chart bars, the paper questionnaire and the PDF summary, the CSV value
and the display of one answer. Callers ask `kind_of(question)`; nothing else tests the kind.

Adding a kind: a `QuestionKind` value, one class here with `@register`, its templates in
templates/consultations/kinds/, and its translations (docs/architecture.md shows an example).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from markupsafe import Markup
from sqlalchemy import case, func, select
from wtforms import Field, Label, RadioField, StringField, TextAreaField
from wtforms.utils import unset_value
from wtforms.widgets import html_params

from app import db
from app.consultations import pictograms
from app.consultations.models import (
    QUESTION_TYPES,
    SCALE_LABELS,
    Answer,
    AnswerChoice,
    Question,
    QuestionKind,
    Response,
)
from app.core.content_language import in_content_language
from app.core.errors import DomainError
from app.core.forms import MultiCheckboxField

SCALE_VALUES = (1, 2, 3, 4, 5)


# --- plain values shared with the services ---------------------------------------------------


@dataclass
class ChoiceData:
    label: str
    pictogram: str | None = None
    pictogram_alt: str | None = None


@dataclass
class AnswerInput:
    choice_ids: list[int] = field(default_factory=list)
    value_int: int | None = None
    value_text: str | None = None
    declined: bool = False
    # A number given to each choice by its id (a ranking: the place of each choice).
    choice_values: dict[int, int | None] = field(default_factory=dict)


@dataclass
class Count:
    value: int
    # Not published: under the small-group threshold, or it would let someone work out a
    # hidden count (app/consultations/disclosure.py). Printed as "hidden", never its value.
    hidden: bool

    def percent_of(self, total: Count | int) -> int | None:
        """The share of `total`; None when either is hidden (a percentage of a hidden total
        would give the total back)."""
        if isinstance(total, Count):
            if total.hidden:
                return None
            total = total.value
        if self.hidden or not total:
            return None
        return round(100 * self.value / total)


def count_of(value: int | None, threshold: int) -> Count:
    value = int(value or 0)
    return Count(value=value, hidden=0 < value < threshold)


def shown(count: Count, threshold: int | None = None) -> str:
    """A count as printed: the number, or "hidden" (the same word for every hidden count, so
    nobody can tell a small count from one hidden to protect it: disclosure.py)."""
    return _("hidden") if count.hidden else str(count.value)


# --- labels with pictures (answering pages) ---------------------------------------------------


def pictogram_url(name: str) -> str:
    return pictograms.url(name)


def picture_label(src: str, alt: Any, text: Any) -> Markup:
    """A choice label with its picture. Every value is escaped: labels come from authors."""
    return Markup(
        '<img class="pictogram" src="{}" alt="{}" width="48" height="48"> <span>{}</span>'
    ).format(src, alt or "", text)


def scale_choices() -> list[tuple[int, Markup]]:
    return [
        (value, picture_label(pictogram_url(f"face-{value}"), "", SCALE_LABELS[value]))
        for value in SCALE_VALUES
    ]


def choice_options(question: Question) -> list[tuple[int, Any]]:
    """The answers offered, their words marked in the content's language (lang="fr" in the
    English display: they are the author's words)."""
    options: list[tuple[int, Any]] = []
    for choice in question.choices:
        words = in_content_language(choice.label, question)
        if choice.pictogram:
            label: Any = picture_label(pictogram_url(choice.pictogram), choice.pictogram_alt, words)
        else:
            label = words
        options.append((choice.id, label))
    return options


ANSWER_LABEL = _l("Your answer")


# --- the base class ---------------------------------------------------------------------------


class QuestionType:
    """What every kind of question does. Subclasses change what differs."""

    kind: ClassVar[QuestionKind]
    label: ClassVar[Any]  # in the question editor's list
    help: ClassVar[Any] = None  # a sentence under the list of kinds in the question editor
    has_choices: ClassVar[bool] = False
    # Its choices may show a later question (conditional questions, app/consultations/conditions.py).
    shows_others: ClassVar[bool] = False
    min_choices: ClassVar[int] = 0
    max_choices: ClassVar[int | None] = None
    has_free_texts: ClassVar[bool] = False
    results_template: ClassVar[str] = "consultations/kinds/choices_results.html"
    answer_template: ClassVar[str] = "consultations/kinds/choices_answer.html"

    # question editor

    def clean_choices(self, choices: Sequence[ChoiceData]) -> list[ChoiceData]:
        """The possible answers to create, or a DomainError on the "choices" field."""
        if not self.has_choices:
            return list(choices)  # not kept; a picture name is still checked
        if len(choices) < self.min_choices:
            raise DomainError(_l("Write at least 2 possible answers."), field="choices")
        if self.max_choices is not None and len(choices) > self.max_choices:
            raise DomainError(
                _l("Write at most %(n)s possible answers.", n=self.max_choices), field="choices"
            )
        return list(choices)

    # answering pages

    def answer_field(self, question: Question) -> Field:
        raise NotImplementedError

    def initial_value(self, answer: Answer) -> Any:
        """The saved answer (never declined), to fill the page in again."""
        return answer.value_text

    def form_input(self, data: Any) -> dict[str, Any]:
        """What the answer field holds, as keyword arguments for `AnswerInput`."""
        return {"value_text": data or ""}

    def is_empty(self, data: Any) -> bool:
        if isinstance(data, str):
            return not data.strip()
        if isinstance(data, dict):
            return not any(data.values())
        return not data

    def save(self, answer: Answer, question: Question, data: AnswerInput) -> None:
        """Check the answer and store it on `answer` (cleared before). DomainError on "answer"."""
        raise NotImplementedError

    # results

    def count(self, submitted: Any) -> tuple:
        """Extra counts this kind needs, made in SQL for one round (plain values only)."""
        return ()

    def aggregate(self, result: Any, counted: tuple, threshold: int) -> None:
        """Add this kind's figures to `result` (a QuestionResult) from `count()`'s rows."""

    def disclosure_cells(self, result: Any) -> tuple[list[Count], bool]:
        """The counts this kind publishes for a question, and whether they add up to the
        people who answered it (disclosure.py hides what could be worked out from them)."""
        return [], True

    def hide_figures(self, result: Any) -> None:
        """Hide the averages (and what comes from them): a count of the question is hidden."""

    def chart_rows(self, result: Any) -> list[tuple[str, int, bool]]:
        """(label, count, hidden) for each bar of the chart; none: no chart."""
        return []

    def summary_lines(self, result: Any, threshold: int) -> list[str]:
        """The lines of the PDF summary under the question."""
        return [f"{label} : {shown(c, threshold)}" for label, c in self._summary_rows(result)]

    def _summary_rows(self, result: Any) -> list[tuple[str, Count]]:
        return []

    # paper and exports

    def print_question(self, pdf: Any, question: Question) -> None:
        """The answer part of the question's page in the paper questionnaire."""
        raise NotImplementedError

    def csv_value(self, answer: Answer, labels: dict[int, str]) -> str:
        """The answer in the CSV export (never declined); `labels` are the choices by id."""
        return answer.value_text or ""

    def display_value(self, answer: Answer) -> str:
        """One answer as plain text (the person's data export)."""
        labels = {c.id: c.label for c in answer.question.choices}
        return self.csv_value(answer, labels)


KINDS: dict[QuestionKind, QuestionType] = QUESTION_TYPES


def register(cls: type[QuestionType]) -> type[QuestionType]:
    KINDS[cls.kind] = cls()
    return cls


def kind_of(question: Question) -> QuestionType:
    return question.kind.type


def editor_help() -> LazyString:
    """The help of every kind that has one, under the list of kinds in the question editor."""
    return LazyString(lambda: " ".join(str(kind.help) for kind in KINDS.values() if kind.help))


def display_value(answer: Answer) -> str:
    """One answer as plain text: "" when the person preferred not to answer."""
    if answer.declined:
        return ""
    return kind_of(answer.question).display_value(answer)


# --- kinds with choices -----------------------------------------------------------------------


class _Choices(QuestionType):
    has_choices = True
    shows_others = True
    min_choices = 2
    answer_template = "consultations/kinds/choices_answer.html"
    several: ClassVar[bool] = False  # more than one answer may be chosen
    field_class: ClassVar[type[Field]] = RadioField
    hint: ClassVar[Any] = _l("Choose one answer.")

    def answer_field(self, question: Question) -> Field:
        return self.field_class(
            ANSWER_LABEL,
            description=self.hint,
            choices=choice_options(question),
            coerce=int,
            validate_choice=False,
        )

    def initial_value(self, answer: Answer) -> Any:
        return answer.selections[0].choice_id if answer.selections else None

    def form_input(self, data: Any) -> dict[str, Any]:
        return {} if data is None else {"choice_ids": [data]}

    def save(self, answer: Answer, question: Question, data: AnswerInput) -> None:
        valid = {c.id for c in question.choices}
        chosen = [c for c in dict.fromkeys(data.choice_ids) if c in valid]
        if not chosen:
            raise DomainError(
                _l('Choose an answer, or choose "I prefer not to answer".'), field="answer"
            )
        if len(chosen) > 1 and not self.several:
            raise DomainError(_l("Choose only one answer."), field="answer")
        for choice_id in chosen:
            answer.selections.append(AnswerChoice(choice_id=choice_id))

    def disclosure_cells(self, result: Any) -> tuple[list[Count], bool]:
        # With several answers possible, the counts do not add up to anything.
        return [c.total for c in result.choices], not self.several

    def chart_rows(self, result: Any) -> list[tuple[str, int, bool]]:
        return [(c.choice.label, c.total.value, c.total.hidden) for c in result.choices]

    def _summary_rows(self, result: Any) -> list[tuple[str, Count]]:
        return [(c.choice.label, c.total) for c in result.choices]

    def print_question(self, pdf: Any, question: Question) -> None:
        for choice in question.choices:
            pdf.checkbox(
                choice.label,
                picture=pictograms.path(choice.pictogram),
                alt=choice.pictogram_alt or pictograms.pictogram_alt(choice.pictogram),
            )

    def csv_value(self, answer: Answer, labels: dict[int, str]) -> str:
        return " ; ".join(labels[s.choice_id] for s in answer.selections)


@register
class SingleChoice(_Choices):
    kind = QuestionKind.SINGLE
    label = _l("One answer among several")


@register
class MultipleChoice(_Choices):
    kind = QuestionKind.MULTIPLE
    label = _l("Several answers possible")
    several = True
    field_class = MultiCheckboxField
    hint = _l("You can choose several answers.")

    def initial_value(self, answer: Answer) -> Any:
        return [s.choice_id for s in answer.selections]

    def form_input(self, data: Any) -> dict[str, Any]:
        return {"choice_ids": [int(v) for v in data or []]}

    def print_question(self, pdf: Any, question: Question) -> None:
        pdf.para(_("You can choose several answers."), 16)
        super().print_question(pdf, question)


@register
class ScaleQuestion(QuestionType):
    kind = QuestionKind.SCALE
    label = _l("Scale from 1 to 5, with faces")
    results_template = "consultations/kinds/scale_results.html"
    answer_template = "consultations/kinds/scale_answer.html"

    def answer_field(self, question: Question) -> Field:
        return RadioField(
            ANSWER_LABEL,
            description=_l("Choose the face that shows what you feel."),
            choices=scale_choices(),
            coerce=int,
            validate_choice=False,
        )

    def initial_value(self, answer: Answer) -> Any:
        return answer.value_int

    def form_input(self, data: Any) -> dict[str, Any]:
        return {} if data is None else {"value_int": data}

    def save(self, answer: Answer, question: Question, data: AnswerInput) -> None:
        if data.value_int not in SCALE_VALUES:
            raise DomainError(
                _l('Choose a face, or choose "I prefer not to answer".'), field="answer"
            )
        answer.value_int = data.value_int

    def count(self, submitted: Any) -> tuple:
        rows = db.session.execute(
            select(Answer.question_id, Answer.value_int, func.count(Answer.id))
            .join(Response, Response.id == Answer.response_id)
            .join(Question, Question.id == Answer.question_id)
            .where(submitted, Question.kind == self.kind, Answer.value_int.is_not(None))
            .group_by(Answer.question_id, Answer.value_int)
        ).all()
        return tuple((q, int(v), int(n)) for q, v, n in rows)

    def aggregate(self, result: Any, counted: tuple, threshold: int) -> None:
        values = {v: n for q, v, n in counted if q == result.question.id}
        result.scale = {v: count_of(values.get(v, 0), threshold) for v in SCALE_VALUES}
        given = sum(values.values())
        # An average over fewer people than the threshold could identify someone.
        if given and not result.answered.hidden:
            result.average = round(sum(v * n for v, n in values.items()) / given, 1)

    def disclosure_cells(self, result: Any) -> tuple[list[Count], bool]:
        return list(result.scale.values()), True

    def hide_figures(self, result: Any) -> None:
        result.average = None

    def chart_rows(self, result: Any) -> list[tuple[str, int, bool]]:
        return [(f"{v}. {SCALE_LABELS[v]}", c.value, c.hidden) for v, c in result.scale.items()]

    def _summary_rows(self, result: Any) -> list[tuple[str, Count]]:
        return [(f"{v}. {SCALE_LABELS[v]}", c) for v, c in result.scale.items()]

    def print_question(self, pdf: Any, question: Question) -> None:
        for value, words in SCALE_LABELS.items():
            pdf.checkbox(f"{value}. {words}", picture=pictograms.path(f"face-{value}"))

    def csv_value(self, answer: Answer, labels: dict[int, str]) -> str:
        return str(answer.value_int)


class _Text(QuestionType):
    has_free_texts = True
    results_template = "consultations/kinds/text_results.html"
    answer_template = "consultations/kinds/text_answer.html"
    limit: ClassVar[int]
    paper_lines: ClassVar[int]

    def save(self, answer: Answer, question: Question, data: AnswerInput) -> None:
        text = (data.value_text or "").strip()
        if not text:
            raise DomainError(
                _l('Write your answer, or choose "I prefer not to answer".'), field="answer"
            )
        if len(text) > self.limit:
            raise DomainError(
                _l("Your answer is too long: %(n)s characters at most.", n=self.limit),
                field="answer",
            )
        answer.value_text = text

    def print_question(self, pdf: Any, question: Question) -> None:
        pdf.para(_("Your answer:"), 18)
        pdf.writing_lines(self.paper_lines)


@register
class ShortText(_Text):
    kind = QuestionKind.SHORT_TEXT
    label = _l("Short text")
    limit = 200
    paper_lines = 3

    def answer_field(self, question: Question) -> Field:
        return StringField(
            ANSWER_LABEL, description=_l("A few words. %(n)s characters at most.", n=self.limit)
        )


@register
class LongText(_Text):
    kind = QuestionKind.LONG_TEXT
    label = _l("Long text")
    limit = 5000
    paper_lines = 9

    def answer_field(self, question: Question) -> Field:
        return TextAreaField(
            ANSWER_LABEL,
            description=_l("Write as much as you want, up to %(n)s characters.", n=self.limit),
        )


@register
class YesNo(_Choices):
    kind = QuestionKind.YES_NO
    label = _l("Yes or no")

    def clean_choices(self, choices: Sequence[ChoiceData]) -> list[ChoiceData]:
        return [
            ChoiceData(str(_("Yes")), "yes", str(_("Thumb up"))),
            ChoiceData(str(_("No")), "no", str(_("Thumb down"))),
        ]


# --- ranking ----------------------------------------------------------------------------------


class _RankSelect:
    """One numbered select of a ranking field: the place given to one choice. Rendered by the
    field() macro like a radio button of a group, its label after it."""

    def __init__(self, field: RankingField, index: int, choice_id: int, label: Any) -> None:
        self.field = field
        self.choice_id = choice_id
        self.id = f"{field.id}-{index}"
        self.name = f"{field.name}-{choice_id}"
        self.label = Label(self.id, label)

    def __call__(self, **kwargs: Any) -> Markup:
        chosen = (self.field.data or {}).get(self.choice_id)
        kwargs.setdefault("class", "input input--rank")
        options = [Markup('<option value="">{}</option>').format(_("Choose"))]
        for place in range(1, len(self.field.options) + 1):
            selected = Markup(" selected") if place == chosen else Markup("")
            options.append(
                Markup('<option value="{}"{}>{}</option>').format(place, selected, place)
            )
        return Markup("<select {}>{}</select>").format(
            Markup(html_params(id=self.id, name=self.name, **kwargs)),  # noqa: S704 - html_params escapes every value
            Markup("").join(options),
        )


class RankingField(Field):
    """A number from 1 to N for each of N choices. `data`: {choice id: place or None}. Each
    choice's select is sent as "<name>-<choice id>"."""

    option_group = True  # the field() macro shows it as a group: fieldset, legend, one row each

    def __init__(self, label: Any = None, options: Sequence[tuple[int, Any]] = (), **kwargs: Any):
        super().__init__(label, **kwargs)
        self.options = list(options)

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        self.process_errors = []
        if data is unset_value:
            data = None
        self.object_data = data
        self.data = dict(data or {})
        if formdata is not None:
            self.data = {
                choice_id: _place(formdata.get(f"{self.name}-{choice_id}"))
                for choice_id, _label in self.options
            }

    def __iter__(self) -> Iterator[_RankSelect]:
        for index, (choice_id, label) in enumerate(self.options):
            yield _RankSelect(self, index, choice_id, label)

    def _value(self) -> str:
        return ""


def _place(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@dataclass
class RankedChoice:
    choice: Any
    average: float | None  # the average place; hidden (None) for a small group
    firsts: Count  # how many people put it first
    exact: float = 0.0  # the average before rounding, to sort


@register
class Ranking(_Choices):
    """The possible answers put in order, from the most important to the least important."""

    kind = QuestionKind.RANKING
    label = _l("Ranking: put the answers in order")
    help = _l(
        "Ranking: people put the possible answers in order, from the most important to the least important. From 2 to 8 possible answers."
    )
    max_choices = 8
    shows_others = False  # every choice gets a place: none was "chosen"
    results_template = "consultations/kinds/ranking_results.html"
    answer_template = "consultations/kinds/ranking_answer.html"

    def answer_field(self, question: Question) -> Field:
        return RankingField(
            ANSWER_LABEL,
            description=_l(
                "Rank these answers from the most important to the least important: choose 1 for the most important, then 2, and so on."
            ),
            options=choice_options(question),
        )

    def initial_value(self, answer: Answer) -> Any:
        return {s.choice_id: s.position for s in answer.selections}

    def form_input(self, data: Any) -> dict[str, Any]:
        return {"choice_values": dict(data or {})}

    def save(self, answer: Answer, question: Question, data: AnswerInput) -> None:
        given = {c.id: data.choice_values.get(c.id) for c in question.choices}
        places = list(given.values())
        if not any(places):
            raise DomainError(
                _l('Give a number to each answer, or choose "I prefer not to answer".'),
                field="answer",
            )
        if any(place not in range(1, len(places) + 1) for place in places):
            raise DomainError(
                _l("Give a number to each answer, from 1 to %(n)s.", n=len(places)),
                field="answer",
            )
        twice = sorted({place for place in places if places.count(place) > 1})
        if twice:
            raise DomainError(
                _l(
                    "Each number can be given only once. Given more than once: %(numbers)s.",
                    numbers=", ".join(str(n) for n in twice),
                ),
                field="answer",
            )
        for choice_id, place in sorted(given.items(), key=lambda item: item[1]):
            answer.selections.append(AnswerChoice(choice_id=choice_id, position=place))

    def count(self, submitted: Any) -> tuple:
        rows = db.session.execute(
            select(
                AnswerChoice.choice_id,
                func.sum(AnswerChoice.position),
                func.sum(case((AnswerChoice.position == 1, 1), else_=0)),
                func.count(AnswerChoice.id),
            )
            .join(Answer, Answer.id == AnswerChoice.answer_id)
            .join(Response, Response.id == Answer.response_id)
            .join(Question, Question.id == Answer.question_id)
            .where(submitted, Question.kind == self.kind, AnswerChoice.position.is_not(None))
            .group_by(AnswerChoice.choice_id)
        ).all()
        return tuple((c, int(total or 0), int(firsts or 0), int(n)) for c, total, firsts, n in rows)

    def aggregate(self, result: Any, counted: tuple, threshold: int) -> None:
        by_choice = {c: (total, firsts, n) for c, total, firsts, n in counted}
        # An average over fewer people than the threshold could identify someone, and so could
        # the order: under it, the answers stay in the order they were written.
        secret = result.answered.hidden
        ranked = []
        for choice in result.question.choices:
            total, firsts, n = by_choice.get(choice.id, (0, 0, 0))
            exact = total / n if n and not secret else 0.0
            average = round(exact, 1) if n and not secret else None
            ranked.append(RankedChoice(choice, average, count_of(firsts, threshold), exact))
        if not secret:
            ranked.sort(key=lambda r: (r.average is None, r.exact, r.choice.position))
        result.kind_figures = ranked

    def disclosure_cells(self, result: Any) -> tuple[list[Count], bool]:
        # Each person puts one answer first: the firsts add up to the people who answered.
        return [r.firsts for r in result.kind_figures or []], True

    def hide_figures(self, result: Any) -> None:
        # The averages and the order they give could tell a hidden count: the answers stay
        # in the order they were written, without averages.
        figures = result.kind_figures or []
        for ranked in figures:
            ranked.average = None
            ranked.exact = 0.0
        figures.sort(key=lambda r: r.choice.position)
        result.order_hidden = True

    def chart_rows(self, result: Any) -> list[tuple[str, int, bool]]:
        return [
            (_ranked_label(result, n, r), r.firsts.value, r.firsts.hidden)
            for n, r in enumerate(result.kind_figures or [], start=1)
        ]

    def summary_lines(self, result: Any, threshold: int) -> list[str]:
        lines = []
        for n, r in enumerate(result.kind_figures or [], start=1):
            average = "–" if r.average is None else format_decimal(r.average, "0.0")
            figures = _(
                "average place %(place)s, put first: %(n)s",
                place=average,
                n=shown(r.firsts, threshold),
            )
            lines.append(f"{_ranked_label(result, n, r)} : {figures}")
        return lines

    def print_question(self, pdf: Any, question: Question) -> None:
        pdf.para(
            _(
                "Write 1 in the box of the most important answer, 2 in the box of the next one, and so on. Each number only once."
            ),
            16,
        )
        super().print_question(pdf, question)

    def csv_value(self, answer: Answer, labels: dict[int, str]) -> str:
        ordered = sorted(answer.selections, key=lambda s: (s.position or 0, s.choice_id))
        return " > ".join(labels[s.choice_id] for s in ordered)


def _ranked_label(result: Any, place: int, ranked: RankedChoice) -> str:
    """The answer with its place in the order; without it when the order is hidden."""
    if getattr(result, "order_hidden", False):
        return str(ranked.choice.label)
    return f"{place}. {ranked.choice.label}"

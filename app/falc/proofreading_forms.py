"""Forms of the proofreading pages. They check the shape of the input only; the rules live in
`app.falc.proofreading`."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from app.core.forms import (
    MISSING,
    ConsentNoteField,
    Form,
    MultiCheckboxField,
    required_text,
    strip_filter,
)
from app.falc.proofreading import (
    CHOOSE_ONE,
    COMMENT_MAX_LENGTH,
    LABEL_MAX_LENGTH,
    MAX_REQUIRED_UNDERSTOOD,
    TEXT_MAX_LENGTH,
    MarkInput,
)
from app.falc.proofreading_models import SentenceMark

UNDERSTOOD = "yes"
NOT_UNDERSTOOD = "no"


def optional_int(value: Any) -> int | None:
    """For a select whose first option, "Choose...", has an empty value."""
    return int(value) if value not in (None, "") else None


def _choice_label(pictogram: str, text: Any) -> Markup:
    """A big choice with its picture (decorative: the words say it all)."""
    src = url_for("static", filename=f"img/pictograms/{pictogram}.svg")
    return Markup(
        '<img class="pictogram" src="{}" alt="" width="48" height="48"> <span>{}</span>'
    ).format(src, text)


def understand_choices() -> list[tuple[str, Markup]]:
    return [
        (UNDERSTOOD, _choice_label("yes", _l("I understand"))),
        (NOT_UNDERSTOOD, _choice_label("no", _l("I do not understand"))),
    ]


class SentencesForm(Form):
    """One radio group ("I understand" / "I do not understand") and one optional comment per
    sentence: fields `understood_<i>` and `comment_<i>`, added by `sentences_form()`."""

    sentence_count: int = 0

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        for index in range(self.sentence_count):
            choice = self[f"understood_{index}"]
            if choice.data not in (UNDERSTOOD, NOT_UNDERSTOOD):
                choice.errors = [*choice.errors, str(CHOOSE_ONE)]
                valid = False
        self._errors = None
        return valid

    def marks(self) -> list[MarkInput]:
        return [
            MarkInput(
                sentence_index=index,
                understood=self[f"understood_{index}"].data == UNDERSTOOD,
                comment=self[f"comment_{index}"].data or "",
            )
            for index in range(self.sentence_count)
        ]


class AssistedSentencesForm(SentencesForm):
    """The same page, filled in by a facilitator with the proofreader: consent first."""

    consent_note = ConsentNoteField()


def sentences_form(
    sentences: list[str],
    marks: dict[int, SentenceMark] | None = None,
    assisted: bool = False,
) -> SentencesForm:
    """The form for these sentences. Give the saved `marks` on a GET only: after a POST the
    page shows what was sent (a choice sent empty must stay empty)."""
    total = len(sentences)
    fields: dict[str, Any] = {"sentence_count": total}
    for index, sentence in enumerate(sentences):
        fields[f"understood_{index}"] = RadioField(
            sentence,
            description=_l("Sentence %(n)s of %(total)s", n=index + 1, total=total),
            choices=understand_choices(),
            validate_choice=False,
        )
        fields[f"comment_{index}"] = TextAreaField(
            _l("Your comment on sentence %(n)s", n=index + 1),
            description=_l("For example: a word you do not know."),
            filters=[strip_filter],
            validators=[Length(max=COMMENT_MAX_LENGTH)],
            render_kw={"rows": 2},
        )
    base = AssistedSentencesForm if assisted else SentencesForm
    form_class = type("ProofreadingSentencesForm", (base,), fields)
    data: dict[str, Any] = {}
    for index, mark in (marks or {}).items():
        data[f"understood_{index}"] = UNDERSTOOD if mark.understood else NOT_UNDERSTOOD
        data[f"comment_{index}"] = mark.comment or ""
    return form_class(data=data)


class ProofreaderForm(Form):
    person_id = SelectField(
        _l("The person who will proofread"),
        coerce=optional_int,
        validators=[InputRequired(_l("Choose the person."))],
    )
    consent_note = ConsentNoteField()
    show_name = BooleanField(
        _l("The person agrees that their first name appears with the texts they approved"),
        description=_l("Leave empty if the person does not want it."),
    )


class RequestForm(Form):
    label = required_text(
        _l("Name of the text"),
        LABEL_MAX_LENGTH,
        description=_l("For example: consultation on housing, what is it about?"),
    )
    text = TextAreaField(
        _l("The text to proofread"),
        description=_l(
            "Proofreaders see one sentence per line. If you change the text here,"
            " change it also on its page: the badge shows only if both are the same."
        ),
        validators=[DataRequired(MISSING), Length(max=TEXT_MAX_LENGTH)],
        render_kw={"rows": 10},
    )
    proofreader_ids = MultiCheckboxField(
        _l("Who will proofread?"),
        description=_l("Choose one person or more."),
        coerce=int,
        validate_choice=False,
    )
    required_understood = IntegerField(
        _l("How many people must understand each sentence?"),
        description=_l("Usually 1. The text is approved when each sentence is understood."),
        default=1,
        validators=[
            InputRequired(_l("Write a number.")),
            NumberRange(min=1, max=MAX_REQUIRED_UNDERSTOOD),
        ],
    )

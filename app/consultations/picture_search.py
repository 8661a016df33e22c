"""The question editor's "Find a picture": a word typed, the pictures that match shown with
their name, one chosen and put on a line of the possible answers. Without JavaScript.

The search is part of the question's form (buttons "Find" and "Put this picture", like the
easy-to-read check): what the facilitator typed in the other fields comes back as it was,
and nothing is saved until "Add the question". A link with `?picture_search=maison` (GET)
shows the same results on a fresh form."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField

from app.consultations import pictograms
from app.consultations.kinds import pictogram_url, picture_label
from app.core.forms import Form, optional_text

ACTIONS = ("find", "pick")


def _line_number(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class PictureSearchForm(Form):
    """Sent with the question's form, which carries the CSRF token."""

    class Meta(Form.Meta):
        csrf = False

    picture_search = optional_text(
        _l("Find a picture: type a word"),
        60,
        description=_l("In French or in English. For example: maison, bus, argent."),
    )
    picture = RadioField(_l("Pictures found"), choices=[], validate_choice=False)
    picture_line = SelectField(
        _l("Put it on the answer"), coerce=_line_number, choices=[], validate_choice=False
    )

    acted: bool = False  # a picture button was pressed: show the page, save nothing
    results: list[pictograms.Pictogram]

    def searched(self) -> bool:
        return bool((self.picture_search.data or "").strip())


def _lines(text: str) -> list[str]:
    return [line for line in (text or "").splitlines() if line.strip()]


def put_picture(text: str, line_number: int, name: str) -> str:
    """The possible answers with the picture `name` after the label of line `line_number`
    (from 1), in place of the picture it had."""
    lines = _lines(text)
    if 1 <= line_number <= len(lines):
        label = lines[line_number - 1].partition("|")[0].strip()
        lines[line_number - 1] = f"{label} | {name}"
    return "\n".join(lines)


def picture_search(question_form: Any, organisation_id: int | None = None) -> PictureSearchForm:
    """The search of the editor page, read from the same request as `question_form`, among
    every picture and the organisation's own. When "Put this picture" was pressed, the
    choices field of `question_form` gets it."""
    action = request.form.get("action") if request.method == "POST" else None
    if request.method == "GET" and "picture_search" in request.args:
        form = PictureSearchForm(formdata=request.args)
    else:
        form = PictureSearchForm()
    form.acted = action in ACTIONS
    form.results = pictograms.search(form.picture_search.data or "", organisation_id)
    form.picture.choices = [
        (p.name, picture_label(pictogram_url(p.name), "", f"{p.alt} ({p.name})"))
        for p in form.results
    ]
    choices_field = getattr(question_form, "choices", None)
    lines = _lines(choices_field.data if choices_field is not None else "")
    form.picture_line.choices = [(n, f"{n}. {line}") for n, line in enumerate(lines, start=1)]
    if form.acted and not form.validate():
        return form
    if action == "pick" and choices_field is not None:
        found = {p.name for p in form.results} | set(pictograms.BY_NAME)
        if form.picture.data in found and form.picture_line.data in range(1, len(lines) + 1):
            choices_field.data = put_picture(
                choices_field.data, form.picture_line.data, form.picture.data
            )
            form.picture_line.choices = [
                (n, f"{n}. {line}") for n, line in enumerate(_lines(choices_field.data), start=1)
            ]
        else:
            form.picture.errors = [str(_l("Choose a picture and an answer."))]
    return form

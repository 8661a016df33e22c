"""Every text field of every form (app.core.forms.Form and all its subclasses, found, not
listed) refuses what Parole cannot keep: NUL and the other control characters, halves of a
surrogate pair, the Unicode noncharacters. One-line texts become one line on their own."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from flask import Flask
from werkzeug.datastructures import MultiDict
from wtforms import (
    EmailField,
    HiddenField,
    PasswordField,
    SearchField,
    StringField,
    TextAreaField,
)

import app as app_package
from app.core.forms import INVISIBLE, INVISIBLE_SECRET, Form
from tests import figures

NUL = "Bonjour\x00 à tous"


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _runtime_forms() -> list[type]:
    """The form classes the app builds while it runs, one of each way it builds them."""
    from app.consultations.answering_forms import answer_form
    from app.consultations.models import Question, QuestionKind
    from app.falc.proofreading_forms import sentences_form
    from app.trainings.manage_forms import attendance_form

    signup = SimpleNamespace(id=7, person=SimpleNamespace(display_name="Zoé"))
    return [
        type(answer_form(Question(kind=QuestionKind.SHORT_TEXT))),
        type(answer_form(Question(kind=QuestionKind.LONG_TEXT))),
        type(sentences_form(["Une phrase.", "Une autre."], assisted=True)),
        type(attendance_form([signup])),  # type: ignore[list-item]
    ]


def every_form() -> list[type]:
    for module in pkgutil.walk_packages(app_package.__path__, "app."):
        if not module.name.startswith("app.demo"):
            importlib.import_module(module.name)
    runtime = _runtime_forms()
    found = {cls for cls in _subclasses(Form) if cls.__module__.startswith("app.")}
    return sorted(found | set(runtime), key=lambda c: f"{c.__module__}.{c.__qualname__}")


def _text_fields(form: Form) -> list[Any]:
    return [f for f in form if isinstance(f, StringField) and f.type != "CSRFTokenField"]


def _sent(cls: type, name: str, value: str) -> Any:
    """The form as it comes back from a POST where `name` holds `value`; its field."""
    form = cls(formdata=MultiDict({name: value}), meta={"csrf": False})
    field = form[name]
    field.validate(form)
    return field


@pytest.fixture
def forms(app: Flask) -> Iterator[list[type]]:
    with app.test_request_context("/", method="POST"):
        yield every_form()


def test_every_text_field_of_every_form_refuses_a_nul_and_keeps_ordinary_text(forms):
    checked = 0
    for cls in forms:
        for field in _text_fields(cls(formdata=None, meta={"csrf": False})):
            where = f"{cls.__module__}.{cls.__qualname__}.{field.name}"
            secret = isinstance(field, PasswordField)
            refused = _sent(cls, field.name, NUL)
            message = str(INVISIBLE_SECRET if secret else INVISIBLE)
            assert refused.errors[:1] == [message], f"{where} took a NUL: {refused.errors}"
            assert "\x00" not in (refused.data or "") or secret, f"{where} keeps the NUL"
            ordinary = "Café à 10\u00a0h ? 👩\u200d👩\u200d👧"
            if isinstance(field, TextAreaField):
                ordinary += "\r\nDeuxième ligne,\tavec une tabulation."
            kept = _sent(cls, field.name, ordinary)
            assert message not in kept.errors, f"{where} refused ordinary text"
            if isinstance(field, TextAreaField):
                assert kept.data.endswith("\r\nDeuxième ligne,\tavec une tabulation."), where
            checked += 1
    figures.add("forms: text fields refusing NUL", checked)
    assert checked >= 100, f"only {checked} text fields found: is the walk still finding forms?"


@pytest.mark.parametrize(
    "char",
    [
        "\x00",
        "\x07",
        "\x08",
        "\x0b",
        "\x0c",
        "\x1b",
        "\x7f",
        "\x85",
        "\x9f",
        "\ud800",
        "\udfff",
        "\ufdd0",
        "\ufffe",
        "\uffff",
        "\U0001fffe",
        "\U0010ffff",
    ],
)
@pytest.mark.parametrize("kind", [StringField, TextAreaField, PasswordField, HiddenField])
def test_each_character_parole_cannot_keep_is_refused(app: Flask, kind: type, char: str) -> None:
    class Probe(Form):
        text = kind("Texte")

    with app.test_request_context("/", method="POST"):
        field = _sent(Probe, "text", f"Un{char}deux")
        assert field.errors, f"{char!r} accepted in a {kind.__name__}"
        if kind is not PasswordField:
            assert field.errors == [str(INVISIBLE)]
            # Shown again without it (a one-line text makes vertical tab, form feed and
            # "next line" a space, as `single_line` does with every line break).
            assert field.data.replace(" ", "") == "Undeux"


def test_a_new_form_is_guarded_without_anything_to_add(app: Flask) -> None:
    """Every kind of text field WTForms offers, in a form written tomorrow."""

    class Tomorrow(Form):
        name = StringField("Nom")
        email = EmailField("Adresse")
        search = SearchField("Chercher")
        hidden = HiddenField()
        secret = PasswordField("Code")
        story = TextAreaField("Histoire")

    with app.test_request_context("/", method="POST"):
        form = Tomorrow(
            formdata=MultiDict(
                dict.fromkeys(("name", "email", "search", "hidden", "secret", "story"), NUL)
            ),
            meta={"csrf": False},
        )
        assert not form.validate()
        assert set(form.errors) == {"name", "email", "search", "hidden", "secret", "story"}
        assert form.errors["secret"] == [str(INVISIBLE_SECRET)]
        assert form.errors["story"] == [str(INVISIBLE)]


def test_one_line_text_has_line_breaks_and_tabs_made_into_spaces(app: Flask) -> None:
    """A title or a subject typed (or pasted) over several lines is kept as one line, with
    no error: the line break would otherwise reach an e-mail header."""
    from app.trainings.manage_forms import MessageForm

    with app.test_request_context("/", method="POST"):
        form = MessageForm(
            formdata=MultiDict(
                {"subject": " Réunion\r\nBcc: tous@example.org\tlundi\u2028soir ", "body": "a\r\nb"}
            ),
            meta={"csrf": False},
        )
        assert form.validate(), form.errors
        assert form.subject.data == "Réunion Bcc: tous@example.org lundi soir"
        assert form.body.data == "a\r\nb"


def test_a_password_is_compared_as_typed(app: Flask) -> None:
    """Spaces in a password are part of it; a line break or a tab is refused, not changed."""

    class Secret(Form):
        secret = PasswordField("Code")

    with app.test_request_context("/", method="POST"):
        kept = _sent(Secret, "secret", "  deux  espaces ")
        assert kept.errors == [] and kept.data == "  deux  espaces "
        for char in "\t\r\n":
            assert _sent(Secret, "secret", f"un{char}deux").errors == [str(INVISIBLE_SECRET)]

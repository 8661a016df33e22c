"""The consent note a facilitator writes when filling something in for a person reads and
behaves the same on every form: one label, one hint, one limit."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator

from flask_babel import force_locale
from werkzeug.datastructures import MultiDict

import app as app_package
from app.core.forms import CONSENT_NOTE_MAX_LENGTH, Form


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _forms_with_a_consent_note() -> list[type]:
    for module in pkgutil.walk_packages(app_package.__path__, "app."):
        if "forms" in module.name.rsplit(".", 1)[-1]:
            importlib.import_module(module.name)
    found = {cls for cls in _subclasses(Form) if hasattr(cls, "consent_note")}
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def _field(form_class: type, note: str):  # noqa: ANN202
    form = form_class(formdata=MultiDict({"consent_note": note}), meta={"csrf": False})
    field = form.consent_note
    field.validate(form)
    return field


def test_consent_note_up_to_the_limit_is_kept_and_longer_refused_on_every_form(ctx: None) -> None:
    forms = _forms_with_a_consent_note()
    assert len(forms) >= 7  # accounts x2, falc x2, consultations, expenses, trainings
    longest = "Elle a dit oui. " + "x" * (CONSENT_NOTE_MAX_LENGTH - 16)
    refused = {cls.__name__: _field(cls, longest).errors for cls in forms}
    assert {name: errors for name, errors in refused.items() if errors} == {}
    kept = [cls.__name__ for cls in forms if not _field(cls, longest + "x").errors]
    assert kept == []


def test_consent_note_has_the_same_hint_on_every_form(ctx: None) -> None:
    with force_locale("en"):
        hints = {str(_field(cls, "").description) for cls in _forms_with_a_consent_note()}
    assert hints == {"For example: she said yes during the meeting of 3 March."}

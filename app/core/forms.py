"""Form helpers shared by every domain."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, widgets

from app.core.errors import DomainError

# The message of every empty required field, in every form.
MISSING = _l("This information is missing.")


class Form(FlaskForm):
    """Base form: CSRF on, never writes to the database. Views hand `data` to a service."""

    # Service field names that this form shows under another name (e.g. closes_at -> closes_on).
    field_aliases: dict[str, str] = {}

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if not valid:
            _page_has_errors()
        return valid

    def add_domain_error(self, exc: DomainError) -> None:
        _page_has_errors()
        name = self.field_aliases.get(exc.field or "", exc.field)
        field = getattr(self, name, None) if name else None
        if field is not None and hasattr(field, "errors"):
            if not isinstance(field.errors, list):
                field.errors = list(field.errors)
            field.errors.append(str(exc.message))
        else:
            self.form_errors.append(str(exc.message))
        # WTForms caches `errors`; drop the cache so the summary sees the new one.
        self._errors = None

    @property
    def has_errors(self) -> bool:
        return bool(self.form_errors) or any(f.errors for f in self)


def _page_has_errors() -> None:
    """Any form of the page with an error makes the page title start with "Error:"
    (pages with several forms, such as a request with one receipt form per cost)."""
    from flask import g, has_request_context

    if has_request_context():
        g.form_has_errors = True


class MultiCheckboxField(SelectMultipleField):
    """A group of checkboxes, rendered in a fieldset by the field() macro."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def strip_filter(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value

"""Form helpers shared by every domain."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto
from wtforms import (
    DateField,
    DateTimeField,
    Field,
    PasswordField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.meta import DefaultMeta
from wtforms.validators import DataRequired, Length, Optional, StopValidation

from app.core import calendar
from app.core.errors import DomainError
from app.core.provenance import CONSENT_MIN_LENGTH
from app.core.sanitize import single_line

# The message of every empty required field, in every form.
MISSING = _l("This information is missing.")
# A text with a character Parole cannot keep: the page shows it again without that character.
INVISIBLE = _l(
    "This text had an invisible sign that Parole cannot keep. We took it out. "
    "Read the text again, then send it."
)
# The same in a password or a code, which is never shown again.
INVISIBLE_SECRET = _l("There is an invisible sign in what you typed. Type it again.")
# Bytes that are not UTF-8 (app.core.web.UTF8FormParser made them U+FFFD).
NOT_RECOGNISED = _l(
    "Some characters of this text were not recognised. We took them out. "
    "Read the text again, then send it."
)
NOT_RECOGNISED_SECRET = _l("Some characters of what you typed were not recognised. Type it again.")
NOT_RECOGNISED_SIGN = "\ufffd"
# Days typed in a form: from 1900 to 2100 (calendar.known_year).
OUT_OF_RANGE_YEAR = _l("Write a date between 1900 and 2100.")

# Characters no text may hold, whatever the field: control characters (NUL, escape, bell,
# U+0080 to U+009F), halves of a surrogate pair, and the Unicode "noncharacters" (U+FFFE,
# U+FFFF, U+FDD0 to U+FDEF, the last two of every plane). PostgreSQL refuses NUL in a text,
# a line break in a title ends up in a mail header, terminals obey escape sequences.
_NONCHARACTERS = r"\ufdd0-\ufdef" + "".join(
    chr(plane + 0xFFFE) + chr(plane + 0xFFFF) for plane in range(0, 0x110000, 0x10000)
)
_UNKEPT = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff" + _NONCHARACTERS
# A multi-line text keeps tabs and line breaks; a one-line text has them made into spaces
# (`single_line`); a password or a code is compared as typed: none of them.
UNKEPT_IN_TEXT = re.compile(f"[{_UNKEPT}]")
UNKEPT_IN_SECRET = re.compile(f"[\t\n\r{_UNKEPT}]")


def _unkept(field: Field) -> re.Pattern[str]:
    return UNKEPT_IN_SECRET if isinstance(field, PasswordField) else UNKEPT_IN_TEXT


def refuse_invisible(form: Any, field: Field) -> None:
    """First validator of every text field: what was sent must not hold a character that
    Parole cannot keep (the filters took it out of `data`; `raw_data` is what was sent)."""
    unkept = _unkept(field)
    if any(isinstance(raw, str) and NOT_RECOGNISED_SIGN in raw for raw in field.raw_data or ()):
        raise StopValidation(
            str(NOT_RECOGNISED_SECRET if isinstance(field, PasswordField) else NOT_RECOGNISED)
        )
    if any(isinstance(raw, str) and unkept.search(raw) for raw in field.raw_data or ()):
        raise StopValidation(
            str(INVISIBLE_SECRET if isinstance(field, PasswordField) else INVISIBLE)
        )


def drop_invisible(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    return UNKEPT_IN_TEXT.sub("", value).replace(NOT_RECOGNISED_SIGN, "")


def year_in_range(day: Any) -> bool:
    """A date (or datetime) whose year Parole takes: 1900 to 2100. A time has no year."""
    year = getattr(day, "year", None)
    return year is None or calendar.known_year(year)


def reasonable_date(form: Any, field: Field) -> None:
    """Every date field of every form (bound by the base Form): from 1900 to 2100."""
    if not year_in_range(field.data):
        raise StopValidation(str(OUT_OF_RANGE_YEAR))


def guard_date_field(field: Field) -> None:
    if isinstance(field, DateField | DateTimeField):
        field.validators = [*field.validators, reasonable_date]


def one_line(value: Any) -> Any:
    return drop_invisible(single_line(value)) if isinstance(value, str) else value


def guard_text_field(field: Field) -> None:
    """Every text field of every form: refuse what Parole cannot keep (next to the field and
    in the summary), show the text again without it, and make one-line texts one line."""
    if not isinstance(field, StringField):
        return
    field.validators = [refuse_invisible, *field.validators]
    if isinstance(field, PasswordField):
        return  # compared as typed; refused above when it holds what Parole cannot keep
    cleaner = drop_invisible if isinstance(field, TextAreaField) else one_line
    field.filters = [cleaner, *field.filters]


class Form(FlaskForm):
    """Base form: CSRF on, never writes to the database. Views hand `data` to a service.

    Every text field (StringField and its kin, TextAreaField, PasswordField, hidden fields)
    is guarded by `guard_text_field` when the form is made, so a new form is covered."""

    class Meta(DefaultMeta):
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Field:
            field = super().bind_field(form, unbound_field, options)
            guard_text_field(field)
            guard_date_field(field)
            return field

        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            """Parole's forms are sent as forms. Flask-WTF would also read a JSON body, where
            a value can be a number, a list or an object that no text field expects: such a
            request is refused (400) rather than half understood."""
            from flask import abort, has_request_context, request

            if (
                formdata is _Auto
                and has_request_context()
                and request.is_json
                and form.is_submitted()
                and not request.form
            ):
                abort(400)
            return super().wrap_formdata(form, formdata)

    # Service field names that this form shows under another name (e.g. closes_at -> closes_on).
    field_aliases: dict[str, str] = {}

    def texts(self, *names: str) -> dict[str, str]:
        """What was typed in these text fields, by name, an empty one as "": for the data
        a view hands to a service."""
        return {name: self[name].data or "" for name in names}

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


def required_text(
    label: Any, max_length: int, *, description: Any = "", field_class: type[Field] = StringField
) -> Any:
    """A text the person must give: spaces around it dropped, "This information is missing."
    when empty, `max_length` characters at most. `field_class=TextAreaField` for a long one."""
    return field_class(
        label,
        description=description,
        filters=[strip_filter],
        validators=[DataRequired(MISSING), Length(max=max_length)],
    )


def optional_text(
    label: Any, max_length: int, *, description: Any = "", field_class: type[Field] = StringField
) -> Any:
    """A text the person may leave empty: spaces around it dropped, `max_length` characters
    at most. `field_class=TextAreaField` for a long one."""
    return field_class(
        label,
        description=description,
        filters=[strip_filter],
        validators=[Optional(), Length(max=max_length)],
    )


# The note a facilitator writes when they fill something in for a person: how the person
# agreed. The services check the least (`CONSENT_MIN_LENGTH`, app/core/provenance.py); the
# column is a Text, the longest note is a form's limit.
CONSENT_NOTE_MAX_LENGTH = 1000
CONSENT_NOTE_LABEL = _l("How did the person agree?")
CONSENT_NOTE_HINT = _l("For example: she said yes during the meeting of 3 March.")


class ConsentNoteField(TextAreaField):
    """The consent note of every form a facilitator fills in for someone: one label, one
    hint, one limit. `required=False` where the same form serves the person themselves (the
    field is then shown only to a facilitator, and the service asks for it)."""

    def __init__(
        self, label: Any = None, *, required: bool = True, description: Any = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("filters", [strip_filter])
        super().__init__(
            label or CONSENT_NOTE_LABEL,
            validators=[
                DataRequired(MISSING) if required else Optional(),
                Length(min=CONSENT_MIN_LENGTH, max=CONSENT_NOTE_MAX_LENGTH),
            ],
            description=description or CONSENT_NOTE_HINT,
            **kwargs,
        )

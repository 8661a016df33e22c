"""Forms of the institute's pages: a mission, the answers to sign-ups, a message to the
co-trainers, attendance. Days and times are typed the French way, in French time; the forms
turn them into UTC moments and hand the services plain data."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from app.core import calendar
from app.core.dates import DayNotRead, interface_language, read_day
from app.core.errors import DomainError
from app.core.forms import (
    MISSING,
    OUT_OF_RANGE_YEAR,
    Form,
    MultiCheckboxField,
    optional_text,
    required_text,
    strip_filter,
    year_in_range,
)
from app.expenses import categories, money
from app.trainings.models import TYPE_LABELS, Mission, MissionType, Signup
from app.trainings.services import MissionData

SESSIONS = 4
PARTS = ("day", "start", "end")
DAY_HINT = _l("For example: 21/03/2027")
BAD_DAY = _l("Write a date like this: 21/03/2027.")
BAD_TIME = _l("Write a time like this: 14:00.")
# Spring forward in France (calendar.exists): the only hour of the year that is skipped.
NO_SUCH_HOUR = _l("This time does not exist on that day: the clocks go from 2:00 to 3:00.")
_TIME = re.compile(r"^(\d{1,2})(?:\s*[:hH.]\s*(\d{2})?)?$")
ACCESS = [
    ("step_free", _l("No steps: a wheelchair can go in")),
    ("lift", _l("A lift")),
    ("hearing_loop", _l("A hearing loop")),
    ("quiet_room", _l("A quiet room for a break")),
]


def parse_day(text: str | None) -> date | None:
    """ "21/03/2027", "21-03-27", "21 mars 2027"... (app/core/dates.py) -> a date; None when
    it is not a real day."""
    try:
        return read_day(text, interface_language())
    except DayNotRead:
        return None


def parse_time(text: str | None) -> time | None:
    """ "14:00", "14h", "14h30", "9" -> a time; None otherwise."""
    match = _TIME.match((text or "").strip())
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def check_day(text: str) -> None:
    """A real day, from 1900 to 2100 (the year 1 cannot even be turned into UTC)."""
    try:
        day = read_day(text, interface_language())
    except DayNotRead as refused:
        raise ValidationError(str(refused.message)) from None
    if day is None:
        raise ValidationError(str(BAD_DAY))
    if not year_in_range(day):
        raise ValidationError(str(OUT_OF_RANGE_YEAR))


def check_hour_exists(day_text: str | None, time_text: str | None) -> None:
    """The hour must exist that day in France; the day's own errors are said next to it."""
    day, hour = parse_day(day_text), parse_time(time_text)
    known = day is not None and hour is not None and year_in_range(day)
    if known and not calendar.exists(day, hour):  # type: ignore[arg-type]
        raise ValidationError(str(NO_SUCH_HOUR))


def in_utc(day: date, at: time) -> datetime:
    """A day and a time in France, as the UTC moment."""
    return calendar.at(day, at)


def in_france(moment: datetime) -> datetime:
    return calendar.paris(moment)


def typed_day(moment: datetime | None) -> str:
    return "" if moment is None else in_france(moment).strftime("%d/%m/%Y")


def typed_time(moment: datetime | None) -> str:
    return "" if moment is None else in_france(moment).strftime("%H:%M")


def typed_number(value: Decimal | None) -> str:
    """20.00 -> "20,00"; hours without useless zeros: 3, 2,5."""
    if value is None:
        return ""
    return format(value.normalize(), "f").replace(".", ",")


class _SessionPart:
    """One part of a session row (day, start or end). An empty row is fine; a row begun
    must be complete, with a real day, real times, and an end after the start."""

    def __init__(self, number: int, part: str) -> None:
        self.number = number
        self.part = part
        # The first session is needed: its fields are not marked "(optional)".
        self.field_flags: dict[str, bool] = {"required": True} if number == 1 else {}

    def _row(self, form: Any) -> dict[str, str]:
        return {p: (form[f"session_{self.number}_{p}"].data or "").strip() for p in PARTS}

    def __call__(self, form: Any, field: Any) -> None:
        from wtforms.validators import StopValidation

        row = self._row(form)
        if not any(row.values()):
            if self.number == 1 and self.part == "day" and not form.any_session():
                raise ValidationError(_("Add at least one session."))
            raise StopValidation()
        value = row[self.part]
        if not value:
            raise ValidationError(str(MISSING))
        if self.part == "day":
            check_day(value)
            return
        if parse_time(value) is None:
            raise ValidationError(str(BAD_TIME))
        check_hour_exists(row["day"], value)
        if self.part == "end":
            start = parse_time(row["start"])
            if start is not None and parse_time(value) <= start:  # type: ignore[operator]
                raise ValidationError(_("A session must end after it starts."))


def _session_fields(n: int) -> tuple[StringField, StringField, StringField]:
    return (
        StringField(
            _l("Day of session %(n)s", n=n),
            description=DAY_HINT,
            filters=[strip_filter],
            validators=[_SessionPart(n, "day"), Length(max=40)],
        ),
        StringField(
            _l("Start of session %(n)s", n=n),
            description=_l("French time. For example: 14:00"),
            filters=[strip_filter],
            validators=[_SessionPart(n, "start"), Length(max=5)],
        ),
        StringField(
            _l("End of session %(n)s", n=n),
            description=_l("For example: 17:00"),
            filters=[strip_filter],
            validators=[_SessionPart(n, "end"), Length(max=5)],
        ),
    )


def _optional_text(label: Any, max_length: int, hint: Any = None, area: bool = False) -> Any:
    kind = TextAreaField if area else StringField
    return kind(
        label,
        description=hint,
        filters=[strip_filter],
        validators=[Optional(), Length(max=max_length)],
    )


def easy_hint() -> Any:
    return _l("Short sentences, common words. People read this version first.")


class MissionForm(Form):
    """Every field of a mission. Names match the service's fields, so its errors land here."""

    field_aliases = {"sessions": "session_1_day", "preparation_at": "preparation_day"}

    type = RadioField(
        _l("What will the co-trainers do?"),
        choices=[(t.value, label) for t, label in TYPE_LABELS.items()],
        validators=[InputRequired(_l("Choose one answer."))],
    )
    title = StringField(
        _l("Title"), filters=[strip_filter], validators=[DataRequired(MISSING), Length(max=200)]
    )
    title_easy = _optional_text(_l("Title, easy-to-read version"), 200, easy_hint())
    description = _optional_text(_l("What is it about?"), 5000, area=True)
    description_easy = _optional_text(
        _l("What is it about? Easy-to-read version"), 5000, easy_hint(), area=True
    )
    topic = _optional_text(_l("Topic"), 200, _l("For example: housing first, child protection."))
    audience = _optional_text(
        _l("Who are the learners?"), 200, _l("For example: social work students, 2nd year.")
    )
    online = BooleanField(_l("The mission is online"))
    place = _optional_text(
        _l("Place"), 300, _l("The full address. Leave empty if the mission is online."), area=True
    )
    departement = _optional_text(_l("Département"), 3, _l("For example: 59 or 2A."))
    access = MultiCheckboxField(
        _l("Access to the place"),
        description=_l("Tick what the place has."),
        choices=ACCESS,
        validators=[Optional()],
    )
    seats = required_text(
        _l("How many co-trainers?"), 3, description=_l("A number between 1 and 50.")
    )
    session_1_day, session_1_start, session_1_end = _session_fields(1)
    session_2_day, session_2_start, session_2_end = _session_fields(2)
    session_3_day, session_3_start, session_3_end = _session_fields(3)
    session_4_day, session_4_start, session_4_end = _session_fields(4)
    preparation_day = _optional_text(
        _l("Day of the preparation meeting"),
        40,
        _l("Leave empty if there is none. For example: 21/03/2027"),
    )
    preparation_time = _optional_text(
        _l("Time of the preparation meeting"), 5, _l("French time. For example: 10:00")
    )
    hourly_rate = _optional_text(
        _l("Pay per hour, in euros"), 20, _l("For example: 20,00. Leave empty if it is not paid.")
    )
    expected_hours = _optional_text(
        _l("Hours of work expected in all"), 20, _l("With the preparation. For example: 6 or 7,5")
    )
    covered_costs = MultiCheckboxField(
        _l("Costs paid back"),
        description=_l("We prepare a costs request for each person with these costs."),
        choices=categories.choices(),
        validators=[Optional()],
    )
    contact_name = _optional_text(_l("Who to call"), 120, _l("The name the co-trainers ask for."))
    contact_phone = _optional_text(_l("Phone number to call"), 40)
    signup_deadline = _optional_text(
        _l("Last day to sign up"),
        40,
        _l("Leave empty to keep sign-up open. For example: 21/03/2027"),
    )

    def any_session(self) -> bool:
        return any(
            (self[f"session_{n}_{p}"].data or "").strip()
            for n in range(1, SESSIONS + 1)
            for p in PARTS
        )

    def validate_seats(self, field: Any) -> None:
        if field.data and not field.data.isdigit():
            raise ValidationError(_("Write a number, for example 3."))

    def validate_hourly_rate(self, field: Any) -> None:
        if field.data:
            try:
                money.parse_amount(field.data, "hourly_rate")
            except DomainError as exc:
                raise ValidationError(str(exc.message)) from None

    def validate_expected_hours(self, field: Any) -> None:
        if field.data:
            try:
                money.parse_quantity(field.data, "expected_hours")
            except DomainError as exc:
                raise ValidationError(str(exc.message)) from None

    def validate_preparation_day(self, field: Any) -> None:
        if field.data:
            check_day(field.data)
        if not field.data and self.preparation_time.data:
            raise ValidationError(str(MISSING))

    def validate_preparation_time(self, field: Any) -> None:
        if field.data and parse_time(field.data) is None:
            raise ValidationError(str(BAD_TIME))
        if field.data:
            check_hour_exists(self.preparation_day.data, field.data)
        if not field.data and self.preparation_day.data:
            raise ValidationError(str(MISSING))

    def validate_signup_deadline(self, field: Any) -> None:
        if field.data:
            check_day(field.data)

    def mission_data(self) -> MissionData:
        """What was typed, for the service (call after a successful validate())."""
        sessions = []
        for n in range(1, SESSIONS + 1):
            day = parse_day(self[f"session_{n}_day"].data)
            start = parse_time(self[f"session_{n}_start"].data)
            end = parse_time(self[f"session_{n}_end"].data)
            if day and start and end:
                sessions.append((in_utc(day, start), in_utc(day, end)))
        preparation_day = parse_day(self.preparation_day.data)
        preparation_time = parse_time(self.preparation_time.data)
        deadline = parse_day(self.signup_deadline.data)
        access = set(self.access.data or [])
        return MissionData(
            **self.texts(*MISSION_TEXTS),
            type=MissionType(self.type.data),
            seats=int(self.seats.data),
            sessions=sessions,
            online=bool(self.online.data),
            step_free="step_free" in access,
            lift="lift" in access,
            hearing_loop="hearing_loop" in access,
            quiet_room="quiet_room" in access,
            preparation_at=in_utc(preparation_day, preparation_time)
            if preparation_day and preparation_time
            else None,
            hourly_rate=money.parse_amount(self.hourly_rate.data, "hourly_rate")
            if self.hourly_rate.data
            else None,
            expected_hours=money.parse_quantity(self.expected_hours.data, "expected_hours")
            if self.expected_hours.data
            else None,
            covered_costs=list(self.covered_costs.data or []),
            signup_deadline=in_utc(deadline, time(23, 59)) if deadline else None,
        )


# The texts of a mission, the same in the form and in the service's data.
MISSION_TEXTS = (
    "title",
    "title_easy",
    "description",
    "description_easy",
    "topic",
    "audience",
    "place",
    "departement",
    "contact_name",
    "contact_phone",
)


def mission_form_data(mission: Mission) -> dict[str, Any]:
    """A saved mission, as the form shows it to be changed."""
    data: dict[str, Any] = {name: getattr(mission, name) for name in (*MISSION_TEXTS, "online")}
    data["type"] = mission.type.value
    data["seats"] = str(mission.seats)
    data["access"] = [name for name, _label in ACCESS if getattr(mission, name)]
    data["covered_costs"] = list(mission.covered_costs or [])
    data["hourly_rate"] = (
        "" if mission.hourly_rate is None else f"{mission.hourly_rate:.2f}".replace(".", ",")
    )
    data["expected_hours"] = typed_number(mission.expected_hours)
    data["preparation_day"] = typed_day(mission.preparation_at)
    data["preparation_time"] = typed_time(mission.preparation_at)
    data["signup_deadline"] = typed_day(mission.signup_deadline)
    for n, session in enumerate(mission.sessions[:SESSIONS], start=1):
        data[f"session_{n}_day"] = typed_day(session.starts_at)
        data[f"session_{n}_start"] = typed_time(session.starts_at)
        data[f"session_{n}_end"] = typed_time(session.ends_at)
    return data


# --- the manage page -------------------------------------------------------------------


class ActionForm(Form):
    """A button on the manage page (confirm, waiting list, a mission's next step).
    A refusal without a field of its own shows as the form's error, next to the button."""

    target = StringField(validators=[Optional()])


class ReasonForm(Form):
    """Decline a sign-up or withdraw a place: the person reads the reason."""

    reason = optional_text(
        _l("Reason, in simple words"),
        1000,
        description=_l("The person reads it."),
        field_class=TextAreaField,
    )


class MessageForm(Form):
    subject = StringField(
        _l("Subject"), filters=[strip_filter], validators=[Optional(), Length(max=150)]
    )
    body = optional_text(
        _l("Your message"),
        3000,
        description=_l("Short sentences. Each confirmed person gets it in Parole and by e-mail."),
        field_class=TextAreaField,
    )


# --- attendance ------------------------------------------------------------------------


def attendance_form(signups: list[Signup], **kwargs: Any) -> Form:
    """One "was there" box and one number of hours per confirmed person. The field names
    (present-<id>, hours-<id>) are the ones the service names in its errors."""

    class AttendanceForm(Form):
        pass

    for signup in signups:
        name = signup.person.display_name if signup.person else _("Someone")
        setattr(
            AttendanceForm,
            f"present-{signup.id}",
            BooleanField(_("%(name)s was there", name=name)),
        )
        setattr(
            AttendanceForm,
            f"hours-{signup.id}",
            StringField(
                _("Hours for %(name)s", name=name),
                description=_("Empty: the length of the session, e.g. 3 or 2,5"),
                filters=[strip_filter],
                validators=[Optional(), Length(max=20)],
            ),
        )
    return AttendanceForm(**kwargs)

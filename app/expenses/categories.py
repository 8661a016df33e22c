"""The kinds of cost a person can claim, and each one's rules, in one table.

Every place that treats one kind of cost differently asks this table: the cost form's list,
how a line's amount is computed (an amount typed by the person, or a quantity times a rate of
the paying organisation, or the organisation's flat rate), what the request page says about
that computation, which costs may be declared on one's honour without a receipt when the
organisation has not chosen, and which kinds of cost a co-training mission may cover.

A Python table, not a database table: the list of kinds and their rules change with the code
(a new kind needs its form words and translations anyway). What an organisation chooses (its
rates, the costs it accepts without a receipt and up to what amount) is in its
`ExpenseSettings` row, which names the rate each rule reads.

To add a kind of cost: a member of `Category`, its `CostCategory` line in `CATEGORIES`, the
translations (docs/architecture.md, "How to add an expense category")."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError
from app.expenses import money


class Category(StrEnum):
    """Stored in `expense_lines.category` and in a mission's covered costs: values never
    change (16 characters at most)."""

    TRAIN = "train"
    LOCAL_TRANSPORT = "local_transport"
    TAXI = "taxi"
    CAR = "car"
    PARKING = "parking"
    MEAL = "meal"
    HOTEL = "hotel"
    CHILDCARE = "childcare"
    OTHER = "other"

    @property
    def rule(self) -> CostCategory:
        return CATEGORIES[self]

    @property
    def label(self) -> str:
        return str(CATEGORIES[self].label)


class Unit(StrEnum):
    """What a cost counts when its amount is a quantity times a rate. The value is the
    expense line's column that keeps the quantity, and the cost form's field for it."""

    KILOMETRES = "kilometres"
    HOURS = "hours"

    def describe(self, quantity: Decimal, rate: Decimal) -> str:
        """How the amount was computed, for the request page."""
        if self is Unit.KILOMETRES:
            return _(
                "%(km)s km at %(rate)s per km.",
                km=money.format_quantity(quantity),
                rate=money.format_amount(rate),
            )
        return _(
            "%(hours)s hours at %(rate)s per hour.",
            hours=money.format_quantity(quantity),
            rate=money.format_amount(rate),
        )


@dataclass(frozen=True)
class CostCategory:
    """One kind of cost and its rules.

    - `unit` and `rate`: the amount is the quantity (kilometres, hours) times the paying
      organisation's rate (`rate` names the `ExpenseSettings` field). With `typed_amount`
      the person may give the amount paid instead of the quantity; without it the quantity
      is needed (a car: kilometres, never an amount).
    - `flat_rate`: the `ExpenseSettings` field of a flat amount the person may choose instead
      of typing the amount (no receipt needed then).
    - `sworn_by_default` and `sworn_ceiling_by_default`: a sworn statement may replace the
      receipt (up to this amount per cost, None: no limit) until the organisation sets its own
      rule for the kind of cost (`CategoryRule`, app/expenses/statements.py).
    - `ledger_account`: the account of the French chart of accounts (PCG) where the cost is
      usually booked, a suggestion until an organisation sets its own accounts.
    """

    category: Category
    label: Any
    unit: Unit | None = None
    rate: str | None = None
    typed_amount: bool = True
    flat_rate: str | None = None
    description_required: bool = False
    sworn_by_default: bool = False
    sworn_ceiling_by_default: Decimal | None = None
    ledger_account: str = ""

    def price(self, line: Any, data: Any, settings: Any) -> None:
        """Set the line's quantity, flat-rate mark and amount from what was typed (`data`,
        an `expenses.services.LineInput`) and the organisation's rates (`settings`)."""
        if self.unit is not None and self.rate is not None:
            typed = getattr(data, self.unit.value) or ""
            if typed or not self.typed_amount:
                quantity = money.parse_quantity(typed, self.unit.value)
                setattr(line, self.unit.value, quantity)
                line.unit_rate = getattr(settings, self.rate)
                line.amount = money.times(quantity, line.unit_rate)
                return
        if self.flat_rate is not None and data.flat_rate:
            line.flat_rate = True
            line.amount = getattr(settings, self.flat_rate)
            return
        line.amount = money.parse_amount(data.amount)

    def check(self, line: Any) -> None:
        if self.description_required and not line.description:
            raise DomainError(_l("Say what this cost was."), field="description")

    def computation(self, line: Any, settings: Any) -> str:
        """How the line's amount was computed from a quantity, or "" (an amount typed, or the
        flat rate: the page says that one itself)."""
        if self.unit is None or self.rate is None:
            return ""
        quantity = getattr(line, self.unit.value)
        if not quantity:
            return ""
        rate = line.unit_rate if line.unit_rate is not None else getattr(settings, self.rate)
        if rate is None:
            return ""
        return self.unit.describe(quantity, rate)


@dataclass(frozen=True)
class MileageCategory(CostCategory):
    """A car: the kilometres (declared, or between two addresses the person types, with the
    distance they read themselves: no outside service) times the organisation's own rate per
    km, or, when it has none, the tax scale's rate for the car's power (mileage.py)."""

    def price(self, line: Any, data: Any, settings: Any) -> None:
        from app.expenses import mileage

        line.kilometres = money.parse_quantity(data.kilometres, "kilometres")
        power = data.vehicle_power or None
        if power is not None and power not in set(mileage.VehiclePower):
            power = None
        line.vehicle_power = power
        if settings.km_rate is not None:
            line.unit_rate, line.electric = settings.km_rate, False
        else:
            if power is None:
                raise DomainError(
                    _l("Choose the power of your car. It is on its registration paper, at P.6."),
                    field="vehicle_power",
                )
            line.unit_rate, line.electric = mileage.scale_rate(power), bool(data.electric)
        line.amount = mileage.amount(line.kilometres, line.unit_rate, line.electric)
        start = " ".join((data.from_place or "").split())[:120]
        end = " ".join((data.to_place or "").split())[:120]
        if start or end:
            if not (start and end):
                raise DomainError(
                    _l("Write both addresses, or none."),
                    field="to_place" if start else "from_place",
                )
            journey = _("Journey: from %(start)s to %(end)s", start=start, end=end)
            line.description = "; ".join(p for p in (journey, line.description) if p)[:300]

    def computation(self, line: Any, settings: Any) -> str:
        from app.expenses import mileage

        if not line.kilometres:
            return ""
        rate = line.unit_rate if line.unit_rate is not None else settings.km_rate
        if rate is None:
            return ""
        return mileage.describe(line.kilometres, rate, line.electric, line.amount)


TRAVEL = "6251"  # PCG: voyages et déplacements (transport, hotel, meals on the way)
OTHER_SERVICES = "6288"  # PCG: autres services extérieurs divers

CATEGORIES: dict[Category, CostCategory] = {
    rule.category: rule
    for rule in (
        CostCategory(Category.TRAIN, _l("Train"), ledger_account=TRAVEL),
        CostCategory(
            Category.LOCAL_TRANSPORT,
            _l("Bus, metro or tram"),
            sworn_by_default=True,
            sworn_ceiling_by_default=Decimal("20.00"),
            ledger_account=TRAVEL,
        ),
        CostCategory(Category.TAXI, _l("Taxi"), ledger_account=TRAVEL),
        MileageCategory(
            Category.CAR,
            _l("Car (kilometres)"),
            unit=Unit.KILOMETRES,
            rate="km_rate",
            typed_amount=False,
            sworn_by_default=True,
            ledger_account=TRAVEL,
        ),
        CostCategory(
            Category.PARKING,
            _l("Parking"),
            sworn_by_default=True,
            sworn_ceiling_by_default=Decimal("30.00"),
            ledger_account=TRAVEL,
        ),
        CostCategory(Category.MEAL, _l("Meal"), flat_rate="meal_flat_rate", ledger_account=TRAVEL),
        CostCategory(Category.HOTEL, _l("Hotel"), ledger_account=TRAVEL),
        CostCategory(
            Category.CHILDCARE,
            _l("Childcare"),
            unit=Unit.HOURS,
            rate="childcare_hourly_rate",
            sworn_by_default=True,
            ledger_account=OTHER_SERVICES,
        ),
        CostCategory(
            Category.OTHER,
            _l("Other cost"),
            description_required=True,
            ledger_account=OTHER_SERVICES,
        ),
    )
}


def rule_for(category: Category | str) -> CostCategory:
    return CATEGORIES[Category(category)]


def choices() -> list[tuple[str, Any]]:
    """(value, label) of every kind of cost, in the table's order, for a form's list."""
    return [(c.value, rule.label) for c, rule in CATEGORIES.items()]


def known(values: Any) -> bool:
    """Every value names a kind of cost of the table."""
    return set(values) <= {c.value for c in Category}


def sworn_by_default() -> list[str]:
    """The costs a sworn statement may replace the receipt of, for an organisation that has
    not chosen yet."""
    return [c.value for c, rule in CATEGORIES.items() if rule.sworn_by_default]


def labels(values: Any) -> list[str]:
    """The labels of kinds of cost given by their stored values (a mission's covered costs)."""
    return [str(rule_for(value).label) for value in values or []]

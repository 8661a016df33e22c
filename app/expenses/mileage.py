"""Car journeys: kilometres times a rate per kilometre.

An organisation may write its own rate (`ExpenseSettings.km_rate`); until it does (the rate
left empty), the rate is the French tax scale for cars ("barème kilométrique"), which depends
on the car's fiscal power (the "CV" written on line P.6 of the registration paper). Only the
first band of the scale is used: up to 5,000 km in the year, the amount is d × rate. The scale
adds 20 % for an electric car.

The amounts are computed in Decimal and rounded to the cent, half up, once, at the end."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core import formatting

CENT = Decimal("0.01")


class VehiclePower(StrEnum):
    """The car's fiscal power, as the scale groups it. Stored in `expense_lines.vehicle_power`:
    values never change."""

    CV3 = "3"
    CV4 = "4"
    CV5 = "5"
    CV6 = "6"
    CV7 = "7"

    @property
    def label(self) -> str:
        return str(POWER_LABELS[self])


POWER_LABELS = {
    VehiclePower.CV3: _l("3 CV or less"),
    VehiclePower.CV4: _l("4 CV"),
    VehiclePower.CV5: _l("5 CV"),
    VehiclePower.CV6: _l("6 CV"),
    VehiclePower.CV7: _l("7 CV or more"),
}

# Barème kilométrique applicable aux automobiles, first band (up to 5,000 km: d × rate), in
# euros per km. Source: the scale raised in 2023 and kept unchanged ("gel") for 2024 and 2025
# (impots.gouv.fr, URSSAF "frais professionnels"; checked on 2026-12-07 against "Gel des
# barèmes kilométriques", Les Echos Publishing, 14 April 2025). Update the table and this
# comment when a new scale is published.
SCALE_YEAR = "2024-2025"
SCALE: dict[VehiclePower, Decimal] = {
    VehiclePower.CV3: Decimal("0.529"),
    VehiclePower.CV4: Decimal("0.606"),
    VehiclePower.CV5: Decimal("0.636"),
    VehiclePower.CV6: Decimal("0.665"),
    VehiclePower.CV7: Decimal("0.697"),
}
# Electric cars: the scale's amount is increased by 20 % (same source).
ELECTRIC_BONUS = Decimal("1.20")


def power_choices() -> list[tuple[str, object]]:
    return [(p.value, label) for p, label in POWER_LABELS.items()]


def scale_rate(power: VehiclePower | str) -> Decimal:
    """The scale's rate per kilometre for a car of this power."""
    return SCALE[VehiclePower(power)]


def amount(kilometres: Decimal, rate: Decimal, electric: bool = False) -> Decimal:
    """d × rate (× 1.2 for an electric car on the scale), rounded to the cent half up."""
    value = kilometres * rate
    if electric:
        value *= ELECTRIC_BONUS
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def format_rate(rate: Decimal) -> str:
    """A rate per km with up to 3 decimals, the way of the page's language: "0,636 €"."""
    from babel.numbers import format_currency

    locale = get_locale()
    pattern = locale.currency_formats["standard"].pattern.replace("0.00", "0.00#")
    return format_currency(rate, "EUR", format=pattern, locale=locale, currency_digits=False)


def describe(kilometres: Decimal, rate: Decimal, electric: bool, total: Decimal) -> str:
    """How the amount was computed, for the person: "32 km × 0,636 € = 20,35 €"."""
    if electric:
        return _(
            "%(km)s km × %(rate)s + 20 %% (electric car) = %(amount)s",
            km=formatting.number(kilometres),
            rate=format_rate(rate),
            amount=formatting.money(total),
        )
    return _(
        "%(km)s km × %(rate)s = %(amount)s",
        km=formatting.number(kilometres),
        rate=format_rate(rate),
        amount=formatting.money(total),
    )


def scale_sentence() -> str:
    """The scale for the settings page: "3 CV or less: 0,529 €; 4 CV: 0,606 €; ..."."""
    rates = "; ".join(
        _("%(power)s: %(rate)s", power=power.label, rate=format_rate(rate))
        for power, rate in SCALE.items()
    )
    return _(
        "If you set no rate of your own, the tax scale %(year)s applies, per km: %(rates)s. "
        "An electric car gets 20 %% more.",
        year=SCALE_YEAR,
        rates=rates,
    )

"""What a person earned through Parole in a year (pay for work and compensation for time),
by month and by paying organisation, against reference amounts that matter for the RSA, the
AAH, the ASS and the prime d'activité; the warning before a new mission would cross one; the
quarter's statement for a declaration.

Counted: PAY and COMPENSATION requests PAID in the year (France's year, `calendar`), at the
amount paid, in the month of payment (the CAF and France Travail ask for what was received).
Accepted and not yet paid: shown apart ("still to come"), and added in the warning, since it
will be received. Reimbursed costs are never income and are not counted.

The reference amounts are facts to check, never advice: the person's benefits depend on their
whole situation; pages and the statement name the CAF and France Travail simulators."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import db
from app.accounts.models import Person
from app.core import audit, calendar
from app.core.errors import NotFound
from app.core.permissions import can, require
from app.db import utcnow
from app.expenses import money
from app.expenses.earnings_models import EarningsThreshold
from app.expenses.models import ExpenseRequest, RequestKind, RequestStatus

EARNING_KINDS = (RequestKind.PAY, RequestKind.COMPENSATION)
QUARTERS = (1, 2, 3, 4)


# The reference amounts change every 1 April (the yearly revaluation of social benefits).
CHANGE_MONTH, CHANGE_DAY = 4, 1
DEFAULTS_FROM = date(2025, 4, 1)  # the date of the amounts below (the last ones checked)


@dataclass(frozen=True)
class Threshold:
    """A reference amount for one benefit, over a calendar year (12 months)."""

    key: str
    benefit: str  # the benefit's usual name, as on the CAF's and France Travail's letters
    yearly: Decimal
    what: str  # what the amount is, in plain words (lazy-translated)
    source: str  # where it comes from, and its date
    valid_from: date = DEFAULTS_FROM  # a default: its legal date; set by an organisation: that day
    own: bool = False  # set by the organisation

    def next_change(self) -> date:
        """The first 1 April after the amount's date: from then on, it may be out of date."""
        change = date(self.valid_from.year, CHANGE_MONTH, CHANGE_DAY)
        return change if self.valid_from < change else change.replace(year=change.year + 1)

    def out_of_date(self, today: date) -> bool:
        return today >= self.next_change()


# Reference amounts for a person living alone, from 1 April 2025 (read in December 2026; the
# amounts from 1 April 2026 could not be checked: pages say so from 1 April 2026 on).
# Each is a monthly amount x 12, to compare with a year of pay.
# - RSA: décret n° 2025-293 du 29 mars 2025, montant forfaitaire personne seule 646,52 €.
# - Prime d'activité: décret n° 2025-294 du 29 mars 2025, montant forfaitaire 633,21 €.
# - AAH: 1 033,32 € a month at the full rate (revalorisation du 1er avril 2025, +1,7 %).
# - ASS: 19,33 € a day from 1 April 2025; its income limit for a person alone is 70 times it.
DEFAULT_THRESHOLDS: tuple[Threshold, ...] = (
    Threshold(
        "rsa",
        "RSA",
        Decimal("646.52") * 12,  # 7 758,24 €: montant forfaitaire, personne seule
        _l("12 times the monthly RSA of a person living alone (646,52 €)"),
        "Décret n° 2025-293 du 29 mars 2025 (RSA au 1er avril 2025)",
    ),
    Threshold(
        "prime_activite",
        "prime d'activité",
        Decimal("633.21") * 12,  # 7 598,52 €: montant forfaitaire de la prime d'activité
        _l("12 times the monthly base amount of the prime d'activité (633,21 €)"),
        "Décret n° 2025-294 du 29 mars 2025 (prime d'activité au 1er avril 2025)",
    ),
    Threshold(
        "aah",
        "AAH",
        Decimal("1033.32") * 12,  # 12 399,84 €: plafond de ressources annuel, personne seule
        _l("The yearly income limit of the AAH for a person living alone (12 times 1 033,32 €)"),
        "Revalorisation de l'AAH au 1er avril 2025 (+1,7 %) : 1 033,32 € par mois à taux plein",
    ),
    Threshold(
        "ass",
        "ASS",
        Decimal("1353.10") * 12,  # 16 237,20 €: plafond mensuel 70 x 19,33 €, personne seule
        _l("12 times the monthly income limit of the ASS for a person living alone (1 353,10 €)"),
        "ASS : 19,33 € par jour au 1er avril 2025 (plafond : 70 fois ce montant par mois)",
    ),
)


def out_of_date(limits: tuple[Threshold, ...] | list[Threshold], today: date) -> date | None:
    """The date of the oldest amount that is out of date today (past the 1 April after it), or
    None when every amount is still of this year."""
    old = [t.valid_from for t in limits if t.out_of_date(today)]
    return min(old) if old else None


def day_name(day: date) -> str:
    """ "1er avril 2025" in French, "1 April 2025" in English: the date of the amounts."""
    from flask_babel import format_date, get_locale

    if day.day == 1 and str(get_locale() or "fr").startswith("fr"):
        return "1er " + format_date(day, "MMMM yyyy")
    return format_date(day, "d MMMM yyyy")


SIMULATORS = _l(
    "To know what changes, use the simulators of the CAF (caf.fr) and of "
    "France Travail (francetravail.fr). You can also ask your facilitator."
)
SIMULATORS_FOR_STAFF = _l(
    "To know what changes for the person, the CAF (caf.fr) and France Travail "
    "(francetravail.fr) have simulators. Their facilitator can help them."
)


def thresholds(organisation_id: int | None = None) -> tuple[Threshold, ...]:
    """The reference amounts: the defaults, or the ones this organisation set instead."""
    if organisation_id is None:
        return DEFAULT_THRESHOLDS
    from dataclasses import replace

    own = {
        row.key: row
        for row in db.session.scalars(
            select(EarningsThreshold).where(EarningsThreshold.organisation_id == organisation_id)
        )
    }
    return tuple(
        replace(
            t,
            yearly=own[t.key].yearly,
            what=_l("Amount set by the organisation"),
            source="",
            valid_from=calendar.paris(own[t.key].updated_at).date(),
            own=True,
        )
        if t.key in own
        else t
        for t in DEFAULT_THRESHOLDS
    )


def set_thresholds(actor: Person, organisation_id: int, amounts: dict[str, Decimal | None]) -> None:
    """The organisation's own reference amounts (None: back to the default), set by its
    administrators and finance people, as its other rates."""
    require(actor, "expenses.settings", organisation_id)
    known = {t.key for t in DEFAULT_THRESHOLDS}
    for key, amount in amounts.items():
        if key not in known:
            continue
        row = db.session.get(EarningsThreshold, (organisation_id, key))
        if amount is None:
            if row is not None:
                db.session.delete(row)
            continue
        if row is None:
            row = EarningsThreshold(organisation_id=organisation_id, key=key, yearly=amount)
            db.session.add(row)
        elif row.yearly == amount:
            continue  # unchanged: it keeps the date it was set (its age on the pages)
        row.yearly = amount
        row.updated_at = utcnow()
    db.session.flush()
    audit.record(
        actor,
        "expenses.earnings_thresholds_set",
        organisation_id=organisation_id,
        keys=sorted(k for k, v in amounts.items() if v is not None),
    )


@dataclass(frozen=True)
class Earning:
    request_id: int
    organisation: str
    label: str
    kind: RequestKind
    paid_on: date  # in France
    amount: Decimal


@dataclass
class Year:
    """A person's earnings through Parole in one calendar year."""

    year: int
    paid: list[Earning] = field(default_factory=list)
    to_come: Decimal = Decimal("0.00")  # accepted, not paid yet

    @property
    def total(self) -> Decimal:
        return money.total(e.amount for e in self.paid)

    def by_month(self) -> list[tuple[int, Decimal]]:
        """(month 1-12, total paid that month), months with a payment only, in order."""
        sums: dict[int, list[Decimal]] = defaultdict(list)
        for earning in self.paid:
            sums[earning.paid_on.month].append(earning.amount)
        return [(month, money.total(sums[month])) for month in sorted(sums)]

    def by_payer(self) -> list[tuple[str, Decimal]]:
        sums: dict[str, list[Decimal]] = defaultdict(list)
        for earning in self.paid:
            sums[earning.organisation].append(earning.amount)
        return [(name, money.total(sums[name])) for name in sorted(sums)]

    def quarter(self, number: int) -> list[Earning]:
        first, last = quarter_months(number)
        return [e for e in self.paid if first <= e.paid_on.month <= last]

    def passed(self) -> list[Threshold]:
        return [t for t in thresholds() if self.total > t.yearly]


def quarter_months(number: int) -> tuple[int, int]:
    return 3 * number - 2, 3 * number


def quarter_bounds(year: int, number: int) -> tuple[datetime, datetime]:
    """The first day of the quarter 00:00 in Paris and the first day of the next, as UTC."""
    first, _ = quarter_months(number)
    end = date(year + 1, 1, 1) if number == 4 else date(year, first + 3, 1)
    return calendar.at(date(year, first, 1), time.min), calendar.at(end, time.min)


def _check(actor: Person, person: Person) -> None:
    if actor.id != person.id and not can(actor, "person.act_for", person):
        raise NotFound(_l("This page does not exist."))


def year_of(person: Person, year: int) -> Year:
    """What `person` received as pay or compensation in `year` (France's year)."""
    start, end = calendar.year_bounds(year)
    found = Year(year)
    rows = db.session.scalars(
        select(ExpenseRequest)
        .where(
            ExpenseRequest.person_id == person.id,
            ExpenseRequest.kind.in_(EARNING_KINDS),
            ExpenseRequest.status == RequestStatus.PAID,
            ExpenseRequest.paid_at >= start,
            ExpenseRequest.paid_at < end,
        )
        .order_by(ExpenseRequest.paid_at, ExpenseRequest.id)
    ).all()
    for row in rows:
        assert row.paid_at is not None
        found.paid.append(
            Earning(
                request_id=row.id,
                organisation=row.organisation.name,
                label=row.activity_label or row.activity_type.label,
                kind=row.kind,
                paid_on=calendar.paris(row.paid_at).date(),
                amount=row.paid_amount or Decimal("0.00"),
            )
        )
    waiting = db.session.scalars(
        select(ExpenseRequest).where(
            ExpenseRequest.person_id == person.id,
            ExpenseRequest.kind.in_(EARNING_KINDS),
            ExpenseRequest.status.in_((RequestStatus.APPROVED, RequestStatus.PARTLY_APPROVED)),
        )
    ).all()
    found.to_come = money.total(
        r.approved_amount if r.approved_amount is not None else r.asked_amount for r in waiting
    )
    return found


def earnings(actor: Person, person: Person, year: int) -> Year:
    """The page "Mes revenus Parole": the person, or whoever acts for them."""
    _check(actor, person)
    return year_of(person, year)


@dataclass(frozen=True)
class Crossing:
    threshold: Threshold
    before: Decimal  # received and still to come this year
    after: Decimal  # with the new mission's pay
    year: int
    organisation_id: int | None = None  # whose amounts (None: the defaults)
    stale_since: date | None = None  # the amount's date, when past the 1 April after it

    @property
    def amounts_of(self) -> date:
        """The date of the amount used (a default's legal date, or the day the organisation
        set it)."""
        return self.threshold.valid_from


def _today(now: datetime | None) -> date:
    return calendar.paris(now or utcnow()).date()


def _crossing(
    t: Threshold, before: Decimal, after: Decimal, year: int, org: int | None, today: date
) -> Crossing:
    stale = t.valid_from if t.out_of_date(today) else None
    return Crossing(t, before, after, year, org, stale)


def crossings(
    person: Person,
    new_pay: Decimal | None,
    year: int,
    organisation_id: int | None = None,
    now: datetime | None = None,
) -> list[Crossing]:
    """The reference amounts that the new mission's pay would pass, this year: under the
    amount before, over it after. Nothing when the person is already past it (they knew),
    or when the mission pays nothing."""
    if not new_pay or new_pay <= 0:
        return []
    known = year_of(person, year)
    before = money.total((known.total, known.to_come))
    after = money.total((before, new_pay))
    today = _today(now)
    return [
        _crossing(t, before, after, year, organisation_id, today)
        for t in thresholds(organisation_id)
        if before <= t.yearly < after
    ]


def mission_crossings(
    person: Person,
    hourly_rate: Decimal | None,
    hours: Decimal | None,
    first_session: datetime | None,
    now: datetime,
    organisation_id: int | None = None,
) -> list[Crossing]:
    """The warning before a sign-up: the mission's pay (hours x rate, as its pay request
    will count it) against the person's year, the year of its first session."""
    if hourly_rate is None or not hours:
        return []
    pay = money.times(hours, hourly_rate)
    return crossings(person, pay, mission_year(first_session, now), organisation_id, now)


def for_mission(person: Person, mission: Any, now: datetime) -> list[Crossing]:
    """`mission_crossings` for a co-training mission (its rate, its expected hours or else
    the length of its sessions, its first session), against the amounts of the mission's
    organisation (the institute that pays it)."""
    sessions = list(mission.sessions)
    hours = mission.expected_hours or sum((s.hours for s in sessions), Decimal("0"))
    first = sessions[0].starts_at if sessions else None
    return mission_crossings(
        person, mission.hourly_rate, hours, first, now, mission.organisation_id
    )


def for_mission_people(
    people: list[Person], mission: Any, now: datetime
) -> dict[int, list[Crossing]]:
    """`for_mission` for several people at once (the institute's review of the sign-ups):
    the same sums, from three queries whatever the number of people."""
    sessions = list(mission.sessions)
    hours = mission.expected_hours or sum((s.hours for s in sessions), Decimal("0"))
    if mission.hourly_rate is None or not hours or not people:
        return {}
    pay = money.times(hours, mission.hourly_rate)
    if pay <= 0:
        return {}
    year = mission_year(sessions[0].starts_at if sessions else None, now)
    start, end = calendar.year_bounds(year)
    ids = [p.id for p in people]
    received: dict[int, list[Decimal | None]] = defaultdict(list)
    for person_id, amount in db.session.execute(
        select(ExpenseRequest.person_id, ExpenseRequest.paid_amount).where(
            ExpenseRequest.person_id.in_(ids),
            ExpenseRequest.kind.in_(EARNING_KINDS),
            ExpenseRequest.status == RequestStatus.PAID,
            ExpenseRequest.paid_at >= start,
            ExpenseRequest.paid_at < end,
        )
    ):
        received[person_id].append(amount or Decimal("0.00"))
    for waiting in db.session.scalars(
        select(ExpenseRequest)
        .where(
            ExpenseRequest.person_id.in_(ids),
            ExpenseRequest.kind.in_(EARNING_KINDS),
            ExpenseRequest.status.in_((RequestStatus.APPROVED, RequestStatus.PARTLY_APPROVED)),
        )
        .options(selectinload(ExpenseRequest.lines))
    ):
        assert waiting.person_id is not None
        received[waiting.person_id].append(
            waiting.approved_amount if waiting.approved_amount is not None else waiting.asked_amount
        )
    limits = thresholds(mission.organisation_id)
    today = _today(now)
    found: dict[int, list[Crossing]] = {}
    for person_id in ids:
        before = money.total(received[person_id])
        after = money.total((before, pay))
        found[person_id] = [
            _crossing(t, before, after, year, mission.organisation_id, today)
            for t in limits
            if before <= t.yearly < after
        ]
    return found


def statement_pdf(actor: Person, person: Person, year: int, number: int) -> bytes:
    """The quarter's statement for a declaration: large print, short lines, what was paid
    each month and by whom, the total; the facts only."""
    from flask_babel import format_date
    from flask_babel import gettext as _

    from app.core.pdf import LargePrint

    _check(actor, person)
    found = year_of(person, year)
    earned = found.quarter(number)
    first, last = quarter_months(number)
    title = _("Your pay from Parole: %(quarter)s", quarter=quarter_name(year, number))
    pdf = LargePrint(title, person.display_name)
    pdf.add_page()
    pdf.heading(title)
    pdf.para(person.display_name, bold=True)
    pdf.para(_("This sheet lists the pay and compensation you received through Parole."))
    pdf.para(_("Costs paid back are not on it: they are not income."))
    for month in range(first, last + 1):
        in_month = [e for e in earned if e.paid_on.month == month]
        pdf.heading(month_name(year, month), size=20)
        if not in_month:
            pdf.para(_("Nothing received this month."))
            continue
        for earning in in_month:
            pdf.para(
                _(
                    "%(day)s: %(amount)s from %(payer)s",
                    day=format_date(earning.paid_on, "d MMMM"),
                    amount=money.format_amount(earning.amount),
                    payer=earning.organisation,
                )
            )
            pdf.para(earning.label, size=14)
        pdf.para(
            _(
                "Total for the month: %(amount)s",
                amount=money.format_amount(money.total(e.amount for e in in_month)),
            ),
            bold=True,
        )
    pdf.heading(_("Total for the quarter"), size=20)
    pdf.para(money.format_amount(money.total(e.amount for e in earned)), bold=True)
    pdf.heading(_("Amounts to know"), size=20)
    pdf.para(_("Amounts at %(date)s, for a person living alone.", date=day_name(DEFAULTS_FROM)))
    for t in DEFAULT_THRESHOLDS:
        pdf.para(
            _(
                "%(benefit)s: %(amount)s in a year.",
                benefit=t.benefit,
                amount=money.format_amount(t.yearly),
            ),
            size=14,
        )
    pdf.para(_("These amounts change every 1 April."))
    pdf.para(str(SIMULATORS))
    return pdf.bytes()


def quarter_name(year: int, number: int) -> str:
    from flask_babel import gettext as _

    first, last = quarter_months(number)
    return _(
        "%(first)s to %(last)s",
        first=month_name(year, first),
        last=month_name(year, last),
    )


def month_name(year: int, month: int) -> str:
    from flask_babel import format_date

    return format_date(date(year, month, 1), "MMMM yyyy")


def mission_year(first_session: datetime | None, now: datetime) -> int:
    """The year a mission's pay counts in: that of its first session (else this year)."""
    return calendar.paris(first_session or now).year

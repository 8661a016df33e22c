"""Costs without a receipt, by rule: the tax scale for a car (Decimal, rounded to the cent half
up), the organisation's own rate, the sworn statement per kind of cost with its limit, signed
by the person or by a facilitator for them with consent."""

from decimal import Decimal

import pytest

from app import db
from app.accounts.models import Role
from app.core.errors import DomainError
from app.expenses import mileage, services, statements
from app.expenses.categories import Category
from app.expenses.models import ActivityType, ExpenseSettings, RequestKind, RequestStatus
from app.expenses.services import LineInput
from tests.worlds import a_payment_choice, an_organisation

pytestmark = pytest.mark.usefixtures("ctx")


@pytest.fixture(autouse=True)
def uploads(app, tmp_path):
    previous = app.config["UPLOAD_ROOT"]
    app.config["UPLOAD_ROOT"] = str(tmp_path / "uploads")
    yield
    app.config["UPLOAD_ROOT"] = previous


@pytest.fixture
def world():
    team = an_organisation(
        person=Role.PARTICIPANT, facilitator=Role.FACILITATOR, finance=Role.FINANCE
    )
    a_payment_choice(team["person"])
    return {"org": team.org, **team.people}


def _draft(world, actor=None, consent_note=None):
    return services.create_request(
        actor or world["person"],
        world["person"],
        world["org"],
        RequestKind.REIMBURSEMENT,
        ActivityType.CONSULTATION,
        "Réunion logement",
        consent_note=consent_note,
    )


def _car(world, request, km="32", power="5", **more):
    return services.add_line(
        world["person"],
        request,
        LineInput(Category.CAR, kilometres=km, vehicle_power=power, **more),
    )


@pytest.mark.parametrize(
    ("power", "rate"),
    [("3", "0.529"), ("4", "0.606"), ("5", "0.636"), ("6", "0.665"), ("7", "0.697")],
)
def test_the_tax_scale_gives_the_first_band_rate_for_each_power(power, rate):
    assert mileage.scale_rate(power) == Decimal(rate)


def test_mileage_is_rounded_to_the_cent_half_up_once_at_the_end():
    assert mileage.amount(Decimal("32"), Decimal("0.636")) == Decimal("20.35")
    # 0,665 € exactly: half up gives 0,67 (half to even would give 0,66).
    assert mileage.amount(Decimal("1"), Decimal("0.665")) == Decimal("0.67")
    # Electric: 32 × 0,636 × 1,2 = 24,4224, rounded once (not 20,35 × 1,2 = 24,42 by luck).
    assert mileage.amount(Decimal("32"), Decimal("0.636"), electric=True) == Decimal("24.42")
    assert mileage.amount(Decimal("12.5"), Decimal("0.529"), electric=True) == Decimal("7.94")
    assert isinstance(mileage.amount(Decimal("1"), Decimal("0.5")), Decimal)


def test_a_car_cost_is_priced_at_the_scale_and_shown_to_the_person(world, app):
    line = _car(world, _draft(world))
    assert (line.kilometres, line.unit_rate, line.amount) == (
        Decimal("32.00"),
        Decimal("0.636"),
        Decimal("20.35"),
    )
    db.session.expire(line)  # the rate comes back exact from the database
    assert line.unit_rate == Decimal("0.636") and line.vehicle_power == "5"
    settings = services.settings_for(world["org"].id)
    shown = line.rule.computation(line, settings).replace("\u00a0", " ")
    assert shown == "32 km × 0,636 € = 20,35 €"


def test_an_electric_car_gets_the_scale_plus_20_percent(world, app):
    line = _car(world, _draft(world), electric=True)
    assert line.amount == Decimal("24.42") and line.electric
    shown = line.rule.computation(line, services.settings_for(world["org"].id))
    assert shown.replace("\u00a0", " ") == "32 km × 0,636 € + 20 % (voiture électrique) = 24,42 €"


def test_the_car_power_is_asked_once_then_remembered(world):
    request = _draft(world)
    with pytest.raises(DomainError) as unknown:
        _car(world, request, power="")
    assert unknown.value.field == "vehicle_power"
    _car(world, request, power="6")
    again = _car(world, _draft(world), km="10", power="")
    assert (again.vehicle_power, again.amount) == ("6", Decimal("6.65"))


def test_the_organisation_own_rate_replaces_the_scale(world):
    settings = services.settings_for(world["org"].id)
    db.session.add(settings)
    settings.km_rate = Decimal("0.40")
    line = _car(world, _draft(world), power="", electric=True)
    assert (line.unit_rate, line.amount, line.electric) == (
        Decimal("0.40"),
        Decimal("12.80"),
        False,
    )


def test_two_typed_addresses_go_in_the_description_with_the_distance_typed(world):
    request = _draft(world)
    line = _car(
        world,
        request,
        from_place="3 rue des Lilas, Arras",
        to_place="Centre social, Lens",
        description="aller-retour",
    )
    assert line.description.startswith("Trajet : de 3 rue des Lilas, Arras à Centre social, Lens")
    assert "Centre social, Lens" in line.description and "aller-retour" in line.description
    with pytest.raises(DomainError) as half:
        _car(world, request, from_place="3 rue des Lilas, Arras")
    assert half.value.field == "to_place"


def test_the_default_rules_allow_a_statement_for_car_childcare_bus_and_parking(world):
    rules = statements.rules(world["org"].id)
    allowed = {c for c, rule in rules.items() if rule.allowed}
    assert allowed == {Category.CAR, Category.CHILDCARE, Category.LOCAL_TRANSPORT, Category.PARKING}
    assert rules[Category.CAR].ceiling is None and rules[Category.CHILDCARE].ceiling is None
    assert rules[Category.PARKING].ceiling == Decimal("30.00")


def test_a_statement_is_refused_above_the_limit_of_its_kind_of_cost(world):
    request = _draft(world)
    at_limit = services.add_line(world["person"], request, LineInput(Category.PARKING, "30"))
    above = services.add_line(world["person"], request, LineInput(Category.PARKING, "30,01"))
    long_drive = _car(world, request, km="400")  # no limit for a car by default: 254,40 €
    assert statements.refusal(at_limit, world["org"].id) is None
    assert statements.refusal(long_drive, world["org"].id) is None
    with pytest.raises(DomainError) as refused:
        services.declare_sworn(world["person"], above)
    assert "30,00" in str(refused.value.message)


def test_the_organisation_sets_each_kind_of_cost_and_its_limit(world):
    rules = {c.value: (False, "") for c in Category}
    rules["car"] = (True, "25")
    rules["train"] = (True, "")
    data = services.SettingsInput("", "15", "12", "150", "30", sworn_rules=rules)
    services.update_settings(world["finance"], world["org"].id, data)
    saved = statements.rules(world["org"].id)
    assert saved[Category.CAR].ceiling == Decimal("25.00")
    assert saved[Category.TRAIN] == statements.SwornRule(True, None)
    assert not saved[Category.PARKING].allowed
    assert db.session.get(ExpenseSettings, world["org"].id).km_rate is None
    request = _draft(world)
    car = _car(world, request)  # 20,35 €: under 25
    far = _car(world, request, km="50")  # 31,80 €: above 25
    parking = services.add_line(world["person"], request, LineInput(Category.PARKING, "4"))
    services.declare_sworn(world["person"], car)
    for line in (far, parking):
        with pytest.raises(DomainError):
            services.declare_sworn(world["person"], line)
    with pytest.raises(DomainError) as wrong:
        rules["car"] = (True, "vingt")
        services.update_settings(
            world["finance"],
            world["org"].id,
            services.SettingsInput("", "15", "12", "150", "30", sworn_rules=rules),
        )
    assert wrong.value.field == "ceiling_car"


def test_the_person_signs_the_exact_sentence_and_it_is_kept_with_the_time(world, app):
    request = _draft(world)
    line = _car(world, request)
    with pytest.raises(DomainError) as unticked:
        statements.sign(world["person"], line, agreed=False)
    assert unticked.value.field == "agreed" and not line.sworn_statement
    statements.sign(world["person"], line, agreed=True)
    statements.sign(world["person"], line, agreed=True)  # a double click: once
    assert line.sworn_statement and line.sworn_at is not None
    assert line.sworn_by_id == world["person"].id and line.sworn_consent_note is None
    assert line.sworn_text.startswith("Je déclare sur l'honneur")
    assert "20,35" in line.sworn_text
    services.submit(world["person"], request)  # no receipt asked for
    assert request.status == RequestStatus.SUBMITTED


def test_a_facilitator_signs_for_the_person_only_with_their_consent(world, app):
    note = "Accord donné à l'accueil, au téléphone."
    request = _draft(world, world["facilitator"], note)
    line = services.add_line(
        world["facilitator"], request, LineInput(Category.CHILDCARE, hours="3")
    )
    assert line.amount == Decimal("36.00")
    with pytest.raises(DomainError) as no_consent:
        statements.sign(world["facilitator"], line, agreed=True)
    assert no_consent.value.field == "consent_note"
    statements.sign(world["facilitator"], line, agreed=True, consent_note=note)
    assert line.sworn_by_id == world["facilitator"].id and line.sworn_consent_note == note
    assert line.sworn_text.startswith(world["person"].display_name)
    services.submit(world["facilitator"], request)
    assert request.status == RequestStatus.SUBMITTED


def test_a_receipt_added_after_the_statement_replaces_it(world, app):
    from tests.unit.expenses.test_services import _jpeg

    line = _car(world, _draft(world))
    statements.sign(world["person"], line, agreed=True)
    services.attach_receipt(world["person"], line, _jpeg(), "ticket.jpg")
    assert not line.sworn_statement and line.sworn_text is None and line.sworn_at is None

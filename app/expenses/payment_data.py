"""What "how I am paid" holds about a person, for "My data" (the judge's decision in the
download), closing an account (the preference and its file go) and erasure (the payees of
the person's requests are blanked by their tagged columns). The framework is
app/accounts/personal_data.py; this is a provider of its own beside the costs' one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import db
from app.accounts import personal_data
from app.accounts.models import Person
from app.accounts.personal_data import Closed, PersonalDataProvider, Section, Step, iso
from app.expenses import receipts
from app.expenses.models import ExpenseRequest
from app.expenses.payment import document_root, preference_of
from app.expenses.payment_models import ExpensePayee


def _document_name(person: Person) -> str | None:
    preference = preference_of(person.id)
    if preference is None or not preference.document_key:
        return None
    return "justificatifs/decision-du-juge." + preference.document_key.rsplit(".", 1)[-1]


def _preference(person: Person) -> dict[str, Any] | None:
    preference = preference_of(person.id)
    if preference is None:
        return None
    payees = db.session.execute(
        select(ExpensePayee.request_id, ExpensePayee.method, ExpensePayee.name)
        .join(ExpenseRequest, ExpenseRequest.id == ExpensePayee.request_id)
        .where(ExpenseRequest.person_id == person.id)
        .order_by(ExpensePayee.request_id)
    ).all()
    return {
        "payment_method_chosen": str(preference.method),
        "paid_to_person": preference.third_party_name or None,
        "paid_to_role": str(preference.third_party_role) if preference.third_party_role else None,
        "paid_to_account": preference.masked() or None,
        "judge_decision_file": _document_name(person),
        "chosen_on": iso(preference.updated_at),
        "requests_paid_to": [
            {"request_number": request_id, "paid_by_way": str(method), "paid_to_name": name}
            for request_id, method, name in payees
        ],
    }


def _archive_files(person: Person) -> Iterator[tuple[str, Callable[[], Path]]]:
    name = _document_name(person)
    preference = preference_of(person.id)
    if name and preference is not None:
        key = preference.document_key
        yield name, lambda: receipts.path_for(document_root(), key)


def _delete_document(person: Person, closed: Closed) -> None:
    """The judge's decision is a file: it goes with the preference's row."""
    preference = preference_of(person.id)
    if preference is not None and preference.document_key:
        receipts.delete(document_root(), preference.document_key)
        closed.files_removed += 1


PROVIDER = PersonalDataProvider(
    domain="expenses_payment",
    sections=(Section("payment_preference", 85, _preference),),
    exported={"payment_preferences.person_id": "payment_preference"},
    deleted_at_closure=("payment_preferences.person_id",),
    archive_files=_archive_files,
    erasure=(Step(25, _delete_document),),
    labels={
        "payment_preference": _l("How you are paid"),
        "payment_method_chosen": _l("Your choice"),
        "paid_to_person": _l("Paid to"),
        "paid_to_role": _l("Their role"),
        "paid_to_account": _l("Their account"),
        "judge_decision_file": _l("Judge's decision, file in the download"),
        "chosen_on": _l("Chosen on"),
        "requests_paid_to": _l("Who each request is paid to"),
        "request_number": _l("Request number"),
        "paid_by_way": _l("How it is paid"),
        "paid_to_name": _l("Name of who is paid"),
    },
)


def register() -> None:
    """Called by this domain's `init_app`."""
    personal_data.register(PROVIDER)

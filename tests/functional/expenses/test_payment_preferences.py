"""How a person is paid: asked before their first request is sent, changed on "Mon compte";
a guardian or curator as payee with their IBAN and the judge's decision; the request keeps
the choice made when it was sent, and finance reads it when paying."""

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import db
from app.accounts.models import Role
from app.core import crypto
from app.core.models import AuditEntry
from app.expenses import services
from app.expenses.categories import Category
from app.expenses.models import ActivityType, ExpenseRequest, RequestKind, RequestStatus
from app.expenses.payment_models import ExpensePayee, PayeeMethod, PaymentPreference
from app.expenses.services import LineInput
from tests.conftest import csrf_from, login, post_form
from tests.factories import PASSWORD
from tests.worlds import a_jpeg, a_stranger, an_organisation, member, saved

IBAN = "FR76 3000 6000 0112 3456 7890 189"
CURATOR_IBAN = "FR14 2004 1010 0505 0001 3M02 606"


@pytest.fixture
def world(app, tmp_path):
    app.config["UPLOAD_ROOT"] = str(tmp_path / "uploads")
    with saved(app):
        team = an_organisation(
            "CCAS Essai",
            paul=member(Role.PARTICIPANT, name="Paul"),
            fac=Role.FACILITATOR,
            finance=Role.FINANCE,
        )
        a_stranger(role=Role.FINANCE)
        paul = team["paul"]
        request = services.create_request(
            paul, paul, team.org, RequestKind.REIMBURSEMENT, ActivityType.CONSULTATION, "CVS"
        )
        line = services.add_line(paul, request, LineInput(Category.TRAIN, "12,50"))
        services.attach_receipt(paul, line, a_jpeg(), "billet.jpg")
        return {"org": team.org.id, "request": request.id, "paul": paul.id}


def _client(app, who):
    client = app.test_client()
    login(client, f"{who}@e.test", PASSWORD)
    return client


def _choose(client, data, query=""):
    url = f"/expenses/payment-preference{query}"
    token = csrf_from(client.get(url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data}, content_type="multipart/form-data")


def _curator(document=True):
    data = {
        "method": "third_party",
        "iban": CURATOR_IBAN,
        "third_party_name": "Mme Durand",
        "third_party_role": "curator",
    }
    if document:
        data["document"] = (io.BytesIO(a_jpeg((30, 60, 90))), "jugement.jpg")
    return data


def test_the_send_button_waits_until_the_person_chose_how_to_be_paid(app, world):
    paul = _client(app, "paul")
    page = f"/expenses/{world['request']}"
    html = paul.get(page).get_data(as_text=True)
    assert f"/expenses/{world['request']}/submit" not in html
    assert f"/expenses/payment-preference?request={world['request']}" in html
    chosen = _choose(paul, {"method": "cash"}, f"?request={world['request']}")
    assert chosen.status_code == 303
    assert chosen.location.endswith(f"/expenses/{world['request']}#summary")
    html = paul.get(page).get_data(as_text=True)
    assert f"/expenses/{world['request']}/submit" in html


def test_a_curator_is_saved_with_an_encrypted_iban_and_the_judge_decision_on_disk(
    app, world, tmp_path
):
    paul = _client(app, "paul")
    assert _choose(paul, _curator()).status_code == 303
    with app.app_context():
        saved_choice = db.session.get(PaymentPreference, world["paul"])
        assert saved_choice.method == PayeeMethod.THIRD_PARTY
        assert saved_choice.third_party_name == "Mme Durand"
        assert "2004" not in saved_choice.iban_encrypted
        assert crypto.decrypt(saved_choice.iban_encrypted) == CURATOR_IBAN.replace(" ", "")
        stored = tmp_path / "uploads" / "payees" / saved_choice.document_key
    assert stored.is_file() and stored.stat().st_mode & 0o777 == 0o600
    html = paul.get("/expenses/payment-preference").get_data(as_text=True)
    assert "Mme Durand" in html and "FR•• •••• •••• •••• 2606" in html


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"iban": "FR76 1234"}, "iban"),
        ({"third_party_name": ""}, "third_party_name"),
        ({"third_party_role": ""}, "third_party_role"),
        ({"document": None}, "document"),
    ],
    ids=["wrong-iban", "no-name", "no-role", "no-document"],
)
def test_a_curator_without_what_finance_needs_is_refused_next_to_the_field(
    app, world, change, field
):
    data = {k: v for k, v in {**_curator(), **change}.items() if v is not None}
    refused = _choose(_client(app, "paul"), data)
    assert refused.status_code == 400
    assert f'id="{field}-error"' in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(PaymentPreference, world["paul"]) is None


def test_a_transfer_to_my_account_asks_for_an_iban_when_none_is_saved(app, world):
    paul = _client(app, "paul")
    refused = _choose(paul, {"method": "own_account"})
    assert refused.status_code == 400 and 'id="iban-error"' in refused.get_data(as_text=True)
    assert _choose(paul, {"method": "own_account", "iban": IBAN}).status_code == 303
    with app.app_context():
        assert db.session.get(PaymentPreference, world["paul"]).method == PayeeMethod.OWN_ACCOUNT


def test_a_fake_document_is_refused_like_a_fake_receipt(app, world):
    data = {**_curator(), "document": (io.BytesIO(b"%PDF-1.4 not really"), "jugement.pdf")}
    refused = _choose(_client(app, "paul"), data)
    assert refused.status_code == 400 and 'id="document-error"' in refused.get_data(as_text=True)


def test_the_request_keeps_the_choice_made_when_it_was_sent_and_finance_reads_it(
    app, world, tmp_path
):
    paul = _client(app, "paul")
    _choose(paul, _curator())
    page = f"/expenses/{world['request']}"
    assert post_form(paul, f"{page}/submit", {}, get_url=page).status_code == 303
    _choose(paul, {"method": "cash"})  # changed afterwards: the sent request keeps the curator
    with app.app_context():
        payee = db.session.get(ExpensePayee, world["request"])
        assert (payee.method, payee.name) == (PayeeMethod.THIRD_PARTY, "Mme Durand")
        assert not list((tmp_path / "uploads" / "payees").rglob("*.jpg"))
    finance = _client(app, "finance")
    html = finance.get(f"{page}/review").get_data(as_text=True)
    assert "Mme Durand" in html and CURATOR_IBAN.replace(" ", "") in html
    fac_html = _client(app, "fac").get(f"{page}/review").get_data(as_text=True)
    assert "Mme Durand" in fac_html and CURATOR_IBAN.replace(" ", "") not in fac_html


def test_the_judge_decision_downloads_for_the_person_and_finance_only(app, world):
    paul = _client(app, "paul")
    _choose(paul, _curator())
    page = f"/expenses/{world['request']}"
    post_form(paul, f"{page}/submit", {}, get_url=page)
    url = f"/expenses/payment-preference/document/{world['paul']}"
    for who in ("paul", "finance"):
        got = _client(app, who).get(url)
        assert got.status_code == 200, who
        assert got.headers["Content-Disposition"].startswith("attachment")
        assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert _client(app, "stranger").get(url).status_code == 404


def test_the_same_choice_again_is_recorded_once(app, world):
    paul = _client(app, "paul")
    for _ in range(2):
        assert _choose(paul, {"method": "voucher"}).status_code == 303
    with app.app_context():
        saved_times = db.session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "expenses.payment_preference")
        )
    assert saved_times == 1


def test_my_account_links_to_how_i_am_paid(app, world):
    html = _client(app, "paul").get("/account").get_data(as_text=True)
    assert "/expenses/payment-preference" in html


def test_finance_payment_form_is_filled_with_the_curator(app, world):
    paul = _client(app, "paul")
    _choose(paul, _curator())
    page = f"/expenses/{world['request']}"
    post_form(paul, f"{page}/submit", {}, get_url=page)
    finance = _client(app, "finance")
    post_form(finance, f"{page}/review", {"decision": "approve"})
    html = finance.get(f"{page}/review").get_data(as_text=True)
    assert 'value="Mme Durand"' in html
    paid = post_form(
        finance,
        f"{page}/payment",
        {"method": "third_party", "third_party_name": "Mme Durand", "handed_over_by_id": "0"},
        get_url=f"{page}/review",
    )
    assert paid.status_code == 303
    with app.app_context():
        assert db.session.get(ExpenseRequest, world["request"]).status == RequestStatus.PAID


def test_closing_the_account_removes_the_choice_and_its_file(app, world, tmp_path):
    from app.accounts import personal_data
    from app.accounts.models import Person

    _choose(_client(app, "paul"), _curator())
    with app.test_request_context("/"):
        person = db.session.get(Person, world["paul"])
        data = personal_data.export_person_data(person)
        assert data["payment_preference"]["paid_to_person"] == "Mme Durand"
        personal_data.close_account(person, person, PASSWORD)
        db.session.commit()
        assert db.session.get(PaymentPreference, world["paul"]) is None
    assert not list(Path(tmp_path / "uploads" / "payees").rglob("*.jpg"))


def test_a_facilitator_chooses_for_the_person_only_with_their_agreement(app, world):
    fac = _client(app, "fac")
    query = f"?person_id={world['paul']}"
    page = fac.get(f"/expenses/payment-preference{query}").get_data(as_text=True)
    assert 'id="consent_note"' in page
    refused = _choose(fac, {"method": "cash"}, query)
    assert refused.status_code == 400
    assert 'id="consent_note-error"' in refused.get_data(as_text=True)
    agreed = {"method": "cash", "consent_note": "Paul me l'a dit à l'accueil ce matin."}
    assert _choose(fac, agreed, query).status_code == 303
    with app.app_context():
        assert db.session.get(PaymentPreference, world["paul"]).method == PayeeMethod.CASH
    stranger = _client(app, "stranger")
    assert stranger.get(f"/expenses/payment-preference{query}").status_code == 404


def test_a_request_sent_without_a_payment_choice_is_refused_and_stays_a_draft(app, world):
    paul = _client(app, "paul")
    page = f"/expenses/{world['request']}"
    sent = post_form(paul, f"{page}/submit", {}, get_url=page)
    assert sent.status_code == 400
    assert "Choisissez comment vous voulez être payé" in sent.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(ExpenseRequest, world["request"]).status == RequestStatus.DRAFT


def test_the_service_refuses_to_send_a_request_to_a_person_who_did_not_choose(app, world):
    from app.core.errors import DomainError

    with app.app_context():
        request = db.session.get(ExpenseRequest, world["request"])
        with pytest.raises(DomainError) as refused:
            services.submit(request.person, request)
        assert refused.value.field == "payment"
        db.session.rollback()


def test_a_person_paid_in_cash_can_then_choose_a_curator(app, world):
    paul = _client(app, "paul")
    assert _choose(paul, {"method": "cash"}).status_code == 303
    assert _choose(paul, _curator()).status_code == 303
    with app.app_context():
        chosen = db.session.get(PaymentPreference, world["paul"])
        assert chosen.method == PayeeMethod.THIRD_PARTY
        assert crypto.decrypt(chosen.iban_encrypted) == CURATOR_IBAN.replace(" ", "")

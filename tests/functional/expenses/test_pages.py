"""Costs and pay through the pages: a request step by step, receipts, review, payment."""

import io
import re

import pytest
from PIL import Image
from sqlalchemy import select

from app import db
from app.accounts.models import Role
from app.expenses.models import ExpenseRequest, RequestStatus
from tests.conftest import csrf_from, login, post_form
from tests.factories import PASSWORD
from tests.worlds import a_payment_choice, a_stranger, an_organisation, member, saved

IBAN = "FR76 3000 6000 0112 3456 7890 189"


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
        a_payment_choice(team["paul"])
        return {"org": team.org.id}


def _client(app, who):
    client = app.test_client()
    login(client, f"{who}@e.test", PASSWORD)
    return client


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), (220, 200, 170)).save(out, "JPEG")
    return out.getvalue()


def _upload(client, url, page, field, data, name):
    token = csrf_from(client.get(page).get_data(as_text=True))
    return client.post(
        url,
        data={"csrf_token": token, field: (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_request_flow_with_errors_receipt_review_and_payment(app, world):
    paul = _client(app, "paul")
    missing = post_form(paul, "/expenses/new", {"organisation_id": world["org"]})
    html = missing.get_data(as_text=True)
    assert missing.status_code == 400 and 'id="kind-error"' in html
    created = post_form(
        paul,
        "/expenses/new",
        {
            "organisation_id": world["org"],
            "kind": "reimbursement",
            "activity_type": "consultation",
            "activity_label": "Réunion logement",
        },
    )
    assert created.status_code == 303
    page = created.headers["Location"]
    request_id = int(page.rstrip("/").split("/")[-1])
    bad = post_form(paul, f"{page}/lines", {"category": "train", "amount": "douze"}, get_url=page)
    assert bad.status_code == 400 and "douze" in bad.get_data(as_text=True)
    ok = post_form(paul, f"{page}/lines", {"category": "train", "amount": "23,40"}, get_url=page)
    assert ok.status_code == 303
    html = paul.get(page).get_data(as_text=True)
    assert "23,40" in html and "Avant d" in html  # the summary lists what is missing
    line_id = int(re.search(r"/expenses/lines/(\d+)/receipts", html).group(1))
    receipt_url = f"/expenses/lines/{line_id}/receipts"
    hostile = _upload(
        paul, receipt_url, page, f"line{line_id}-receipt", b"<html><script>x</script>", "a.jpg"
    )
    assert hostile.status_code == 400 and 'class="error-summary"' in hostile.get_data(as_text=True)
    good = _upload(paul, receipt_url, page, f"line{line_id}-receipt", _jpeg(), "billet.jpg")
    assert good.status_code == 303
    html = paul.get(page).get_data(as_text=True)
    download = re.search(r'href="(/expenses/receipts/\d+)"', html).group(1)
    response = paul.get(download)
    assert response.status_code == 200 and response.data[:3] == b"\xff\xd8\xff"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert _client(app, "stranger").get(download).status_code == 404
    assert _client(app, "stranger").get(page).status_code == 404
    sent = post_form(paul, f"{page}/submit", {}, get_url=page)
    assert sent.status_code == 303
    finance = _client(app, "finance")
    review = f"{page}/review"
    assert f"/expenses/{request_id}/review" in finance.get("/expenses/").get_data(as_text=True)
    refused = post_form(finance, review, {"decision": "refuse", "reason": ""})
    assert refused.status_code == 400 and 'id="reason-error"' in refused.get_data(as_text=True)
    approved = post_form(finance, review, {"decision": "approve", "reason": ""})
    assert approved.status_code == 303
    paid = post_form(
        finance,
        f"{page}/payment",
        {"method": "third_party", "third_party_name": ""},
        get_url=review,
    )
    assert paid.status_code == 400
    paid = post_form(
        finance,
        f"{page}/payment",
        {"method": "third_party", "third_party_name": "SNCF", "handed_over_by_id": 0},
        get_url=review,
    )
    assert paid.status_code == 303
    with app.app_context():
        assert db.session.get(ExpenseRequest, request_id).status == RequestStatus.PAID


def test_bank_details_are_masked_for_everyone_but_finance(app, world):
    paul = _client(app, "paul")
    wrong = post_form(paul, "/expenses/bank", {"iban": "FR76 0000", "holder_name": "Paul"})
    assert wrong.status_code == 400 and "FR76 0000" in wrong.get_data(as_text=True)
    saved = post_form(paul, "/expenses/bank", {"iban": IBAN, "holder_name": "Paul"})
    assert saved.status_code == 303
    page = paul.get("/expenses/bank").get_data(as_text=True)
    assert "0189" in page and "3000 6000" not in page


def test_settings_for_finance_only(app, world):
    url = f"/expenses/organisations/{world['org']}/settings"
    assert _client(app, "paul").get(url).status_code == 404
    finance = _client(app, "finance")
    assert finance.get(url).status_code == 200
    wrong = post_form(
        finance,
        url,
        {
            "km_rate": "0,40",
            "meal_flat_rate": "x",
            "childcare_hourly_rate": "12",
            "sworn_ceiling": "20",
            "second_approval_above": "150",
            "payment_days": "30",
        },
    )
    assert wrong.status_code == 400 and 'id="meal_flat_rate-error"' in wrong.get_data(as_text=True)
    with app.app_context():
        from app.expenses.models import ExpenseSettings

        assert db.session.scalars(select(ExpenseSettings)).all() == []


def _paid_request(app, org_id, label='=HYPERLINK("x")'):
    from app.accounts.models import Organisation, Person
    from app.expenses import services
    from app.expenses.models import ActivityType, Category, PaymentMethod, RequestKind

    with app.app_context():
        paul = db.session.scalars(select(Person).where(Person.email == "paul@e.test")).one()
        finance = db.session.scalars(select(Person).where(Person.email == "finance@e.test")).one()
        org = db.session.get(Organisation, org_id)
        work = services.create_request(
            paul, paul, org, RequestKind.PAY, ActivityType.CO_TRAINING, label
        )
        services.set_pay(paul, work, "3", "20", "paid", notice_read=True)
        services.submit(paul, work)
        costs = services.create_request(
            paul, paul, org, RequestKind.REIMBURSEMENT, ActivityType.COMMITTEE, "Comité"
        )
        line = services.add_line(paul, costs, services.LineInput(Category.MEAL, flat_rate=True))
        assert line.flat_rate
        services.submit(paul, costs)
        for request in (work, costs):
            services.review(finance, request, services.Review("approve"))
            services.pay(
                finance,
                request,
                services.Payment(PaymentMethod.THIRD_PARTY, "-1+1", third_party_name="Paul"),
            )
        db.session.commit()


def test_the_old_payments_file_leads_to_the_accountant_entries_for_the_same_days(app, world):
    from urllib.parse import parse_qs, urlsplit

    _paid_request(app, world["org"])
    finance = _client(app, "finance")
    old = f"/expenses/organisations/{world['org']}/paid.csv"
    moved = finance.get(f"{old}?from=2026-01-01&to=2026-12-31")
    assert moved.status_code == 308
    target = urlsplit(moved.headers["Location"])
    assert target.path == f"/expenses/organisations/{world['org']}/accounting"
    assert parse_qs(target.query) == {"from": ["2026-01-01"], "to": ["2026-12-31"]}
    assert _client(app, "paul").get(old).status_code == 404  # nothing said to others


def test_accounting_csv_has_paid_lines_references_and_no_formulas(app, world):
    _paid_request(app, world["org"])
    finance = _client(app, "finance")
    index = finance.get("/expenses/").get_data(as_text=True)
    assert "/paid.csv" not in index  # the one accountant's file is linked
    response = finance.get(
        f"/expenses/organisations/{world['org']}/paid.csv", follow_redirects=True
    )
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    text = response.data.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert (
        lines[0] == "entry,date,account,account_label,request,person,label,debit,credit,reference"
    )
    assert any(",60.00,0.00," in line for line in lines)
    assert any(",15.00,0.00," in line for line in lines)
    assert "'-1+1" in text  # the payment's reference, never a formula
    assert _client(app, "paul").get(response.request.path).status_code == 404


def test_yearly_statement_keeps_pay_apart_from_costs(app, world):
    from pypdf import PdfReader

    _paid_request(app, world["org"], "Séance sur l'accueil")
    from app.db import utcnow

    paul = _client(app, "paul")
    response = paul.get(f"/expenses/statement/{utcnow().year}.pdf")
    assert response.status_code == 200 and response.data[:5] == b"%PDF-"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    costs, rest = text.split("Rémunération", 1)
    assert "15,00" in costs and "60,00" not in costs
    assert "60,00" in rest

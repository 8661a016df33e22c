"""Finance at work, through the pages: the queue of requests waiting, filtered and oldest
first, with the person, the date, the amounts and the waiting time; the ticked requests
accepted or paid with one button, each still checked by the rules, the refused ones listed
in plain words, and the same batch sent twice acting once."""

import re
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from app import db
from app.accounts.models import Role
from app.core.models import AuditEntry
from app.db import utcnow
from app.expenses import services
from app.expenses.categories import Category
from app.expenses.models import ExpenseRequest, RequestKind, RequestStatus
from tests.conftest import login, post_form
from tests.factories import PASSWORD
from tests.worlds import a_cost_request, a_payment_choice, an_organisation, member, saved

IBAN = "FR14 2004 1010 0505 0001 3M02 606"


def _world(app, tmp_path, n=3):
    app.config["UPLOAD_ROOT"] = str(tmp_path / "uploads")
    with saved(app):
        team = an_organisation(
            "Maison Soleil",
            fin=Role.FINANCE,
            fin2=Role.FINANCE,
            ana=member(Role.PARTICIPANT, name="Ana Martin"),
            kad=member(Role.PARTICIPANT, name="Kad", identifier="KADR-12", email=None),
        )
        other = an_organisation("Ailleurs", domain="b.test", bob=Role.PARTICIPANT, fin=Role.FINANCE)
        for key in ("ana", "kad"):
            a_payment_choice(team[key], "own_account")
            services.set_bank_details(team[key], team[key], IBAN, "Titulaire")
        ids = []
        for i in range(n):
            person = team["ana"] if i % 2 == 0 else team["kad"]
            request, _line = a_cost_request(person, team.org, team["fin"], step="submitted")
            request.submitted_at = utcnow() - timedelta(days=10 - i)
            ids.append(request.id)
        elsewhere, _line = a_cost_request(other["bob"], other.org, other["fin"], step="submitted")
        return {"org": team.org.id, "ids": ids, "elsewhere": elsewhere.id}


def _statuses(app, ids):
    with app.test_request_context("/"):
        db.session.expire_all()
        return [db.session.get(ExpenseRequest, i).status for i in ids]


def test_queue_shows_person_date_amounts_and_waiting_time_oldest_first(app, client, tmp_path):
    world = _world(app, tmp_path)
    login(client, "fin@e.test", PASSWORD)
    page = client.get("/expenses/finance")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    positions = [html.index(f"/expenses/{i}/review") for i in world["ids"]]
    assert positions == sorted(positions)
    assert "Ana Martin" in html and "Kad" in html
    assert "10 jours" in html and "12,50" in html
    assert f"/expenses/{world['elsewhere']}/review" not in html
    participant = app.test_client()
    login(participant, "ana@e.test", PASSWORD)
    assert participant.get("/expenses/finance").status_code == 404


def test_queue_names_each_request_by_its_day_and_cost_not_by_a_number(app, client, tmp_path):
    world = _world(app, tmp_path)
    login(client, "fin@e.test", PASSWORD)
    html = client.get("/expenses/finance").get_data(as_text=True)
    first = world["ids"][0]
    assert f"Demande {first}" not in html
    row = html[html.index(f"/expenses/{first}/review") :]
    assert row.split("</a>")[0].endswith(", train")  # "8 décembre, train"
    assert "Ana Martin : " in html  # the box to tick says whose request it is


def test_batch_refusals_name_the_requests(app, client, tmp_path):
    world = _world(app, tmp_path)
    with app.test_request_context("/"):
        settings = services.settings_for(world["org"])
        settings.second_approval_above = Decimal("0.00")
        db.session.add(settings)
        db.session.commit()
    login(client, "fin@e.test", PASSWORD)
    refused = _batch(client, world["ids"][:1], "pay").get_data(as_text=True)
    item = refused[refused.index(f"/expenses/{world['ids'][0]}/review") :].split("</li>")[0]
    assert ", train</a>" in item and "Demande" not in item


def test_queue_filters_by_kind_and_state(app, client, tmp_path):
    world = _world(app, tmp_path)
    login(client, "fin@e.test", PASSWORD)
    html = client.get(f"/expenses/finance?kind={RequestKind.PAY.value}").get_data(as_text=True)
    assert f"/expenses/{world['ids'][0]}/review" not in html
    html = client.get("/expenses/finance?state=submitted&kind=reimbursement").get_data(as_text=True)
    assert f"/expenses/{world['ids'][0]}/review" in html
    html = client.get("/expenses/finance?state=approved").get_data(as_text=True)
    assert f"/expenses/{world['ids'][0]}/review" not in html


def _batch(client, ids, action, **extra):
    data = {"request_ids": [str(i) for i in ids], "action": action, **extra}
    return post_form(client, "/expenses/finance/batch", data, get_url="/expenses/finance")


def test_batch_accepts_then_pays_the_ticked_requests(app, client, tmp_path):
    world = _world(app, tmp_path)
    login(client, "fin@e.test", PASSWORD)
    ticked = world["ids"][:2]
    assert _batch(client, ticked, "approve").status_code == 303
    assert _statuses(app, world["ids"]) == [
        RequestStatus.APPROVED,
        RequestStatus.APPROVED,
        RequestStatus.SUBMITTED,
    ]
    assert _batch(client, ticked, "pay", reference="VIR-2026-12").status_code == 303
    assert _statuses(app, ticked) == [RequestStatus.PAID, RequestStatus.PAID]


def test_batch_sent_twice_acts_once(app, client, tmp_path):
    world = _world(app, tmp_path)
    login(client, "fin@e.test", PASSWORD)
    ticked = world["ids"]
    assert _batch(client, ticked, "approve").status_code == 303
    again = _batch(client, ticked, "approve")
    assert again.status_code == 303
    with app.test_request_context("/"):
        moves = db.session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "expenses.moved", AuditEntry.object_id.in_(ticked)
            )
        ).all()
        # sent once by the person, accepted once by finance
        assert len(moves) == 2 * len(ticked)


def test_batch_lists_the_requests_the_rules_refuse(app, client, tmp_path):
    world = _world(app, tmp_path)
    with app.test_request_context("/"):
        settings = services.settings_for(world["org"])
        settings.second_approval_above = Decimal("0.00")
        db.session.add(settings)
        db.session.commit()
    login(client, "fin@e.test", PASSWORD)
    ticked = world["ids"][:1] + [world["elsewhere"]]
    first = _batch(client, ticked, "approve")
    assert first.status_code == 200
    html = first.get_data(as_text=True)
    assert f"Demande {world['elsewhere']}" in html
    assert "Vous ne pouvez pas agir sur cette demande." in html
    assert _statuses(app, ticked) == [RequestStatus.AWAITING_SECOND, RequestStatus.SUBMITTED]
    # paying a request waiting for its second check is refused, and said
    paid = _batch(client, world["ids"][:1], "pay")
    assert "Cette demande n’attend pas de paiement." in paid.get_data(as_text=True)
    second = app.test_client()
    login(second, "fin2@e.test", PASSWORD)
    assert _batch(second, world["ids"][:1], "approve").status_code == 303
    assert _statuses(app, world["ids"][:1]) == [RequestStatus.APPROVED]


def test_batch_without_a_ticked_request_says_so(app, client, tmp_path):
    _world(app, tmp_path)
    login(client, "fin@e.test", PASSWORD)
    response = _batch(client, [], "approve")
    assert response.status_code == 400


def _schema():
    import os

    import sepaxml
    import xmlschema

    folder = os.path.join(os.path.dirname(sepaxml.__file__), "schemas")
    return xmlschema.XMLSchema(os.path.join(folder, "pain.001.001.03.xsd"))


def test_batch_of_20_paid_gives_a_sepa_file_valid_against_pain_001(app, client, tmp_path):
    world = _world(app, tmp_path, n=20)
    login(client, "fin@e.test", PASSWORD)
    account = {"holder": "Maison Soleil", "iban": "FR7630006000011234567890189", "bic": "AGRIFRPP"}
    url = f"/expenses/organisations/{world['org']}/bank-account"
    assert post_form(client, url, account).status_code == 303
    assert _batch(client, world["ids"], "approve").status_code == 303
    paid = _batch(client, world["ids"], "pay", reference="VIR-DEC")
    assert paid.status_code == 303
    page = client.get(paid.location).get_data(as_text=True)
    assert "virements.xml" not in page  # the link names the route, the file is its download
    assert "/expenses/finance/transfers.xml?" in page
    response = client.get(
        "/expenses/finance/transfers.xml?" + "&".join(f"ids={i}" for i in world["ids"])
    )
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    xml = response.get_data(as_text=True)
    _schema().validate(xml)
    assert xml.count("<CdtTrfTxInf>") == 20
    assert "<NbOfTxs>20</NbOfTxs>" in xml
    assert "<CtrlSum>250.00</CtrlSum>" in xml  # 20 x 12,50 €, exact
    assert "FR7630006000011234567890189" in xml and "FR1420041010050500013M02606" in xml


def test_bank_file_without_the_organisations_account_says_what_to_do(app, client, tmp_path):
    world = _world(app, tmp_path, n=1)
    login(client, "fin@e.test", PASSWORD)
    _batch(client, world["ids"], "approve")
    _batch(client, world["ids"], "pay")
    response = client.get(f"/expenses/finance/transfers.xml?ids={world['ids'][0]}")
    assert response.status_code == 303
    page = client.get(response.location).get_data(as_text=True)
    assert "compte bancaire de l’organisation" in page


def test_bank_account_refuses_a_wrong_iban(app, client, tmp_path):
    world = _world(app, tmp_path, n=1)
    login(client, "fin@e.test", PASSWORD)
    url = f"/expenses/organisations/{world['org']}/bank-account"
    wrong = {"holder": "Maison Soleil", "iban": "FR7630006000011234567890188", "bic": "AGRIFRPP"}
    response = post_form(client, url, wrong)
    assert response.status_code == 400
    assert "Cet IBAN n’est pas valide" in response.get_data(as_text=True)


def test_accounting_files_name_people_for_finance_and_balance(app, client, tmp_path):
    world = _world(app, tmp_path, n=2)
    login(client, "fin@e.test", PASSWORD)
    _batch(client, world["ids"], "approve")
    _batch(client, world["ids"], "pay")
    year = utcnow().year
    url = f"/expenses/organisations/{world['org']}/accounting?from={year}-01-01&to={year}-12-31"
    csv_text = client.get(url).get_data(as_text=True)
    assert "Ana Martin" in csv_text and ",6251," in csv_text and ",512," in csv_text
    fec = client.get(url + "&layout=fec").get_data(as_text=True).split("\r\n")
    assert fec[0].split("\t")[:4] == ["JournalCode", "JournalLib", "EcritureNum", "EcritureDate"]
    rows = [line.split("\t") for line in fec[1:] if line]
    assert len(rows) == 4
    assert {r[11] for r in rows} == {"12,50", "0,00"} and {r[12] for r in rows} == {"12,50", "0,00"}


def _a_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=24)
    pdf.cell(text="Facture SNCF 12,50 EUR")
    return bytes(pdf.output())


def test_review_page_shows_receipts_as_pictures_a_pdf_drawn_on_the_server(app, client, tmp_path):
    import io

    from PIL import Image

    world = _world(app, tmp_path, n=1)
    with app.test_request_context("/"):
        sent = db.session.get(ExpenseRequest, world["ids"][0])
        ana, org = sent.person, sent.organisation
        request, _line = a_cost_request(ana, org, None, step="draft")
        # a second cost with its invoice as a PDF
        line = services.add_line(ana, request, services.LineInput(Category.TRAIN, "8,00"))
        services.attach_receipt(ana, line, _a_pdf(), "facture.pdf")
        services.submit(ana, request)
        db.session.commit()
        request_id = request.id
    login(client, "fin@e.test", PASSWORD)
    html = client.get(f"/expenses/{request_id}/review").get_data(as_text=True)
    previews = re.findall(r'<img class="chart" src="(/expenses/receipts/\d+/preview)"', html)
    assert len(previews) == 2
    kinds = []
    for url in previews:
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Content-Disposition"] == "inline"
        picture = Image.open(io.BytesIO(response.data))
        kinds.append((response.mimetype, picture.format))
        assert picture.width > 50
    assert kinds == [("image/jpeg", "JPEG"), ("image/png", "PNG")]
    assert "première page du PDF" in html


def _pdf_request(app, world):
    """A request sent with one PDF receipt; its id and the stored file."""
    from pathlib import Path

    with app.test_request_context("/"):
        sent = db.session.get(ExpenseRequest, world["ids"][0])
        request = services.create_request(
            sent.person,
            sent.person,
            sent.organisation,
            RequestKind.REIMBURSEMENT,
            sent.activity_type,
            "Réunion",
        )
        line = services.add_line(sent.person, request, services.LineInput(Category.TRAIN, "8"))
        receipt = services.attach_receipt(sent.person, line, _a_pdf(), "facture.pdf")
        services.submit(sent.person, request)
        db.session.commit()
        _found, path = services.receipt_for(sent.person, receipt.id)
        return request.id, receipt.id, Path(path)


def _says_it_cannot_show(client, request_id, receipt_id):
    page = client.get(f"/expenses/{request_id}/review")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f"/expenses/receipts/{receipt_id}/preview" not in html
    assert "nous ne pouvons pas montrer ce PDF en image" in html
    assert f'href="/expenses/receipts/{receipt_id}"' in html  # the file, to download
    alone = client.get(f"/expenses/receipts/{receipt_id}/preview")
    assert alone.status_code == 200 and alone.mimetype == "text/html"
    assert "Téléchargez le fichier pour le lire" in alone.get_data(as_text=True)


def test_a_pdf_that_cannot_be_drawn_is_offered_to_download_instead(app, client, tmp_path):
    world = _world(app, tmp_path, n=1)
    request_id, receipt_id, path = _pdf_request(app, world)
    path.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 8)  # damaged on the disk
    login(client, "fin@e.test", PASSWORD)
    _says_it_cannot_show(client, request_id, receipt_id)


def test_a_pdf_slower_than_the_preview_setting_is_offered_to_download(app, client, tmp_path):
    world = _world(app, tmp_path, n=1)
    request_id, receipt_id, _path = _pdf_request(app, world)
    previous = app.config["RECEIPT_PREVIEW_SECONDS"]
    app.config["RECEIPT_PREVIEW_SECONDS"] = 0.001  # the wall timeout, from its one setting
    try:
        login(client, "fin@e.test", PASSWORD)
        _says_it_cannot_show(client, request_id, receipt_id)
    finally:
        app.config["RECEIPT_PREVIEW_SECONDS"] = previous


def test_organisation_sets_its_own_ledger_accounts_for_the_accountants_files(app, client, tmp_path):
    world = _world(app, tmp_path, n=1)
    login(client, "fin@e.test", PASSWORD)
    url = f"/expenses/organisations/{world['org']}/ledger"
    wrong = post_form(client, url, {"ledger_train": "AB12"})
    assert wrong.status_code == 400
    assert "commence par 3 chiffres" in wrong.get_data(as_text=True)
    assert (
        post_form(client, url, {"ledger_train": "625100", "ledger_bank": "5121"}).status_code == 303
    )
    _batch(client, world["ids"], "approve")
    _batch(client, world["ids"], "pay")
    csv_text = client.get(f"/expenses/organisations/{world['org']}/accounting").get_data(
        as_text=True
    )
    assert ",625100," in csv_text and ",5121," in csv_text and ",6251," not in csv_text


def _long_queue(app, tmp_path, n=120):
    """`n` advances sent by Ana, a minute apart, the oldest first."""
    app.config["UPLOAD_ROOT"] = str(tmp_path / "uploads")
    with saved(app):
        team = an_organisation("Maison Soleil", fin=Role.FINANCE, ana=Role.PARTICIPANT)
        now, ids = utcnow(), []
        for i in range(n):
            request, _line = a_cost_request(
                team["ana"], team.org, team["fin"], step="submitted", kind=RequestKind.ADVANCE
            )
            request.submitted_at = now - timedelta(minutes=n - i)
            ids.append(request.id)
        return ids


def _shown(html):
    return [int(i) for i in re.findall(r'href="/expenses/(\d+)/review"', html)]


def test_a_long_queue_shows_fifty_requests_a_page_oldest_first_filters_kept(app, client, tmp_path):
    ids = _long_queue(app, tmp_path)
    login(client, "fin@e.test", PASSWORD)
    first = client.get("/expenses/finance?kind=advance").get_data(as_text=True)
    assert _shown(first) == ids[:50]
    assert "120 demandes en attente" in first and "Page 1 sur 3" in first
    assert 'href="/expenses/finance?page=2&amp;kind=advance"' in first
    last = client.get("/expenses/finance?kind=advance&page=3").get_data(as_text=True)
    assert _shown(last) == ids[100:]
    assert 'href="/expenses/finance?page=2&amp;kind=advance" rel="prev"' in last
    assert "Page 3 sur 3" in last and 'rel="next"' not in last
    assert _shown(client.get("/expenses/finance?page=99").get_data(as_text=True)) == ids[100:]
    assert _shown(client.get("/expenses/finance?kind=pay").get_data(as_text=True)) == []
    # the batch acts on what is ticked, whatever page it was on
    assert _batch(client, [ids[0], ids[110]], "approve").status_code == 303
    assert _statuses(app, [ids[0], ids[1], ids[110]]) == [
        RequestStatus.APPROVED,
        RequestStatus.SUBMITTED,
        RequestStatus.APPROVED,
    ]


def test_the_costs_page_shows_the_ten_oldest_requests_to_check_and_counts_the_others(
    app, client, tmp_path
):
    ids = _long_queue(app, tmp_path, n=14)
    login(client, "fin@e.test", PASSWORD)
    html = client.get("/expenses/").get_data(as_text=True)
    assert _shown(html) == ids[:10]
    assert "14 demandes en attente. Voici les dix plus anciennes." in html

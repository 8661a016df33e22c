"""What a walk through the money flows found, as the people concerned read it: who a payment
went to (the curator by name, in every way of paying), staff reading staff words, two
requests of one activity told apart, the reviewers' count on their home page, the bank file
found again (and what it leaves out), a statement signed for the person said so, the queue's
details, the rates note for the staff who set them, and what a direct purchase bought."""

import io
from datetime import date
from html import unescape

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import Organisation, Person, Role
from app.core.models import Notification
from app.expenses import payment, services
from app.expenses.categories import Category
from app.expenses.models import ActivityType, ExpenseRequest, PaymentMethod, RequestKind
from app.expenses.services import LineInput, Payment, Review
from tests.conftest import csrf_from, login, post_form
from tests.factories import PASSWORD
from tests.worlds import a_jpeg, a_payment_choice, an_organisation, member, saved

CURATOR = "Association Tutélaire du Nord"
CURATOR_IBAN = "FR14 2004 1010 0505 0001 3M02 606"
OWN_IBAN = "FR76 3000 6000 0112 3456 7890 189"
DAY = date(2026, 12, 7)
ACTIVITY = "Parler du logement aux étudiants"


@pytest.fixture
def world(app, tmp_path):
    app.config["UPLOAD_ROOT"] = str(tmp_path / "uploads")
    with saved(app):
        team = an_organisation(
            "CCAS Essai",
            samia=member(Role.PARTICIPANT, name="Samia"),
            paul=member(Role.PARTICIPANT, name="Paul"),
            fanny=member(Role.FACILITATOR, name="Fanny"),
            fin=member(Role.FINANCE, name="Fred"),
        )
        samia = team["samia"]
        payment.set_preference(
            samia,
            samia,
            payment.PreferenceInput(
                method="third_party",
                iban=CURATOR_IBAN,
                third_party_name=CURATOR,
                third_party_role="curator",
                document=a_jpeg((30, 60, 90)),
                document_name="jugement.jpg",
            ),
        )
        a_payment_choice(team["paul"], "own_account")
        services.set_bank_details(team["paul"], team["paul"], OWN_IBAN, "Paul")
        return {"team": team, "org": team.org.id, "samia": samia.id, "paul": team["paul"].id}


def _client(app, who):
    client = app.test_client()
    login(client, f"{who}@e.test", PASSWORD)
    return client


def _fresh(team, key):
    return db.session.get(Person, team[key].id)


def _costs(team, who="samia", kind=RequestKind.REIMBURSEMENT, step="approved", amount="12,50"):
    person = _fresh(team, who)
    organisation = db.session.get(Organisation, team.org.id)
    request = services.create_request(
        person, person, organisation, kind, ActivityType.CONSULTATION, ACTIVITY, activity_on=DAY
    )
    line = services.add_line(person, request, LineInput(Category.TRAIN, amount))
    services.attach_receipt(person, line, a_jpeg(), "billet.jpg")
    if step in ("submitted", "approved"):
        services.submit(person, request)
    if step == "approved":
        services.review(_fresh(team, "fin"), request, Review("approve"))
    return request


def _batch_pay(client, ids):
    page = client.get("/expenses/finance").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "request_ids": [str(i) for i in ids], "action": "pay"}
    return client.post("/expenses/finance/batch", data=data)


def _text(response):
    return unescape(response.get_data(as_text=True)).replace("\u202f", " ").replace("\xa0", " ")


def _told(app, person_id):
    with app.app_context():
        return db.session.scalars(
            select(Notification.body).where(Notification.person_id == person_id)
        ).all()


def test_batch_transfer_to_the_curator_names_the_curator_everywhere(app, world):
    with saved(app):
        request_id = _costs(world["team"]).id
    assert _batch_pay(_client(app, "fin"), [request_id]).status_code == 303
    samia = _client(app, "samia")
    said = f"par virement à {CURATOR}, curateur"
    listing, page = _text(samia.get("/expenses/")), _text(samia.get(f"/expenses/{request_id}"))
    assert said in listing and said in page
    assert "quelqu'un d'autre" not in listing + page
    assert ", Payé à" not in page
    paid = [body for body in _told(app, world["samia"]) if "Montant payé" in body]
    assert len(paid) == 1 and f"Montant payé : 12,50 €, {said}." in paid[0].replace("\xa0", " ")


def test_each_way_of_paying_says_who_received_the_money(app, world):
    team = world["team"]
    with saved(app):
        own = _costs(team, "paul").id
        cash = _costs(team, "paul").id
        voucher = _costs(team, "paul").id
        curator_single = _costs(team).id
    fin = _client(app, "fin")
    assert _batch_pay(fin, [own]).status_code == 303
    for request_id, data in (
        (cash, {"method": "cash", "handed_over_by_id": str(team["fanny"].id)}),
        (voucher, {"method": "voucher", "handed_over_by_id": str(team["fanny"].id)}),
        (curator_single, {"method": "third_party", "third_party_name": CURATOR}),
    ):
        sent = post_form(
            fin,
            f"/expenses/{request_id}/payment",
            data,
            get_url=f"/expenses/{request_id}/review",
        )
        assert sent.status_code == 303, _text(sent)[:3000]
    paul = _text(_client(app, "paul").get("/expenses/"))
    assert "par virement sur votre compte" in paul
    assert "en espèces, remises par l'organisation" in paul
    assert "avec un bon, remis par l'organisation" in paul
    page = _text(_client(app, "samia").get(f"/expenses/{curator_single}"))
    assert f"par virement à {CURATOR}, curateur" in page
    told = " ".join(_told(app, world["paul"])).replace("\xa0", " ")
    for how in ("par virement sur votre compte", "en espèces, remises par l'organisation"):
        assert f"Montant payé : 12,50 €, {how}." in told


def test_staff_read_how_to_pay_and_the_kind_in_their_own_words(app, world):
    with saved(app):
        request_id = _costs(world["team"], step="submitted").id
    fin = _client(app, "fin")
    review = _text(fin.get(f"/expenses/{request_id}/review"))
    assert "Un virement à la personne qui gère son argent" in review
    assert "gère mon argent" not in review
    queue = _text(fin.get("/expenses/finance"))
    assert "Remboursement de frais" in queue and "Me rembourser mes frais" not in queue


def test_pay_and_costs_of_one_activity_have_different_names(app, world):
    team = world["team"]
    with saved(app):
        _costs(team, step="submitted")
        samia = _fresh(team, "samia")
        services.create_request(
            samia,
            samia,
            db.session.get(Organisation, team.org.id),
            RequestKind.PAY,
            ActivityType.CONSULTATION,
            ACTIVITY,
            activity_on=DAY,
        )
    listing = _text(_client(app, "samia").get("/expenses/"))
    assert f"Frais du 7 décembre, {ACTIVITY}" in listing
    assert f"Paie du 7 décembre, {ACTIVITY}" in listing
    queue = _text(_client(app, "fin").get("/expenses/finance"))
    assert f"frais du 7 décembre, {ACTIVITY}" in queue


def test_home_item_of_a_draft_uses_the_request_name(app, world):
    with saved(app):
        _costs(world["team"], step="draft")
    home = _text(_client(app, "samia").get("/"))
    assert f"Votre demande n'est pas encore envoyée : frais du 7 décembre, {ACTIVITY}" in home
    assert "Me rembourser mes frais" not in home


def test_reviewers_home_counts_the_requests_waiting_for_them(app, world):
    team = world["team"]
    with saved(app):
        _costs(team, step="submitted")
        _costs(team, "paul", step="submitted")
        _costs(team, "paul", step="approved")
        institute = an_organisation(
            "Institut Formation",
            domain="i.test",
            helene=member(Role.ADMIN, name="Hélène"),
            karim=member(Role.PARTICIPANT, name="Karim"),
        )
        a_payment_choice(institute["karim"], "cash")
        db.session.flush()
        _costs(institute, "karim", step="submitted")
    for who, count in (("fin", 3), ("fanny", 2)):
        home = _text(_client(app, who).get("/"))
        assert 'href="/expenses/finance"' in home, who
        assert f"{count} demandes attendent votre vérification" in home, who
    helene = app.test_client()
    login(helene, "helene@i.test", PASSWORD)
    home = _text(helene.get("/"))
    assert 'href="/expenses/finance"' in home
    assert "1 demande attend votre vérification" in home
    assert 'href="/expenses/finance"' not in _text(_client(app, "samia").get("/"))


def test_the_bank_file_of_a_past_batch_is_found_again(app, world):
    with saved(app):
        ids = [_costs(world["team"]).id, _costs(world["team"], "paul").id]
    fin = _client(app, "fin")
    assert _batch_pay(fin, ids).status_code == 303
    queue = _text(fin.get("/expenses/finance"))  # later: not the page right after the batch
    assert "Derniers virements" in queue
    link = f"/expenses/finance/transfers.xml?ids={ids[0]}&amp;ids={ids[1]}"
    html = fin.get("/expenses/finance").get_data(as_text=True)
    assert link in html


def test_queue_says_the_bank_file_needs_the_organisations_account(app, world):
    with saved(app):
        _costs(world["team"])
    queue = _text(_client(app, "fin").get("/expenses/finance"))
    assert "le fichier de la banque a besoin du compte bancaire de CCAS Essai" in queue
    assert f'href="/expenses/organisations/{world["org"]}/bank-account"' in queue


def test_a_transfer_without_an_iban_is_named_as_left_out_of_the_bank_file(app, world):
    fanny = _client(app, "fanny")
    url = f"/expenses/organisations/{world['org']}/direct-purchase"
    data = {
        "csrf_token": csrf_from(fanny.get(url).get_data(as_text=True)),
        "person_id": world["samia"],
        "activity_label": ACTIVITY,
        "category": "train",
        "what": "billet de train",
        "supplier": "SNCF",
        "amount": "8,40",
        "invoice": (io.BytesIO(a_jpeg((200, 10, 10))), "facture.jpg"),
    }
    assert fanny.post(url, data=data, content_type="multipart/form-data").status_code == 303
    with saved(app):
        purchase = db.session.scalar(
            select(ExpenseRequest).where(ExpenseRequest.kind == RequestKind.DIRECT_PURCHASE)
        )
        services.review(_fresh(world["team"], "fin"), purchase, Review("approve"))
        curator = _costs(world["team"]).id
        ids = [purchase.id, curator]
    fin = _client(app, "fin")
    paid = _batch_pay(fin, ids)
    assert paid.status_code == 303
    after = _text(fin.get(paid.location))
    assert "Pas dans le fichier de la banque" in after
    assert "pas d'IBAN pour SNCF. Payez-la autrement." in after
    assert "pas d'IBAN pour " + CURATOR not in after
    later = _text(fin.get("/expenses/finance"))
    assert "pas d'IBAN pour SNCF. Payez-la autrement." in later
    recorded = _text(_client(app, "fanny").get(f"/expenses/{ids[0]}"))
    assert "payé directement à SNCF" in recorded


def test_a_statement_signed_for_the_person_says_who_signed_and_for_whom(app, world):
    team = world["team"]
    with saved(app):
        samia, fanny = _fresh(team, "samia"), _fresh(team, "fanny")
        request = services.create_request(
            fanny,
            samia,
            db.session.get(Organisation, team.org.id),
            RequestKind.REIMBURSEMENT,
            ActivityType.CONSULTATION,
            ACTIVITY,
            activity_on=DAY,
            consent_note="Samia a dit oui au téléphone",
        )
        line = services.add_line(fanny, request, LineInput(Category.LOCAL_TRANSPORT, "3,20"))
        services.declare_sworn(fanny, line, "Samia a dit oui au téléphone")
        request_id = request.id
    fanny = _client(app, "fanny")
    page = _text(fanny.get(f"/expenses/{request_id}"))
    assert (
        "Samia a déclaré cette dépense sur l'honneur (signé par Fanny à sa place, avec son accord)"
    ) in page
    assert "vous avez déclaré cette dépense" not in page
    mine = _text(_client(app, "samia").get(f"/expenses/{request_id}"))
    assert "Fanny l'a signée pour vous, avec votre accord" in mine
    sent = post_form(fanny, f"/expenses/{request_id}/submit", {}, get_url=f"/expenses/{request_id}")
    assert sent.status_code == 303
    after = _text(fanny.get(sent.location))
    assert "La demande de Samia est envoyée" in after
    assert "Votre demande est envoyée" not in after


def test_queue_tick_labels_use_the_french_colon_and_today_reads_today(app, world):
    with saved(app):
        _costs(world["team"], step="submitted")
    queue = _text(_client(app, "fin").get("/expenses/finance"))
    assert f"Samia : frais du 7 décembre, {ACTIVITY}" in queue
    assert "Aujourd'hui" in queue
    assert "0 jour" not in queue


def test_a_direct_purchase_page_shows_what_was_bought_from_whom_and_its_invoice(app, world):
    fanny = _client(app, "fanny")
    url = f"/expenses/organisations/{world['org']}/direct-purchase"
    data = {
        "csrf_token": csrf_from(fanny.get(url).get_data(as_text=True)),
        "person_id": world["samia"],
        "activity_label": ACTIVITY,
        "category": "train",
        "what": "billet de train Lille-Arras",
        "supplier": "SNCF",
        "amount": "8,40",
        "invoice": (io.BytesIO(a_jpeg((200, 10, 10))), "facture.jpg"),
    }
    assert fanny.post(url, data=data, content_type="multipart/form-data").status_code == 303
    with app.app_context():
        purchase = db.session.scalar(
            select(ExpenseRequest.id).where(ExpenseRequest.kind == RequestKind.DIRECT_PURCHASE)
        )
    page = _text(fanny.get(f"/expenses/{purchase}"))
    assert "billet de train Lille-Arras" in page
    assert "SNCF" in page
    assert "Télécharger la facture" in page
    assert "Montant : 8,40 €" in page
    assert "Total demandé" not in page


def test_paid_requests_keep_the_payment_method_the_single_form_chose(app, world):
    """The payment form keeps working for a request paid to someone else by hand."""
    team = world["team"]
    with saved(app):
        request = _costs(team, "paul")
        services.pay(
            _fresh(team, "fin"), request, Payment(PaymentMethod.THIRD_PARTY, "", None, "Crèche")
        )
        request_id = request.id
    paul = _text(_client(app, "paul").get(f"/expenses/{request_id}"))
    assert "payé à Crèche" in paul


def test_a_sent_request_says_how_it_will_be_paid_not_that_it_was(app, tmp_path):
    """Sent, not yet paid: the person reads "Vous serez payé de cette façon", whoever helped
    them reads it in the third person; nobody reads "Payé :" before anything is paid."""
    from tests.worlds import a_cost_request

    app.config["UPLOAD_ROOT"] = str(tmp_path / "uploads")
    with saved(app):
        team = an_organisation(
            "Maison Soleil",
            fin=Role.FINANCE,
            fac=Role.FACILITATOR,
            ana=member(Role.PARTICIPANT, name="Ana"),
        )
        a_payment_choice(team["ana"], "cash")
        request, _line = a_cost_request(team["ana"], team.org, team["fin"], step="submitted")
        assert request.kind == RequestKind.REIMBURSEMENT
        request_id = request.id
    ana = app.test_client()
    login(ana, "ana@e.test", PASSWORD)
    mine = ana.get(f"/expenses/{request_id}").get_data(as_text=True)
    assert "Vous serez payé de cette façon : " in mine
    assert "Payé : " not in mine

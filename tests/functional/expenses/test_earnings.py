"""Mes revenus Parole through the pages: the warning before a sign-up crosses a reference
amount (the person's sign-up page, the institute's review), not once the person is past it;
the page by month and payer; the quarter's statement (PDF text); from the wrong side."""

import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader

from app import db
from app.accounts.models import OrganisationKind, Person, Role
from app.core import calendar
from app.expenses.models import ActivityType, ExpenseRequest, RequestKind, RequestStatus
from app.trainings import services
from app.trainings.services import SignupData
from tests.conftest import login, post_form
from tests.factories import PASSWORD
from tests.worlds import a_mission, an_organisation, member, saved

WARNING = "Revenus et prestations"


@pytest.fixture
def world(app):
    with saved(app):
        institute = an_organisation(
            "IRTS Essai", kind=OrganisationKind.TRAINING_INSTITUTE, staff=Role.INSTITUTE_STAFF
        )
        home = an_organisation(
            "CCAS Essai", domain="e.test", paul=member(name="Paul Martin"), zoe=Role.PARTICIPANT
        )
        # 3 hours at 25 €: 75 € of pay, in the year of its session.
        mission = a_mission(
            institute["staff"],
            institute.org,
            "Cours sur l'accueil",
            starts_in=timedelta(days=10),
            hours=3,
            online=True,
            hourly_rate=Decimal("25.00"),
        )
        year = calendar.paris(mission.sessions[0].starts_at).year
        return {
            "mission": mission.id,
            "year": year,
            "paul": home["paul"].id,
            "institute": institute.org.id,
            "home": home.org.id,
        }


def _pay(app, world, amount, month, org="institute"):
    with app.app_context():
        db.session.add(
            ExpenseRequest(
                organisation_id=world[org],
                person_id=world["paul"],
                kind=RequestKind.PAY,
                status=RequestStatus.PAID,
                activity_type=ActivityType.CO_TRAINING,
                activity_label="Séance de formation",
                paid_at=datetime(world["year"], month, 15, 10, tzinfo=UTC),
                paid_amount=Decimal(amount),
            )
        )
        db.session.commit()


def _client(app, who):
    client = app.test_client()
    login(client, f"{who}@e.test", PASSWORD)
    return client


def test_sign_up_warns_before_crossing_an_amount_not_after(app, world):
    _pay(app, world, "7700.00", 1)  # + 75 € = 7 775 €: over 7 758,24 € (12 x RSA)
    page = _client(app, "paul").get(f"/co-training/missions/{world['mission']}/sign-up")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and WARNING in text
    assert "passerait de 7\u202f700,00\xa0€ à 7\u202f775,00\xa0€" in text or "7 775,00" in text
    assert "Ce montant compte pour : RSA" in text
    assert "prime d&#39;activité" not in text.split(WARNING, 1)[1].split("</div>", 1)[0]
    assert "simulateurs de la CAF" in text
    # Once past the amount, the next sign-up is no crossing: no warning (nor far under it).
    _pay(app, world, "100.00", 2)
    text = (
        _client(app, "paul")
        .get(f"/co-training/missions/{world['mission']}/sign-up")
        .get_data(as_text=True)
    )
    assert WARNING not in text


def test_institute_sees_the_warning_on_the_sign_up_review(app, world):
    _pay(app, world, "7700.00", 1)
    with app.app_context():
        from app.trainings.models import Mission

        paul = db.session.get(Person, world["paul"])
        mission = db.session.get(Mission, world["mission"])
        services.sign_up(paul, paul, mission, SignupData())
        db.session.commit()
    text = (
        _client(app, "staff")
        .get(f"/co-training/missions/{world['mission']}/manage")
        .get_data(as_text=True)
    )
    assert WARNING in text
    assert "ce que Paul Martin reçoit par Parole" in text
    # Spoken to the institute's staff, not to the person: no "your facilitator".
    assert "demander à votre animateur" not in text
    assert "Son animateur ou son animatrice peut l'aider." in text


def test_earnings_page_by_month_and_payer_with_quarter_statement(app, world):
    _pay(app, world, "40.10", 1)
    _pay(app, world, "19.90", 2, org="home")
    _pay(app, world, "30.00", 5)
    paul = _client(app, "paul")
    page = paul.get(f"/expenses/earnings?year={world['year']}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Mes revenus Parole" in text and "90,00" in text
    assert "IRTS Essai" in text and "70,10" in text  # 40,10 + 30,00 from the institute
    pdf = paul.get(f"/expenses/earnings/{world['year']}/quarter-1.pdf")
    assert pdf.status_code == 200 and pdf.data[:5] == b"%PDF-"
    words = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Paul Martin" in words
    assert "janvier" in words and "février" in words and "mars" in words
    assert "40,10" in words and "IRTS Essai" in words
    assert "19,90" in words and "CCAS Essai" in words
    assert "30,00" not in words  # paid in May: the second quarter
    assert "Total des trois mois" in words and "60,00" in words


def test_earnings_of_someone_else_are_not_found(app, world):
    _pay(app, world, "40.10", 1)
    zoe = _client(app, "zoe")
    assert zoe.get(f"/expenses/earnings?person_id={world['paul']}").status_code == 404
    url = f"/expenses/earnings/{world['year']}/quarter-1.pdf?person_id={world['paul']}"
    assert zoe.get(url).status_code == 404
    assert zoe.get(f"/expenses/earnings/{world['year']}/quarter-5.pdf").status_code == 404


def test_institute_sets_its_own_amount_and_the_warning_follows(app, world):
    with saved(app):
        from app.accounts.models import Organisation

        an_organisation("Finances", domain="f.test").join(
            "fin", member(Role.FINANCE, org=db.session.get(Organisation, world["institute"]))
        )
    _pay(app, world, "500.00", 1)  # + 75 €: under every default amount
    paul = _client(app, "paul")
    sign_up = f"/co-training/missions/{world['mission']}/sign-up"
    assert WARNING not in paul.get(sign_up).get_data(as_text=True)
    fin = app.test_client()
    login(fin, "fin@f.test", PASSWORD)
    url = f"/expenses/organisations/{world['institute']}/earnings-amounts"
    page = fin.get(url)
    assert page.status_code == 200 and "7\u202f758,24" in page.get_data(as_text=True)
    refused = post_form(fin, url, {"rsa": "beaucoup"})
    assert refused.status_code == 400
    saved_page = post_form(fin, url, {"rsa": "550"})
    assert saved_page.status_code == 303
    text = paul.get(sign_up).get_data(as_text=True)
    assert WARNING in text and "550,00" in text
    # Not for a participant, nor for the finance person of another organisation.
    assert paul.get(url).status_code == 404
    assert fin.get(f"/expenses/organisations/{world['home']}/earnings-amounts").status_code == 404


# --- the age of the reference amounts (checked on 1 April 2025; today is after 1 April 2026)

OLD_AMOUNTS = "Ces montants de référence datent du 1er avril 2025. Ils changent chaque 1er avril."


def test_amounts_page_says_the_defaults_are_old_until_the_organisation_sets_its_own(app, world):
    with saved(app):
        from app.accounts.models import Organisation

        an_organisation("Finances", domain="f.test").join(
            "fin", member(Role.FINANCE, org=db.session.get(Organisation, world["institute"]))
        )
    fin = app.test_client()
    login(fin, "fin@f.test", PASSWORD)
    url = f"/expenses/organisations/{world['institute']}/earnings-amounts"
    text = fin.get(url).get_data(as_text=True)
    assert "Montants à vérifier" in text and OLD_AMOUNTS in text
    assert "Décret n° 2025-293 du 29 mars 2025" in text
    assert text.count("Montant au 1er avril 2025.") == 4
    # Each line starts with a capital, "prime d'activité" included; the admin is not sent to
    # "your facilitator".
    assert "Prime d'activité : 7" in text or "Prime d&#39;activité : 7" in text
    assert "demander à votre animateur" not in text
    # Its own RSA only: the three others are still the old defaults.
    assert post_form(fin, url, {"rsa": "7900"}).status_code == 303
    text = fin.get(url).get_data(as_text=True)
    today = calendar.paris(datetime.now(UTC)).date()
    assert OLD_AMOUNTS in text
    assert "Montants utilisés par votre structure" in text and "7\u202f900,00" in text
    # All four set today: nothing to check before next 1 April.
    four = {"rsa": "7900", "prime_activite": "7700", "aah": "12500", "ass": "16300"}
    assert post_form(fin, url, four).status_code == 303
    text = fin.get(url).get_data(as_text=True)
    assert "Montants à vérifier" not in text and "1er avril est passé" not in text
    assert text.count("Choisi par votre structure le ") == 4
    day = "1er" if today.day == 1 else str(today.day)
    assert f"Choisi par votre structure le {day} " in text


def test_institute_warning_says_the_amounts_are_old_and_links_for_who_may_edit(app, world):
    with saved(app):
        from app.accounts.models import Organisation
        from app.trainings.models import Mission

        institute = db.session.get(Organisation, world["institute"])
        an_organisation("Direction", domain="d.test").join(
            "boss", member(Role.ADMIN, org=institute)
        )
        paul = db.session.get(Person, world["paul"])
        services.sign_up(paul, paul, db.session.get(Mission, world["mission"]), SignupData())
    _pay(app, world, "7700.00", 1)
    manage = f"/co-training/missions/{world['mission']}/manage"
    amounts = f"/expenses/organisations/{world['institute']}/earnings-amounts"
    staff = _client(app, "staff").get(manage).get_data(as_text=True)
    assert WARNING in staff and "Montant au 1er avril 2025." in staff
    assert OLD_AMOUNTS in staff and "Un administrateur ou une administratrice doit" in staff
    assert amounts not in staff  # institute staff do not set the amounts
    boss = app.test_client()
    login(boss, "boss@d.test", PASSWORD)
    text = boss.get(manage).get_data(as_text=True)
    assert OLD_AMOUNTS in text and f'href="{amounts}"' in text
    assert "Vérifier les montants de référence" in text
    # The person's own warning names the date, without the administrators' part.
    mine = _client(app, "paul").get(f"/co-training/missions/{world['mission']}/sign-up")
    text = mine.get_data(as_text=True)
    assert WARNING in text and "Montant au 1er avril 2025." in text
    assert "Ces montants changent chaque 1er avril." in text
    assert "doit les vérifier" not in text and amounts not in text


def test_earnings_page_and_statement_name_the_date_of_the_amounts(app, world):
    _pay(app, world, "40.10", 1)
    paul = _client(app, "paul")
    text = paul.get(f"/expenses/earnings?year={world['year']}").get_data(as_text=True)
    assert "Montants au 1er avril 2025, pour une personne seule." in text
    pdf = paul.get(f"/expenses/earnings/{world['year']}/quarter-1.pdf")
    words = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Montants au 1er avril 2025" in " ".join(words.split())
    assert "chaque 1er avril" in " ".join(words.split())

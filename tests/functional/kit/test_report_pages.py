"""The yearly report through the Flask client: the page (summary first, tables, other years,
the PDF link), the large-print PDF, and every page from the wrong side."""

import io
import re
from datetime import timedelta

import pytest
from pypdf import PdfReader

from app.accounts.models import Language, Role
from app.consultations import services as consultations
from app.consultations.models import QuestionKind, RoundStatus
from app.consultations.services import AnswerInput, RoundData
from app.db import utcnow
from app.kit.report import current_year
from tests.conftest import login
from tests.factories import PASSWORD
from tests.worlds import a_stranger, an_organisation, saved


@pytest.fixture
def world(app):
    with saved(app):
        team = an_organisation("CRPA Essai", domain="r.test", fac=Role.FACILITATOR)
        org, fac = team.org, team["fac"]
        fac.language = Language.EN
        people = team.join_many("p", 3)
        team.join("finance", Role.FINANCE)
        a_stranger("r.test", org_name="Ailleurs")
        # A round opened an hour ago, answered by 3 people.
        opened = utcnow() - timedelta(hours=1)
        round_ = consultations.create_round(
            fac,
            org,
            RoundData(title="Le logement", opens_at=opened, closes_at=opened + timedelta(days=9)),
        )
        round_.title_easy = "Le logement : votre avis"
        question = consultations.add_question(
            fac, round_, QuestionKind.YES_NO, "D'accord ?", "Vous êtes d'accord ?"
        )
        consultations.invite_people(fac, round_, [p.id for p in people])
        notice = timedelta(days=org.invitation_notice_days + 1)
        consultations.transition(fac, round_, RoundStatus.ANNOUNCED, now=opened - notice)
        consultations.transition(fac, round_, RoundStatus.OPEN, now=opened)
        for person in people:
            response = consultations.start_response(person, round_)
            consultations.save_answer(
                person, response, question, AnswerInput(choice_ids=[question.choices[0].id])
            )
            consultations.submit_response(person, response)
        return {"org": org.id}


def _client(app, who):
    client = app.test_client()
    login(client, f"{who}@r.test", PASSWORD)
    return client


def test_the_report_page_for_a_facilitator(app, world):
    client = _client(app, "fac")
    year = current_year()
    base = f"/kit/organisations/{world['org']}/report"
    moved = client.get(base)
    assert moved.status_code == 303 and moved.headers["Location"].endswith(f"{base}/{year}")
    page = client.get(f"{base}/{year}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    main = html[html.index('<main id="main"') :]
    assert main.count("<h1>") == 1
    # The easy-to-read summary comes first, before the details.
    assert main.index(f"In {year}, you held 1 consultation.") < main.index("<table")
    assert "3 people gave their opinion." in main
    assert "No feedback was published this year." in main
    assert f'href="{base}/{year}.pdf"' in main
    assert f'href="{base}/{year - 1}"' in main
    assert f'href="{base}/{year + 1}"' not in main  # no report of the future
    tables = re.findall(r"<table.*?</table>", main, re.S)
    assert len(tables) == 6
    for table in tables:
        assert "<caption>" in table and 'scope="col"' in table and 'scope="row"' in table
    assert "style=" not in main and "<script" not in main
    past = client.get(f"{base}/{year - 1}")
    past_html = past.get_data(as_text=True)
    assert past.status_code == 200 and f"In {year - 1}, you held 0 consultations." in past_html
    assert f'href="{base}/{year}"' in past_html


def test_the_pdf_is_an_attachment_never_kept_in_a_cache(app, world):
    client = _client(app, "fac")
    year = current_year()
    response = client.get(f"/kit/organisations/{world['org']}/report/{year}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "private, no-store"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "3 people gave their opinion." in re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("who", ["p0", "finance", "stranger"])
def test_nobody_else_finds_the_report(app, world, who):
    client = _client(app, who)
    base = f"/kit/organisations/{world['org']}/report"
    year = current_year()
    assert client.get(f"{base}/{year}").status_code == 404
    assert client.get(f"{base}/{year}.pdf").status_code == 404


def test_anonymous_people_are_asked_to_log_in_and_odd_years_do_not_exist(app, world):
    base = f"/kit/organisations/{world['org']}/report"
    anonymous = app.test_client().get(f"{base}/{current_year()}")
    assert anonymous.status_code in (302, 303) and "/login" in anonymous.headers["Location"]
    client = _client(app, "fac")
    assert client.get(f"{base}/1999").status_code == 404
    assert client.get(f"{base}/{current_year() + 2}").status_code == 404
    assert client.get(f"/kit/organisations/{10**9}/report/{current_year()}").status_code == 404

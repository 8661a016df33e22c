"""Paper questionnaire codes after they are made: a page that lists them with their state
(not used yet, used, cancelled), survives a reload, prints the unused ones again, and cancels
one after a confirmation; a cancelled code opens no typing-in; a code typed without its dash
or in small letters is the same code. Cancelling twice at once cancels once."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from app import db
from app.accounts.models import Person, Role
from app.consultations import services
from app.consultations.models import Invitation, Response
from app.core.models import AuditEntry
from tests.concurrency import SENDINGS, send_twice, services_at_once
from tests.conftest import app_on_own_database, login, post_form
from tests.factories import PASSWORD
from tests.worlds import a_round, a_stranger, an_organisation, everyone_reads_english, saved

CODE_RE = re.compile(
    r'<th scope="row">(P-[A-Z]{6})</th>\s*<td><span class="cell-label"[^>]*>[^<]*</span>([^<]+)</td>'
)


def _world(app):
    with saved(app):
        team = an_organisation("CRPA Papier", domain="a.test", fac=Role.FACILITATOR)
        people = team.join_many("p", 1)
        a_stranger("a.test")
        round_ = a_round(team.org, team["fac"], step="open", invited=people)
        everyone_reads_english()
        return {"round": round_.id}


@pytest.fixture
def world(app):
    return _world(app)


def _codes_on_page(client, round_id):
    page = client.get(f"/consultations/{round_id}/paper-codes")
    assert page.status_code == 200, page.status_code
    return dict(CODE_RE.findall(page.get_data(as_text=True))), page.get_data(as_text=True)


def _make_codes(client, round_id, count):
    base = f"/consultations/{round_id}"
    made = post_form(client, f"{base}/paper-codes", {"count": str(count)}, get_url=base)
    assert made.status_code == 303, made.get_data(as_text=True)[:800]
    assert made.headers["Location"].endswith(f"{base}/paper-codes")
    return made


def _cancel(client, round_id, code):
    url = f"/consultations/{round_id}/paper-codes/{code}/cancel"
    return post_form(client, url, {})


def test_new_codes_lead_to_a_page_that_lists_them_again_on_reload(client, world):
    login(client, "fac@a.test", PASSWORD)
    made = _make_codes(client, world["round"], 3)
    first, html = _codes_on_page(client, world["round"])
    assert "New paper questionnaire codes: 3." in html
    assert len(first) == 3 and set(first.values()) == {"Not used yet"}
    again, _html = _codes_on_page(client, world["round"])  # a reload, or "back"
    assert again == first
    _make_codes(client, world["round"], 2)
    assert len(_codes_on_page(client, world["round"])[0]) == 5
    assert made.status_code == 303
    show = client.get(f"/consultations/{world['round']}").get_data(as_text=True)
    assert f'href="/consultations/{world["round"]}/paper-codes"' in show


def test_codes_page_shows_each_state_and_reprints_only_the_unused_ones(client, world, app):
    from pypdf import PdfReader

    login(client, "fac@a.test", PASSWORD)
    _make_codes(client, world["round"], 3)
    codes = list(_codes_on_page(client, world["round"])[0])
    typed_in = post_form(client, f"/consultations/{world['round']}/paper", {"code": codes[0]})
    assert typed_in.status_code == 303
    confirm = client.get(f"/consultations/{world['round']}/paper-codes/{codes[1]}/cancel")
    assert confirm.status_code == 200 and "Yes, cancel this code" in confirm.get_data(as_text=True)
    cancelled = _cancel(client, world["round"], codes[1])
    assert cancelled.status_code == 303
    states, html = _codes_on_page(client, world["round"])
    assert states == {codes[0]: "Used", codes[1]: "Code cancelled", codes[2]: "Not used yet"}
    assert f"The code {codes[1]} is cancelled" in html
    reprint = re.search(r'href="([^"]*questionnaire\.pdf\?codes=[^"]*)"[^>]*>Print the', html)
    assert reprint, html
    pdf = client.get(reprint.group(1).replace("&amp;", "&"))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert codes[2] in text and codes[0] not in text and codes[1] not in text
    # A cancelled code is printed no more, even by its address.
    assert (
        client.get(
            f"/consultations/{world['round']}/questionnaire.pdf?codes={codes[1]}"
        ).status_code
        == 404
    )


def test_cancelled_code_cannot_be_used_to_type_in_answers(client, world):
    login(client, "fac@a.test", PASSWORD)
    _make_codes(client, world["round"], 1)
    (code,) = _codes_on_page(client, world["round"])[0]
    assert _cancel(client, world["round"], code).status_code == 303
    refused = post_form(client, f"/consultations/{world['round']}/paper", {"code": code})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and 'id="code-error"' in html
    assert "This code was cancelled" in html
    again = _cancel(client, world["round"], code)
    assert again.status_code == 400 and "This code is already cancelled." in again.get_data(
        as_text=True
    )


def test_used_code_cannot_be_cancelled(client, world):
    login(client, "fac@a.test", PASSWORD)
    _make_codes(client, world["round"], 1)
    (code,) = _codes_on_page(client, world["round"])[0]
    post_form(client, f"/consultations/{world['round']}/paper", {"code": code})
    page = client.get(f"/consultations/{world['round']}/paper-codes/{code}/cancel")
    assert "Yes, cancel this code" not in page.get_data(as_text=True)
    refused = _cancel(client, world["round"], code)
    assert refused.status_code == 400
    assert "Its code cannot be cancelled." in refused.get_data(as_text=True)
    assert _codes_on_page(client, world["round"])[0] == {code: "Used"}


@pytest.mark.parametrize("typed", ["{letters}", "p{letters}", "P {letters}", "p–{letters}"])
def test_paper_code_typed_without_its_dash_or_in_small_letters_is_accepted(client, world, typed):
    code = _one_code(client.application, world["round"])
    login(client, "fac@a.test", PASSWORD)
    letters = code.removeprefix("P-").lower()
    started = post_form(
        client, f"/consultations/{world['round']}/paper", {"code": typed.format(letters=letters)}
    )
    assert started.status_code == 303, started.get_data(as_text=True)[:800]
    assert started.headers["Location"].endswith("/questions/1")
    with client.application.test_request_context("/"):
        invitation = db.session.scalar(select(Invitation).where(Invitation.paper_code == code))
        assert [r.invitation_id for r in db.session.scalars(select(Response))] == [invitation.id]


def test_codes_page_is_closed_to_participants_and_other_organisations(client, world, app):
    login(client, "fac@a.test", PASSWORD)
    _make_codes(client, world["round"], 1)
    (code,) = _codes_on_page(client, world["round"])[0]
    for who in ("p0@a.test", "stranger@a.test"):
        other = app.test_client()
        login(other, who, PASSWORD)
        base = f"/consultations/{world['round']}/paper-codes"
        assert other.get(base).status_code in (403, 404), who
        assert other.get(f"{base}/{code}/cancel").status_code in (403, 404), who
        assert _cancel(other, world["round"], code).status_code in (400, 403, 404), who
    assert _codes_on_page(client, world["round"])[0] == {code: "Not used yet"}


# --- twice at once ------------------------------------------------------------------------


@pytest.fixture
def own_app(request, tmp_path):
    with app_on_own_database(request, tmp_path, "paper_codes") as app:
        yield app


def _one_code(app, round_id):
    with app.test_request_context("/"):
        round_ = services.get_round(round_id)
        facilitator = db.session.scalar(select(Person).where(Person.email == "fac@a.test"))
        (code,) = services.create_paper_codes(facilitator, round_, 1)
        db.session.commit()
    return code


def _cancel_audits(app):
    with app.test_request_context("/"):
        return db.session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "consultation.paper_code_cancelled")
        )


def test_cancelling_a_code_twice_at_once_cancels_it_once(own_app):
    from app.consultations import paper_codes

    world = _world(own_app)
    code = _one_code(own_app, world["round"])

    def cancel(_i):
        round_ = services.get_round(world["round"])
        facilitator = db.session.scalar(select(Person).where(Person.email == "fac@a.test"))
        paper_codes.cancel_paper_code(facilitator, paper_codes.find_paper_code(round_, code))

    assert services_at_once(own_app, cancel) == ["DomainError", "done"]
    assert _cancel_audits(own_app) == 1


@pytest.mark.parametrize("how", SENDINGS)
def test_cancel_button_sent_twice_cancels_once(own_app, how):
    world = _world(own_app)
    code = _one_code(own_app, world["round"])
    url = f"/consultations/{world['round']}/paper-codes/{code}/cancel"
    responses = send_twice(own_app, how, "fac@a.test", url, url)
    statuses = sorted(r.status_code for r in responses)
    assert statuses in ([303, 303], [303, 400]), statuses
    assert _cancel_audits(own_app) == 1
    with own_app.test_request_context("/"):
        invitation = db.session.scalar(select(Invitation).where(Invitation.paper_code == code))
        assert invitation.paper_code_cancelled_at is not None

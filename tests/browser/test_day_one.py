"""Day one of a real organisation, end to end (issue 18, "Done when"): a fresh instance
(an empty database made by the migrations, no demo) whose only account is the administrator
made by `flask accounts create-admin` (the real command, through Flask's CLI runner, on the
live server's database). Chromium then takes it to a round answered by three people invited
by e-mail (links read from the mails a real SMTP server received), one card holder (account
made by a facilitator, identifier and code read from the card page) and one person reached
by text message (a card holder who chose text messages on "Mon compte"; a local HTTP server
records the messages). The scheduler (`flask jobs run --now ...`) opens and closes the round
at its dates, the clock moved by the test; run twice, it reminds each person once.

"""

from __future__ import annotations

import logging
import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from app import create_app, db
from app.accounts.models import Organisation
from app.consultations.models import ConsultationRound, QuestionKind, Response, RoundStatus
from app.core.outbox import send_due
from app.core.schema import upgrade
from app.db import utcnow
from config import TestConfig
from tests.browser.conftest import login, submit
from tests.conftest import fresh_database, worker_name
from tests.unit.core.test_sms import TOKEN, _Recorder

PASSWORD = "quatre mots faciles ici"
ADMIN = "direction@jour-un.test"
FACILITATOR = "animatrice@jour-un.test"
INVITED = ["amina@jour-un.test", "bruno@jour-un.test", "chloe@jour-un.test"]
PHONE = "06 12 34 56 78"
CODE = "plume7391"  # the code a card holder chooses at the first login


@pytest.fixture
def fresh(request, tmp_path, smtp):  # noqa: ANN001, ANN201
    """A fresh instance served on 127.0.0.1, its mail server and its text-message server."""
    controller, inbox = smtp
    sms = _Recorder()
    sms_thread = threading.Thread(target=sms.serve_forever, daemon=True)
    sms_thread.start()
    url = fresh_database(f"parole_day_one_{worker_name(request)}", tmp_path)
    upgrade(url)
    app = create_app(
        TestConfig,
        DATABASE_URL=url,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=controller.port,
        SMS_API_URL=sms.url,
        SMS_API_TOKEN=TOKEN,
        SMS_SENDER="Parole",
    )
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {
        "app": app,
        "url": f"http://127.0.0.1:{server.server_port}",
        "inbox": inbox,
        "sms": sms,
    }
    server.shutdown()
    sms.shutdown()
    sms.server_close()
    app.extensions["parole.db"].engine.dispose()


@pytest.fixture
def day_page(browser, fresh):  # noqa: ANN001, ANN201
    context = browser.new_context(base_url=fresh["url"], viewport={"width": 1024, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _cli(app, *args: str) -> str:  # noqa: ANN001
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    app.extensions["parole.db"].session.remove()  # the next command starts afresh, as cron's
    return result.output


def _deliver(app) -> None:  # noqa: ANN001
    """What the outbox worker does: send every message due (e-mails and text messages)."""
    with app.app_context():
        send_due(app, now=utcnow() + timedelta(days=60))


def _mails_to(inbox, address: str) -> list:  # noqa: ANN001
    return [message for rcpt, message in inbox.messages if address in rcpt]


def _link_in_last_mail(inbox, address: str, marker: str) -> str:  # noqa: ANN001
    message = _mails_to(inbox, address)[-1]
    body = message.get_body(preferencelist=("plain",)).get_content()
    url = next(word for word in body.split() if marker in word)
    return "/" + url.split("/", 3)[3]


def _choose_password(page, path: str) -> None:  # noqa: ANN001
    page.goto(path)
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    submit(page)
    assert "/activate" not in page.url, page.locator("main").inner_text()
    assert page.locator("form[action='/logout']").count() == 1  # logged in


def _logout(page) -> None:  # noqa: ANN001
    page.locator("form[action='/logout'] button").click()
    page.wait_for_load_state()


def _invite(page, fresh, email: str, name: str, role: str) -> str:  # noqa: ANN001
    page.goto("/invite")
    page.select_option("#role", role)
    page.fill("#display_name", name)
    page.fill("#email", email)
    submit(page)
    _deliver(fresh["app"])
    path = _link_in_last_mail(fresh["inbox"], email, "/activate?token=")
    return path


def _card(page) -> tuple[str, str]:  # noqa: ANN001
    """A card account made by the facilitator: the identifier and the code on the card."""
    codes = page.locator("dd.big-code").all_inner_texts()
    return codes[0].strip(), codes[1].strip()


def _first_login_with_card(page, identifier: str, code: str) -> None:  # noqa: ANN001
    login(page, identifier, code)
    if "/account/choose-code" in page.url:
        page.fill("#new_secret", CODE)
        page.fill("#confirm", CODE)
        submit(page)


def _answer(page, round_id: int) -> None:  # noqa: ANN001
    page.goto(f"/consultations/{round_id}")
    page.locator(f"form[action$='/{round_id}/start'] button").click()
    page.wait_for_load_state()
    page.locator("label[for=answer-0]").click()  # yes
    page.locator("main button[name=action][value=next]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/review"), page.url
    submit(page)
    assert page.url.endswith("/done"), page.url


def test_fresh_instance_to_a_round_answered_by_mail_card_and_text_message(day_page, fresh):
    page, app, inbox, sms = day_page, fresh["app"], fresh["inbox"], fresh["sms"]

    # 1. The only account: the administrator made by the command, who opens the printed link.
    output = _cli(app, "accounts", "create-admin", ADMIN)
    link = next(word for word in output.split() if "/activate?token=" in word)
    _choose_password(page, "/" + link.split("/", 3)[3])

    # 2. The administrator makes the organisation and invites its facilitator by e-mail.
    page.goto("/admin/organisations/new")
    page.fill("#name", "CRPA Jour un")
    submit(page)
    with app.app_context():
        assert db.session.scalars(select(Organisation.name)).all() == ["CRPA Jour un"]
    path = _invite(page, fresh, FACILITATOR, "Fatou", "facilitator")
    _logout(page)
    _choose_password(page, path)

    # 3. The facilitator invites three people by e-mail and makes two card accounts.
    paths = [
        _invite(page, fresh, email, email.split("@")[0].title(), "participant") for email in INVITED
    ]
    cards = []
    for name in ("Denise Carte", "Étienne Texto"):
        page.goto("/participants/new")
        page.fill("#display_name", name)
        if page.locator("#consent_note").count():
            page.fill("#consent_note", "Accord donné à l'accueil, le jour même.")
        submit(page)
        cards.append(_card(page))
    _logout(page)
    for path in paths:
        _choose_password(page, path)
        _logout(page)
    # Étienne chooses text messages on "Mon compte", with his phone number.
    _first_login_with_card(page, *cards[1])
    page.goto("/account/contact")
    page.check("#contact_channel-1")  # a text message
    page.fill("#phone", PHONE)
    submit(page)
    assert page.locator(".error-summary").count() == 0, page.locator("main").inner_text()
    _logout(page)

    # 4. The facilitator writes the round in Chromium: opening in eight days (the notice
    # asks seven), closing twelve days later; one question; every member invited; announced.
    login(page, FACILITATOR, PASSWORD)
    page.goto("/consultations/new")
    today = utcnow().date()
    page.fill("#title", "Le logement")
    page.fill("#title_easy", "Le logement : votre avis")
    page.fill("#subject", "Le département prépare un plan pour le logement.")
    page.fill("#subject_easy", "Le département veut aider les gens à trouver un logement.")
    page.fill("#opens_on", (today + timedelta(days=8)).strftime("%d/%m/%Y"))
    page.fill("#closes_on", (today + timedelta(days=20)).strftime("%d/%m/%Y"))
    submit(page)
    assert page.locator(".error-summary").count() == 0, page.locator("main").inner_text()
    round_id = int(re.search(r"/consultations/(\d+)", page.url).group(1))
    page.goto(f"/consultations/{round_id}/questions/new")
    page.select_option("#kind", QuestionKind.YES_NO.value)
    page.fill("#text", "Avez-vous besoin d'aide ?")
    page.fill("#text_easy", "Vous voulez de l'aide ?")
    submit(page)
    assert page.locator(".error-summary").count() == 0, page.locator("main").inner_text()
    page.goto(f"/consultations/{round_id}")
    page.locator(f"form[action$='/{round_id}/invite-members'] button").click()
    page.wait_for_load_state()
    page.locator(f"form[action$='/{round_id}/announce'] button").click()
    page.wait_for_load_state()
    if page.locator("form input[name=confirm][value='1']").count():  # easy-read alerts
        page.locator("form:has(input[name=confirm][value='1']) button").click()
        page.wait_for_load_state()
    _logout(page)
    with app.app_context():
        round_ = db.session.get(ConsultationRound, round_id)
        assert round_.status == RoundStatus.ANNOUNCED
        assert len(round_.invitations) == 5
        opens_at, closes_at = round_.opens_at, round_.closes_at
    mails_before, sms_before = len(inbox.messages), len(sms.requests)
    _deliver(app)
    # The invitation reaches the three by e-mail and Étienne by text message.
    told = {address for rcpt, _message in inbox.messages[mails_before:] for address in rcpt}
    assert set(INVITED) <= told
    assert len(sms.requests) - sms_before == 1

    def status() -> RoundStatus:
        with app.app_context():
            return db.session.get(ConsultationRound, round_id).status

    # 5. The scheduler: nothing before the opening date; open just after it.
    _cli(app, "jobs", "run", "--now", (opens_at - timedelta(minutes=5)).isoformat())
    assert status() == RoundStatus.ANNOUNCED
    _cli(app, "jobs", "run", "--now", (opens_at + timedelta(minutes=1)).isoformat())
    assert status() == RoundStatus.OPEN
    _deliver(app)

    # 6. Three answer in Chromium: two invited by e-mail and the card holder.
    for email in INVITED[:2]:
        login(page, email, PASSWORD)
        _answer(page, round_id)
        _logout(page)
    _first_login_with_card(page, *cards[0])
    _answer(page, round_id)
    _logout(page)

    # 7. Two days before closing the scheduler reminds who has not answered, once: run twice,
    # one mail for Chloé, one text message for Étienne, nothing for the others.
    mails_before, sms_before = len(inbox.messages), len(sms.requests)
    remind_at = closes_at - timedelta(days=1)
    _cli(app, "jobs", "run", "--now", remind_at.isoformat())
    _cli(app, "jobs", "run", "--now", (remind_at + timedelta(hours=2)).isoformat())
    _deliver(app)
    reminded = [
        address
        for rcpt, message in inbox.messages[mails_before:]
        if message["Subject"].startswith("Rappel")  # not the digest "ce qui vous attend"
        for address in rcpt
    ]
    assert reminded == [INVITED[2]]
    reminders_sms = sms.requests[sms_before:]
    assert len(reminders_sms) == 1, reminders_sms
    digits = re.sub(r"\D", "", PHONE)[1:]
    assert digits in str(reminders_sms[0]["body"])

    # 8. Chloé and the person reached by text message answer; the round closes at its date.
    login(page, INVITED[2], PASSWORD)
    _answer(page, round_id)
    _logout(page)
    login(page, cards[1][0], CODE)
    _answer(page, round_id)
    _logout(page)
    _cli(app, "jobs", "run", "--now", (closes_at + timedelta(minutes=1)).isoformat())
    assert status() == RoundStatus.CLOSED
    with app.app_context():
        answered = db.session.scalars(
            select(Response).where(
                Response.round_id == round_id, Response.submitted_at.is_not(None)
            )
        ).all()
    assert len(answered) == 5

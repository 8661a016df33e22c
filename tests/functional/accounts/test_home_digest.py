"""The e-mail digest of "For you now": the home page's list, mailed (through the outbox and a
real SMTP server) to people who have an address, at most once a day and only when something
in it is new; never to a card holder without e-mail, never an empty mail."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app import db
from app.accounts.models import Role
from app.core import jobs
from app.core.outbox import send_due
from app.db import utcnow
from tests.worlds import a_cost_request, a_round, an_organisation, member, saved


@pytest.fixture
def mail_server(app, smtp):
    controller, inbox = smtp
    old = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = controller.port
    yield inbox
    app.config["MAIL_PORT"] = old


def _forget_other_mail(app, inbox) -> None:  # noqa: ANN001
    """Send what the world's making queued (invitations to the round...) and forget it."""
    with app.test_request_context("/"):
        send_due(app)
    inbox.messages.clear()


def _run_digest(app, at) -> int:  # noqa: ANN001
    """The scheduler's digest job at the time `at`, then the outbox worker."""
    with app.test_request_context("/"):
        outcome = jobs.run_job(jobs.get_job("accounts.home_digest"), at, force=True)
        db.session.commit()
        assert not outcome.error, outcome.error
        send_due(app)
    return outcome.done


def test_digest_mails_the_waiting_list_once_a_day_when_something_is_new(app, mail_server):
    now = utcnow()
    with saved(app):
        team = an_organisation(
            "CRPA Courrier",
            domain="d.test",
            fac=Role.FACILITATOR,
            fin=Role.FINANCE,
            alice=member(name="Alice Martin"),
            bob=member(name="Bob Durand"),  # nothing waits for him
            card=member(identifier="ZAEJ-70"),  # no e-mail address
        )
        round_ = a_round(team.org, team["fac"], step="open", invited=[team["alice"], team["card"]])
        ids = {"round": round_.id, "alice": team["alice"].id, "fin": team["fin"].id}
    _forget_other_mail(app, mail_server)

    assert _run_digest(app, now) == 1
    assert len(mail_server.messages) == 1
    recipients, message = mail_server.messages[0]
    assert recipients == ["alice@d.test"]
    assert message["Subject"] == "Parole : ce qui vous attend"
    body = message.get_content().replace("\r\n", "\n")
    assert body.startswith("Bonjour Alice Martin,")
    assert "Nouveau : Donnez votre avis : Le logement" in body
    assert "Vous pouvez répondre jusqu'au" in body
    assert f"/consultations/{ids['round']}\n" in body
    assert "une fois par jour au plus" in body

    # Two hours later, something new: still the same day, no second mail.
    with saved(app):
        from app.accounts.models import Person

        alice = db.session.get(Person, ids["alice"])
        a_cost_request(alice, alice.memberships[0].organisation, db.session.get(Person, ids["fin"]))
    _forget_other_mail(app, mail_server)  # the first digest too
    assert _run_digest(app, now + timedelta(hours=2)) == 0
    assert mail_server.messages == []

    # The next day: the new request is told, the round is still listed but not new.
    assert _run_digest(app, now + timedelta(hours=25)) == 1
    assert len(mail_server.messages) == 1
    body = mail_server.messages[0][1].get_content().replace("\r\n", "\n")
    assert "Nouveau : Votre demande n'est pas encore envoyée" in body
    assert "Donnez votre avis : Le logement" in body
    assert "Nouveau : Donnez votre avis" not in body

    # Another day with nothing new: no mail.
    assert _run_digest(app, now + timedelta(hours=50)) == 0
    assert len(mail_server.messages) == 1


def test_digest_is_not_sent_when_nothing_waits_any_more(app, mail_server):
    with saved(app):
        from app.consultations import services
        from app.consultations.models import RoundStatus

        team = an_organisation(
            "CRPA Vide", domain="v.test", fac=Role.FACILITATOR, alice=Role.PARTICIPANT
        )
        round_ = a_round(team.org, team["fac"], step="open", invited=[team["alice"]])
        services.transition(team["fac"], round_, RoundStatus.CLOSED)  # nothing to answer now
    _forget_other_mail(app, mail_server)
    assert _run_digest(app, utcnow()) == 0
    assert mail_server.messages == []

"""The facilitators' "À prévenir" list: each notification of a person who chose to be told
through their facilitator becomes a line for their holder organisation's facilitators (who,
what, by when), ordered by date; "C'est fait" records who passed it on and when, once."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app import db
from app.accounts import to_tell
from app.accounts.models import Role, ToTellItem
from app.core.errors import NotAllowed
from app.core.home import waiting_items
from app.core.models import AuditEntry
from app.core.notifications import notify
from app.db import utcnow
from tests.concurrency import services_at_once
from tests.conftest import app_on_own_database
from tests.factories import make_org, make_person


def _world():
    org, other = make_org(), make_org()
    facilitator = make_person((org, Role.FACILITATOR), name="Fanny")
    colleague = make_person((org, Role.FACILITATOR), name="Karim")
    stranger = make_person((other, Role.FACILITATOR), name="Zoé")
    told = make_person((org, Role.PARTICIPANT), identifier="TOLD-12", name="Bernard")
    told.contact_channel = "facilitator"
    by_sms = make_person((org, Role.PARTICIPANT), identifier="SMSS-12", name="Sonia")
    by_sms.contact_channel, by_sms.phone = "sms", "+33612345678"
    db.session.flush()
    return facilitator, colleague, stranger, told, by_sms


def _notify(person, subject, due_at=None):
    return notify(person, lambda: subject, lambda: "…", link="/consultations/4", due_at=due_at)


@pytest.mark.usefixtures("ctx")
def test_notification_of_a_person_told_by_their_facilitator_lands_on_the_list():
    facilitator, colleague, stranger, told, by_sms = _world()
    closes = utcnow() + timedelta(days=3)
    _notify(told, "Donnez votre avis : les transports", due_at=closes)
    _notify(by_sms, "Votre place est confirmée")
    (item,) = to_tell.open_items(facilitator)
    assert (item.person_id, item.text) == (told.id, "Donnez votre avis : les transports")
    assert item.due_at == closes and item.link == "/consultations/4"
    assert to_tell.open_items(colleague) == [item]  # every facilitator of the organisation
    assert to_tell.open_items(stranger) == []


@pytest.mark.usefixtures("ctx")
def test_list_shows_the_nearest_deadline_first_then_the_oldest():
    facilitator, _colleague, _stranger, told, _by_sms = _world()
    _notify(told, "Sans date, le plus ancien")
    _notify(told, "Dans 5 jours", due_at=utcnow() + timedelta(days=5))
    _notify(told, "Sans date, plus récent")
    _notify(told, "Demain", due_at=utcnow() + timedelta(days=1))
    texts = [item.text for item in to_tell.open_items(facilitator)]
    assert texts == [
        "Demain",
        "Dans 5 jours",
        "Sans date, le plus ancien",
        "Sans date, plus récent",
    ]


@pytest.mark.usefixtures("ctx")
def test_its_done_records_who_and_when_and_the_line_leaves_the_list():
    facilitator, colleague, stranger, told, _by_sms = _world()
    _notify(told, "Votre demande est payée")
    (item,) = to_tell.open_items(colleague)
    with pytest.raises(NotAllowed):
        to_tell.mark_done(stranger, item)
    to_tell.mark_done(facilitator, item)
    assert item.done_by_id == facilitator.id and item.done_at is not None
    assert to_tell.open_items(colleague) == []
    assert to_tell.recently_done(colleague) == [item]
    first = item.done_at
    to_tell.mark_done(colleague, item)  # pressed again (another tab, a colleague): no change
    assert (item.done_by_id, item.done_at) == (facilitator.id, first)


@pytest.mark.usefixtures("ctx")
def test_facilitator_home_says_how_many_people_wait_for_news():
    facilitator, _colleague, _stranger, told, _by_sms = _world()
    assert [i for i in waiting_items(facilitator) if i.key.startswith("accounts.to_tell")] == []
    _notify(told, "Un", due_at=utcnow() + timedelta(days=2))
    _notify(told, "Deux")
    (line,) = [i for i in waiting_items(facilitator) if i.key.startswith("accounts.to_tell")]
    assert line.text == "1 personne attend des nouvelles de vous. Dites-lui ce qui est nouveau."
    assert line.endpoint == "participants.to_tell" and line.due_at is not None


@pytest.fixture
def own_app(request, tmp_path):
    with app_on_own_database(request, tmp_path, "to_tell") as app:
        yield app


def test_its_done_twice_at_once_is_recorded_once(own_app):
    with own_app.test_request_context("/"):
        facilitator, colleague, _stranger, told, _by_sms = _world()
        _notify(told, "Votre place est confirmée")
        db.session.commit()
        ids = {"item": to_tell.open_items(facilitator)[0].id, "by": [facilitator.id, colleague.id]}

    def work(i):
        from app.accounts.models import Person

        actor = db.session.get(Person, ids["by"][i])
        to_tell.mark_done(actor, to_tell.get_item(ids["item"]))

    assert services_at_once(own_app, work) == ["done", "done"]
    with own_app.test_request_context("/"):
        item = db.session.get(ToTellItem, ids["item"])
        assert item.done_at is not None and item.done_by_id in ids["by"]
        done = select(func.count()).where(AuditEntry.action == "to_tell.done")
        assert db.session.scalar(done) == 1


@pytest.mark.usefixtures("ctx")
def test_round_reminder_reaches_the_list_by_its_closing_date_and_the_sms_person_by_text():
    from app.consultations.models import Invitation
    from app.core import jobs
    from app.core.models import OutboxMessage
    from tests.consultation_factories import make_round, open_round

    round_, facilitator = make_round()
    org = round_.organisation
    told = make_person((org, Role.PARTICIPANT), identifier="REMT-12", name="Bernard")
    told.contact_channel = "facilitator"
    by_sms = make_person((org, Role.PARTICIPANT), identifier="REMS-12", name="Sonia")
    by_sms.contact_channel, by_sms.phone = "sms", "+33612345678"
    open_round(round_, facilitator, [told, by_sms])
    two_days_before = round_.closes_at - timedelta(days=2, minutes=-1)
    jobs.run_job(jobs.get_job("consultations.remind_before_closing"), two_days_before)
    assert db.session.scalar(select(func.count()).select_from(Invitation)) >= 2
    # The invitation came first (when the round was announced), then the reminder.
    (item,) = [i for i in to_tell.open_items(facilitator) if i.text.startswith("Rappel")]
    assert item.person_id == told.id and item.due_at == round_.closes_at
    sms = db.session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "sms"))
    (reminder,) = [m for m in sms if m.body_text.startswith("Parole : Rappel")]
    assert reminder.to_address == "+33612345678"


@pytest.mark.usefixtures("ctx")
def test_round_invitation_reaches_the_list_and_the_sms_person_not_only_people_with_email():
    from app.consultations import services as consultations
    from app.consultations.models import RoundStatus
    from app.core.models import OutboxMessage
    from tests.consultation_factories import make_round

    round_, facilitator = make_round()
    org = round_.organisation
    told = make_person((org, Role.PARTICIPANT), identifier="INVT-12", name="Bernard")
    told.contact_channel = "facilitator"
    by_sms = make_person((org, Role.PARTICIPANT), identifier="INVS-12", name="Sonia")
    by_sms.contact_channel, by_sms.phone = "sms", "+33612345678"
    silent = make_person((org, Role.PARTICIPANT), identifier="INVN-12", name="Noé")
    consultations.invite_people(facilitator, round_, [told.id, by_sms.id, silent.id])
    consultations.transition(facilitator, round_, RoundStatus.ANNOUNCED)
    (item,) = to_tell.open_items(facilitator)
    assert item.person_id == told.id and item.due_at == round_.closes_at
    assert item.text.startswith("Invitation")
    (sms,) = db.session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "sms"))
    assert sms.to_address == "+33612345678"
    assert sms.body_text.startswith("Parole : Invitation") and f"/{round_.id}" in sms.body_text

"""The moderation service: what is held, who is alerted, who decides, what the author sees."""

import pytest
from sqlalchemy import select

from app import db
from app.accounts.models import Role
from app.consultations import services as consultations
from app.core.errors import DomainError, InvalidTransition, NotAllowed, NotFound
from app.core.models import AuditEntry, Notification, OutboxMessage
from app.moderation import services as moderation
from app.moderation.models import (
    Action,
    AppealStatus,
    MeasureKind,
    ModerationReport,
    ModerationSettings,
    ModerationStatus,
    Policy,
    ReasonTemplate,
)
from tests.factories import make_org, make_person
from tests.moderation_factories import make_discussion

pytestmark = pytest.mark.usefixtures("ctx")

PHONE_TEXT = "Appelez-moi au 06 12 34 56 78 pour en parler."
DISTRESS_TEXT = "Je n'en peux plus, je veux en finir."


def _reason(d, index=1):
    return moderation.reason_templates(d.org.id)[index].id


def test_ordinary_text_is_published_at_once():
    d = make_discussion()
    comment = consultations.add_comment(d.author, d.round, "Le loyer est trop cher.")
    item = moderation.item_for(comment)
    assert comment.moderation_status == ModerationStatus.PUBLISHED
    assert item.status == ModerationStatus.PUBLISHED and not item.in_queue
    assert comment in consultations.visible_comments(d.reader, d.round)


def test_personal_data_is_held_with_the_detected_parts():
    d = make_discussion()
    comment = consultations.add_comment(d.author, d.round, PHONE_TEXT)
    item = moderation.item_for(comment)
    assert item.status == ModerationStatus.HELD and item.held_for == ["phone"]
    assert item.in_queue and item.priority == moderation.PRIORITY_PERSONAL
    kind, start, end = item.findings[0]
    assert PHONE_TEXT[start:end] == "06 12 34 56 78"
    assert comment not in consultations.visible_comments(d.reader, d.round)
    assert comment in consultations.visible_comments(d.author, d.round)
    view = moderation.author_view(item)
    assert view["reasons"] == [str(moderation.HELD_FOR_TEXTS["phone"])]


def test_name_of_a_staff_member_is_held():
    d = make_discussion()
    comment = consultations.add_comment(d.author, d.round, "Madame Martin ne répond jamais.")
    assert moderation.item_for(comment).held_for == ["staff_name"]
    moderation.update_settings(
        d.admin,
        d.org.id,
        moderation.SettingsData(Policy.POST, None, 14, 7, "", "", "Julie Lefèvre"),
    )
    listed = consultations.add_comment(d.author, d.round, "J'ai vu Lefèvre hier.")
    assert moderation.item_for(listed).held_for == ["staff_name"]


def test_distress_is_held_and_always_alerts_the_referent_urgently():
    d = make_discussion()
    comment = consultations.add_comment(d.author, d.round, DISTRESS_TEXT)
    item = moderation.item_for(comment)
    assert item.status == ModerationStatus.HELD and item.urgent
    assert item.priority == moderation.PRIORITY_DISTRESS
    # No referent chosen: administrators and facilitators are alerted.
    alerted = db.session.scalars(select(Notification).where(Notification.urgent)).all()
    assert {n.person_id for n in alerted} == {d.admin.id, d.facilitator.id}
    mails = db.session.scalars(select(OutboxMessage)).all()
    urgent_mails = [m for m in mails if m.subject.startswith("[URGENT]")]
    assert {m.to_address for m in urgent_mails} == {d.admin.email, d.facilitator.email}
    # The mail points to the text; it never carries it.
    assert all("en finir" not in m.body_text for m in urgent_mails)
    assert all(f"/moderation/items/{item.id}" in m.body_text for m in urgent_mails)


def test_distress_goes_to_the_chosen_referent_and_first_in_the_queue():
    d = make_discussion()
    moderation.update_settings(
        d.admin,
        d.org.id,
        moderation.SettingsData(Policy.POST, d.moderator.id, 14, 7, "", "", ""),
    )
    held = consultations.add_comment(d.author, d.round, PHONE_TEXT)
    urgent = consultations.add_comment(d.reader, d.round, "Il me frappe, j'ai peur.")
    alerted = db.session.scalars(select(Notification).where(Notification.urgent)).all()
    assert [n.person_id for n in alerted] == [d.moderator.id]
    queue = moderation.queue(d.second_moderator)
    assert [i.content_id for i in queue] == [urgent.id, held.id]
    # The referent may need to contact the person: only they see the author's name.
    item = moderation.item_for(urgent)
    assert moderation.author_history(d.moderator, item).name == "Nadia"
    assert moderation.author_history(d.second_moderator, item).name is None


def test_insults_follow_the_organisation_list():
    d = make_discussion()
    rude = consultations.add_comment(d.author, d.round, "Quel connard ce chauffeur.")
    assert moderation.item_for(rude).held_for == ["insult"]
    moderation.update_settings(
        d.admin, d.org.id, moderation.SettingsData(Policy.POST, None, 14, 7, "zigoto", "", "")
    )
    own_word = consultations.add_comment(d.author, d.round, "Quel zigoto.")
    assert moderation.item_for(own_word).held_for == ["insult"]


def test_premoderated_space_holds_everything_until_a_person_checks():
    d = make_discussion()
    d.round.discussion_moderation = "pre"
    comment = consultations.add_comment(d.author, d.round, "Bonjour à tous.")
    item = moderation.item_for(comment)
    assert item.status == ModerationStatus.HELD and item.held_for == ["policy"]
    assert item.priority == moderation.PRIORITY_POLICY
    d.round.discussion_moderation = ""
    db.session.add(ModerationSettings(organisation_id=d.org.id, default_policy=Policy.PRE))
    db.session.flush()
    second = consultations.add_comment(d.author, d.round, "Merci.")
    assert second.moderation_status == ModerationStatus.HELD


def test_reports_never_hide_a_text_they_raise_it_in_the_queue():
    d = make_discussion()
    comment = consultations.add_comment(d.author, d.round, "Venez tous au marché samedi.")
    others = [make_person((d.org, Role.PARTICIPANT)) for _ in range(4)]
    for person in others:
        d.round.invitations  # noqa: B018 - the round knows its invitations
        consultations.invite_people(d.facilitator, d.round, [person.id])
    for person in [d.reader, *others]:
        moderation.report(person, comment, "advert", "C'est de la pub")
    item = moderation.item_for(comment)
    assert comment.moderation_status == ModerationStatus.PUBLISHED
    assert comment in consultations.visible_comments(d.reader, d.round)
    assert item.in_queue and len(item.open_reports) == 5
    assert moderation.queue(d.moderator) == [item]
    with pytest.raises(DomainError):
        moderation.report(d.reader, comment, "rude")
    with pytest.raises(DomainError):
        moderation.report(d.author, comment, "rude")
    moderation.decide(d.moderator, item, Action.DISMISS, _reason(d, 0))
    assert not item.in_queue and item.status == ModerationStatus.PUBLISHED
    assert all(r.closed_at for r in db.session.scalars(select(ModerationReport)))


def test_a_report_about_someone_comes_before_a_report_about_advertising():
    d = make_discussion()
    old = consultations.add_comment(d.author, d.round, "Premier message.")
    new = consultations.add_comment(d.author, d.round, "Deuxième message.")
    moderation.report(d.reader, old, "advert")
    moderation.report(d.reader, new, "identifies")
    assert [i.content_id for i in moderation.queue(d.moderator)] == [new.id, old.id]


def test_redaction_keeps_the_original_out_of_public_pages_and_tells_the_author():
    d = make_discussion()
    comment = consultations.add_comment(d.author, d.round, PHONE_TEXT)
    item = moderation.item_for(comment)
    decision = moderation.decide(
        d.moderator,
        item,
        Action.REDACT,
        _reason(d, 1),
        redacted_text="Appelez-moi au […] pour en parler.",
    )
    assert comment.body == "Appelez-moi au […] pour en parler."
    assert comment.moderation_status == ModerationStatus.PUBLISHED
    assert decision.original_text == PHONE_TEXT
    assert decision.removed == ["06 12 34 56 78"]
    shown = consultations.visible_comments(d.reader, d.round)
    assert all("06 12" not in c.body for c in shown)
    rows = consultations.export_answers_rows(d.facilitator, d.round)
    assert "06 12" not in repr(rows)
    told = db.session.scalars(
        select(Notification).where(Notification.person_id == d.author.id)
    ).one()
    assert "06 12 34 56 78" in told.body  # the author reads what was removed from their text
    # ...on Parole: the e-mail does not carry the removed phone number.
    mails = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_address == d.author.email)
    ).all()
    assert mails and all("06 12" not in m.body_text for m in mails)
    with pytest.raises(DomainError) as unchanged:
        moderation.decide(
            d.moderator, item, Action.REDACT, _reason(d, 1), redacted_text=comment.body
        )
    assert unchanged.value.field == "redacted"


def test_every_decision_needs_a_reason_and_is_logged_without_the_text():
    d = make_discussion()
    item = moderation.item_for(consultations.add_comment(d.author, d.round, PHONE_TEXT))
    with pytest.raises(DomainError) as missing:
        moderation.decide(d.moderator, item, Action.HIDE, None)
    assert missing.value.field == "reason_id"
    moderation.decide(
        d.moderator, item, Action.HIDE, _reason(d, 1), note="Merci de votre compréhension."
    )
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action.like("moderation.%"))
    ).all()
    assert [e.action for e in entries] == ["moderation.submitted", "moderation.decided"]
    assert entries[1].actor_id == d.moderator.id
    assert entries[1].details["decision"] == "hide"
    assert "06 12" not in repr([e.details for e in entries])


def test_asked_to_change_the_author_edits_and_it_is_published():
    d = make_discussion()
    comment = consultations.add_comment(d.author, d.round, PHONE_TEXT)
    item = moderation.item_for(comment)
    moderation.decide(d.moderator, item, Action.ASK_CHANGE, _reason(d, 1))
    assert comment.moderation_status == ModerationStatus.TO_CHANGE
    assert moderation.author_view(item)["may_change"]
    with pytest.raises(NotFound):
        moderation.resubmit(d.reader, item, "Autre chose")
    assert moderation.resubmit(d.author, item, "Parlons-en à la réunion.") == (
        ModerationStatus.PUBLISHED
    )
    assert comment.body == "Parlons-en à la réunion."
    with pytest.raises(InvalidTransition):
        moderation.resubmit(d.author, item, "Encore")


def test_an_appeal_goes_to_another_moderator():
    d = make_discussion()
    item = moderation.item_for(consultations.add_comment(d.author, d.round, PHONE_TEXT))
    moderation.decide(d.moderator, item, Action.HIDE, _reason(d, 1))
    with pytest.raises(NotFound):
        moderation.appeal(d.reader, item, "Moi non plus")
    appeal = moderation.appeal(d.author, item, "C'est le numéro de l'association.")
    assert item.in_queue and item.priority == moderation.PRIORITY_APPEAL
    assert item not in moderation.queue(d.moderator)
    assert item in moderation.queue(d.second_moderator)
    with pytest.raises(NotAllowed):
        moderation.decide(d.moderator, item, Action.PUBLISH, _reason(d, 0))
    moderation.decide(d.second_moderator, item, Action.PUBLISH, _reason(d, 0))
    assert appeal.status == AppealStatus.CHANGED and appeal.answer_id is not None
    assert item.status == ModerationStatus.PUBLISHED and not item.in_queue
    with pytest.raises(InvalidTransition):
        moderation.appeal(d.author, item, "Encore")


def test_permissions_from_the_wrong_side():
    d = make_discussion()
    item = moderation.item_for(consultations.add_comment(d.author, d.round, PHONE_TEXT))
    other_org = make_org()
    other_moderator = make_person((other_org, Role.MODERATOR))
    assert moderation.queue(other_moderator) == []
    with pytest.raises(NotFound):
        moderation.load_item(other_moderator, item.id)
    with pytest.raises(NotAllowed):
        moderation.decide(other_moderator, item, Action.PUBLISH, _reason(d, 0))
    with pytest.raises(NotAllowed):
        moderation.queue(d.reader)
    with pytest.raises(NotAllowed):
        moderation.decide(d.reader, item, Action.PUBLISH, _reason(d, 0))
    # A moderator who writes cannot decide on their own text.
    own = moderation.item_for(consultations.add_comment(d.facilitator, d.round, PHONE_TEXT))
    with pytest.raises(NotAllowed):
        moderation.decide(d.facilitator, own, Action.PUBLISH, _reason(d, 0))
    with pytest.raises(NotFound):
        moderation.report(make_person((other_org, Role.PARTICIPANT)), own_comment(own), "rude")


def own_comment(item):
    return moderation.content_of(item)


def test_graduated_measures_then_only_an_administrator_bans():
    d = make_discussion()
    item = moderation.item_for(consultations.add_comment(d.author, d.round, "Quel connard."))
    first = moderation.restrict_author(d.moderator, item, _reason(d, 2))
    assert first.kind == MeasureKind.PREMODERATION
    later = consultations.add_comment(d.author, d.round, "Bonjour.")
    assert moderation.item_for(later).held_for == ["measure"]
    second = moderation.restrict_author(d.moderator, item, _reason(d, 2))
    assert second.kind == MeasureKind.PAUSE
    with pytest.raises(DomainError) as paused:
        consultations.add_comment(d.author, d.round, "Bonjour.")
    assert "écrire de messages jusqu" in str(paused.value.message)
    with pytest.raises(InvalidTransition):
        moderation.restrict_author(d.moderator, item, _reason(d, 2))
    with pytest.raises(NotAllowed):
        moderation.ban_author(d.moderator, item, "Insultes répétées envers les autres.")
    with pytest.raises(DomainError):
        moderation.ban_author(d.admin, item, "")
    ban = moderation.ban_author(d.admin, item, "Insultes répétées envers les autres.")
    assert ban.ends_at is None and ban.kind == MeasureKind.BAN
    with pytest.raises(NotAllowed):
        moderation.lift_measure(d.moderator, ban)
    moderation.lift_measure(d.admin, ban)
    moderation.lift_measure(d.moderator, second)
    assert moderation.active_measure(d.org.id, d.author.id) is None
    told = db.session.scalars(
        select(Notification).where(Notification.person_id == d.author.id)
    ).all()
    assert len(told) == 3  # each measure is explained to the author


def test_reasons_are_read_without_writing_and_stored_on_first_change():
    d = make_discussion()
    defaults = moderation.reason_templates(d.org.id)
    assert len(defaults) == len(moderation.DEFAULT_REASONS) and defaults[0].id == -1
    assert db.session.scalars(select(ReasonTemplate)).all() == []
    changed = moderation.save_reason(d.admin, d.org.id, "Votre message est publié.", -1)
    stored = moderation.reason_templates(d.org.id)
    assert stored[0].id == changed.id and stored[0].text == "Votre message est publié."
    moderation.save_reason(d.admin, d.org.id, "Plus utilisée", changed.id, active=False)
    assert changed not in moderation.reason_templates(d.org.id)
    with pytest.raises(NotAllowed):
        moderation.save_reason(d.facilitator, d.org.id, "Autre")
    item = moderation.item_for(consultations.add_comment(d.author, d.round, PHONE_TEXT))
    with pytest.raises(DomainError):  # an inactive reason cannot be chosen
        moderation.decide(d.moderator, item, Action.HIDE, changed.id)


def test_monthly_numbers_hold_no_text_and_no_name():
    d = make_discussion()
    item = moderation.item_for(consultations.add_comment(d.author, d.round, PHONE_TEXT))
    moderation.decide(d.moderator, item, Action.HIDE, _reason(d, 1))
    published = consultations.add_comment(d.author, d.round, "Merci")
    moderation.report(d.reader, published, "other")
    months = moderation.monthly_counts(d.reader, d.org.id)
    assert len(months) == 1
    assert months[0].held == 1 and months[0].reports == 1
    assert months[0].decisions == {"hide": 1}
    with pytest.raises(NotAllowed):
        moderation.monthly_counts(make_person((make_org(), Role.PARTICIPANT)), d.org.id)

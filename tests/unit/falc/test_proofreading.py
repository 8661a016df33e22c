"""Easy-read proofreading services: when a text is "proofread and approved", when it must
change, assisted marks, the badge that any edit removes, names shown only with consent, and
every rule from the wrong side."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from app import db
from app.accounts.models import Role
from app.core.errors import DomainError, InvalidTransition, NotAllowed
from app.core.models import AuditEntry
from app.falc import proofreading as services
from app.falc.proofreading import MarkInput
from app.falc.proofreading_models import (
    Proofreader,
    ProofreadingStatus,
    SentenceMark,
)
from tests.factories import make_org, make_person

pytestmark = pytest.mark.usefixtures("ctx")

TEXT = "Vous êtes invité à une réunion. Elle a lieu le 3 mars.\nVenez avec un ami si vous voulez."
SUBJECT = ("consultation_round", 7, "subject_easy")
CONSENT = "Elle a dit oui pendant la réunion du 3 mars."


@pytest.fixture
def w() -> SimpleNamespace:
    """An organisation with a facilitator, 3 proofreaders (Paul and Karim agreed to be
    named, Nadia did not), a participant who is no proofreader, and another organisation."""
    org = make_org("CRPA Relecture")
    facilitator = make_person((org, Role.FACILITATOR), name="Fanny Animatrice")
    paul = make_person((org, Role.PARTICIPANT), name="Paul Exemple")
    nadia = make_person((org, Role.PARTICIPANT), name="Nadia Fictive")
    karim = make_person((org, Role.PARTICIPANT), name="Karim Supposé")
    outsider = make_person((org, Role.PARTICIPANT), name="Jean Démo")
    services.register_proofreader(facilitator, paul, CONSENT, show_name=True)
    services.register_proofreader(facilitator, nadia, CONSENT, show_name=False)
    services.register_proofreader(facilitator, karim, CONSENT, show_name=True)
    other = make_org("Association Ailleurs")
    other_facilitator = make_person((other, Role.FACILITATOR), name="Autre Animateur")
    other_reader = make_person((other, Role.PARTICIPANT), name="Rose Ailleurs")
    services.register_proofreader(other_facilitator, other_reader, CONSENT, show_name=True)
    return SimpleNamespace(
        org=org,
        facilitator=facilitator,
        paul=paul,
        nadia=nadia,
        karim=karim,
        outsider=outsider,
        other=other,
        other_facilitator=other_facilitator,
        other_reader=other_reader,
    )


def send(w, people, text: str = TEXT, required: int = 1):  # noqa: ANN001, ANN201
    return services.request_proofreading(
        w.facilitator,
        w.org,
        *SUBJECT,
        text,
        [p.id for p in people],
        required_understood=required,
        label="Le logement : de quoi parle-t-on ?",
    )


def mark_all(person, proofreading, understood=(True, True, True), **kwargs) -> None:  # noqa: ANN001
    services.submit_marks(
        person,
        proofreading,
        [MarkInput(i, value) for i, value in enumerate(understood)],
        **kwargs,
    )


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def badge(text: str = TEXT):  # noqa: ANN201
    return services.badge_for(*SUBJECT, text)


def status(text: str = TEXT) -> str:
    return services.status_for(*SUBJECT, text)


# --- validation ----------------------------------------------------------------------------


def test_the_text_has_three_sentences():
    assert services.sentences(TEXT) == [
        "Vous êtes invité à une réunion.",
        "Elle a lieu le 3 mars.",
        "Venez avec un ami si vous voulez.",
    ]


def test_validated_when_every_sentence_is_understood_by_one_proofreader(w):
    proofreading = send(w, [w.paul, w.nadia])
    assert status() == "waiting" and badge() is None
    services.mark_sentence(w.paul, proofreading, 0, True)
    services.mark_sentence(w.paul, proofreading, 1, True)
    services.mark_sentence(w.nadia, proofreading, 1, False)
    services.mark_sentence(w.paul, proofreading, 2, False)
    assert proofreading.status == ProofreadingStatus.WAITING  # sentence 3: nobody yet
    services.mark_sentence(w.nadia, proofreading, 2, True, comment="Un ami ou une amie ?")
    assert proofreading.status == ProofreadingStatus.VALIDATED
    assert proofreading.validated_at is not None
    assert status() == "validated"
    assert badge().proofreading_id == proofreading.id
    assert "falc.proofreading_validated" in actions()


def test_two_required_need_two_different_proofreaders_for_each_sentence(w):
    proofreading = send(w, [w.paul, w.nadia, w.karim], required=2)
    mark_all(w.paul, proofreading)
    # the same person marking again never counts twice
    services.mark_sentence(w.paul, proofreading, 0, True, comment="Oui.")
    assert proofreading.status == ProofreadingStatus.WAITING
    mark_all(w.nadia, proofreading, (True, True, False))
    assert proofreading.status == ProofreadingStatus.WAITING  # sentence 3: only Paul
    services.mark_sentence(w.karim, proofreading, 2, True)
    assert proofreading.status == ProofreadingStatus.VALIDATED
    assert db.session.scalar(select(func.count(SentenceMark.id))) == 7


def test_needs_changes_when_everyone_finished_and_a_sentence_is_not_understood(w):
    proofreading = send(w, [w.paul, w.nadia])
    mark_all(w.paul, proofreading, (True, False, True))
    assert proofreading.status == ProofreadingStatus.WAITING  # Nadia has not finished
    mark_all(w.nadia, proofreading, (True, False, True))
    assert proofreading.status == ProofreadingStatus.NEEDS_CHANGES
    assert proofreading.validated_at is None
    assert status() == "needs_changes"
    assert badge() is None
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "falc.proofreading_needs_changes")
    )
    assert entry.object_id == proofreading.id
    assert entry.details["sentences_not_understood"] == [1]


def test_needs_changes_with_two_required_when_one_of_two_does_not_understand(w):
    proofreading = send(w, [w.paul, w.nadia], required=2)
    mark_all(w.paul, proofreading)
    mark_all(w.nadia, proofreading, (True, True, False))
    assert proofreading.status == ProofreadingStatus.NEEDS_CHANGES


def test_a_later_mark_replaces_the_earlier_one(w):
    proofreading = send(w, [w.paul, w.nadia])
    services.mark_sentence(w.paul, proofreading, 0, False, comment="Invité, c'est quoi ?")
    services.mark_sentence(w.paul, proofreading, 0, True)
    [mark] = db.session.scalars(select(SentenceMark)).all()
    assert mark.understood is True and mark.comment == ""


def test_finishing_needs_a_mark_on_every_sentence(w):
    proofreading = send(w, [w.paul, w.nadia])
    services.mark_sentence(w.paul, proofreading, 0, True)
    with pytest.raises(DomainError) as exc:
        services.finish(w.paul, proofreading)
    assert exc.value.field == "understood_1"
    with pytest.raises(DomainError):
        services.submit_marks(w.paul, proofreading, [MarkInput(1, True)])
    assert all(a.done_at is None for a in proofreading.assignments)


def test_finish_records_done_and_the_text_leaves_the_list(w):
    proofreading = send(w, [w.paul, w.nadia])
    assert services.assignments_for(w.paul) == [proofreading]
    for index in range(3):
        services.mark_sentence(w.paul, proofreading, index, index != 1)
    services.finish(w.paul, proofreading)
    assert services.assignments_for(w.paul) == []
    assert services.assignments_for(w.nadia) == [proofreading]
    assert "falc.proofreading_finished" in actions()


def test_a_sentence_outside_the_text_is_refused(w):
    proofreading = send(w, [w.paul])
    with pytest.raises(DomainError):
        services.mark_sentence(w.paul, proofreading, 3, True)
    with pytest.raises(DomainError):
        services.mark_sentence(w.paul, proofreading, -1, True)


def test_marks_are_closed_once_the_text_is_decided(w):
    proofreading = send(w, [w.paul, w.nadia])
    mark_all(w.paul, proofreading)
    assert proofreading.status == ProofreadingStatus.VALIDATED
    with pytest.raises(NotAllowed):
        services.mark_sentence(w.nadia, proofreading, 0, False)


# --- assisted marks ------------------------------------------------------------------------


def test_assisted_marks_record_who_typed_them_and_the_consent(w):
    proofreading = send(w, [w.paul, w.nadia])
    mark_all(
        w.facilitator,
        proofreading,
        (True, False, True),
        for_person=w.paul,
        consent_note="Paul m'a dicté ses réponses.",
    )
    marks = services.marks_of(proofreading, w.paul)
    assert len(marks) == 3
    assert all(m.entered_by_id == w.facilitator.id for m in marks.values())
    assert all(m.consent_note == "Paul m'a dicté ses réponses." for m in marks.values())
    assert all(m.is_assisted for m in marks.values())
    assert services.marks_of(proofreading, w.facilitator) == {}
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "falc.marks_saved"))
    assert entry.actor_id == w.facilitator.id and entry.details["assisted"] is True
    # one assisted mark alone, through mark_sentence
    mark = services.mark_sentence(
        w.facilitator,
        proofreading,
        1,
        False,
        comment="Le mot lieu.",
        for_person=w.nadia,
        consent_note="Nadia me l'a dit.",
    )
    assert mark.person_id == w.nadia.id and mark.entered_by_id == w.facilitator.id
    # when Paul marks by himself later, the mark is his own again
    services.mark_sentence(w.paul, proofreading, 1, True)
    assert services.marks_of(proofreading, w.paul)[1].is_assisted is False


def test_assisted_marks_need_a_consent_note(w):
    proofreading = send(w, [w.paul])
    for note in (None, "", "oui"):
        with pytest.raises(DomainError) as exc:
            mark_all(w.facilitator, proofreading, for_person=w.paul, consent_note=note)
        assert exc.value.field == "consent_note"
    assert db.session.scalar(select(func.count(SentenceMark.id))) == 0


# --- the badge -----------------------------------------------------------------------------


def test_any_edit_afterwards_removes_the_badge(w):
    proofreading = send(w, [w.paul])
    mark_all(w.paul, proofreading)
    assert badge() is not None
    assert badge(TEXT.replace("3 mars", "4 mars")) is None
    assert badge(TEXT + " Merci.") is None
    assert badge("") is None
    assert status(TEXT.replace("ami", "amie")) == "outdated"
    # spaces people do not read are not an edit
    assert badge("  " + TEXT.replace(" ", "  ").replace("\n", " \r\n") + "\n") is not None
    assert badge(TEXT.replace("le 3 mars", "le 3\u00a0mars")) is not None
    # putting the exact text back brings the badge back: it is the text they read
    assert badge(TEXT).proofreading_id == proofreading.id


def test_the_badge_belongs_to_the_subject_and_field(w):
    proofreading = send(w, [w.paul])
    mark_all(w.paul, proofreading)
    assert services.badge_for("consultation_round", 8, "subject_easy", TEXT) is None
    assert services.badge_for("consultation_round", 7, "why_easy", TEXT) is None
    assert services.badge_for(*SUBJECT, TEXT, organisation_id=w.other.id) is None
    assert services.badge_for(*SUBJECT, TEXT, organisation_id=w.org.id) is not None


def test_only_a_validated_text_shows_the_names_of_those_who_agreed(w):
    proofreading = send(w, [w.paul, w.nadia, w.karim], required=2)
    mark_all(w.paul, proofreading)
    assert badge() is None  # waiting: no badge, no names
    mark_all(w.nadia, proofreading)
    assert proofreading.status == ProofreadingStatus.VALIDATED
    # Nadia did not agree to be named; Karim agreed but did not proofread this text
    assert badge().names == ["Paul"]


def test_no_name_when_nobody_agreed(w):
    proofreading = send(w, [w.nadia])
    mark_all(w.nadia, proofreading)
    assert badge() is not None and badge().names == []


def test_status_none_then_outdated_when_a_new_version_is_sent(w):
    assert status() == "none"
    first = send(w, [w.paul, w.nadia])
    assert status() == "waiting"
    edited = TEXT.replace("un ami", "une personne")
    second = send(w, [w.paul, w.nadia], text=edited)
    assert first.status == ProofreadingStatus.OUTDATED
    assert status(edited) == "waiting"
    assert status() == "outdated"
    assert services.assignments_for(w.paul) == [second]
    with pytest.raises(NotAllowed):
        services.mark_sentence(w.paul, first, 0, True)
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "falc.proofreading_outdated")
    )
    assert entry.object_id == first.id and entry.details["replaced_by"] == second.id


def test_a_new_version_removes_the_badge_of_the_old_one(w):
    first = send(w, [w.paul])
    mark_all(w.paul, first)
    assert badge() is not None
    send(w, [w.paul], text=TEXT + " Merci.")
    assert first.status == ProofreadingStatus.OUTDATED
    assert badge() is None
    assert badge(TEXT + " Merci.") is None


def test_an_approved_text_is_not_sent_again(w):
    proofreading = send(w, [w.paul])
    mark_all(w.paul, proofreading)
    with pytest.raises(InvalidTransition):
        send(w, [w.nadia])
    assert proofreading.status == ProofreadingStatus.VALIDATED


# --- sending -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n  ", "... !"])
def test_an_empty_text_is_refused(w, text):
    with pytest.raises(DomainError) as exc:
        send(w, [w.paul], text=text)
    assert exc.value.field == "text"


def test_at_least_one_proofreader_and_enough_for_the_number_required(w):
    with pytest.raises(DomainError) as exc:
        send(w, [])
    assert exc.value.field == "proofreader_ids"
    with pytest.raises(DomainError) as exc:
        send(w, [w.paul], required=2)
    assert exc.value.field == "required_understood"
    with pytest.raises(DomainError) as exc:
        send(w, [w.paul], required=0)
    assert exc.value.field == "required_understood"


def test_sending_is_recorded(w):
    proofreading = send(w, [w.paul, w.nadia])
    assert proofreading.text == TEXT
    assert proofreading.text_hash == services.text_hash(TEXT)
    assert proofreading.requested_by_id == w.facilitator.id
    assert [a.person_id for a in proofreading.assignments] == [w.paul.id, w.nadia.id]
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "falc.proofreading_requested")
    )
    assert entry.organisation_id == w.org.id and entry.details["proofreaders"] == 2


# --- registering proofreaders --------------------------------------------------------------


def test_registering_records_who_and_how_the_person_agreed(w):
    proofreader = db.session.scalar(select(Proofreader).where(Proofreader.person_id == w.paul.id))
    assert proofreader.organisation_id == w.org.id
    assert proofreader.entered_by_id == w.facilitator.id
    assert proofreader.consent_note == CONSENT
    assert proofreader.show_name is True and proofreader.active is True
    assert proofreader.agreed_at is not None
    assert "falc.proofreader_registered" in actions()


@pytest.mark.parametrize("note", [None, "", "   ", "oui"])
def test_a_person_cannot_be_registered_without_a_consent_note(w, note):
    with pytest.raises(DomainError) as exc:
        services.register_proofreader(w.facilitator, w.outsider, note, show_name=True)
    assert exc.value.field == "consent_note"
    assert (
        db.session.scalar(select(Proofreader).where(Proofreader.person_id == w.outsider.id)) is None
    )


def test_only_a_participant_of_the_organisation_can_be_registered(w):
    colleague = make_person((w.org, Role.FACILITATOR))
    with pytest.raises(DomainError):
        services.register_proofreader(
            w.facilitator, colleague, CONSENT, show_name=False, organisation=w.org
        )
    with pytest.raises(NotAllowed):  # a participant of another organisation
        services.register_proofreader(w.facilitator, w.other_reader, CONSENT, show_name=False)


def test_registering_again_renews_consent_and_choice_of_name(w):
    services.register_proofreader(w.facilitator, w.nadia, "Elle veut son prénom.", True)
    proofreader = db.session.scalar(select(Proofreader).where(Proofreader.person_id == w.nadia.id))
    assert proofreader.show_name is True and proofreader.consent_note == "Elle veut son prénom."
    assert db.session.scalar(select(func.count(Proofreader.id))) == 4


# --- from the wrong side -------------------------------------------------------------------


def test_another_organisations_facilitator_can_do_nothing_here(w):
    with pytest.raises(NotAllowed):
        services.request_proofreading(
            w.other_facilitator, w.org, *SUBJECT, TEXT, [w.paul.id], label="x"
        )
    with pytest.raises(NotAllowed):
        services.register_proofreader(w.other_facilitator, w.outsider, CONSENT, True)
    with pytest.raises(NotAllowed):
        services.register_proofreader(
            w.other_facilitator, w.outsider, CONSENT, True, organisation=w.org
        )
    proofreading = send(w, [w.paul])
    with pytest.raises(NotAllowed):
        mark_all(w.other_facilitator, proofreading, for_person=w.paul, consent_note=CONSENT)
    with pytest.raises(NotAllowed):
        services.deactivate_proofreader(
            w.other_facilitator,
            db.session.scalar(select(Proofreader).where(Proofreader.person_id == w.paul.id)),
        )
    assert proofreading.status == ProofreadingStatus.WAITING


def test_proofreaders_of_another_organisation_cannot_be_asked(w):
    with pytest.raises(DomainError) as exc:
        send(w, [w.paul, w.other_reader])
    assert exc.value.field == "proofreader_ids"
    with pytest.raises(DomainError):
        send(w, [w.outsider])  # a participant who never agreed to proofread


def test_a_participant_who_is_not_asked_cannot_mark(w):
    proofreading = send(w, [w.paul])
    for person in (w.outsider, w.karim, w.other_reader):
        with pytest.raises(NotAllowed):
            services.mark_sentence(person, proofreading, 0, True)
        with pytest.raises(NotAllowed):
            mark_all(person, proofreading)
    with pytest.raises(NotAllowed):  # a facilitator cannot mark for someone not asked
        mark_all(w.facilitator, proofreading, for_person=w.karim, consent_note=CONSENT)
    with pytest.raises(NotAllowed):  # nor in their own name
        mark_all(w.facilitator, proofreading)
    assert db.session.scalar(select(func.count(SentenceMark.id))) == 0


def test_an_inactive_proofreader_gets_no_text_and_cannot_mark(w):
    proofreading = send(w, [w.paul, w.nadia])
    paul = db.session.scalar(select(Proofreader).where(Proofreader.person_id == w.paul.id))
    services.deactivate_proofreader(w.facilitator, paul)
    assert paul.active is False
    assert services.assignments_for(w.paul) == []
    with pytest.raises(NotAllowed):
        services.mark_sentence(w.paul, proofreading, 0, True)
    with pytest.raises(NotAllowed):
        mark_all(w.facilitator, proofreading, for_person=w.paul, consent_note=CONSENT)
    with pytest.raises(DomainError) as exc:
        send(w, [w.paul], text=TEXT + " Merci.")
    assert exc.value.field == "proofreader_ids"
    with pytest.raises(InvalidTransition):
        services.deactivate_proofreader(w.facilitator, paul)
    assert "falc.proofreader_deactivated" in actions()


def test_when_the_last_reader_stops_the_text_is_decided(w):
    proofreading = send(w, [w.paul, w.nadia])
    mark_all(w.paul, proofreading, (True, False, True))
    assert proofreading.status == ProofreadingStatus.WAITING  # Nadia has not read it yet
    nadia = db.session.scalar(select(Proofreader).where(Proofreader.person_id == w.nadia.id))
    services.deactivate_proofreader(w.facilitator, nadia)
    assert proofreading.status == ProofreadingStatus.NEEDS_CHANGES


def test_nothing_is_decided_when_nobody_read_the_text(w):
    proofreading = send(w, [w.nadia])
    nadia = db.session.scalar(select(Proofreader).where(Proofreader.person_id == w.nadia.id))
    services.deactivate_proofreader(w.facilitator, nadia)
    assert proofreading.status == ProofreadingStatus.WAITING

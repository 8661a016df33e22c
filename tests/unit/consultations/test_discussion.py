import pytest

from app.accounts.models import Role
from app.consultations import services
from app.core.errors import DomainError, InvalidTransition, NotAllowed
from app.moderation import services as moderation
from app.moderation.models import Action, ModerationStatus
from tests.consultation_factories import make_round, open_round
from tests.factories import make_org, make_person

pytestmark = pytest.mark.usefixtures("ctx")


@pytest.mark.parametrize(
    ("text", "held"),
    [
        ("Appelez-moi au 06 12 34 56 78", True),
        ("mon numéro : +33 6 12 34 56 78", True),
        ("écrivez à lucie.martin@example.org", True),
        ("0612345678", True),
        ("Le bus 12 passe à 8 h 30, 3 fois par jour.", False),
        ("La réunion du 12/03/2027 était bien.", False),
        ("Il y a 1200 logements vides.", False),
    ],
)
def test_personal_data_is_held_for_a_human(text, held):
    held_for = moderation.detect_for(1, text)
    assert bool([f for f in held_for if f.kind in ("phone", "email")]) is held


def _discussion_round():
    round_, facilitator = make_round()
    round_.discussion_enabled = True
    people = [make_person((round_.organisation, Role.PARTICIPANT)) for _ in range(2)]
    open_round(round_, facilitator, people)
    return round_, facilitator, people


def test_held_comment_is_seen_by_its_author_only_until_a_decision():
    round_, facilitator, (author, reader) = _discussion_round()
    comment = services.add_comment(author, round_, "Appelez-moi au 06 12 34 56 78")
    plain = services.add_comment(author, round_, "Le loyer est trop cher.")
    assert comment.moderation_status == ModerationStatus.HELD
    assert plain.moderation_status == ModerationStatus.PUBLISHED
    assert services.visible_comments(reader, round_) == [plain]
    assert comment in services.visible_comments(author, round_)
    assert services.held_count(reader, round_) == 0
    assert services.held_count(facilitator, round_) == 1
    item = moderation.item_for(comment)
    reason = moderation.reason_templates(round_.organisation_id)[1].id
    with pytest.raises(NotAllowed):
        moderation.decide(reader, item, Action.PUBLISH, reason)
    moderation.decide(facilitator, item, Action.HIDE, reason)
    assert comment.moderation_status == ModerationStatus.HIDDEN
    assert comment not in services.visible_comments(reader, round_)
    with pytest.raises(InvalidTransition):
        moderation.decide(facilitator, item, Action.DISMISS, reason)


def test_discussion_rules():
    round_, facilitator, (author, _reader) = _discussion_round()
    with pytest.raises(DomainError):
        services.add_comment(author, round_, "   ")
    outsider = make_person((make_org(), Role.PARTICIPANT))
    with pytest.raises(NotAllowed):
        services.add_comment(outsider, round_, "Bonjour")
    round_.discussion_enabled = False
    with pytest.raises(NotAllowed):
        services.add_comment(author, round_, "Bonjour")

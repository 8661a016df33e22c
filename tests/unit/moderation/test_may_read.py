"""`may_read` and its twins: the SQL condition of the discussion and `readable` for lists
give the same answer as the rule, for every state and every reader."""

import pytest
from flask_login import AnonymousUserMixin

from app import db
from app.accounts.models import Organisation, Role
from app.consultations import services as consultations
from app.consultations.models import Comment
from app.core.errors import NotFound
from app.core.permissions import can
from app.moderation import services as moderation
from app.moderation.models import ModerationStatus
from app.trainings import services as trainings
from app.trainings.models import MissionFeedback
from tests.factories import make_person
from tests.moderation_factories import ROLES, comment_scene, feedback_scene, set_state

pytestmark = pytest.mark.usefixtures("ctx")


@pytest.mark.parametrize("state", list(ModerationStatus), ids=lambda s: s.value)
def test_the_discussion_shows_exactly_the_messages_may_read_allows(state):
    scene = comment_scene(f"sql-{state.value}")
    comment = scene.content
    other = consultations.add_comment(scene.people["reader"], comment.round, "Le tram aussi.")
    set_state(comment, state)
    disagree = []
    for role in ROLES:
        actor = scene.people[role] or AnonymousUserMixin()
        listed = consultations.visible_comments(actor, comment.round)
        rule = moderation.may_read(actor, comment)
        if (comment in listed) != rule:
            disagree.append(f"{role}: listed {comment in listed}, may_read {rule}")
        if not can(actor, "consultations.view", comment.round) and listed:
            disagree.append(f"{role}: sees messages of a round they may not see")
        if moderation.readable(actor, [other, comment]) != [
            c for c in (other, comment) if moderation.may_read(actor, c)
        ]:
            disagree.append(f"{role}: readable() and may_read() disagree")
    assert not disagree, "\n".join(disagree)


def test_a_hidden_message_stays_readable_by_its_author_only_among_participants():
    scene = comment_scene("hidden-author")
    set_state(scene.content, ModerationStatus.HIDDEN)
    assert moderation.may_read(scene.people["author"], scene.content)
    assert not moderation.may_read(scene.people["reader"], scene.content)
    assert moderation.my_items(scene.people["author"])[0][1] is scene.content


def test_each_co_training_side_reads_its_own_held_word_not_the_other_sides():
    scene = feedback_scene("sides")
    co_trainer_word = scene.content
    set_state(co_trainer_word, ModerationStatus.HELD)
    staff, co_trainer = scene.people["reader"], scene.people["author"]
    institute = db.session.get(Organisation, co_trainer_word.organisation_id)
    colleague = make_person((institute, Role.INSTITUTE_STAFF))
    institute_word = trainings.give_feedback(
        staff, co_trainer_word.signup, "yes", "Une aide pour le groupe."
    )
    set_state(institute_word, ModerationStatus.HELD)
    assert moderation.may_read(scene.people["facilitator"], co_trainer_word)
    assert not moderation.may_read(staff, co_trainer_word)
    assert moderation.may_read(colleague, institute_word)
    assert not moderation.may_read(co_trainer, institute_word)


def test_a_type_that_names_a_referent_has_no_sql_twin():
    scene = feedback_scene("twin")
    with pytest.raises(TypeError):
        moderation.readable_filter(scene.people["reader"], MissionFeedback, 1)
    assert moderation.readable_filter(scene.people["reader"], Comment, 1) is not None


def test_an_author_who_left_the_round_no_longer_finds_the_message_in_my_messages():
    scene = comment_scene("left")
    author, comment = scene.people["author"], scene.content
    set_state(comment, ModerationStatus.HIDDEN)
    item = moderation.item_for(comment)
    assert moderation.load_own_item(author, item.id) is item
    for invitation in [i for i in comment.round.invitations if i.person_id == author.id]:
        db.session.delete(invitation)
    db.session.flush()
    assert moderation.my_items(author) == []
    with pytest.raises(NotFound):
        moderation.load_own_item(author, item.id)

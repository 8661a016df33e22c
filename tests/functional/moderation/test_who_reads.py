"""Who reads a moderated text: every registered content type, in every moderation state, for
every kind of reader. `moderation.may_read` is the one rule; the report page, the space's
pages and the rule must agree. A new content type without a scene in
tests/moderation_factories.py makes this test fail."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin

from app import db
from app.accounts.models import Person
from app.moderation import registry
from app.moderation import services as moderation
from app.moderation.models import ModerationStatus
from tests.conftest import csrf_from, login
from tests.factories import PASSWORD
from tests.moderation_factories import ALWAYS, NEVER, ROLES, SCENES, set_state


def _should_read(rule: str, state: ModerationStatus) -> bool:
    return rule == ALWAYS or (rule != NEVER and state.public)


def _build(app, state: ModerationStatus) -> dict:
    """One scene per content type, its text put in `state`; plain values only."""
    with app.test_request_context("/"):
        types = registry.keys()
        missing = sorted(set(types) - set(SCENES))
        assert not missing, f"no scene in tests/moderation_factories.py for: {missing}"
        built = {}
        for key in types:
            scene = SCENES[key](f"{key[:5]}-{state.value}")
            set_state(scene.content, state)
            built[key] = {
                "model": type(scene.content),
                "id": scene.content.id,
                "text": scene.text,
                "pages": scene.pages,
                "people": {r: (p.id, p.email) if p else None for r, p in scene.people.items()},
                "expected": scene.expected,
            }
        db.session.commit()
    return built


@pytest.mark.parametrize("state", list(ModerationStatus), ids=lambda s: s.value)
def test_a_moderated_text_is_read_only_by_those_allowed(app, state):
    built = _build(app, state)
    wrong: list[str] = []
    for key, scene in built.items():
        for role in ROLES:
            should = _should_read(scene["expected"][role], state)
            person = scene["people"][role]
            where = f"{key} {state.value} {role}"

            client = app.test_client()
            if person is not None:
                login(client, person[1], PASSWORD)
            report = client.get(f"/moderation/report/{key}/{scene['id']}")
            shown = scene["text"] in report.get_data(as_text=True)
            if should and (report.status_code != 200 or not shown):
                wrong.append(f"{where}: report page {report.status_code}, should show the text")
            if not should and (shown or report.status_code == 200):
                wrong.append(f"{where}: report page {report.status_code}, should be refused")
            if person is not None and not should and report.status_code != 404:
                wrong.append(f"{where}: report page {report.status_code}, should be 404")

            on_pages = [
                url for url in scene["pages"] if scene["text"] in client.get(url).get_data(True)
            ]
            if should and not on_pages:
                wrong.append(f"{where}: the text is on none of {scene['pages']}")
            if not should and on_pages:
                wrong.append(f"{where}: the text is on {on_pages}")

            with app.test_request_context("/"):
                content = db.session.get(scene["model"], scene["id"])
                actor = (
                    db.session.get(Person, person[0])
                    if person is not None
                    else AnonymousUserMixin()
                )
                if moderation.may_read(actor, content) != should:
                    wrong.append(f"{where}: may_read says {not should}")
    assert not wrong, "\n".join(wrong)


def test_reporting_a_text_one_cannot_read_is_refused_without_a_trace(app):
    built = _build(app, ModerationStatus.HELD)
    scene = built["consultation_comment"]
    client = app.test_client()
    login(client, scene["people"]["reader"][1], PASSWORD)
    url = f"/moderation/report/consultation_comment/{scene['id']}"
    token = csrf_from(client.get(scene["pages"][0]).get_data(as_text=True))
    sent = client.post(url, data={"csrf_token": token, "reason": "rude", "comment": "Vu"})
    assert sent.status_code == 404
    with app.test_request_context("/"):
        content = db.session.get(scene["model"], scene["id"])
        item = moderation.item_for(content)
        assert item is not None and item.reports == []

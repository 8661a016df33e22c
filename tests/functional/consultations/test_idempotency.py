"""A sent answer form counts once: the same POST again (same idempotency key) after it was
saved gives the same redirect and saves nothing more; a key of another person is not
honoured; a form without a key (a page opened before keys existed) works as before."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from app import db
from app.consultations.models import Answer, Response
from app.core.models import AuditEntry, IdempotencyKey
from tests.conftest import csrf_from, login
from tests.factories import PASSWORD
from tests.functional.consultations import test_answering
from tests.functional.consultations.test_answering import _fill_all, _response_id, _start

world = test_answering.world  # the same fixture: an open round of 6 questions, 2 invited

KEY_RE = re.compile(r'name="idempotency_key" value="([^"]+)"')


def _form(client, url: str) -> dict[str, str]:
    """The hidden fields of the page's answer form: CSRF token and idempotency key."""
    page = client.get(url).get_data(as_text=True)
    match = KEY_RE.search(page)
    assert match, "no idempotency key in the page"
    return {"csrf_token": csrf_from(page), "idempotency_key": match.group(1)}


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_each_rendering_of_a_question_page_carries_a_new_key(client, world):
    login(client, "p0@a.test", PASSWORD)
    url = _start(client, world)
    assert _form(client, url)["idempotency_key"] != _form(client, url)["idempotency_key"]


def test_an_answer_sent_twice_with_its_key_is_saved_once_and_redirects_the_same(client, world, app):
    login(client, "p0@a.test", PASSWORD)
    url = _start(client, world)
    response_id = _response_id(url)
    data = {
        **_form(client, url),
        "action": "next",
        "answer": world["questions"]["single"]["choices"][1],
    }
    first = client.post(url, data=data)
    assert first.status_code == 303
    again = client.post(url, data=data)
    assert again.status_code == 303
    assert again.headers["Location"] == first.headers["Location"]
    assert _count(app, Answer, Answer.response_id == response_id) == 1
    assert _count(app, IdempotencyKey) == 1


def test_the_same_key_with_another_answer_is_saved(client, world, app):
    """The browser's back button may show the old page (old key): a changed answer counts."""
    login(client, "p0@a.test", PASSWORD)
    url = _start(client, world)
    response_id = _response_id(url)
    choices = world["questions"]["single"]["choices"]
    form = _form(client, url)
    assert (
        client.post(url, data={**form, "action": "next", "answer": choices[0]}).status_code == 303
    )
    assert (
        client.post(url, data={**form, "action": "next", "answer": choices[1]}).status_code == 303
    )
    with app.app_context():
        answer = db.session.scalar(select(Answer).where(Answer.response_id == response_id))
        assert [s.choice_id for s in answer.selections] == [choices[1]]


def test_sending_twice_with_the_key_gives_the_thank_you_redirect_again_and_sends_once(
    client, world, app
):
    login(client, "p0@a.test", PASSWORD)
    response_id = _response_id(_start(client, world))
    _fill_all(client, world, response_id)
    data = _form(client, f"/consultations/responses/{response_id}/review")
    submit_url = f"/consultations/responses/{response_id}/submit"
    first = client.post(submit_url, data=data)
    assert first.status_code == 303
    assert first.headers["Location"].endswith(f"/responses/{response_id}/done")
    with app.app_context():
        sent_at = db.session.get(Response, response_id).submitted_at
    again = client.post(submit_url, data=data)
    assert again.status_code == 303
    assert again.headers["Location"] == first.headers["Location"]
    with app.app_context():
        assert db.session.get(Response, response_id).submitted_at == sent_at
    sent = AuditEntry.action == "consultation.response_sent"
    assert _count(app, AuditEntry, sent, AuditEntry.object_id == response_id) == 1
    # without the key, a sent response stays closed, as before
    assert client.post(submit_url, data={"csrf_token": data["csrf_token"]}).status_code == 404


def test_a_key_of_another_person_is_not_honoured(app, world):
    first, second = app.test_client(), app.test_client()
    login(first, "p0@a.test", PASSWORD)
    login(second, "p1@a.test", PASSWORD)
    url0, url1 = _start(first, world), _start(second, world)
    answer = world["questions"]["single"]["choices"][0]
    data0 = {**_form(first, url0), "action": "next", "answer": answer}
    assert first.post(url0, data=data0).status_code == 303
    # The other person sends their own page with the first person's key.
    data1 = {**_form(second, url1), "action": "next", "answer": answer}
    data1["idempotency_key"] = data0["idempotency_key"]
    sent = second.post(url1, data=data1)
    assert sent.status_code == 303
    assert f"/responses/{_response_id(url1)}/" in sent.headers["Location"]
    assert _count(app, Answer, Answer.response_id == _response_id(url1)) == 1
    # ...and replaying the first person's POST on their response still finds nothing new
    assert second.post(url0, data=data1).status_code == 404
    assert _count(app, IdempotencyKey) == 1


def test_a_form_without_key_still_works(client, world, app):
    login(client, "p0@a.test", PASSWORD)
    url = _start(client, world)
    token = csrf_from(client.get(url).get_data(as_text=True))
    data = {
        "csrf_token": token,
        "action": "next",
        "answer": world["questions"]["single"]["choices"][0],
    }
    assert client.post(url, data=data).status_code == 303
    assert client.post(url, data=data).status_code == 303
    assert _count(app, Answer, Answer.response_id == _response_id(url)) == 1
    assert _count(app, IdempotencyKey) == 0


def test_an_error_saves_no_key_and_the_corrected_form_is_saved(client, world, app):
    login(client, "p0@a.test", PASSWORD)
    url = _start(client, world)
    form = _form(client, url)
    refused = client.post(url, data={**form, "action": "next"})
    assert refused.status_code == 400
    assert _count(app, IdempotencyKey) == 0
    answer = world["questions"]["single"]["choices"][0]
    assert client.post(url, data={**form, "action": "next", "answer": answer}).status_code == 303
    assert _count(app, Answer, Answer.response_id == _response_id(url)) == 1

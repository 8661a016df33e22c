"""Double and concurrent requests, for real: the same POST from two threads at the same moment,
or sent again after the first was committed (a double click, two tabs, a browser that sends a
form again after a lost connection).

Use it on an app with a database of its own (`app_on_own_database` in tests/conftest.py):
each thread's request commits on its own connection, as in production.

    clients = logged_in(app, "paul@e.test")              # two clients, one login session
    fields = form_fields(clients[0], "/co-training/mine", url)   # CSRF token and form key
    first, second = twice_at_once(clients, url, fields)  # both at the same moment
    first, second = replayed(clients[0], url, fields)    # one after the other

For services called directly (two staff members, two tabs with two different keys, two runs
of a job): `services_at_once(app, work)` runs `work(i)` for i = 0, 1 in two threads released
together, each in its own request context, commits each, and gives back the sorted outcomes
('done' or the DomainError's class name). `at_once(n, work)` is the bare version. Waits come
from WAIT.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import WAIT, login
from tests.factories import PASSWORD

_FORM = re.compile(r'<form action="([^"]*)"[^>]*>(.*?)</form>', re.S)
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def logged_in(app: Flask, identifier: str, secret: str = PASSWORD, n: int = 2) -> list[FlaskClient]:
    """n test clients sharing one login (the same session cookie), like two tabs."""
    first = app.test_client()
    login(first, identifier, secret)
    clients = [first] + [app.test_client() for _ in range(n - 1)]
    _share_cookies(clients)
    return clients


def _share_cookies(clients: list[FlaskClient]) -> None:
    """The others get the first client's cookies as they are now (the session cookie holds
    the CSRF token of the page it last opened)."""
    app = clients[0].application
    names = (app.config["SESSION_COOKIE_NAME"], app.config.get("LOGIN_DEVICE_COOKIE", ""))
    cookies = [c for c in (clients[0].get_cookie(name) for name in names if name) if c]
    assert cookies, "no session cookie after logging in"
    for other in clients[1:]:
        for cookie in cookies:
            other.set_cookie(cookie.key, cookie.value, domain=cookie.domain or "localhost")


def form_fields(client: FlaskClient, page: str, action: str) -> dict[str, str]:
    """The hidden fields (CSRF token, idempotency key...) of the form on `page` that posts to
    `action`, as the browser would send them."""
    response = client.get(page)
    assert response.status_code == 200, (page, response.status_code)
    for found_action, body in _FORM.findall(response.get_data(as_text=True)):
        if html.unescape(found_action) == action:
            return {name: html.unescape(value) for name, value in _HIDDEN.findall(body)}
    raise AssertionError(f"no form posting to {action} on {page}")


def at_once(n: int, work: Callable[[int], Any]) -> list[Any]:
    """Run work(0) ... work(n-1) in n threads released at the same moment; their results in
    order (an exception raised by work is returned in its place)."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=WAIT)
            results[i] = work(i)
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=WAIT)
        assert not thread.is_alive(), "a request is still running after WAIT seconds"
    return results


def services_at_once(app: Flask, work: Callable[[int], Any], n: int = 2) -> list[str]:
    """work(i) in n threads at once, each in its own request context and transaction,
    committed when it returns; sorted outcomes: 'done' or the DomainError's class name."""
    from app import db
    from app.core.errors import DomainError

    def run(i: int) -> str:
        with app.test_request_context("/"):
            try:
                work(i)
                db.session.commit()
                return "done"
            except DomainError as exc:
                db.session.rollback()
                return type(exc).__name__

    outcomes = at_once(n, run)
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
    return sorted(outcomes)


def twice_at_once(
    clients: list[FlaskClient], url: str, data: dict[str, Any], **kwargs: Any
) -> list[Any]:
    """The same POST (same fields, same key) from two clients at the same moment. `data` may
    hold files as (bytes, filename): each thread gets its own stream."""

    _share_cookies(clients)

    def post(i: int) -> Any:
        return clients[i].post(url, data=_fresh(data), **kwargs)

    responses = at_once(2, post)
    for response in responses:
        if isinstance(response, BaseException):
            raise response
    return responses


def replayed(client: FlaskClient, url: str, data: dict[str, Any], **kwargs: Any) -> list[Any]:
    """The same POST sent twice, the second once the first has been answered."""
    return [client.post(url, data=_fresh(data), **kwargs) for _ in range(2)]


def _fresh(data: dict[str, Any]) -> dict[str, Any]:
    import io

    return {
        name: (io.BytesIO(value[0]), value[1]) if isinstance(value, tuple) else value
        for name, value in data.items()
    }


# The three ways a person sends one form twice.
SENDINGS = ("at the same moment", "again after the answer", "from two tabs")


def send_twice(
    app: Flask, how: str, identifier: str, page: str, url: str, extra: dict | None = None
) -> list[Any]:
    """The form on `page` that posts to `url`, sent twice by `identifier` as `how` says: the
    same copy from two threads at once, the same copy again after the answer, or from two
    tabs that each opened the page (each its own key) and send at the same moment."""
    clients = logged_in(app, identifier)
    fields = {**form_fields(clients[0], page, url), **(extra or {})}
    assert fields.get("idempotency_key"), "the form carries no key"
    if how == "at the same moment":
        return list(twice_at_once(clients, url, fields))
    if how == "again after the answer":
        return list(replayed(clients[0], url, fields))
    tabs = [fields, {**form_fields(clients[1], page, url), **(extra or {})}]
    assert tabs[0]["idempotency_key"] != tabs[1]["idempotency_key"]
    responses = at_once(2, lambda i: clients[i].post(url, data=tabs[i]))
    for response in responses:
        if isinstance(response, BaseException):
            raise response
    return responses

"""The home page's "For you now" is filled by the domains through core's registry
(app/core/home.py): adding an item is one provider and one template snippet."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

import pytest
from jinja2 import ChoiceLoader, DictLoader

from app import db
from app.accounts.models import Role
from tests.conftest import login
from tests.factories import PASSWORD, make_org, make_person

SNIPPETS = {
    "test_home/_notice.html": (
        '<section class="test-notice" aria-labelledby="test-notice">'
        '<h2 id="test-notice">Notice</h2><p>{{ section.data }}</p></section>'
    ),
    "test_home/_item.html": "<li>{{ section.data }}</li>",
    "test_home/_nothing.html": "<li>NOTHING TO SHOW</li>",
}


@pytest.fixture
def home(app, monkeypatch) -> Iterator[ModuleType]:
    """Core's registry with the domains' sections, plus what a test adds (forgotten after)."""
    from app.core import home

    monkeypatch.setattr(home, "_sections", dict(home._sections))
    loader = app.jinja_env.loader
    app.jinja_env.loader = ChoiceLoader([DictLoader(SNIPPETS), loader])
    yield home
    app.jinja_env.loader = loader


@pytest.fixture
def person_client(app, client):
    with app.app_context():
        make_person((make_org(), Role.PARTICIPANT), email="home@example.test", name="Inès")
        db.session.commit()
    login(client, "home@example.test", PASSWORD)
    return client


def test_home_shows_registered_items_in_order_and_skips_empty_ones(home, person_client):
    home.register_home_section(
        "second", 90, lambda actor: "Second thing waiting", "test_home/_item.html"
    )
    home.register_home_section(
        "first", 5, lambda actor: f"First thing for {actor.display_name}", "test_home/_item.html"
    )
    home.register_home_section("empty", 1, lambda actor: None, "test_home/_nothing.html")
    home.register_home_section("empty list", 2, lambda actor: [], "test_home/_nothing.html")
    home.register_home_section(
        "notice", 50, lambda actor: "A whole section", "test_home/_notice.html", place="own_section"
    )

    html = person_client.get("/").get_data(as_text=True)

    assert "NOTHING TO SHOW" not in html
    first = html.index("<li>First thing for Inès</li>")
    second = html.index("<li>Second thing waiting</li>")
    news = html.index('id="news-title"')  # the "For you now" list holds both items
    notice = html.index('<section class="test-notice"')  # a whole section comes above it
    assert notice < news < first < second


def test_home_has_no_for_you_now_list_when_nothing_waits(home, person_client):
    home.register_home_section("empty", 1, lambda actor: None, "test_home/_nothing.html")

    html = person_client.get("/").get_data(as_text=True)

    assert 'id="news-title"' not in html and "NOTHING TO SHOW" not in html
    assert "Inès" in html


def test_registering_a_section_again_replaces_it(home, person_client):
    """`create_app` runs once per process in production, many times in the tests: a
    section registered again under its name is shown once, with the newest provider."""
    home.register_home_section("again", 10, lambda actor: "old", "test_home/_item.html")
    home.register_home_section("again", 10, lambda actor: "new", "test_home/_item.html")

    html = person_client.get("/").get_data(as_text=True)

    assert html.count("<li>new</li>") == 1 and "<li>old</li>" not in html


def test_unknown_place_is_refused(home):
    with pytest.raises(ValueError, match="place"):
        home.register_home_section("x", 1, lambda actor: 1, "test_home/_item.html", place="footer")

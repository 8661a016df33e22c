from app import db
from app.accounts.models import Role
from tests.conftest import csrf_from, login, post_form
from tests.factories import PASSWORD, make_org, make_person


def test_security_headers_on_every_response(client):
    for url in ["/", "/login", "/does-not-exist", "/static/css/parole.css"]:
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert (
            "object-src 'none'" in csp
            and "frame-ancestors 'none'" in csp
            and "base-uri 'none'" in csp
        )
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"]


def test_templates_have_no_inline_script_or_style(app):
    from pathlib import Path

    for path in Path(app.template_folder).rglob("*.html"):
        text = path.read_text()
        assert "<script>" not in text and "<style" not in text and " style=" not in text, path
        assert " onclick=" not in text and "javascript:" not in text, path


def test_404_is_plain_french(client):
    response = client.get("/nothing-here")
    assert response.status_code == 404
    assert "Cette page n" in response.get_data(as_text=True)


def test_500_shows_no_traceback(database_url):
    from app import create_app
    from config import TestConfig

    fresh = create_app(TestConfig, DATABASE_URL=database_url)

    @fresh.route("/__boom")
    def boom():
        raise RuntimeError("secret internals")

    response = fresh.test_client().get("/__boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret internals" not in html and "Traceback" not in html


def test_visitor_preferences_stored_in_cookies(client):
    response = post_form(
        client, "/preferences", {"language": "en", "display": ["easy_read", "high_contrast"]}
    )
    assert response.status_code == 303
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert 'class="easy-read high-contrast"' in html


def test_person_preferences_follow_the_account(app, client):
    with app.app_context():
        make_person((make_org(), Role.PARTICIPANT), email="pref@example.test")
        db.session.commit()
    login(client, "pref@example.test", PASSWORD)
    post_form(client, "/preferences", {"language": "en", "display": ["easy_read"]})
    other = app.test_client()
    login(other, "pref@example.test", PASSWORD)
    html = other.get("/").get_data(as_text=True)
    assert '<html lang="en">' in html and "easy-read" in html


def test_language_button_switches_and_returns(client):
    page = client.get("/accessibility")
    response = client.post(
        "/language/en",
        data={"csrf_token": csrf_from(page.get_data(as_text=True)), "next": "/accessibility?"},
    )
    assert response.headers["Location"].rstrip("?") == "/accessibility"
    assert "Accessibility" in client.get("/accessibility").get_data(as_text=True)


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_easy_read_switch_in_the_footer_toggles(client):
    page = client.get("/accessibility")
    token = csrf_from(page.get_data(as_text=True))
    client.post("/display/easy-read", data={"csrf_token": token, "next": "/accessibility"})
    assert 'class="easy-read ' in client.get("/").get_data(as_text=True)
    client.post("/display/easy-read", data={"csrf_token": token, "next": "/"})
    assert "easy-read" not in client.get("/").get_data(as_text=True).split("<body")[1][:40]

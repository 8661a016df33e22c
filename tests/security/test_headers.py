"""Security headers, response by response. The watch (tests/security/watch.py) checks every
response of the whole run; these tests make sure each kind of response is really produced
and looked at: a page, the errors (404, 405, 500), a static file, a redirect, downloads."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet
from flask import Flask

from app import db
from app.accounts.models import Role
from app.db import utcnow
from config import ProductionConfig, TestConfig
from tests import figures
from tests.conftest import login
from tests.factories import PASSWORD, make_org, make_person
from tests.security.watch import build_app, close_app, header_problems


class ProductionLike(ProductionConfig):
    SECRET_KEY = "production-like-secret-key-for-the-header-tests"
    DATA_KEY = Fernet.generate_key().decode()
    PUBLIC_URL = "https://parole.example"
    TRUSTED_HOSTS = ["parole.example"]


def assert_headers(response) -> None:  # noqa: ANN001
    assert header_problems(response.headers.items()) == [], (
        response.status_code,
        dict(response.headers),
    )
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]
    figures.add("headers: response kinds checked one by one")


@pytest.fixture
def person(app: Flask):
    with app.app_context():
        org = make_org()
        who = make_person((org, Role.FINANCE), email="headers@example.test")
        db.session.commit()
        return {"org": org.id, "id": who.id}


@pytest.fixture
def boom_app() -> Iterator[Flask]:
    """A fresh test app with one route that fails, to see a real 500."""
    fresh = build_app(TestConfig)

    @fresh.route("/__test__/boom", methods=["GET", "POST"])
    def boom() -> str:
        raise RuntimeError("boom for the header test")

    yield fresh
    close_app(fresh)


def test_watch_spots_each_missing_or_weak_header():
    good = [
        ("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
    ]
    assert header_problems(good) == []
    assert header_problems([]) == [
        "Content-Security-Policy missing",
        "X-Content-Type-Options missing",
        "Referrer-Policy missing",
    ]
    weak = [
        ("Content-Security-Policy", "script-src 'self' 'unsafe-inline' 'unsafe-eval'"),
        ("X-Content-Type-Options", "sniff"),
        ("Referrer-Policy", ""),
    ]
    assert header_problems(weak) == [
        "CSP allows 'unsafe-inline'",
        "CSP allows 'unsafe-eval'",
        "CSP without frame-ancestors 'none'",
        "X-Content-Type-Options is 'sniff'",
        "Referrer-Policy missing",
    ]
    framed = [("Content-Security-Policy", "frame-ancestors 'self'"), *good[1:]]
    assert header_problems(framed) == ["CSP without frame-ancestors 'none'"]


def test_page(client):
    response = client.get("/login")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert_headers(response)


def test_logged_in_page(client, person):
    login(client, "headers@example.test", PASSWORD)
    response = client.get("/account")
    assert response.status_code == 200
    assert_headers(response)


def test_not_found(client):
    response = client.get("/this/page/does/not/exist")
    assert response.status_code == 404
    assert_headers(response)


def test_method_not_allowed(client):
    response = client.get("/logout")
    assert response.status_code == 405
    assert_headers(response)


def test_csrf_refusal(client):
    response = client.post("/login", data={"identifier": "x", "secret": "y"})
    assert response.status_code == 400
    assert_headers(response)


def test_server_error(boom_app):
    response = boom_app.test_client().get("/__test__/boom")
    assert response.status_code == 500
    assert "boom for the header test" not in response.get_data(as_text=True)
    assert_headers(response)


def test_static_file(client):
    response = client.get("/static/css/parole.css")
    assert response.status_code == 200 and response.mimetype == "text/css"
    assert_headers(response)
    response.close()


def test_static_svg_cannot_run_scripts(client):
    response = client.get("/static/img/logo.svg")
    assert response.status_code == 200
    assert_headers(response)
    response.close()


def test_redirect(client):
    response = client.get("/account")
    assert response.status_code in (302, 303)
    assert_headers(response)


def test_head_and_options(client):
    for response in (client.head("/login"), client.options("/login")):
        assert response.status_code == 200
        assert_headers(response)


def test_csv_download(client, person):
    login(client, "headers@example.test", PASSWORD)
    response = client.get(f"/expenses/organisations/{person['org']}/accounting")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert_headers(response)


def test_pdf_download(client, person):
    login(client, "headers@example.test", PASSWORD)
    response = client.get(f"/expenses/statement/{utcnow().year}.pdf")
    assert response.status_code == 200 and response.data[:5] == b"%PDF-"
    assert_headers(response)


def test_hsts_only_with_the_production_flag(client):
    assert TestConfig.HSTS is False and ProductionConfig.HSTS is True
    assert "Strict-Transport-Security" not in client.get("/login").headers
    production = build_app(ProductionLike)
    try:
        response = production.test_client().get("/login", base_url="https://parole.example")
        assert response.status_code == 200
        hsts = response.headers["Strict-Transport-Security"]
        assert "max-age=" in hsts
        assert int(hsts.split("max-age=")[1].split(";")[0]) >= 180 * 24 * 3600
        assert_headers(response)
        off = build_app(ProductionLike, HSTS=False)
        try:
            assert "Strict-Transport-Security" not in off.test_client().get("/login").headers
        finally:
            close_app(off)
    finally:
        close_app(production)

"""Absolute links come from PUBLIC_URL, never from the Host header a request claims."""

import pytest
from sqlalchemy import select

from app import create_app, db
from app.accounts.models import Role
from app.consultations.models import ConsultationRound
from app.core.models import OutboxMessage
from tests.conftest import login, post_form
from tests.consultation_factories import make_round, open_round
from tests.factories import PASSWORD, make_org, make_person

FORGED = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}


@pytest.fixture
def discussion(app):
    with app.app_context():
        org = make_org("CRPA Liens")
        facilitator = make_person((org, Role.FACILITATOR), email="fac@liens.test")
        make_person((org, Role.ADMIN), email="admin@liens.test")
        author = make_person((org, Role.PARTICIPANT), email="p@liens.test")
        round_, _ = make_round(org, facilitator)
        round_.discussion_enabled = True
        open_round(round_, facilitator, [author])
        db.session.commit()
        return round_.id


def test_distress_alert_links_to_public_url_when_host_is_forged(app, client, discussion):
    assert app.config["TRUSTED_HOSTS"] is None  # the test client's Host reaches the link code
    public = "https://parole.example.org"
    app.config["PUBLIC_URL"], old = public, app.config["PUBLIC_URL"]
    # every request of this visitor claims another host (the session cookie follows it)
    client.environ_base.update(HTTP_HOST="evil.example", HTTP_X_FORWARDED_HOST="evil.example")
    try:
        login(client, "p@liens.test", PASSWORD)
        base = f"/consultations/{discussion}"
        response = post_form(
            client,
            f"{base}/comments",
            {"question_id": 0, "body": "Je n'en peux plus, je veux en finir."},
            get_url=base,
        )
        assert response.status_code == 303, response.get_data(as_text=True)[:3000]
        with app.app_context():
            mails = db.session.scalars(
                select(OutboxMessage).where(OutboxMessage.subject.startswith("[URGENT]"))
            ).all()
            assert {m.to_address for m in mails} == {"fac@liens.test", "admin@liens.test"}
            for mail in mails:
                assert f"{public}/moderation/items/" in mail.body_text
                assert "evil.example" not in mail.body_text
            assert db.session.get(ConsultationRound, discussion) is not None
    finally:
        app.config["PUBLIC_URL"] = old


def test_production_answers_400_to_a_forged_host(monkeypatch):
    from config import ProductionConfig, trusted_hosts

    public = "https://parole.example.org"
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "y" * 40)
    monkeypatch.setattr(ProductionConfig, "DATA_KEY", "k" * 44)
    monkeypatch.setattr(ProductionConfig, "PUBLIC_URL", public)
    monkeypatch.setattr(ProductionConfig, "TRUSTED_HOSTS", trusted_hosts(public))
    app = create_app(ProductionConfig, DATABASE_URL="sqlite://")
    client = app.test_client()
    assert client.get("/accessibility", base_url=public).status_code == 200
    assert client.get("/accessibility", base_url="https://evil.example").status_code == 400
    assert client.get("/accessibility", base_url=public, headers=FORGED).status_code == 400


def test_production_refuses_to_start_without_an_https_public_url(monkeypatch):
    from config import ConfigError, ProductionConfig, trusted_hosts

    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "y" * 40)
    monkeypatch.setattr(ProductionConfig, "DATA_KEY", "k" * 44)
    for url in ("", "http://parole.example.org", "https://"):
        monkeypatch.setattr(ProductionConfig, "PUBLIC_URL", url)
        monkeypatch.setattr(ProductionConfig, "TRUSTED_HOSTS", trusted_hosts(url))
        with pytest.raises(ConfigError, match="PUBLIC_URL"):
            ProductionConfig.check()


def test_login_card_and_its_qr_code_point_to_public_url_when_host_is_forged(app, client):
    import io
    import re
    from html import unescape

    import segno

    with app.app_context():
        org = make_org("CRPA Carte")
        make_person((org, Role.FACILITATOR), email="fac@carte.test")
        db.session.commit()
        org_id = org.id
    public = "https://parole.example.org"
    app.config["PUBLIC_URL"], old = public, app.config["PUBLIC_URL"]
    client.environ_base.update(HTTP_HOST="evil.example", HTTP_X_FORWARDED_HOST="evil.example")
    try:
        login(client, "fac@carte.test", PASSWORD)
        response = post_form(
            client,
            "/participants/new",
            {"organisation_id": org_id, "display_name": "Lucie", "consent_note": "Accord oral."},
        )
        html = unescape(response.get_data(as_text=True))
        assert response.status_code == 200
        assert f"{public}/login" in html and "evil.example" not in html
        identifier = re.search(r'class="big-code">([A-Z]{4}-\d{2})<', html).group(1)
        qr = re.search(r'src="(/participants/\d+/login-qr.svg)"', html).group(1)
        expected = io.BytesIO()
        segno.make(f"{public}/login?identifier={identifier}", error="m").save(
            expected, kind="svg", scale=6, title="QR"
        )
        assert client.get(qr).data == expected.getvalue()
    finally:
        app.config["PUBLIC_URL"] = old

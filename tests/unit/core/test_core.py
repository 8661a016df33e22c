import pytest

from app.accounts.models import Role
from app.core.errors import DomainError, NotAllowed
from app.core.permissions import can, registered_actions
from app.core.provenance import assisted_entry
from app.core.sanitize import clean_html
from tests.factories import make_org, make_person


def test_sanitize_removes_scripts_styles_and_event_handlers():
    dirty = '<p onclick="x()">Bonjour <script>alert(1)</script><a href="javascript:x">lien</a><style>p{}</style></p>'
    clean = str(clean_html(dirty))
    assert "<script" not in clean and "onclick" not in clean and "javascript:" not in clean
    assert "<style" not in clean
    assert clean.startswith("<p>Bonjour")
    # what the script and the style held does not become text on the page either
    assert "alert(1)" not in clean and "p{}" not in clean
    assert str(clean_html("<p>a</p><SCRIPT src=x>unclosed")) == "<p>a</p>"


def test_sanitize_keeps_simple_structure():
    assert (
        str(clean_html("<ul><li><strong>Oui</strong></li></ul>"))
        == "<ul><li><strong>Oui</strong></li></ul>"
    )


@pytest.mark.usefixtures("ctx")
def test_unknown_action_and_anonymous_are_denied():
    person = make_person(admin=True)
    assert not can(person, "no.such.action")
    assert not can(None, "admin.access")
    assert can(person, "admin.access")
    person.is_active = False
    assert not can(person, "admin.access")


def test_every_rule_has_a_name_with_a_domain():
    assert all("." in action for action in registered_actions())


@pytest.mark.usefixtures("ctx")
def test_assisted_entry_needs_permission_and_consent():
    org, other = make_org(), make_org()
    facilitator = make_person((org, Role.FACILITATOR))
    person = make_person((org, Role.PARTICIPANT))
    stranger = make_person((other, Role.PARTICIPANT))
    provenance = assisted_entry(facilitator, person, "Elle me l'a demandé au téléphone.")
    assert provenance.is_assisted and provenance.entered_by == facilitator
    with pytest.raises(DomainError):
        assisted_entry(facilitator, person, "")
    with pytest.raises(NotAllowed):
        assisted_entry(facilitator, stranger, "accord écrit")
    assert not assisted_entry(person, person, None).is_assisted


def test_production_refuses_weak_secret_and_debug(monkeypatch):
    from config import ConfigError, ProductionConfig

    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "short")
    with pytest.raises(ConfigError):
        ProductionConfig.check()
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "x" * 40)
    with pytest.raises(ConfigError):  # bank details need their own key
        ProductionConfig.check()
    monkeypatch.setattr(ProductionConfig, "DATA_KEY", "k" * 44)
    with pytest.raises(ConfigError):  # links in e-mails need the public address
        ProductionConfig.check()
    monkeypatch.setattr(ProductionConfig, "PUBLIC_URL", "https://parole.example.org")
    monkeypatch.setattr(ProductionConfig, "TRUSTED_HOSTS", ["parole.example.org"])
    ProductionConfig.check()
    monkeypatch.setenv("FLASK_DEBUG", "1")
    with pytest.raises(ConfigError):
        ProductionConfig.check()


def test_production_sets_secure_cookies_and_hsts(monkeypatch):
    from app import create_app
    from config import ProductionConfig

    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "y" * 40)
    monkeypatch.setattr(ProductionConfig, "DATA_KEY", "k" * 44)
    monkeypatch.setattr(ProductionConfig, "PUBLIC_URL", "https://parole.example.org")
    monkeypatch.setattr(ProductionConfig, "TRUSTED_HOSTS", ["parole.example.org"])
    app = create_app(ProductionConfig, DATABASE_URL="sqlite://")
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]
    assert app.config["MAX_CONTENT_LENGTH"] > 0
    response = app.test_client().get("/accessibility", base_url="https://parole.example.org")
    assert "max-age" in response.headers["Strict-Transport-Security"]

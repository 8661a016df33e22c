"""Configuration classes, read from the environment.

Pick one with PAROLE_ENV=development|test|production (default: development).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("PAROLE_INSTANCE_DIR", BASE_DIR / "instance"))


class ConfigError(RuntimeError):
    """Raised when a configuration is unsafe to start with."""


class Config:
    ENV_NAME = "base"
    DEBUG = False
    TESTING = False
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'parole.db'}")
    # Uploads (receipts, pictures) are small; refuse anything bigger before reading it.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 10 * 1024 * 1024))

    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Paris"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    LANGUAGES = ("fr", "en")

    SESSION_COOKIE_NAME = "parole_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    HSTS = False

    # Login throttling: after LOGIN_FREE_FAILURES failures, each new failure doubles the
    # wait, starting at LOGIN_BASE_DELAY seconds, capped at LOGIN_MAX_DELAY. Never a lock.
    # These waits count per identifier AND client (the address, or the browser where the
    # person logged in before: the "known device" cookie), so an attacker elsewhere never makes
    # the owner wait. SECURITY.md ("Login") gives the guessing times these numbers allow.
    LOGIN_FREE_FAILURES = 5
    LOGIN_BASE_DELAY = 30
    LOGIN_MAX_DELAY = 15 * 60
    # One client (address or known device) across all identifiers: at most this many failures
    # per window, then it waits until the window ends (stops trying one code on many accounts).
    LOGIN_CLIENT_MAX_FAILURES = 100
    LOGIN_CLIENT_WINDOW = 60 * 60
    # One identifier across all clients: never a lock; after this many failures in the window,
    # a wrong password for it is answered after at least LOGIN_SLOW_ANSWER seconds.
    LOGIN_IDENTIFIER_SLOW_AFTER = 20
    LOGIN_IDENTIFIER_WINDOW = 24 * 60 * 60
    LOGIN_SLOW_ANSWER = 1.0
    # The "known device" cookie, set at each successful login (signed, random id, HttpOnly).
    LOGIN_DEVICE_COOKIE = "parole_device"
    LOGIN_DEVICE_DAYS = 400
    # Reverse proxies in front of Parole that add X-Forwarded-For (0: use the connection's
    # address; 1 behind one nginx). Too high, and anyone can choose the address counted.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", 0))
    # Logins end after this long without use, and a staff role's after this long in all
    # (shared computers in offices). The last use is written at most every few minutes.
    SESSION_IDLE_DAYS = int(os.environ.get("SESSION_IDLE_DAYS", 30))
    SESSION_STAFF_HOURS = int(os.environ.get("SESSION_STAFF_HOURS", 12))
    SESSION_TOUCH_MINUTES = 5
    # Links mailed to a person: an invitation to open an account lasts this many hours, a
    # password reset link this many minutes; each works once (SECURITY.md, "Links by e-mail").
    INVITATION_LINK_HOURS = int(os.environ.get("INVITATION_LINK_HOURS", 48))
    RESET_LINK_MINUTES = 60

    # The address people type to reach Parole. Every absolute link (e-mails, notifications,
    # the QR code of a login card) is built from it, never from the Host a request claims.
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000")
    # Host names a request may carry (Flask answers 400 to any other); None accepts any.
    TRUSTED_HOSTS: list[str] | None = None
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 25))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "0") == "1"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "Parole <ne-pas-repondre@parole.invalid>"
    )
    # Text messages (app/core/sms.py): an HTTP API that takes a JSON POST with a bearer token
    # (most French SMS providers offer one). Without SMS_API_URL, text messages are only
    # written in the log as "sent" (no number, no text): for development.
    SMS_API_URL = os.environ.get("SMS_API_URL", "")
    SMS_API_TOKEN = os.environ.get("SMS_API_TOKEN", "")
    SMS_SENDER = os.environ.get("SMS_SENDER", "Parole")  # 11 letters at most, or a number
    SMS_TIMEOUT = int(os.environ.get("SMS_TIMEOUT", 20))  # seconds
    # Receipts live outside static/, under random names; served only to the owner and reviewers.
    UPLOAD_ROOT = os.environ.get("UPLOAD_ROOT", str(INSTANCE_DIR / "uploads"))
    RECEIPT_MAX_BYTES = int(os.environ.get("RECEIPT_MAX_BYTES", 8 * 1024 * 1024))
    # A photo may declare at most this many pixels (24 Mpx: the biggest phone photos); checked
    # in the file's header before decoding, so a small file cannot tie a worker up.
    RECEIPT_MAX_PIXELS = int(os.environ.get("RECEIPT_MAX_PIXELS", 24_000_000))
    # A PDF receipt is drawn as a picture in a child process (app/expenses/finance_preview.py),
    # ended after this many seconds: the page then offers the file to download instead.
    RECEIPT_PREVIEW_SECONDS = float(os.environ.get("RECEIPT_PREVIEW_SECONDS", 30))
    # At most this many receipts per cost, and this many receipts and bytes sent per person
    # per 24 hours.
    RECEIPT_MAX_PER_LINE = int(os.environ.get("RECEIPT_MAX_PER_LINE", 5))
    RECEIPT_MAX_PER_DAY = int(os.environ.get("RECEIPT_MAX_PER_DAY", 60))
    RECEIPT_MAX_BYTES_PER_DAY = int(os.environ.get("RECEIPT_MAX_BYTES_PER_DAY", 50 * 1024 * 1024))
    # Key for personal data encrypted in the database (IBANs): 32 bytes, URL-safe base64
    # (python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())").
    # Kept apart from the database so that a stolen backup does not give the IBANs away.
    DATA_KEY = os.environ.get("DATA_KEY", "")

    OUTBOX_MAX_ATTEMPTS = 8
    OUTBOX_BASE_BACKOFF = 60  # seconds, doubled at each failed attempt
    # How long a worker's claim on a batch lasts; after that (worker crashed), another worker
    # sends the messages again. A worker stops its batch at half of it and gives the rest back.
    OUTBOX_CLAIM_TIMEOUT = int(os.environ.get("OUTBOX_CLAIM_TIMEOUT", 600))

    # Load the easy-read check's French language model in the background as each worker
    # starts (about 5 s and 260 MB), so that nobody's first check waits for it.
    FALC_MODEL_WARM_UP = True

    @classmethod
    def check(cls) -> None:
        """Refuse unsafe settings. Overridden by production."""


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-secret-key-not-for-production-use")
    SESSION_COOKIE_SECURE = False
    PREFERRED_URL_SCHEME = "http"


class TestConfig(Config):
    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test-secret-key-that-is-long-enough-for-tests"  # noqa: S105
    SESSION_COOKIE_SECURE = False
    PREFERRED_URL_SCHEME = "http"
    DATABASE_URL = os.environ.get("PAROLE_TEST_DATABASE_URL", "sqlite://")
    # Receipts written by tests go to the system's temporary folder, never to instance/.
    UPLOAD_ROOT = os.environ.get(
        "PAROLE_TEST_UPLOAD_ROOT", os.path.join(tempfile.gettempdir(), "parole-test-uploads")
    )
    MAIL_PORT = 0
    LOGIN_SLOW_ANSWER = 0.0  # tests that check the slow answer set it themselves
    FALC_MODEL_WARM_UP = False  # a test process loads it when a test first needs it


def trusted_hosts(public_url: str, extra: str = "") -> list[str]:
    """PUBLIC_URL's host, plus the comma-separated names in `extra` (another name the
    proxy answers to, for example)."""
    from urllib.parse import urlsplit

    hosts = [urlsplit(public_url).hostname or ""] + [h.strip() for h in extra.split(",")]
    return [host for host in dict.fromkeys(hosts) if host]


class ProductionConfig(Config):
    ENV_NAME = "production"
    HSTS = True
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "")
    TRUSTED_HOSTS = trusted_hosts(PUBLIC_URL, os.environ.get("TRUSTED_HOSTS", ""))

    @classmethod
    def check(cls) -> None:
        if os.environ.get("FLASK_DEBUG", "0") not in ("", "0") or cls.DEBUG:
            raise ConfigError("Production refuses to start with DEBUG on.")
        if len(cls.SECRET_KEY) < 32:
            raise ConfigError("Production needs a SECRET_KEY of at least 32 characters.")
        if not cls.DATA_KEY:
            raise ConfigError("Production needs a DATA_KEY to encrypt bank details.")
        # https only: the session cookie is Secure in production, so over http nobody could
        # log in, and links in e-mails would travel in clear.
        if not cls.PUBLIC_URL.startswith("https://") or not trusted_hosts(cls.PUBLIC_URL):
            raise ConfigError(
                "Production needs PUBLIC_URL, the https:// address people use (https://parole.example.org)."
            )
        if not cls.TRUSTED_HOSTS:
            raise ConfigError("Production needs TRUSTED_HOSTS (taken from PUBLIC_URL).")


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def get_config(name: str | None = None) -> type[Config]:
    name = name or os.environ.get("PAROLE_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise ConfigError(
            f"Unknown PAROLE_ENV {name!r}: use one of {', '.join(CONFIGS)}."
        ) from None

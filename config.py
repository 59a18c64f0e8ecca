"""Configuration classes. Every setting can be overridden by an environment variable of the same name."""
from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("COACHING_INSTANCE_DIR", BASE_DIR / "instance"))

DEFAULT_SECRET = "dev-only-not-secret"


def _env(name: str, default):
    raw = os.environ.get(name)
    if raw is None:
        return default
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    if default is None and raw.isdigit():
        return int(raw)  # e.g. WTF_CSRF_TIME_LIMIT, whose default is None
    return raw


class Config:
    SECRET_KEY = DEFAULT_SECRET
    SQLALCHEMY_DATABASE_URI = f"sqlite:///{INSTANCE_DIR / 'coaching.sqlite'}"
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # Public base URL used in emails, calendar files and feeds (no request context in the worker).
    APP_BASE_URL = "http://127.0.0.1:5000"
    # Domain for iCalendar UIDs and Message-IDs; never "localhost" (clients dedupe on it).
    APP_DOMAIN = "coaching.example.org"
    APP_TIMEZONE = "Europe/Berlin"

    BABEL_DEFAULT_LOCALE = "de"
    BABEL_DEFAULT_TIMEZONE = "Europe/Berlin"
    LANGUAGES = ["de", "en", "ar", "fa", "uk", "ru", "tr"]

    MAIL_SERVER = "127.0.0.1"
    MAIL_PORT = 8025
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_DEFAULT_SENDER = "Elternarbeit@Ost <planung@coaching.example.org>"
    MAIL_TIMEOUT = 15.0
    # The mailbox that receives iTIP replies and bounces; must exist in production.
    MAIL_REPLY_ADDRESS = "planung@coaching.example.org"
    # A maildir that receives the reply address's mail (iTIP answers from calendar clients); empty = off.
    MAIL_REPLIES_MAILDIR = ""
    # Where the dev mail catcher keeps what it received (read by the Mailbox page).
    MAIL_CATCHER_DIR = str(INSTANCE_DIR / "mailcatcher")
    MAILBOX_PAGE_ENABLED = True

    OUTBOX_BATCH_SIZE = 50
    OUTBOX_MAX_ATTEMPTS = 8
    OUTBOX_STUCK_AFTER_SECONDS = 600
    OUTBOX_RETENTION_DAYS = 90
    # Retry n waits BASE·2^(n-1) seconds, at most MAX (docs/mail.md has the table).
    OUTBOX_RETRY_BASE_SECONDS = 60
    OUTBOX_RETRY_MAX_SECONDS = 3600
    # One worker cycle sends at most this many messages before recovery, retention and hooks run again.
    OUTBOX_MAX_PER_CYCLE = 1000
    # Results are committed every N messages: a crash re-sends at most N (at least once, never lost).
    OUTBOX_COMMIT_EVERY = 20
    WORKER_POLL_SECONDS = 2.0

    # A cohort-wide sync that could write more invitations than this is left to the worker (with progress).
    INVITATIONS_INLINE_LIMIT = 400
    # Unanswered mentoring meeting requests expire after this many days (one reminder before).
    MENTORING_REQUEST_EXPIRY_DAYS = 7

    PASSWORD_RESET_MAX_AGE = 3600
    LOGIN_RATE_LIMIT = "10 per 5 minutes"
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True

    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SAMESITE = "Lax"
    MAX_CONTENT_LENGTH = 25 * 1024 * 1024
    UPLOAD_DIR = str(INSTANCE_DIR / "uploads")

    @classmethod
    def from_env(cls) -> dict:
        """Every upper-case attribute, overridden by an environment variable of the same name."""
        values = {k: getattr(cls, k) for k in dir(cls) if k.isupper()}
        out = {k: _env(k, v) if isinstance(v, str | bool | int | float) or v is None else v
               for k, v in values.items()}
        if os.environ.get("DATABASE_URL"):
            out["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
        if os.environ.get("REDIS_URL"):
            out["RATELIMIT_STORAGE_URI"] = os.environ["REDIS_URL"]
        return out


class DevelopmentConfig(Config):
    DEBUG = False
    ENV_NAME = "development"


class TestingConfig(Config):
    TESTING = True
    ENV_NAME = "testing"
    SECRET_KEY = "testing-secret"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = False
    # Limits stay on (they are behaviour); the login limit is raised, tests that check it lower it.
    LOGIN_RATE_LIMIT = "1000 per minute"
    MAIL_PORT = 1  # nothing listens: tests that deliver start their own server
    MAIL_TIMEOUT = 5.0
    APP_BASE_URL = "http://coaching.test"
    SERVER_NAME = None


class ProductionConfig(Config):
    ENV_NAME = "production"
    MAILBOX_PAGE_ENABLED = False
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True


CONFIGS = {"development": DevelopmentConfig, "testing": TestingConfig, "production": ProductionConfig}

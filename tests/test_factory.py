"""The app factory: each configuration starts, the environment overrides settings, /healthz is truthful."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy.engine import make_url

from coaching import create_app
from coaching.extensions import db
from coaching.mail.models import OutboxMessage, OutboxStatus, WorkerHeartbeat
from config import CONFIGS, DEFAULT_SECRET

SCALAR = (str, bool, int, float, type(None))


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """No settings leak in from the shell running the tests; the instance folder is a temporary one."""
    for name in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "COACHING_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COACHING_INSTANCE_DIR", str(tmp_path / "instance"))
    return monkeypatch


def _serve_healthz(app) -> tuple[int, dict]:
    with app.app_context():
        db.create_all()
        try:
            response = app.test_client().get("/healthz")
            return response.status_code, response.get_json()
        finally:
            db.session.remove()
            db.engine.dispose()


@pytest.mark.parametrize("config_name", ["development", "testing", "production"])
def test_factory_starts_in_each_configuration(clean_env, tmp_path, config_name):
    clean_env.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.sqlite'}")
    if config_name == "production":
        clean_env.setenv("SECRET_KEY", "a-real-secret-from-the-environment")
    app = create_app(config_name)
    assert app.config["ENV_NAME"] == config_name
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("app.sqlite")
    status, body = _serve_healthz(app)
    assert status == 200 and body["database"] == "ok"


def test_production_is_hardened(clean_env):
    clean_env.setenv("SECRET_KEY", "a-real-secret-from-the-environment")
    app = create_app("production")
    assert app.config["SECRET_KEY"] == "a-real-secret-from-the-environment"
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert not app.config["MAILBOX_PAGE_ENABLED"]
    assert not app.debug and not app.testing


@pytest.mark.parametrize("secret", [None, DEFAULT_SECRET, ""])
def test_production_refuses_the_default_secret_key(clean_env, secret):
    if secret is not None:
        clean_env.setenv("SECRET_KEY", secret)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


def _different_value(default):
    """A value unlike the default, as the environment spells it, and as the app should read it."""
    if isinstance(default, bool):
        return ("false", False) if default else ("yes", True)
    if isinstance(default, int):
        return str(default + 7), default + 7
    if isinstance(default, float):
        return str(default + 0.5), default + 0.5
    return "set-by-environment", "set-by-environment"


# One test per configuration looping over its settings: each test costs a database clean-up.
@pytest.mark.parametrize("config_name", sorted(CONFIGS))
def test_every_setting_can_be_overridden_by_the_environment(clean_env, config_name):
    cls = CONFIGS[config_name]
    keys = [key for key in dir(cls) if key.isupper() and isinstance(getattr(cls, key), SCALAR)]
    assert {"MAIL_PORT", "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "RATELIMIT_ENABLED"} <= set(keys)
    expected = {}
    for key in keys:
        raw, expected[key] = _different_value(getattr(cls, key))
        clean_env.setenv(key, raw)
    loaded = cls.from_env()
    wrong = {key: loaded[key] for key in keys
             if (loaded[key], type(loaded[key])) != (expected[key], type(expected[key]))}
    assert wrong == {}


def test_environment_reaches_the_running_app(clean_env, tmp_path):
    database = tmp_path / "elsewhere.sqlite"
    clean_env.setenv("MAIL_PORT", "2525")
    clean_env.setenv("DATABASE_URL", f"sqlite:///{database}")
    app = create_app("development")
    assert app.config["MAIL_PORT"] == 2525
    with app.app_context():
        assert make_url(str(db.engine.url)).database == str(database)
        db.engine.dispose()


def test_redis_url_moves_rate_limits_to_redis(clean_env):
    clean_env.setenv("REDIS_URL", "redis://127.0.0.1:6390/0")
    assert CONFIGS["production"].from_env()["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6390/0"


def _outbox(key: str, status: OutboxStatus) -> OutboxMessage:
    return OutboxMessage(idempotency_key=key, kind="test", status=status, recipient_email="a@example.org",
                         sender="planung@coaching.example.org", send_after=datetime(2026, 5, 4, tzinfo=UTC))


def test_healthz_reports_backlog_and_worker_heartbeat(client):
    last_seen = datetime(2026, 5, 4, 8, 30, tzinfo=UTC)
    db.session.add_all([
        _outbox("one", OutboxStatus.PENDING),
        _outbox("two", OutboxStatus.PENDING),
        _outbox("done", OutboxStatus.SENT),
        WorkerHeartbeat(name="worker-1", last_seen_at=last_seen, info={}),
    ])
    db.session.commit()
    with time_machine.travel(last_seen + timedelta(seconds=90), tick=False):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {
        "database": "ok",
        "outbox_backlog": 2,
        "worker_last_seen": "2026-05-04T08:30:00+00:00",
        "worker_seconds_ago": 90,
    }


def test_healthz_without_worker_or_mail(client):
    body = client.get("/healthz").get_json()
    assert (body["database"], body["outbox_backlog"], body["worker_last_seen"]) == ("ok", 0, None)


def test_healthz_answers_503_when_the_database_is_unreachable(clean_env, tmp_path):
    clean_env.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'missing-folder' / 'db.sqlite'}")
    app = create_app("testing")
    with app.app_context():
        response = app.test_client().get("/healthz")
        db.engine.dispose()
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"

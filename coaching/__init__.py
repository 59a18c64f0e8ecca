"""Application factory: reads like a table of contents of the app."""
from __future__ import annotations

import importlib
import importlib.util
import os
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from coaching.core.urls import bounded_int_converter
from config import CONFIGS, DEFAULT_SECRET

# One package per feature; each may bring `views.bp` (a blueprint) and `commands.register(app)`.
FEATURES = (
    "core",
    "accounts",
    "users",
    "organisations",
    "programmes",
    "people",
    "cohorts",
    "scheduling",
    "calendar",
    "attendance",
    "mentoring",
    "mail",
    "notifications",
    "materials",
    "reports",
    "demo",
)

ROOT = Path(__file__).resolve().parent.parent


def create_app(config_name: str | None = None, overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(Path(os.environ.get("COACHING_INSTANCE_DIR", ROOT / "instance"))),
    )
    configure(app, config_name or os.environ.get("COACHING_CONFIG", "development"), overrides or {})
    app.url_map.converters["int"] = bounded_int_converter()
    register_extensions(app)
    register_blueprints(app)
    register_commands(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    return app


def configure(app: Flask, config_name: str, overrides: dict) -> None:
    config_cls = CONFIGS[config_name]
    app.config.update(config_cls.from_env())
    app.config.update(overrides)
    app.config["ENV_NAME"] = config_cls.ENV_NAME
    if config_name == "production" and app.config["SECRET_KEY"] in (DEFAULT_SECRET, "", None):
        raise RuntimeError("SECRET_KEY must be set in production (refusing the development default).")
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)


def register_extensions(app: Flask) -> None:
    from coaching import models  # noqa: F401  (every table known to metadata and Alembic)
    from coaching.accounts.session import init_login
    from coaching.core.i18n import init_babel
    from coaching.extensions import csrf, db, limiter, mail, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    mail.init_app(app)
    limiter.init_app(app)
    init_login(app)
    init_babel(app)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL and a busy timeout let the web app and the worker share one SQLite file."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL; a commit no longer waits for fsync
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
        # SQLite's lower() folds A–Z only; searches compare it with Python's str.lower() of the query, and
        # PostgreSQL's lower() folds all of Unicode: the same rule everywhere (also for the lower(email) index).
        dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)


def _unicode_lower(value):
    return value.lower() if isinstance(value, str) else value


def _feature_module(feature: str, name: str):
    dotted = f"coaching.{feature}.{name}"
    if importlib.util.find_spec(f"coaching.{feature}") is None or importlib.util.find_spec(dotted) is None:
        return None
    return importlib.import_module(dotted)


def register_blueprints(app: Flask) -> None:
    for feature in FEATURES:
        module = _feature_module(feature, "views")
        if module is not None and hasattr(module, "bp"):
            app.register_blueprint(module.bp)


def register_commands(app: Flask) -> None:
    for feature in FEATURES:
        module = _feature_module(feature, "commands")
        if module is not None:
            module.register(app)


def register_errorhandlers(app: Flask) -> None:
    from coaching.core.errors import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from coaching.core.templating import register

    register(app)

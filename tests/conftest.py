"""Small fixtures: one app per test process, a clean database per test, factories, a login helper.

`TEST_DATABASE_URL` selects PostgreSQL (each xdist worker gets its own database); default is SQLite.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from coaching import create_app
from coaching.extensions import db, limiter
from tests import factories


def _database_url(worker: str) -> str:
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        return f"sqlite:///{Path(tempfile.mkdtemp(prefix='coaching-test-')) / 'test.sqlite'}"
    url = make_url(base)
    name = f"{url.database}_{worker}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context (own `g`, own DB session), as in production.

    The test's own session is expired afterwards so that it reads what the request committed.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response


@pytest.fixture(scope="session")
def database_url(worker_id) -> str:
    return _database_url(worker_id)


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    app = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "UPLOAD_DIR": str(instance / "uploads"),
            "MAIL_CATCHER_DIR": str(instance / "mailcatcher"),
        },
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _app_context(app):
    with app.app_context():
        yield
        db.session.remove()
        _truncate_all()
        limiter.reset()


def _truncate_all() -> None:
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def world():
    """Two organisations with an organiser each, and an admin: the usual cast of a test."""
    return factories.two_organisations()


def login(client, user, password: str = factories.PASSWORD):
    response = client.post("/konto/anmelden", data={"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


@pytest.fixture
def login_as(client):
    def _login(user):
        login(client, user)
        return client

    return _login

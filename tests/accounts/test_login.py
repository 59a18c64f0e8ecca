from bs4 import BeautifulSoup

from coaching.accounts.models import User
from coaching.audit.models import AuditEntry
from coaching.extensions import db
from tests.conftest import login
from tests.factories import PASSWORD


def _alert_texts(response) -> list[str]:
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    return [el.get_text(" ", strip=True) for el in soup.select(".invalid-feedback, .alert")]


def test_login_page_is_german(client):
    response = client.get("/konto/anmelden")
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert soup.html["lang"] == "de"
    assert soup.find("h1").get_text(strip=True) == "Anmelden"
    assert soup.find("label", attrs={"for": "password"}).get_text(strip=True) == "Passwort"


def test_login_and_logout(client, world):
    response = login(client, world.organiser_a)
    assert response.headers["Location"] == "/"
    home = client.get("/")
    assert world.organiser_a.display_name in home.get_data(as_text=True)
    assert db.session.query(AuditEntry).filter_by(action="login", user_id=world.organiser_a.id).count() == 1

    response = client.post("/konto/abmelden")
    assert response.status_code == 302
    assert client.get("/").headers["Location"].startswith("/konto/anmelden")


def test_wrong_password_gets_clear_message_and_changes_nothing(client, world):
    response = client.post("/konto/anmelden", data={"email": world.organiser_a.email, "password": "falsch"})
    assert response.status_code == 401
    assert "E-Mail-Adresse oder Passwort ist falsch." in _alert_texts(response)
    db.session.expire_all()
    assert db.session.get(User, world.organiser_a.id).last_login_at is None
    assert client.get("/").status_code == 302


def test_unknown_email_gets_the_same_message(client, world):
    response = client.post("/konto/anmelden", data={"email": "niemand@example.org", "password": PASSWORD})
    assert "E-Mail-Adresse oder Passwort ist falsch." in _alert_texts(response)


def test_open_redirect_after_login_is_refused(client, world):
    response = client.post("/konto/anmelden?next=https://evil.example/",
                           data={"email": world.organiser_a.email, "password": PASSWORD})
    assert response.headers["Location"] == "/"
    client.post("/konto/abmelden")
    response = client.post("/konto/anmelden?next=/healthz",
                           data={"email": world.organiser_a.email, "password": PASSWORD})
    assert response.headers["Location"] == "/healthz"


def test_inactive_user_cannot_log_in(client, world):
    world.organiser_a.active = False
    db.session.commit()
    response = client.post("/konto/anmelden", data={"email": world.organiser_a.email, "password": PASSWORD})
    assert response.status_code == 401


def test_bumping_auth_version_revokes_existing_sessions(client, world):
    login(client, world.organiser_a)
    assert client.get("/").status_code == 200
    world.organiser_a.auth_version += 1
    db.session.commit()
    assert client.get("/").status_code == 302


def test_repeated_failed_logins_are_rate_limited(app, client, world, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "10 per 5 minutes")
    codes = [client.post("/konto/anmelden", data={"email": world.organiser_a.email, "password": "x"}).status_code
             for _ in range(11)]
    assert codes[:10] == [401] * 10
    assert codes[10] == 429
    # Even the right password is refused while limited: no brute-force window.
    response = client.post("/konto/anmelden", data={"email": world.organiser_a.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Zu viele Versuche" in response.get_data(as_text=True)

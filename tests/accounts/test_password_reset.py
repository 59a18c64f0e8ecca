import re
from email import policy
from email.parser import Parser

import time_machine
from bs4 import BeautifulSoup

from coaching.accounts.models import User
from coaching.extensions import db
from coaching.mail.models import OutboxMessage
from tests.conftest import login


def _reset_link(message: OutboxMessage) -> str:
    match = re.search(r"http://coaching\.test(/konto/passwort-zuruecksetzen/\S+)", message.body_text)
    assert match, message.body_text
    return match.group(1)


def _request_reset(client, email):
    return client.post("/konto/passwort-vergessen", data={"email": email})


def test_reset_round_trip(client, world):
    response = _request_reset(client, world.organiser_a.email.upper())
    assert response.status_code == 302
    messages = db.session.query(OutboxMessage).all()
    assert len(messages) == 1
    message = messages[0]
    assert message.recipient_email == world.organiser_a.email
    assert message.kind == "password_reset"
    assert message.subject == "Passwort zurücksetzen"
    html = BeautifulSoup(message.body_html, "html.parser")
    link = _reset_link(message)
    assert html.find("a", href=f"http://coaching.test{link}") is not None

    old_version = world.organiser_a.auth_version
    form = client.get(link)
    assert form.status_code == 200
    response = client.post(link, data={"password": "ein-neues-passwort", "confirm": "ein-neues-passwort"})
    assert response.status_code == 302
    db.session.expire_all()
    user = db.session.get(User, world.organiser_a.id)
    assert user.auth_version == old_version + 1
    login(client, user, password="ein-neues-passwort")

    # A second use of the same link is refused with a clear message and changes nothing.
    client.post("/konto/abmelden")
    again = client.post(link, data={"password": "noch-ein-passwort", "confirm": "noch-ein-passwort"})
    assert again.status_code == 400
    assert "bereits benutzt" in BeautifulSoup(again.data, "html.parser").find(attrs={"data-testid": "reason"}).text
    login(client, user, password="ein-neues-passwort")


def test_unknown_email_gets_same_answer_and_no_mail(client, world):
    response = _request_reset(client, "niemand@example.org")
    assert response.status_code == 302
    follow = client.get(response.headers["Location"])
    assert "Wenn es ein Konto mit dieser Adresse gibt" in follow.get_data(as_text=True)
    assert db.session.query(OutboxMessage).count() == 0


def test_expired_link_is_refused(client, world):
    with time_machine.travel("2026-11-01 10:00:00+00:00", tick=False):
        _request_reset(client, world.organiser_a.email)
    link = _reset_link(db.session.query(OutboxMessage).one())
    with time_machine.travel("2026-11-01 12:00:00+00:00", tick=False):
        response = client.get(link)
    assert response.status_code == 400
    assert "abgelaufen" in response.get_data(as_text=True)


def test_tampered_link_is_refused_and_changes_nothing(client, world):
    _request_reset(client, world.organiser_a.email)
    link = _reset_link(db.session.query(OutboxMessage).one())
    tampered = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")
    before = world.organiser_a.password_hash
    response = client.post(tampered, data={"password": "ein-neues-passwort", "confirm": "ein-neues-passwort"})
    assert response.status_code == 400
    assert "ungültig" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, world.organiser_a.id).password_hash == before


def test_mismatched_passwords_show_field_error(client, world):
    _request_reset(client, world.organiser_a.email)
    link = _reset_link(db.session.query(OutboxMessage).one())
    response = client.post(link, data={"password": "ein-neues-passwort", "confirm": "anders-passwort"})
    assert response.status_code == 200
    soup = BeautifulSoup(response.data, "html.parser")
    assert soup.find(id="confirm-error").get_text(strip=True) == "Die Passwörter stimmen nicht überein."
    short = client.post(link, data={"password": "kurz", "confirm": "kurz"})
    assert BeautifulSoup(short.data, "html.parser").find(id="password-error") is not None


def test_reset_mail_text_is_plain_text():
    msg = Parser(policy=policy.default).parsestr("Subject: x\n\nbody")
    assert msg["subject"] == "x"

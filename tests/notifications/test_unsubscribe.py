from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup

from coaching.calendar import invitations
from coaching.extensions import db
from coaching.notifications import links
from coaching.notifications.scheduler import run_due
from coaching.people.models import Person
from tests.notifications.conftest import START, at, path_of, queued, unsubscribe_links


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def _reminder(setup):
    with at(START - timedelta(hours=2)):
        run_due()
    (message,) = queued("session_reminder")
    return message


def test_reminder_carries_list_unsubscribe_headers(setup):
    message = _reminder(setup)
    https, mailto = unsubscribe_links(message)
    assert https.startswith("http://coaching.test/abmelden/")
    assert mailto == "mailto:planung@coaching.example.org?subject=unsubscribe"
    assert message.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.headers["Auto-Submitted"] == "auto-generated"
    soup = BeautifulSoup(message.body_html, "html.parser")
    assert soup.find(attrs={"data-role": "unsubscribe"})["href"] == https


def test_get_changes_nothing_and_one_click_post_unsubscribes_without_csrf_token(setup, client, csrf_on):
    person = setup.people[0]
    url = path_of(unsubscribe_links(_reminder(setup))[0])
    with at(START - timedelta(hours=1)):
        _get_then_post(client, url, person)


def _get_then_post(client, url, person):
    page = client.get(url)
    assert page.status_code == 200
    form = BeautifulSoup(page.data, "html.parser").find("form", method="post")
    assert form is not None and form.find("button")
    assert client.head(url).status_code == 200
    db.session.expire_all()
    assert db.session.get(Person, person.id).unsubscribed_at is None

    # What a mail client sends for RFC 8058: a bare POST with List-Unsubscribe=One-Click, no token.
    response = client.post(url, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert BeautifulSoup(response.data, "html.parser").find(attrs={"data-testid": "done"})
    db.session.expire_all()
    first = db.session.get(Person, person.id).unsubscribed_at
    assert first is not None

    assert client.post(url).status_code == 200  # idempotent
    db.session.expire_all()
    assert db.session.get(Person, person.id).unsubscribed_at == first


def test_page_speaks_the_persons_language(setup, client):
    person = setup.add_participant(language="ar")
    db.session.commit()
    page = client.get(path_of(links.unsubscribe_url(person)))
    html = BeautifulSoup(page.data, "html.parser").html
    assert (html["lang"], html["dir"]) == ("ar", "rtl")


def test_tampered_token_is_404_and_expired_token_offers_another_way(setup, client):
    person = setup.people[0]
    url = path_of(links.unsubscribe_url(person))
    assert client.get(url[:-3] + "xyz").status_code == 404
    assert client.post(url[:-3] + "xyz").status_code == 404
    assert client.get("/abmelden/" + links.tokens.sign("password-reset", {"p": person.id})).status_code == 404

    with at(START + timedelta(days=400)):
        response = client.post(url)
    assert response.status_code == 410
    soup = BeautifulSoup(response.data, "html.parser")
    assert soup.find(attrs={"data-testid": "expired"})
    assert soup.find("a", href=links.unsubscribe_mailto())
    db.session.expire_all()
    assert db.session.get(Person, person.id).unsubscribed_at is None


def test_unsubscribed_person_gets_no_reminder_but_still_invitations(setup, client):
    person = setup.people[0]
    client.post(path_of(links.unsubscribe_url(person)))
    db.session.expire_all()
    assert db.session.get(Person, person.id).unsubscribed_at is not None

    with at(START - timedelta(days=10)):
        invitations.sync_cohort(setup.cohort)
        db.session.commit()
    with at(START - timedelta(hours=2)):
        run_due()
    kinds = [m.kind for m in queued() if m.recipient_person_id == person.id]
    assert kinds == ["session_invitation"]

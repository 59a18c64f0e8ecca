from __future__ import annotations

from datetime import timedelta

from bs4 import BeautifulSoup

from coaching.extensions import db
from coaching.notifications.scheduler import run_due
from coaching.scheduling.models import SessionStatus
from tests.notifications.conftest import START, at, queued


def _remind(client, session_id, **data):
    return client.post(f"/termine/{session_id}/erinnerung", data=data)


def _flashed(response) -> str:
    return " ".join(a.get_text() for a in BeautifulSoup(response.data, "html.parser").select(".alert-danger"))


def test_organiser_reminds_now_and_a_double_click_queues_nothing_new(setup, login_as):
    setup.add_participant()
    unsubscribed = setup.add_participant()
    unsubscribed.unsubscribed_at = START - timedelta(days=1)
    db.session.commit()
    moment = START - timedelta(days=5)
    with at(moment):
        client = login_as(setup.world.organiser_a)
        response = _remind(client, setup.session.id, next="/kalender")
        assert response.status_code == 302 and response.headers["Location"] == "/kalender"
        _remind(client, setup.session.id)
    with at(moment + timedelta(seconds=30)):
        _remind(client, setup.session.id)
    assert len(queued("session_reminder")) == 2
    assert unsubscribed.id not in {m.recipient_person_id for m in queued("session_reminder")}

    with at(moment + timedelta(minutes=5)):  # deliberately again, later
        _remind(client, setup.session.id)
    messages = queued("session_reminder")
    assert len(messages) == 4
    assert len({m.idempotency_key for m in messages}) == 4
    assert all(":manual-" in m.idempotency_key for m in messages)
    assert messages[0].headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_scheduled_reminder_still_goes_after_a_manual_one(setup, login_as):
    with at(START - timedelta(days=4)):
        client = login_as(setup.world.organiser_a)
        _remind(client, setup.session.id)
    with at(START - timedelta(days=3)):
        assert run_due()["session_reminders"] == 1


def test_other_organisation_gets_404_and_coach_403(setup, login_as, client):
    assert _remind(login_as(setup.world.organiser_b), setup.session.id).status_code == 404
    assert _remind(client, 999999).status_code == 404
    client.post("/konto/abmelden")
    assert _remind(login_as(setup.world.coach_a), setup.session.id).status_code == 403
    assert queued() == []


def test_started_or_cancelled_session_is_refused_with_a_message(setup, login_as):
    with at(START + timedelta(minutes=5)):
        client = login_as(setup.world.organiser_a)
        # Come back to a page of this feature that shows flashed messages.
        back = f"/programme/{setup.programme.id}/benachrichtigungen"
        response = _remind(client, setup.session.id, next=back)
        assert response.headers["Location"] == back
        assert "schon begonnen" in _flashed(client.get(back))
        setup.session.status = SessionStatus.CANCELLED
        db.session.commit()
        _remind(client, setup.session.id, next=back)
        assert "abgesagt" in _flashed(client.get(back))
    assert queued() == []


def test_reminder_form_needs_csrf_unlike_the_unsubscribe_link(setup, login_as, app, monkeypatch):
    client = login_as(setup.world.organiser_a)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    with at(START - timedelta(days=1)):
        assert _remind(client, setup.session.id).status_code == 400
    assert queued() == []

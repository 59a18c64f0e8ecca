"""The session page shows the automatic emails the rules plan, before any of them is due."""
from __future__ import annotations

from datetime import timedelta

from bs4 import BeautifulSoup

from coaching.core import clock
from coaching.extensions import db
from coaching.notifications.scheduler import run_due
from coaching.scheduling.models import SessionStatus
from tests.notifications.conftest import END, START, at


def _planned(client, session_id):
    soup = BeautifulSoup(client.get(f"/termine/{session_id}").data, "html.parser")
    return soup.find(attrs={"data-testid": "planned-mails"})


def test_planned_reminders_and_follow_up_with_their_dates(setup, client, login_as):
    login_as(setup.world.organiser_a)
    with at(START - timedelta(days=5)):
        box = _planned(client, setup.session.id)
    items = [(li["data-kind"], li["data-at"]) for li in box.find_all("li")]
    assert items == [
        ("session_reminder", (START - timedelta(days=3)).isoformat()),
        ("session_reminder", (START - timedelta(hours=3)).isoformat()),
        ("session_followup", (END + timedelta(hours=2)).isoformat()),
    ]
    assert "18:00" in box.find_all("li")[0].get_text()  # Berlin time, 3 days before
    assert "0 Erinnerungen" in box.get_text()

    with at(START - timedelta(hours=2)):
        assert run_due()["session_reminders"] == 1
        box = _planned(client, setup.session.id)
    assert "1 Erinnerungen" in box.get_text()
    assert [b.get_text(strip=True) for b in box.select("li .badge")] == ["fällig gewesen", "fällig gewesen",
                                                                         "geplant"]


def test_cancelled_session_says_nothing_more_goes_out(setup, client, login_as):
    setup.session.status = SessionStatus.CANCELLED
    setup.session.cancelled_at = clock.now()
    db.session.commit()
    login_as(setup.world.organiser_a)
    box = _planned(client, setup.session.id)
    assert box.find("li") is None and "abgesagt" in box.get_text()

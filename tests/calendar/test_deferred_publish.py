"""A cohort-wide sync too big for one request is recorded and done by the worker, session by session."""
from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import func, select

from coaching.calendar import invitations
from coaching.extensions import db
from coaching.mail.models import OutboxMessage


def _invitations() -> list[tuple[int, str]]:
    return list(db.session.execute(
        select(OutboxMessage.session_id, OutboxMessage.recipient_email)
        .where(OutboxMessage.kind == invitations.KIND_INVITATION)))


def test_large_publish_is_deferred_to_the_worker_and_sends_each_invitation_once(app, series, world, monkeypatch):
    # 3 sessions × (4 members + 1) = 15 possible messages: over this limit, under the default.
    monkeypatch.setitem(app.config, "INVITATIONS_INLINE_LIMIT", 10)
    assert invitations.publish_cohort(series.cohort, world.organiser_a) == 0
    assert series.cohort.invitations_requested_at is not None
    assert _invitations() == []

    queued = invitations.run_requested()
    rows = _invitations()
    # Ana, Omar and the coach have email (the third participant has none), for each of the three sessions.
    assert queued == len(rows) == 9
    assert len(set(rows)) == 9
    db.session.expire_all()
    assert series.cohort.invitations_requested_at is None
    assert invitations.run_requested() == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 9


def test_small_publish_happens_at_once(series, world):
    assert invitations.publish_cohort(series.cohort, world.organiser_a) == 9
    assert series.cohort.invitations_requested_at is None


def test_cohort_page_says_invitations_are_being_prepared(app, series, world, client, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "INVITATIONS_INLINE_LIMIT", 10)
    login_as(world.organiser_a)
    response = client.post(f"/kohorten/{series.cohort.id}/veroeffentlichen", follow_redirects=True)
    assert "im Hintergrund vorbereitet" in response.get_data(as_text=True)
    page = BeautifulSoup(client.get(f"/kohorten/{series.cohort.id}").data, "html.parser")
    banner = page.find(attrs={"data-testid": "invitations-pending"})
    assert banner is not None and banner.find("a", href="/versand") is not None

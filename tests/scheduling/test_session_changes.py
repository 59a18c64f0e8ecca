"""Changing one session: SEQUENCE +1, a SessionChange with before/after, the sync hook, the rules."""
from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from coaching.calendar import invitations
from coaching.core import clock
from coaching.extensions import db
from coaching.mail.models import OutboxMessage
from coaching.people.models import PersonKind
from coaching.scheduling.models import ChangeKind, CoachingSession, SessionChange, SessionStatus
from tests import factories
from tests.scheduling.conftest import booked


@pytest.fixture
def synced(monkeypatch):
    """Record what the services hand to the calendar module."""
    calls = []
    monkeypatch.setattr(invitations, "sync_session", lambda session, actor=None: calls.append(
        (session.id, session.ical_sequence, getattr(actor, "id", None))) or 0)
    return calls


@pytest.fixture
def series(plan):
    sessions = [booked(plan.cohort, date(2026, 3, 5) + timedelta(weeks=i), time(18, 0),
                       coach_id=plan.coach.id, topic=f"Thema {i + 1}") for i in range(4)]
    db.session.commit()
    return sessions


def _changes(session_id: int) -> list[SessionChange]:
    return db.session.scalars(select(SessionChange).where(SessionChange.session_id == session_id)
                              .order_by(SessionChange.id)).all()


def _fresh(session_id: int) -> CoachingSession:
    db.session.expire_all()
    return db.session.get(CoachingSession, session_id)


def test_reschedule_bumps_sequence_logs_and_syncs(plan, series, login_as, synced):
    client = login_as(plan.world.organiser_a)
    target = series[1]
    response = client.post(f"/termine/{target.id}/verschieben", data={
        "reschedule-day": "2026-04-01", "reschedule-start_time": "17:00", "reschedule-minutes": "120"})
    assert response.status_code == 302
    session = _fresh(target.id)
    assert session.ical_sequence == 1
    local = clock.to_local(session.starts_at)
    assert (local.date(), local.time(), session.ends_at - session.starts_at) == (
        date(2026, 4, 1), time(17, 0), timedelta(minutes=120))
    assert session.starts_at.hour == 15  # CEST
    [change] = _changes(target.id)
    assert (change.kind, change.sequence, change.changed_by_id) == (
        ChangeKind.RESCHEDULED, 1, plan.world.organiser_a.id)
    assert change.details["before"]["starts_at"] == "2026-03-12T17:00:00+00:00"
    assert change.details["after"]["starts_at"] == "2026-04-01T15:00:00+00:00"
    assert synced == [(target.id, 1, plan.world.organiser_a.id)]
    page = BeautifulSoup(client.get(f"/termine/{target.id}").get_data(as_text=True), "html.parser")
    log = page.select_one("#change-log tbody tr[data-kind=rescheduled]").get_text(" ", strip=True)
    assert "12.03.26, 18:00" in log and "01.04.26, 17:00" in log


def test_reschedule_refuses_gap_past_and_out_of_period(plan, series, login_as, synced):
    client = login_as(plan.world.organiser_a)
    url = f"/termine/{series[0].id}/verschieben"
    for day, at, minutes, text in [
        ("2026-03-29", "02:30", "90", "Sommerzeit"),
        ("2026-01-02", "18:00", "90", "Vergangenheit"),
        ("2028-03-01", "18:00", "90", "Programmzeitraum"),
        ("1900-03-01", "18:00", "90", "außerhalb"),
        ("2026-03-10", "18:00", "0", "größer als null"),
    ]:
        response = client.post(url, data={"reschedule-day": day, "reschedule-start_time": at,
                                          "reschedule-minutes": minutes})
        assert response.status_code == 400, day
        assert text in BeautifulSoup(response.get_data(as_text=True), "html.parser").select_one(
            "#reschedule-day-error").get_text(), day
    assert _fresh(series[0].id).ical_sequence == 0
    assert _changes(series[0].id) == [] and synced == []


def test_past_session_cannot_be_rescheduled(plan, series, login_as, frozen):
    frozen.move_to(clock.local_to_utc(date(2026, 3, 6), time(9, 0)))
    client = login_as(plan.world.organiser_a)
    response = client.post(f"/termine/{series[0].id}/verschieben", data={
        "reschedule-day": "2026-03-20", "reschedule-start_time": "18:00", "reschedule-minutes": "90"})
    assert response.status_code == 400
    assert "Vergangenheit" in response.get_data(as_text=True)
    assert _fresh(series[0].id).ical_sequence == 0


def test_cancel_single_session(plan, series, login_as, synced):
    client = login_as(plan.world.organiser_a)
    response = client.post(f"/termine/{series[2].id}/absagen", data={"cancel-scope": "single",
                                                                     "cancel-reason": "Raum gesperrt"})
    assert response.status_code == 302
    statuses = [_fresh(s.id).status for s in series]
    planned, cancelled = SessionStatus.PLANNED, SessionStatus.CANCELLED
    assert statuses == [planned, planned, cancelled, planned]
    cancelled = _fresh(series[2].id)
    assert cancelled.ical_sequence == 1 and cancelled.cancelled_at == clock.now()
    [change] = _changes(series[2].id)
    assert change.kind == ChangeKind.CANCELLED and change.details["reason"] == "Raum gesperrt"
    assert change.details["after"]["status"] == "cancelled"
    assert synced == [(series[2].id, 1, plan.world.organiser_a.id)]


def test_cancel_rest_of_series(plan, series, login_as):
    """The later sessions are cancelled, logged, and everyone invited gets a CANCEL for each of them."""
    participant = factories.person(plan.world.org_a, first_name="Pia")
    factories.enrol(plan.cohort, participant)
    invitations.publish_cohort(plan.cohort, plan.world.organiser_a)
    other_cohort = booked(factories.cohort(plan.world.org_a, plan.world.programme, plan.world.region),
                          date(2026, 4, 1), time(18, 0))
    db.session.commit()
    client = login_as(plan.world.organiser_a)
    response = client.post(f"/termine/{series[1].id}/absagen", data={"cancel-scope": "rest"})
    assert response.status_code == 302
    assert [_fresh(s.id).status for s in series] == [SessionStatus.PLANNED] + [SessionStatus.CANCELLED] * 3
    assert [_fresh(s.id).ical_sequence for s in series] == [0, 1, 1, 1]
    assert _fresh(other_cohort.id).status == SessionStatus.PLANNED
    cancels = db.session.execute(
        select(OutboxMessage.session_id, OutboxMessage.recipient_email, OutboxMessage.ical_method)
        .where(OutboxMessage.kind == invitations.KIND_CANCELLATION)).all()
    expected = {(s.id, email) for s in series[1:] for email in (participant.email, plan.coach.email)}
    assert {(sid, email) for sid, email, _ in cancels} == expected
    assert {method for _, _, method in cancels} == {"CANCEL"}
    assert all(_changes(s.id)[0].kind == ChangeKind.CANCELLED for s in series[1:])


def test_cancelled_session_cannot_be_edited(plan, series, login_as, synced):
    client = login_as(plan.world.organiser_a)
    client.post(f"/termine/{series[0].id}/absagen", data={"cancel-scope": "single"})
    for path, data in [
        ("verschieben", {"reschedule-day": "2026-03-20", "reschedule-start_time": "18:00",
                         "reschedule-minutes": "90"}),
        ("thema", {"topic-topic": "Neu"}),
        ("ort", {"move-online_url": "https://meet.example.org/x"}),
        ("absagen", {"cancel-scope": "single"}),
    ]:
        response = client.post(f"/termine/{series[0].id}/{path}", data=data)
        assert response.status_code == 400, path
        assert "abgesagt" in response.get_data(as_text=True)
    assert _fresh(series[0].id).ical_sequence == 1
    page = BeautifulSoup(client.get(f"/termine/{series[0].id}").get_data(as_text=True), "html.parser")
    assert page.select_one("h1 del") is not None
    assert not page.select("form[action$=verschieben]")


def test_move_online_change_coach_and_topic(plan, series, login_as, synced):
    new_coach = factories.person(plan.world.org_a, PersonKind.COACH, first_name="Nora", last_name="Neu")
    db.session.commit()
    client = login_as(plan.world.organiser_a)
    sid = series[0].id
    online = {"move-online_url": "https://meet.example.org/x"}
    assert client.post(f"/termine/{sid}/ort", data=online).status_code == 302
    assert client.post(f"/termine/{sid}/coach", data={"coach-coach_id": str(new_coach.id)}).status_code == 302
    assert client.post(f"/termine/{sid}/thema", data={"topic-topic": "Bewerbungstraining"}).status_code == 302
    session = _fresh(sid)
    assert session.is_online and session.venue_name is None and session.room is None
    assert (session.coach_id, session.topic, session.ical_sequence) == (new_coach.id, "Bewerbungstraining", 3)
    changes = _changes(sid)
    assert [(c.kind, c.sequence) for c in changes] == [
        (ChangeKind.MOVED, 1), (ChangeKind.COACH_CHANGED, 2), (ChangeKind.DETAILS_CHANGED, 3)]
    assert changes[0].details["after"]["online_url"] == "https://meet.example.org/x"
    assert changes[1].details == {"before": {"coach_id": plan.coach.id}, "after": {"coach_id": new_coach.id}}
    assert [seq for _, seq, _ in synced] == [1, 2, 3]
    page = BeautifulSoup(client.get(f"/termine/{sid}").get_data(as_text=True), "html.parser")
    assert "Nora Neu" in page.select_one("#change-log tr[data-kind=coach_changed]").get_text()
    assert "Online" in page.select_one("#session-details").get_text()


def test_coach_of_another_organisation_is_refused(plan, series, login_as):
    stranger = factories.person(plan.world.org_b, PersonKind.COACH)
    db.session.commit()
    client = login_as(plan.world.organiser_a)
    response = client.post(f"/termine/{series[0].id}/coach", data={"coach-coach_id": str(stranger.id)})
    assert response.status_code == 400
    assert _fresh(series[0].id).coach_id == plan.coach.id


def test_reschedule_into_a_clash_warns(plan, series, login_as):
    other = factories.cohort(plan.world.org_a, plan.world.programme, plan.world.region)
    booked(other, date(2026, 3, 10), time(18, 0), coach_id=plan.coach.id)
    db.session.commit()
    client = login_as(plan.world.organiser_a)
    response = client.post(f"/termine/{series[0].id}/verschieben", follow_redirects=True, data={
        "reschedule-day": "2026-03-10", "reschedule-start_time": "18:30", "reschedule-minutes": "90"})
    alerts = [a.get_text() for a in BeautifulSoup(response.get_data(as_text=True), "html.parser").select(
        ".alert-warning")]
    assert any("Coach" in a for a in alerts)


@pytest.mark.parametrize("path", ["", "/verschieben", "/ort", "/coach", "/thema", "/absagen"])
def test_other_organisations_sessions_are_404(plan, series, login_as, path):
    client = login_as(plan.world.organiser_b)
    url = f"/termine/{series[0].id}{path}"
    response = client.get(url) if not path else client.post(url, data={"cancel-scope": "single"})
    assert response.status_code == 404
    assert _fresh(series[0].id).status == SessionStatus.PLANNED


def test_coach_user_sees_the_session_but_cannot_change_it(plan, series, login_as):
    client = login_as(plan.world.coach_a)
    page = BeautifulSoup(client.get(f"/termine/{series[0].id}").get_data(as_text=True), "html.parser")
    assert "Thema 1" in page.select_one("h1").get_text()
    assert not page.select("form[action*='/termine/']")
    assert client.post(f"/termine/{series[0].id}/absagen", data={"cancel-scope": "single"}).status_code == 403

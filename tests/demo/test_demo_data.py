"""The demo data: loads, loads again without duplicates, looks live, and its logins work."""
from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime

import pytest
import time_machine
from sqlalchemy import func, select

from coaching.attendance.models import Attendance, Outcome
from coaching.cohorts.models import Cohort
from coaching.core import clock
from coaching.demo.data import DEMO_LOGINS, DEMO_PASSWORD, LIVE_PROGRAMME, PROGRAMMES
from coaching.demo.loader import load_demo_data
from coaching.extensions import db
from coaching.mentoring.models import MeetingStatus, MentoringMeeting, MentorProfile, Pairing, PairingStatus
from coaching.organisations.models import Council
from coaching.people.models import Person
from coaching.programmes.models import DEFAULT_RULES, NotificationRule, Programme
from coaching.scheduling.models import CoachingSession, SessionStatus

# A fixed "today" keeps the tests independent of the real date.
TODAY_NOON = datetime(2026, 11, 24, 11, 0, tzinfo=clock.UTC)
ARABIC = re.compile(r"[\u0600-\u06FF]")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
LIVE_NAME = next(p.name for p in PROGRAMMES if p.key == LIVE_PROGRAMME)


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY_NOON, tick=False):
        yield


def _row_counts() -> dict[str, int]:
    return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables}


def _wipe() -> None:
    db.session.remove()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())


def _snapshot() -> list[tuple]:
    rows = db.session.execute(
        select(Cohort.name, CoachingSession.topic, CoachingSession.starts_at, CoachingSession.status,
               CoachingSession.headcount, CoachingSession.sent_sequence)
        .join(Cohort, CoachingSession.cohort_id == Cohort.id)
        .order_by(Cohort.name, CoachingSession.starts_at, CoachingSession.topic)
    ).all()
    outcomes = db.session.execute(
        select(CoachingSession.topic, Person.last_name, Attendance.answer, Attendance.outcome)
        .join(CoachingSession, Attendance.session_id == CoachingSession.id)
        .join(Person, Attendance.person_id == Person.id)
        .order_by(CoachingSession.starts_at, Person.last_name)
    ).all()
    return [tuple(r) for r in rows] + [tuple(r) for r in outcomes]


def test_loading_twice_creates_no_duplicates(frozen):
    first = load_demo_data()
    counts = _row_counts()
    assert first["created"] > 0
    assert counts["organisation"] == 3 and counts["programme"] == 2

    second = load_demo_data()
    assert second["created"] == 0
    assert _row_counts() == counts
    first.pop("created"), second.pop("created")
    assert second == first


def test_same_day_gives_the_same_demo(frozen):
    load_demo_data()
    before = _snapshot()
    _wipe()
    load_demo_data()
    assert _snapshot() == before


def test_people_have_names_in_several_scripts_and_only_example_addresses(frozen):
    load_demo_data()
    people = db.session.scalars(select(Person)).all()
    names = [p.full_name for p in people]
    assert any(ARABIC.search(n) for n in names)
    assert any(CYRILLIC.search(n) for n in names)
    assert {p.preferred_language for p in people} >= {"de", "en", "ar", "fa", "uk", "ru", "tr"}
    phone_only = [p for p in people if p.email is None]
    assert phone_only and all(p.phone for p in phone_only)
    emails = [p.email for p in people if p.email] + [email for _role, email, _pw in DEMO_LOGINS]
    emails += [e for e in db.session.scalars(select(Council.email)) if e]
    assert all(e.rsplit("@", 1)[1] in {"example.org", "example.net"} for e in emails)
    assert db.session.scalar(select(func.count()).select_from(MentorProfile)) >= 3


def test_a_weekly_series_crosses_a_dst_change_at_the_same_local_hour(frozen):
    load_demo_data()
    sessions = db.session.scalars(
        select(CoachingSession).join(Cohort).join(Programme).where(Programme.name == LIVE_NAME)
    ).all()
    by_cohort = defaultdict(list)
    for s in sessions:
        by_cohort[s.cohort_id].append(s)
    crossing = [
        series for series in by_cohort.values()
        # the UTC hour changes with the offset, the local time does not
        if len({s.starts_at.hour for s in series}) == 2
        and len({clock.to_local(s.starts_at).strftime("%H:%M") for s in series}) == 1
    ]
    assert crossing
    assert all(clock.to_local(s.starts_at).hour == 18 for s in crossing[0])


def test_live_programme_has_past_sessions_with_attendance_and_upcoming_ones(frozen):
    load_demo_data()
    now = clock.now()
    live = (select(CoachingSession).join(Cohort).join(Programme).where(Programme.name == LIVE_NAME))
    sessions = db.session.scalars(live).all()
    past = [s for s in sessions if s.ends_at <= now]
    upcoming = [s for s in sessions if s.starts_at > now]
    assert past and upcoming
    outcomes = set(db.session.scalars(
        select(Attendance.outcome).where(Attendance.session_id.in_([s.id for s in past]))))
    assert {Outcome.ATTENDED, Outcome.EXCUSED, Outcome.NO_SHOW} <= outcomes

    assert any(s.status == SessionStatus.CANCELLED and s.cancelled_at for s in sessions)
    assert any(s.online_url and not s.venue_name for s in sessions)
    evening = [s for s in sessions if s.is_public and s.is_headcount and s.headcount == 23]
    assert len(evening) == 1 and evening[0].ends_at <= now
    rules = db.session.scalars(
        select(NotificationRule).join(Programme).where(Programme.name == LIVE_NAME)).all()
    assert sorted((r.kind, r.offset_minutes) for r in rules) == sorted(DEFAULT_RULES)


def test_pairings_and_meetings_cover_the_lifecycle(frozen):
    load_demo_data()
    statuses = set(db.session.scalars(select(Pairing.status)))
    assert {PairingStatus.ACTIVE, PairingStatus.PROPOSED, PairingStatus.COMPLETED} <= statuses
    meetings = db.session.scalars(select(MentoringMeeting)).all()
    proposed = [m for m in meetings if m.status == MeetingStatus.PROPOSED]
    assert proposed and len(proposed[0].options) == 2 and proposed[0].starts_at is None
    assert any(m.status == MeetingStatus.CONFIRMED and m.starts_at > clock.now() for m in meetings)
    held = [m for m in meetings if m.status == MeetingStatus.HELD]
    assert held and all(m.took_place and m.duration_minutes and m.topics and m.parents_counselled is not None
                        for m in held)


@pytest.mark.parametrize("role,email,password", DEMO_LOGINS)
def test_each_demo_login_can_sign_in(app, frozen, role, email, password):
    load_demo_data()
    response = app.test_client().post("/konto/anmelden", data={"email": email, "password": password})
    assert response.status_code == 302, role


def test_cli_loads_and_lists_the_logins(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    assert "Demo-Daten geladen: 3 Organisationen" in result.output
    for _role, email, _password in DEMO_LOGINS:
        assert email in result.output
    assert DEMO_PASSWORD in result.output

    again = runner.invoke(args=["demo-data"])
    assert again.exit_code == 0, again.output
    assert "(0 Datensätze neu angelegt)" in again.output


@pytest.mark.parametrize("moment", [
    datetime(2026, 3, 29, 1, 30, tzinfo=clock.UTC),  # the night summer time starts
    datetime(2027, 12, 30, 20, 0, tzinfo=clock.UTC),  # the follow-on programme's last days
    datetime(2031, 6, 1, 8, 0, tzinfo=clock.UTC),  # long after: the live series stays inside its programme
])
def test_loads_on_any_day(moment):
    with time_machine.travel(moment, tick=False):
        counts = load_demo_data()
    programme = db.session.scalar(select(Programme).where(Programme.name == LIVE_NAME))
    days = [clock.local_date(s) for s in db.session.scalars(
        select(CoachingSession.starts_at).join(Cohort).where(Cohort.programme_id == programme.id))]
    assert counts["sessions"] == len(db.session.scalars(select(CoachingSession.id)).all())
    assert all(programme.covers(day) for day in days)

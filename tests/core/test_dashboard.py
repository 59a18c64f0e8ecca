"""The home page dashboard: hand-built data whose right answers are known, read back from the parsed HTML."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup

from coaching.attendance.models import Answer, Attendance, Outcome
from coaching.cohorts.models import Cohort, CohortStatus, EnrolmentRole
from coaching.core import clock, tokens
from coaching.extensions import db
from coaching.mail.models import OutboxMessage, OutboxStatus, WorkerHeartbeat
from coaching.mentoring.models import MeetingStatus, MentoringMeeting, Pairing, PairingKind, PairingStatus
from coaching.people.models import Person, PersonKind
from coaching.scheduling.models import CoachingSession, SessionStatus
from tests import factories
from tests.querycount import count_queries

# Wednesday 11 March 2026, 11:00 in Berlin; the calendar week starts on Monday 9 March.
NOW = datetime(2026, 3, 11, 10, 0, tzinfo=clock.UTC)
TODAY = date(2026, 3, 11)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@dataclass
class Data:
    world: factories.World
    coach: Person
    cohort: Cohort


def _session(cohort: Cohort, day: date, recorded: bool = False, **extra) -> CoachingSession:
    s = factories.session(cohort, day=day, at=time(17, 0), **extra)
    if recorded:
        s.attendance_recorded_at = clock.local_to_utc(day, time(20, 0))
    return s


def _attend(session: CoachingSession, person: Person, outcome: Outcome | None = None,
            answer: Answer = Answer.NEEDS_ACTION) -> None:
    db.session.add(Attendance(session_id=session.id, person_id=person.id, outcome=outcome, answer=answer))


def _outbox(org_id: int, status: OutboxStatus) -> None:
    db.session.add(OutboxMessage(idempotency_key=tokens.new_uid("test"), kind="test", status=status,
                                 organisation_id=org_id, recipient_email="x@example.org",
                                 sender="noreply@example.org", send_after=NOW))


def _pairing(org, mentor: Person, mentee: Person, status: PairingStatus, end: date | None) -> Pairing:
    p = Pairing(organisation_id=org.id, mentor_id=mentor.id, mentee_id=mentee.id,
                kind=PairingKind.BEIRAT_PEER, status=status, planned_end_on=end)
    db.session.add(p)
    db.session.flush()
    return p


def _meeting(pairing: Pairing, status: MeetingStatus) -> None:
    db.session.add(MentoringMeeting(pairing_id=pairing.id, status=status, ical_uid=tokens.new_uid("meeting")))


def _add_organisation_b(w: factories.World) -> None:
    """Organisation B: bigger numbers and a secret topic that A must never see."""
    cohort = factories.cohort(w.org_b, w.programme, w.region)
    held = _session(cohort, date(2026, 3, 3), recorded=True)
    for _ in range(5):
        _attend(held, factories.person(w.org_b), Outcome.ATTENDED)
    _session(cohort, date(2026, 3, 16), topic="Geheimes Thema B")
    _session(cohort, date(2026, 3, 2), status=SessionStatus.CANCELLED)
    for _ in range(3):
        _outbox(w.org_b.id, OutboxStatus.FAILED)


@pytest.fixture
def data(world, frozen) -> Data:
    w = world
    coach = factories.person(w.org_a, PersonKind.COACH, first_name="Clara", last_name="Coach")
    w.coach_a.person_id = coach.id
    other_coach = factories.person(w.org_a, PersonKind.COACH)
    a1 = factories.cohort(w.org_a, w.programme, w.region)
    a1.status = CohortStatus.PUBLISHED
    p, q, r, z = (factories.person(w.org_a) for _ in range(4))

    # Held: three sessions P attends (P counts once), a headcount evening, a cancelled one.
    s1 = _session(a1, date(2026, 3, 2), recorded=True, coach_id=coach.id)
    s2 = _session(a1, date(2026, 3, 4), recorded=True, coach_id=other_coach.id)
    s3 = _session(a1, date(2026, 3, 9), coach_id=other_coach.id)  # attendance not yet recorded
    _session(a1, date(2026, 3, 5), recorded=True, is_headcount=True, headcount=25)
    cancelled = _session(a1, date(2026, 3, 6), status=SessionStatus.CANCELLED)
    for s in (s1, s2, s3):
        _attend(s, p, Outcome.ATTENDED)
    _attend(s1, q, Outcome.ATTENDED)
    _attend(s2, q, Outcome.EXCUSED)
    _attend(s3, r, Outcome.NO_SHOW)
    _attend(cancelled, z, Outcome.ATTENDED)  # a cancelled session reaches nobody

    # Planned: F1 is the coach's, F2 another coach's, F3 in a cohort where the coach is enrolled as coach.
    f1 = _session(a1, date(2026, 3, 12), coach_id=coach.id, topic="Bewerbung")
    _session(a1, date(2026, 3, 20), coach_id=other_coach.id, topic="Praktikum")
    for person, answer in ((p, Answer.ACCEPTED), (q, Answer.DECLINED), (r, Answer.NEEDS_ACTION),
                           (z, Answer.ACCEPTED)):
        _attend(f1, person, answer=answer)
    a3 = factories.cohort(w.org_a, w.programme, w.region)
    a3.status = CohortStatus.PUBLISHED
    factories.enrol(a3, coach, EnrolmentRole.COACH)
    _session(a3, date(2026, 3, 13), topic="Elternabend")

    # A programme that ended: its sessions are no key figures of today.
    old = factories.cohort(w.org_a, factories.programme(date(2024, 1, 1), date(2025, 6, 30)), w.region)
    old.status = CohortStatus.ARCHIVED
    _attend(_session(old, date(2025, 3, 3), recorded=True), p, Outcome.ATTENDED)

    # Things to act on in A.
    _outbox(w.org_a.id, OutboxStatus.FAILED)
    _outbox(w.org_a.id, OutboxStatus.FAILED)
    _outbox(w.org_a.id, OutboxStatus.SENT)
    z.email_bounced_at = NOW - timedelta(days=1)
    mentor, mentee = factories.person(w.org_a, PersonKind.MENTOR), factories.person(w.org_a)
    pairing = _pairing(w.org_a, mentor, mentee, PairingStatus.ACTIVE, TODAY + timedelta(days=10))
    _pairing(w.org_a, mentor, p, PairingStatus.COMPLETED, TODAY + timedelta(days=10))
    _pairing(w.org_a, mentor, q, PairingStatus.ACTIVE, TODAY + timedelta(days=60))
    for status in (MeetingStatus.PROPOSED, MeetingStatus.DECLINED, MeetingStatus.CONFIRMED):
        _meeting(pairing, status)
    draft = factories.cohort(w.org_a, w.programme, w.region)  # draft, with a session
    _session(draft, date(2026, 4, 14))
    factories.cohort(w.org_a, w.programme, w.region)  # draft without sessions: nothing to do yet

    _add_organisation_b(w)
    db.session.commit()
    return Data(w, coach, a1)


def _page(client, url: str = "/") -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.data, "html.parser")


def _figures(soup: BeautifulSoup) -> dict[str, str]:
    return {el["data-figure"]: el.get_text(strip=True) for el in soup.select("[data-figure]")}


def _topics(soup: BeautifulSoup) -> list[str]:
    return [li.a.get_text(" ", strip=True).split(" · ", 1)[1] for li in soup.select("li[data-session]")]


def test_organiser_sees_the_known_figures_of_their_organisation(client, login_as, data):
    soup = _page(login_as(data.world.organiser_a))
    figures = _figures(soup)
    assert figures["sessions-held"] == "4"  # three sessions and the headcount evening
    assert figures["sessions-planned"] == "4"  # F1, F2, F3 and the draft cohort's session
    assert figures["sessions-cancelled"] == "1"
    assert figures["people-named"] == "2"  # P (three times) and Q; Q's excused absence is no attendance
    assert figures["headcount"] == "25"
    assert figures["people-reached"] == "27"
    assert figures["attended"] == "4" and figures["outcomes"] == "6"
    assert figures["attendance-rate"] == "67 %"


def test_things_to_act_on_are_counted_and_linked(client, login_as, data):
    soup = _page(login_as(data.world.organiser_a))
    figures = _figures(soup)
    assert figures["failed-emails"] == "2"
    assert figures["bounced-people"] == "1"
    assert figures["unrecorded-sessions"] == "1"  # S3; the cancelled session needs no attendance
    assert figures["open-meetings"] == "2"  # proposed and declined, not the confirmed one
    assert figures["ending-pairings"] == "1"  # not the completed one, not the one ending in 60 days
    assert figures["draft-cohorts"] == "1"
    links = {a["href"] for a in soup.find_all("a")}
    assert "/versand?status=failed" in links
    assert any(href.startswith("/mentoring/offen") for href in links)
    unrecorded = soup.find("section", attrs={"aria-labelledby": "actions-heading"})
    session_links = [a["href"] for a in unrecorded.select("a[href^='/termine/']")]
    assert len(session_links) == 1


def test_next_sessions_show_answer_counts_from_attendance(client, login_as, data):
    soup = _page(login_as(data.world.organiser_a))
    assert _topics(soup) == ["Bewerbung", "Elternabend", "Praktikum"]
    first = soup.select_one("li[data-session]")
    counts = {el["data-answers"]: el.get_text() for el in first.select("[data-answers]")}
    assert counts == {"accepted": "2", "declined": "1", "no_answer": "1"}
    assert first.a["href"] == f"/termine/{first['data-session']}"
    assert "Do., 12. März, 17:00" in first.a.get_text()  # Berlin time, not UTC


def test_organisers_never_see_another_organisations_figures(client, login_as, data):
    soup_a = _page(login_as(data.world.organiser_a))
    assert "Geheimes Thema B" not in soup_a.get_text()
    client.post("/konto/abmelden")
    soup_b = _page(login_as(data.world.organiser_b))
    figures = _figures(soup_b)
    assert figures["sessions-held"] == "1"
    assert figures["sessions-planned"] == "1"
    assert figures["sessions-cancelled"] == "1"
    assert figures["people-reached"] == "5"
    assert figures["failed-emails"] == "3"
    assert figures["bounced-people"] == "0"
    assert _topics(soup_b) == ["Geheimes Thema B"]
    # An organiser's filter value is ignored: the scope is their own organisation.
    figures_forced = _figures(_page(client, f"/?organisation_id={data.world.org_a.id}"))
    assert figures_forced == figures


def test_admin_sees_everything_or_one_organisation(client, login_as, data):
    login_as(data.world.admin)
    everything = _figures(_page(client))
    assert everything["sessions-held"] == "5"
    assert everything["people-reached"] == "32"
    assert everything["failed-emails"] == "5"
    only_b = _figures(_page(client, f"/?organisation_id={data.world.org_b.id}"))
    assert only_b["sessions-held"] == "1" and only_b["failed-emails"] == "3"
    refused = _page(client, "/?organisation_id=abc")
    assert refused.select_one(".alert-warning[role=alert]") is not None
    assert _figures(refused) == everything


def test_coach_sees_only_their_sessions(client, login_as, data):
    soup = _page(login_as(data.world.coach_a))
    assert _topics(soup) == ["Bewerbung", "Elternabend"]  # their F1, and F3 of the cohort they coach
    figures = _figures(soup)
    assert figures["sessions-held"] == "1"  # S1 only
    assert figures["people-named"] == "2" and figures["headcount"] == "0"
    assert figures["unrecorded-sessions"] == "0"  # S3 belongs to another coach
    assert "failed-emails" not in figures and "bounced-people" not in figures


def test_weekly_chart_has_a_text_alternative(client, login_as, data):
    soup = _page(login_as(data.world.organiser_a))
    cells = {td["data-week"]: td.get_text() for td in soup.select("table.visually-hidden td[data-week]")}
    assert len(cells) == 8
    assert cells["2026-03-09"] == "3"  # S3 (Monday), F1, F3
    assert cells["2026-03-16"] == "1"  # F2
    assert cells["2026-04-13"] == "1"  # the draft cohort's session
    svg = soup.select_one("svg[data-chart=weeks]")
    assert svg["aria-hidden"] == "true" and len(svg.select("rect")) == 8


def test_worker_warning_without_heartbeat(client, login_as, data):
    soup = _page(login_as(data.world.organiser_a))
    assert soup.select_one("[data-worker=never]") is not None


def test_worker_recently_active(client, login_as, data):
    db.session.add(WorkerHeartbeat(name="w1", last_seen_at=NOW - timedelta(minutes=2), info={}))
    db.session.commit()
    soup = _page(login_as(data.world.organiser_a))
    assert soup.select_one("[data-worker=ok]").get_text(strip=True) == "Versand zuletzt aktiv vor 2 Minuten"


def test_worker_stale_after_ten_minutes(client, login_as, data):
    db.session.add(WorkerHeartbeat(name="w1", last_seen_at=NOW - timedelta(minutes=25), info={}))
    db.session.commit()
    soup = _page(login_as(data.world.organiser_a))
    assert "vor 25 Minuten" in soup.select_one("[data-worker=stale]").get_text()


def _grow(w: factories.World, n: int) -> None:
    """More of everything the dashboard reads, in both organisations."""
    for org in (w.org_a, w.org_b):
        cohort = factories.cohort(org, w.programme, w.region)
        people = [factories.person(org) for _ in range(n)]
        for day in range(n):
            past = _session(cohort, date(2026, 3, 1) - timedelta(days=day))
            future = _session(cohort, date(2026, 3, 12) + timedelta(days=day % 40))
            for person in people:
                _attend(past, person, Outcome.ATTENDED)
                _attend(future, person, answer=Answer.ACCEPTED)
            _outbox(org.id, OutboxStatus.FAILED)
        draft = factories.cohort(org, w.programme, w.region)
        _session(draft, date(2026, 3, 30))
        for person in people[:3]:
            person.email_bounced_at = NOW
    db.session.commit()


@pytest.mark.parametrize("role", ["organiser", "coach", "admin"])
def test_query_count_does_not_grow_with_the_data(client, login_as, data, role):
    user = {"organiser": data.world.organiser_a, "coach": data.world.coach_a, "admin": data.world.admin}[role]
    login_as(user)
    with count_queries() as small:
        _page(client)
    _grow(data.world, 12)
    with count_queries() as large:
        _page(client)
    assert small.count == large.count, large.statements
    assert large.count <= 12, large.statements


def test_anonymous_visitor_is_sent_to_login(client):
    assert client.get("/").headers["Location"].startswith("/konto/anmelden")


def test_dashboard_for_an_empty_organisation(client, login_as, world, frozen):
    soup = _page(login_as(world.organiser_a))
    figures = _figures(soup)
    assert figures["sessions-held"] == "0" and figures["attendance-rate"] == "–"
    assert soup.find(string=lambda s: s and "keine Termine geplant" in s) is not None

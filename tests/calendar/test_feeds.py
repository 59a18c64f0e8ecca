"""Subscription feeds over HTTP: headers, conditional requests, tokens, windows, size and query count."""
from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from icalendar import Calendar

from coaching.calendar import services
from coaching.cohorts.models import CohortStatus
from coaching.core import clock
from coaching.extensions import db
from tests import factories
from tests.calendar.conftest import ical_js
from tests.querycount import count_queries


def _token(links) -> str:
    return links.https.rsplit("/", 1)[1].removesuffix(".ics")


@pytest.fixture
def ana_feed(published):
    ana = published.participants[0]
    return ana, _token(services.renew_person_feed(ana))


def test_person_feed_serves_calendar_with_privacy_headers(client, ana_feed, published):
    _ana, token = ana_feed
    response = client.get(f"/kalender/{token}.ics", headers={"Accept": "text/calendar"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response.headers["X-Robots-Tag"]
    assert response.headers["ETag"] and response.headers["Last-Modified"]
    text = response.get_data(as_text=True)
    cal = Calendar.from_ical(text)
    assert "METHOD" not in cal and "ATTENDEE" not in text
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in text and "X-PUBLISHED-TTL:PT1H" in text
    assert {str(e["UID"]) for e in cal.walk("VEVENT")} == {s.ical_uid for s in published.sessions}
    starts = sorted(e["start_utc"] for e in ical_js(text)["events"])
    assert starts == sorted(
        clock.as_utc(s.starts_at).strftime("%Y-%m-%dT%H:%M:%SZ") for s in published.sessions)


def test_conditional_get_and_head(client, ana_feed):
    _ana, token = ana_feed
    first = client.get(f"/kalender/{token}.ics")
    etag = first.headers["ETag"]
    again = client.get(f"/kalender/{token}.ics", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b"" and again.headers["ETag"] == etag
    modified = first.headers["Last-Modified"]
    since = client.get(f"/kalender/{token}.ics", headers={"If-Modified-Since": modified})
    assert since.status_code == 304
    head = client.head(f"/kalender/{token}.ics")
    assert head.status_code == 200 and head.get_data() == b""
    assert head.headers["Content-Type"] == "text/calendar; charset=utf-8"


def test_etag_changes_when_a_session_changes(client, ana_feed, published, frozen):
    _ana, token = ana_feed
    etag = client.get(f"/kalender/{token}.ics").headers["ETag"]
    frozen.shift(timedelta(minutes=5))
    published.sessions[0].topic = "Neues Thema"
    db.session.commit()
    response = client.get(f"/kalender/{token}.ics", headers={"If-None-Match": etag})
    assert response.status_code == 200 and "Neues Thema" in response.get_data(as_text=True)


def test_unknown_and_renewed_tokens_are_404(client, ana_feed):
    ana, token = ana_feed
    assert client.get("/kalender/not-a-token.ics").status_code == 404
    new_token = _token(services.renew_person_feed(ana))
    assert client.get(f"/kalender/{token}.ics").status_code == 404
    assert client.get(f"/kalender/{new_token}.ics").status_code == 200


def test_person_without_email_has_a_feed(client, published):
    token = _token(services.renew_person_feed(published.no_email))
    cal = Calendar.from_ical(client.get(f"/kalender/{token}.ics").get_data(as_text=True))
    assert len(cal.walk("VEVENT")) == 3


def test_feed_window_is_bounded(client, ana_feed, published):
    _ana, token = ana_feed
    factories.session(published.cohort, day=date(2025, 9, 1), topic="Lange her")  # > 90 days back
    factories.session(published.cohort, day=date(2027, 3, 1), topic="Weit weg")  # > 400 days ahead
    db.session.commit()
    text = client.get(f"/kalender/{token}.ics").get_data(as_text=True)
    assert "Lange her" not in text and "Weit weg" not in text


def test_cohort_and_region_feeds(client, published, world):
    token = _token(services.renew_cohort_feed(published.cohort, world.organiser_a))
    cal = Calendar.from_ical(client.get(f"/kalender/kohorte/{token}.ics").get_data(as_text=True))
    assert len(cal.walk("VEVENT")) == 3
    published.sessions[2].is_public = True
    db.session.commit()
    response = client.get(f"/kalender/region/{world.region.id}.ics")
    cal = Calendar.from_ical(response.get_data(as_text=True))
    assert [str(e["UID"]) for e in cal.walk("VEVENT")] == [published.sessions[2].ical_uid]
    published.cohort.status = CohortStatus.DRAFT
    db.session.commit()
    assert Calendar.from_ical(client.get(f"/kalender/region/{world.region.id}.ics").get_data(
        as_text=True)).walk("VEVENT") == []
    assert client.get("/kalender/region/999999.ics").status_code == 404


def _add_sessions(cohort, count: int) -> None:
    for i in range(count):
        factories.session(cohort, day=date(2026, 1, 12) + timedelta(days=i), at=time(17, 0))
    db.session.commit()


def test_feed_queries_do_not_grow_with_sessions(client, ana_feed, published):
    _ana, token = ana_feed
    with count_queries() as few:
        client.get(f"/kalender/{token}.ics")
    _add_sessions(published.cohort, 200)
    with count_queries() as many:
        response = client.get(f"/kalender/{token}.ics")
    assert len(Calendar.from_ical(response.get_data(as_text=True)).walk("VEVENT")) == 203
    assert many.count == few.count <= 6
    with count_queries() as cached:
        assert client.get(f"/kalender/{token}.ics", headers={"If-None-Match": response.headers["ETag"]}
                          ).status_code == 304
    assert cached.count <= 4


def test_person_feed_includes_confirmed_mentoring_meetings(client, ana_feed, published, world):
    from coaching.core import tokens
    from coaching.mentoring.models import MeetingStatus, MentoringMeeting, Pairing, PairingKind

    ana, token = ana_feed
    pairing = Pairing(organisation_id=world.org_a.id, mentor_id=published.coach.id, mentee_id=ana.id,
                      kind=PairingKind.COACH_BEIRAT)
    db.session.add(pairing)
    db.session.flush()
    start = clock.local_to_utc(date(2026, 10, 25), time(10, 0))
    for status in (MeetingStatus.CONFIRMED, MeetingStatus.PROPOSED):
        db.session.add(MentoringMeeting(pairing_id=pairing.id, status=status, starts_at=start,
                                        ends_at=start + timedelta(hours=1),
                                        ical_uid=tokens.new_uid("meeting")))
    db.session.commit()
    events = ical_js(client.get(f"/kalender/{token}.ics").get_data(as_text=True))["events"]
    meetings = [e for e in events if e["uid"].startswith("meeting-")]
    assert [e["start_utc"] for e in meetings] == ["2026-10-25T09:00:00Z"]

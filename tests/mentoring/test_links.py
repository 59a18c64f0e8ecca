"""Signed links: tampering, expiry, stale SEQUENCE, the wrong person, fresh links by email only."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from coaching.core import tokens
from coaching.extensions import db
from coaching.mentoring import links, services
from coaching.mentoring.models import MeetingStatus
from tests import factories
from tests.mentoring.conftest import FIRST, SECOND, outbox, pairing


def _path(url: str) -> str:
    return urlsplit(url).path


def _meeting(cast, mentor=None):
    pair = pairing(cast.world, mentor or cast.arabic_far, cast.mentee)
    return services.propose_meeting(
        cast.world.organiser_a, pair, services.Proposal(options=[FIRST], venue="Rathaus")
    )


def test_tampered_token_is_404(cast, client):
    meeting = _meeting(cast)
    path = _path(links.mentor_meeting_url(meeting))
    assert client.get(path[:-3] + ("aaa" if not path.endswith("aaa") else "bbb")).status_code == 404
    assert client.post(path + "x", data={"action": "confirm"}).status_code == 404
    other_purpose = tokens.sign(links.LOG_PURPOSE, {"p": cast.arabic_far.id, "m": meeting.id, "s": 0})
    assert client.get(f"/mentor/treffen/{other_purpose}").status_code == 404
    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.PROPOSED


def test_link_only_acts_for_the_pairings_mentor(cast, client):
    meeting = _meeting(cast)
    forged = tokens.sign(links.MEETING_PURPOSE, {"p": cast.german_near.id, "m": meeting.id, "s": 0})
    assert client.post(f"/mentor/treffen/{forged}", data={"action": "confirm"}).status_code == 404
    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.PROPOSED


def test_expired_link_offers_a_fresh_one_by_email_only(cast, client, frozen):
    meeting = _meeting(cast)
    path = _path(links.mentor_meeting_url(meeting))
    frozen.shift(timedelta(days=15))
    page = client.get(path)
    soup = BeautifulSoup(page.data, "html.parser")
    assert "abgelaufen" in soup.select_one("[data-testid=reason]").text
    refused = client.post(path, data={"action": "confirm"})
    assert b"/mentor/treffen/" not in refused.data
    db.session.refresh(meeting)
    assert meeting.status != MeetingStatus.CONFIRMED

    sent = client.post(path, data={"action": "fresh"})
    assert BeautifulSoup(sent.data, "html.parser").select_one("[data-testid=sent]")
    assert b"/mentor/treffen/" not in sent.data  # never shown to whoever holds the old link
    (fresh,) = outbox("mentor_fresh_link")
    assert fresh.recipient_email == cast.arabic_far.email
    new_path = _path(next(w for w in fresh.body_text.split() if "/mentor/treffen/" in w))
    assert client.get(new_path).status_code == 200


def test_link_from_before_a_change_is_refused_without_changing_anything(cast, client):
    meeting = _meeting(cast)
    old = _path(links.mentor_meeting_url(meeting))
    services.repropose_meeting(
        cast.world.organiser_a, meeting, services.Proposal(options=[SECOND], venue="Rathaus")
    )
    assert meeting.ical_sequence == 1
    response = client.post(old, data={"action": "confirm", "confirm-option": meeting.options[0].id})
    soup = BeautifulSoup(response.data, "html.parser")
    assert "geändert" in soup.select_one("[data-testid=reason]").text
    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.PROPOSED and meeting.starts_at is None
    assert not outbox("meeting_invitation")
    # The current link works.
    current = _path(links.mentor_meeting_url(meeting))
    client.post(current, data={"action": "confirm", "confirm-option": meeting.options[0].id})
    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.CONFIRMED


def test_declining_twice_is_harmless(cast, client):
    meeting = _meeting(cast)
    path = _path(links.mentor_meeting_url(meeting))
    client.post(path, data={"action": "decline"})
    queued = len(outbox())
    again = client.post(path, data={"action": "decline"})
    assert (
        BeautifulSoup(again.data, "html.parser").select_one("[data-testid=outcome]")["data-outcome"]
        == "already"
    )
    assert len(outbox()) == queued


def test_my_mentoring_shows_only_own_pairings_without_staff_navigation(cast, client):
    mine = _meeting(cast)
    other = factories.person(cast.world.org_a, first_name="Fremd", last_name="Mentee")
    pairing(cast.world, cast.german_near, other)
    response = client.get(_path(links.mentor_portal_url(cast.arabic_far)))
    assert response.status_code == 200
    soup = BeautifulSoup(response.data, "html.parser")
    assert soup.find("nav") is None
    assert "Samira Haddad" in soup.select_one("[data-testid=pairings]").text
    assert "Fremd" not in soup.text
    assert soup.select_one(f"[data-testid=upcoming] tr[data-meeting='{mine.id}'] a")["href"].startswith(
        "http://coaching.test/mentor/treffen/"
    )


def test_my_mentoring_link_expires_after_30_days(cast, client, frozen):
    path = _path(links.mentor_portal_url(cast.arabic_far))
    frozen.shift(timedelta(days=31))
    soup = BeautifulSoup(client.get(path).data, "html.parser")
    assert "abgelaufen" in soup.select_one("[data-testid=reason]").text
    client.post(path, data={"action": "fresh"})
    (fresh,) = outbox("mentor_portal_link")
    assert fresh.recipient_email == cast.arabic_far.email
    assert client.get("/mentor/not-a-token").status_code == 404


def test_mentee_can_propose_a_meeting_from_their_link(cast, client):
    pair = pairing(cast.world, cast.arabic_far, cast.mentee)
    path = _path(links.mentee_proposal_url(pair))
    response = client.post(
        path,
        data={
            "option1-day": FIRST[0].isoformat(),
            "option1-time": "17:30",
            "option1-minutes": "60",
            "option2-minutes": "60",
            "option3-minutes": "60",
            "online_url": "https://meet.example.org/abc",
        },
    )
    assert response.status_code == 200
    (request_mail,) = outbox("meeting_request")
    assert request_mail.recipient_email == cast.arabic_far.email
    forged = tokens.sign(links.MENTEE_PURPOSE, {"p": cast.busy_mentee.id, "pr": pair.id})
    assert client.get(f"/mentee/{forged}/treffen").status_code == 404


def test_link_pages_are_rate_limited(cast, client):
    """Guessing or hammering links is slowed down: past the limit a clear 429 page, not the meeting."""
    path = _path(links.mentor_meeting_url(_meeting(cast)))
    codes = [client.get(path).status_code for _ in range(31)]
    assert codes[:30] == [200] * 30
    assert codes[30] == 429
    assert "Zu viele Versuche" in client.get(path).get_data(as_text=True)

"""The whole email round trip through a real SMTP server (the app's own catcher on a free loopback port)."""

from __future__ import annotations

import email
import mailbox
import socket
from datetime import datetime
from email import policy
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
import pytest
from bs4 import BeautifulSoup
from flask_babel import force_locale, gettext

from coaching.extensions import db
from coaching.mail import catcher, worker
from coaching.mentoring import links, services
from coaching.mentoring.models import MeetingStatus, MentoringMeeting, PairingStatus
from tests.mentoring.conftest import FIRST, SECOND, meeting_link, outbox, pairing

BERLIN = ZoneInfo("Europe/Berlin")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(app, monkeypatch, tmp_path):
    port = _free_port()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    server = catcher.controller(tmp_path / "maildir", port=port)
    server.start()
    yield mailbox.Maildir(str(tmp_path / "maildir"), create=False)
    server.stop()


def _delivered(app, box, to: str) -> list[email.message.EmailMessage]:
    worker.run_once(app)
    found = [email.message_from_bytes(box.get_bytes(key), policy=policy.default) for key in box.keys()]
    return [m for m in found if m["Delivered-To"] == to]


def _calendar(message) -> icalendar.Calendar:
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert parts, "no text/calendar part"
    assert parts[0].get_param("method") == "REQUEST"
    return icalendar.Calendar.from_ical(parts[0].get_content())


def _path(link: str) -> str:
    parts = urlsplit(link)
    return parts.path


def test_propose_mail_confirm_invite(app, cast, smtp, client, login_as):
    pair = pairing(cast.world, cast.arabic_far, cast.mentee)
    login_as(cast.world.organiser_a)
    form = {
        "option1-day": FIRST[0].isoformat(),
        "option1-time": "17:30",
        "option1-minutes": "60",
        "option2-day": SECOND[0].isoformat(),
        "option2-time": "10:00",
        "option2-minutes": "90",
        "option3-minutes": "60",
        "venue": "Bürgerhaus Dresden",
        "message": "Kennenlernen",
    }
    response = client.post(f"/mentoring/paare/{pair.id}/treffen/neu", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    meeting = db.session.query(MentoringMeeting).one()
    assert meeting.status == MeetingStatus.PROPOSED and len(meeting.options) == 2

    (request_mail,) = _delivered(app, smtp, cast.arabic_far.email)
    assert "Samira Haddad" in request_mail["Subject"]
    body = request_mail.get_body(("plain",)).get_content()
    link = meeting_link(body)
    path = _path(link)

    # A GET (what a mail scanner does) shows the page and changes nothing.
    queued_before = len(outbox())
    page = client.get(path)
    assert page.status_code == 200
    soup = BeautifulSoup(page.data, "html.parser")
    assert soup.find("nav") is None  # no staff navigation on the mentor's page
    options = [int(i["value"]) for i in soup.select("input[name=confirm-option]")]
    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.PROPOSED and len(outbox()) == queued_before

    second = meeting.options[1]
    assert options == [o.id for o in meeting.options]
    confirmed = client.post(path, data={"action": "confirm", "confirm-option": second.id})
    assert confirmed.status_code == 200
    assert (
        BeautifulSoup(confirmed.data, "html.parser").select_one("[data-testid=outcome]")["data-outcome"]
        == "done"
    )
    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.CONFIRMED and meeting.starts_at == second.starts_at

    invitations = outbox("meeting_invitation")
    assert {m.recipient_email for m in invitations} == {cast.arabic_far.email, cast.mentee.email}
    assert all(m.ical_method == "REQUEST" for m in invitations)

    for person in (cast.arabic_far, cast.mentee):
        (mail,) = [m for m in _delivered(app, smtp, person.email) if _has_calendar(m)]
        # The subject speaks the recipient's language ("Bestätigt: …" translated for the Arabic mentor).
        with force_locale(person.preferred_language):
            confirmed_prefix = gettext("Bestätigt: Mentoring-Treffen am %(day)s", day="").strip()
        assert mail["Subject"].startswith(confirmed_prefix), (mail["Subject"], confirmed_prefix)
        event = _calendar(mail).walk("VEVENT")[0]
        assert str(event["UID"]) == meeting.ical_uid
        assert int(event["SEQUENCE"]) == meeting.ical_sequence == 0
        start = event["DTSTART"]
        assert start.params["TZID"] == "Europe/Berlin"
        assert start.dt.replace(tzinfo=None) == datetime(2026, 11, 19, 10, 0)
        assert start.dt.astimezone(BERLIN) == meeting.starts_at.astimezone(BERLIN)
        attendees = {str(a).lower() for a in event.get("ATTENDEE")}
        assert f"mailto:{person.email}".lower() in attendees

    # The same link once more: "already confirmed", nothing new queued.
    queued = len(outbox())
    again = client.post(path, data={"action": "confirm", "confirm-option": second.id})
    assert (
        BeautifulSoup(again.data, "html.parser").select_one("[data-testid=outcome]")["data-outcome"]
        == "already"
    )
    assert len(outbox()) == queued


def _has_calendar(message) -> bool:
    return any(p.get_content_type() == "text/calendar" for p in message.walk())


def test_decline_tells_organiser_and_mentee(app, cast, client):
    pair = pairing(cast.world, cast.arabic_far, cast.mentee, PairingStatus.ACTIVE)
    meeting = services.propose_meeting(
        cast.world.organiser_a, pair, services.Proposal(options=[FIRST], venue="Rathaus")
    )
    path = _path(links.mentor_meeting_url(meeting))
    response = client.post(path, data={"action": "decline", "decline-note": "Ich bin krank."})
    assert response.status_code == 200
    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.DECLINED and meeting.response_note == "Ich bin krank."
    told = {m.recipient_email for m in outbox("meeting_declined")}
    assert told == {cast.world.organiser_a.email, cast.mentee.email}
    assert not outbox("meeting_invitation")


def test_counter_proposal_then_organiser_accepts(app, cast, client, login_as):
    pair = pairing(cast.world, cast.arabic_far, cast.mentee)
    meeting = services.propose_meeting(
        cast.world.organiser_a,
        pair,
        services.Proposal(options=[FIRST], online_url="https://meet.example.org/x"),
    )
    path = _path(links.mentor_meeting_url(meeting))
    client.post(
        path,
        data={
            "action": "suggest",
            "suggest-day": "2026-11-18",
            "suggest-time": "18:00",
            "suggest-minutes": "60",
            "suggest-note": "Lieber abends",
        },
    )
    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.COUNTER_PROPOSED
    assert {m.recipient_email for m in outbox("meeting_counter_proposed")} == {
        cast.world.organiser_a.email,
        cast.mentee.email,
    }
    login_as(cast.world.organiser_a)
    client.post(f"/mentoring/treffen/{meeting.id}/vorschlag-annehmen")
    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.CONFIRMED
    assert meeting.starts_at.astimezone(BERLIN).replace(tzinfo=None) == datetime(2026, 11, 18, 18, 0)
    assert len(outbox("meeting_invitation")) == 2

"""Worker jobs on a frozen clock: one reminder, then expiry; follow-ups; the meeting log."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from coaching.core import clock
from coaching.extensions import db
from coaching.mentoring import links, services
from coaching.mentoring.models import MeetingStatus
from coaching.notifications import scheduler
from tests.mentoring.conftest import FIRST, SECOND, outbox, pairing


def _path(url: str) -> str:
    return urlsplit(url).path


def _link_in(text: str, marker: str) -> str:
    return _path(next(word for word in text.split() if marker in word))


def test_one_reminder_then_expiry(cast, client, login_as, frozen):
    pair = pairing(cast.world, cast.arabic_far, cast.mentee)
    meeting = services.propose_meeting(
        cast.world.organiser_a, pair, services.Proposal(options=[SECOND], venue="Rathaus")
    )
    assert meeting.expires_at == clock.now() + timedelta(days=7)

    frozen.shift(timedelta(days=2, hours=1))
    scheduler.run_due()
    scheduler.run_due()
    (reminder,) = outbox("mentor_reminder")
    assert reminder.recipient_email == cast.arabic_far.email
    assert client.get(_link_in(reminder.body_text, "/mentor/treffen/")).status_code == 200
    assert services.expire_stale_meetings() == 0

    frozen.shift(timedelta(days=5))
    assert services.expire_stale_meetings() == 1
    assert services.expire_stale_meetings() == 0
    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.EXPIRED
    scheduler.run_due()
    assert len(outbox("mentor_reminder")) == 1
    page = BeautifulSoup(client.get(_path(links.mentor_meeting_url(meeting))).data, "html.parser")
    assert "abgelaufen" in page.select_one("[data-testid=closed]").text
    login_as(cast.world.organiser_a)
    soup = BeautifulSoup(client.get("/mentoring/offen").data, "html.parser")
    assert soup.select_one(f"tr[data-meeting='{meeting.id}'] [data-status=expired]")


def test_waiting_requests_show_up_on_the_to_do_list(cast, client, login_as, frozen):
    pair = pairing(cast.world, cast.arabic_far, cast.mentee)
    meeting = services.propose_meeting(
        cast.world.organiser_a, pair, services.Proposal(options=[SECOND], venue="Rathaus")
    )
    login_as(cast.world.organiser_a)
    assert not BeautifulSoup(client.get("/mentoring/offen").data, "html.parser").select("tr[data-meeting]")
    frozen.shift(timedelta(days=4))
    rows = BeautifulSoup(client.get("/mentoring/offen").data, "html.parser").select("tr[data-meeting]")
    assert [int(r["data-meeting"]) for r in rows] == [meeting.id]


def _confirmed(cast, client):
    pair = pairing(cast.world, cast.arabic_far, cast.mentee)
    meeting = services.propose_meeting(
        cast.world.organiser_a, pair, services.Proposal(options=[FIRST], venue="Rathaus")
    )
    services.confirm_meeting(cast.arabic_far, meeting, meeting.options[0].id)
    return meeting


def test_followups_are_queued_once_after_the_meeting(cast, client, frozen):
    meeting = _confirmed(cast, client)
    assert services.queue_meeting_followups() == 0
    frozen.move_to(meeting.ends_at + timedelta(minutes=5))
    assert services.queue_meeting_followups() == 1
    assert services.queue_meeting_followups() == 0
    (to_mentor,) = outbox("meeting_followup_mentor")
    (to_mentee,) = outbox("meeting_followup_mentee")
    assert (
        to_mentor.recipient_email == cast.arabic_far.email and to_mentee.recipient_email == cast.mentee.email
    )
    assert to_mentor.headers["Auto-Submitted"] == "auto-generated"
    db.session.refresh(meeting)
    assert meeting.followup_sent_at == clock.now()


def test_meeting_log_from_the_follow_up_link(cast, client, frozen):
    meeting = _confirmed(cast, client)
    frozen.move_to(meeting.ends_at + timedelta(hours=1))
    services.queue_meeting_followups()
    (mail,) = outbox("meeting_followup_mentor")
    path = _link_in(mail.body_text, "/mentor/protokoll/")
    form = BeautifulSoup(client.get(path).data, "html.parser")
    assert form.select_one("#duration_minutes")["value"] == "60"
    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.CONFIRMED

    bad = client.post(path, data={"took_place": "yes", "duration_minutes": "", "parents_counselled": "-3"})
    assert bad.status_code == 400
    db.session.refresh(meeting)
    assert meeting.logged_at is None

    data = {
        "took_place": "yes",
        "duration_minutes": "75",
        "topics": "Duale Ausbildung, Bewerbung",
        "parents_counselled": "4",
        "private_notes": "Familie braucht Dolmetscher",
    }
    saved = client.post(path, data=data)
    assert BeautifulSoup(saved.data, "html.parser").select_one("[data-testid=saved]")
    client.post(path, data=data)  # twice: harmless, same log
    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.HELD and meeting.took_place is True
    assert (meeting.duration_minutes, meeting.topics, meeting.parents_counselled) == (
        75,
        ["Duale Ausbildung", "Bewerbung"],
        4,
    )
    assert meeting.private_notes == "Familie braucht Dolmetscher" and meeting.logged_at == clock.now()


def test_log_cannot_be_filled_before_the_meeting(cast, client):
    meeting = _confirmed(cast, client)
    response = client.post(_path(links.meeting_log_url(meeting)), data={"took_place": "no"})
    assert response.status_code == 400
    assert (
        "noch nicht begonnen"
        in BeautifulSoup(response.data, "html.parser").select_one("[data-testid=error]").text
    )
    db.session.refresh(meeting)
    assert meeting.status == MeetingStatus.CONFIRMED


def test_waiting_days_parameter_is_clamped(cast, client, login_as, frozen):
    """`?tage=` with a huge, negative or odd value never fails: it is kept to 0–365 days (3 if unreadable)."""
    pair = pairing(cast.world, cast.arabic_far, cast.mentee)
    meeting = services.propose_meeting(
        cast.world.organiser_a, pair, services.Proposal(options=[SECOND], venue="Rathaus")
    )
    frozen.shift(timedelta(days=1))
    login_as(cast.world.organiser_a)
    shown = {}
    for value in ("99999999999", "99999999999999999999999", "-5", "²", "abc", "0", "1"):
        response = client.get("/mentoring/offen", query_string={"tage": value})
        assert response.status_code == 200, value
        soup = BeautifulSoup(response.data, "html.parser")
        shown[value] = [int(r["data-meeting"]) for r in soup.select("tr[data-meeting]")]
    assert shown["99999999999"] == shown["abc"] == shown["²"] == []  # 365 days, 3 days
    assert shown["-5"] == shown["0"] == [meeting.id]
    assert "365 Tagen" in client.get("/mentoring/offen?tage=99999999999").get_data(as_text=True)

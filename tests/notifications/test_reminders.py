from __future__ import annotations

from datetime import time, timedelta

from bs4 import BeautifulSoup
from sqlalchemy import select

from coaching.attendance.models import Answer, Attendance
from coaching.calendar import invitations
from coaching.cohorts.models import Enrolment, EnrolmentStatus
from coaching.extensions import db
from coaching.notifications.scheduler import run_due
from coaching.scheduling.models import SessionStatus
from tests import factories
from tests.notifications.conftest import END, SESSION_DAY, START, at, key_version, path_of, queued


def test_three_days_and_three_hours_before(setup):
    email = setup.people[0].email
    with at(START - timedelta(days=3, minutes=1)):
        assert run_due()["session_reminders"] == 0
    with at(START - timedelta(days=3) + timedelta(minutes=1)):
        assert run_due()["session_reminders"] == 1
        assert run_due()["session_reminders"] == 0  # the next cycle sends nothing twice
    with at(START - timedelta(hours=3, minutes=1)):
        assert run_due()["session_reminders"] == 0
    with at(START - timedelta(hours=3)):
        assert run_due()["session_reminders"] == 1
    with at(START + timedelta(minutes=1)):
        assert run_due()["session_reminders"] == 0

    messages = queued("session_reminder")
    assert [m.idempotency_key for m in messages] == [
        f"session_reminder:session:{setup.session.id}@0:{email}:-4320",
        f"session_reminder:session:{setup.session.id}@0:{email}:-180",
    ]
    assert all(m.recipient_email == email and m.session_id == setup.session.id for m in messages)
    assert "Erinnerung" in messages[0].subject and setup.session.topic in messages[0].subject
    assert "18:00" in messages[0].body_text


def test_worker_down_for_a_week_skips_past_sessions_and_sends_only_the_latest_reminder(setup):
    earlier = factories.session(setup.cohort, SESSION_DAY - timedelta(days=2), time(18, 0))
    db.session.commit()
    # The worker was down from a week before until two hours before the second session.
    with at(START - timedelta(hours=2)):
        counts = run_due()
    messages = queued("session_reminder")
    assert counts["session_reminders"] == 1
    assert [(m.session_id, key_version(m)) for m in messages] == [(setup.session.id, "-180")]
    assert not [m for m in messages if m.session_id == earlier.id]
    # The superseded 3-day reminder never follows in later cycles.
    with at(START - timedelta(hours=1)):
        assert run_due()["session_reminders"] == 0


def test_worker_back_after_the_session_sends_nothing(setup):
    with at(START + timedelta(hours=1)):
        assert run_due()["session_reminders"] == 0
    assert queued("session_reminder") == []


def test_who_gets_no_reminder(setup):
    p = setup
    no_email = p.add_participant(email=None)
    bounced = p.add_participant()
    bounced.email_bounced_at = START - timedelta(days=10)
    unsubscribed = p.add_participant()
    unsubscribed.unsubscribed_at = START - timedelta(days=10)
    declined = p.add_participant()
    db.session.add(Attendance(session_id=p.session.id, person_id=declined.id, answer=Answer.DECLINED))
    withdrawn = p.add_participant()
    enrolment = db.session.scalars(select(Enrolment).where(Enrolment.person_id == withdrawn.id)).one()
    enrolment.status = EnrolmentStatus.WITHDRAWN
    db.session.commit()
    assert no_email and bounced

    with at(START - timedelta(hours=2)):
        run_due()
    assert [m.recipient_person_id for m in queued("session_reminder")] == [p.people[0].id]


def test_cancelled_sessions_and_disabled_rules_send_nothing(setup):
    setup.session.status = SessionStatus.CANCELLED
    db.session.commit()
    with at(START - timedelta(hours=2)):
        assert run_due()["session_reminders"] == 0
    setup.session.status = SessionStatus.PLANNED
    for rule in setup.programme.rules:
        rule.enabled = False
    db.session.commit()
    with at(START - timedelta(hours=2)):
        assert run_due() == {"session_reminders": 0, "session_followups": 0, "mentor_reminders": 0}


def test_reminder_in_the_persons_language_and_bilingual_when_the_programme_asks(setup):
    person = setup.add_participant(language="ar")
    setup.programme.bilingual_emails = True
    db.session.commit()
    with at(START - timedelta(hours=2)):
        run_due()
    (arabic,) = [m for m in queued("session_reminder") if m.recipient_person_id == person.id]
    (german,) = [m for m in queued("session_reminder") if m.recipient_person_id == setup.people[0].id]
    assert arabic.language == "ar"
    soup = BeautifulSoup(arabic.body_html, "html.parser")
    assert soup.html["lang"] == "ar" and soup.html["dir"] == "rtl"
    copy = soup.find(attrs={"data-role": "german-copy"})
    assert copy is not None and copy["lang"] == "de"
    assert setup.session.topic in copy.get_text()
    # One unsubscribe link (the footer is not repeated in the German copy), and the text has both parts.
    assert len(soup.find_all(attrs={"data-role": "unsubscribe"})) == 1
    assert arabic.body_text.count(setup.session.topic) >= 2
    # German recipients of the same programme get one language only.
    assert BeautifulSoup(german.body_html, "html.parser").find(attrs={"data-role": "german-copy"}) is None


def test_cli_runs_one_pass(setup, app):
    with at(START - timedelta(hours=2)):
        result = app.test_cli_runner().invoke(args=["notifications", "run-due"])
    assert result.exit_code == 0, result.output
    assert "session_reminders: 1" in result.output
    assert len(queued("session_reminder")) == 1


def test_a_session_moved_after_its_reminder_is_reminded_again(setup):
    """The key carries the SEQUENCE: a reschedule makes the reminder due again for the new date."""
    with at(START - timedelta(hours=2)):
        assert run_due()["session_reminders"] == 1
        setup.session.starts_at = START + timedelta(days=7)
        setup.session.ends_at = END + timedelta(days=7)
        setup.session.ical_sequence += 1
        db.session.commit()
    with at(START + timedelta(days=7, hours=-2)):
        assert run_due()["session_reminders"] == 1
    keys = [m.idempotency_key for m in queued("session_reminder")]
    assert [key.split(":")[2] for key in keys] == [f"{setup.session.id}@0", f"{setup.session.id}@1"]


def _answer_link(message, label: str) -> str:
    """The link of the button `label` in the reminder's HTML part, also present in the text part."""
    html = BeautifulSoup(message.body_html, "html.parser")
    (link,) = [a["href"] for a in html.find_all("a") if a.get_text(strip=True) == label]
    assert link in message.body_text
    return path_of(link)


def test_reminder_carries_the_invitations_answer_links(setup, client):
    person = setup.people[0]
    invitations.sync_session(setup.session)
    db.session.commit()
    with at(START - timedelta(days=3) + timedelta(minutes=1)):
        assert run_due()["session_reminders"] == 1
        (reminder,) = queued("session_reminder")
        accept, decline = _answer_link(reminder, "Zusagen"), _answer_link(reminder, "Absagen")
        assert "antwort=accepted" in accept and "antwort=declined" in decline
        page = client.get(accept)
        assert page.status_code == 200
        assert BeautifulSoup(page.data, "html.parser").select("form[method=post] button[name=antwort]")
        row = db.session.scalar(select(Attendance).where(Attendance.person_id == person.id))
        assert row.answer == Answer.NEEDS_ACTION  # GET only shows
        assert client.post(accept, data={"antwort": "accepted"}).status_code == 200
        db.session.refresh(row)
        assert row.answer == Answer.ACCEPTED


def test_reminder_in_the_participants_language_without_an_invitation_has_no_links(setup):
    setup.people[0].preferred_language = "uk"
    db.session.commit()
    with at(START - timedelta(days=3) + timedelta(minutes=1)):
        assert run_due()["session_reminders"] == 1
    (reminder,) = queued("session_reminder")
    assert "/antwort/" not in reminder.body_text and "Absagen" not in reminder.body_text

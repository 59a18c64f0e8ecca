"""Publishing, updates, cancellations and withdrawals queue exactly the right invitations."""
from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar
from sqlalchemy import select

from coaching.attendance.models import Answer, Attendance
from coaching.calendar import invitations
from coaching.cohorts.models import Enrolment, EnrolmentStatus
from coaching.extensions import db
from coaching.mail.models import OutboxMessage
from coaching.scheduling.models import SessionStatus
from tests.calendar.conftest import libical_check


def _outbox(kind: str | None = None) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return list(db.session.scalars(query))


def _vevent(message: OutboxMessage):
    cal = Calendar.from_ical(message.ical)
    assert cal["METHOD"] == message.ical_method
    (vevent,) = cal.walk("VEVENT")
    return vevent


def test_publish_invites_everyone_with_email_per_session(published):
    messages = _outbox()
    # 2 participants with email + coach, 3 sessions; the person without email gets nothing.
    assert len(messages) == 9
    assert {m.kind for m in messages} == {"session_invitation"}
    assert {m.recipient_email for m in messages} == {p.email for p in published.participants} | {
        published.coach.email}
    for message in messages:
        vevent = _vevent(message)
        assert message.ical_method == "REQUEST"
        assert [str(a) for a in [vevent["ATTENDEE"]]] == [f"mailto:{message.recipient_email}"]
        assert vevent["SEQUENCE"] == 0
        assert "/antwort/" in message.body_text and "calendar.google.com" in message.body_text
        assert "outlook.live.com" in message.body_html
    rows = db.session.scalars(select(Attendance)).all()
    assert len(rows) == 9 and {r.answer for r in rows} == {Answer.NEEDS_ACTION}
    assert {r.invited_sequence for r in rows} == {0}


def test_emails_speak_the_recipients_language(published):
    omar = published.participants[1]
    message = _outbox()[[m.recipient_person_id for m in _outbox()].index(omar.id)]
    assert message.language == "ar"


def test_sync_again_sends_nothing(published):
    assert invitations.sync_cohort(published.cohort) == 0
    assert len(_outbox()) == 9


def test_reschedule_sends_update_with_higher_sequence_and_resets_answers(published):
    session = published.sessions[0]
    row = db.session.scalar(select(Attendance).where(Attendance.session_id == session.id,
                                                     Attendance.person_id == published.participants[0].id))
    row.answer = Answer.ACCEPTED
    from coaching.scheduling.models import ChangeKind, SessionChange

    session.starts_at += timedelta(days=1)
    session.ends_at += timedelta(days=1)
    session.ical_sequence += 1
    db.session.add(SessionChange(session_id=session.id, kind=ChangeKind.RESCHEDULED, sequence=1))
    assert invitations.sync_session(session) == 3
    db.session.commit()
    updates = _outbox("session_update")
    assert len(updates) == 3
    for message in updates:
        vevent = _vevent(message)
        assert vevent["UID"] == session.ical_uid and vevent["SEQUENCE"] == 1
    assert row.answer == Answer.NEEDS_ACTION and row.invited_sequence == 1
    assert session.sent_sequence == 1


def test_cancelled_session_sends_cancel_to_everyone_invited(published):
    session = published.sessions[1]
    session.status = SessionStatus.CANCELLED
    session.ical_sequence += 1
    assert invitations.sync_session(session) == 3
    db.session.commit()
    cancels = _outbox("session_cancellation")
    assert len(cancels) == 3
    for message in cancels:
        vevent = _vevent(message)
        assert message.ical_method == "CANCEL" and vevent["STATUS"] == "CANCELLED" and vevent["SEQUENCE"] == 1
    assert libical_check(cancels[0].ical)["errors"] == []
    assert invitations.sync_session(session) == 0


def test_cancel_without_sequence_bump_still_gets_a_higher_sequence(published):
    session = published.sessions[1]
    session.status = SessionStatus.CANCELLED
    invitations.sync_session(session)
    assert {_vevent(m)["SEQUENCE"] for m in _outbox("session_cancellation")} == {1}


def test_withdrawn_participant_gets_a_cancel_and_nobody_else_mail(published):
    ana = published.participants[0]
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.person_id == ana.id))
    enrolment.status = EnrolmentStatus.WITHDRAWN
    assert invitations.sync_cohort(published.cohort) == 3
    db.session.commit()
    cancels = _outbox("session_cancellation")
    assert {m.recipient_email for m in cancels} == {ana.email}
    assert {_vevent(m)["SEQUENCE"] for m in cancels} == {1}
    assert len(_outbox()) == 12

    # Back in the cohort: a new invitation above the SEQUENCE of the cancel.
    enrolment.status = EnrolmentStatus.ACTIVE
    invitations.sync_cohort(published.cohort)
    db.session.commit()
    again = [m for m in _outbox("session_invitation") if m.recipient_email == ana.email][-3:]
    assert {_vevent(m)["SEQUENCE"] for m in again} == {2}


def test_past_sessions_and_unpublished_cohorts_send_nothing(series, frozen):
    assert invitations.sync_cohort(series.cohort) == 0
    frozen.shift(timedelta(days=400))
    assert invitations.publish_cohort(series.cohort, None) == 0
    assert _outbox() == []

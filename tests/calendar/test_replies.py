"""iTIP REPLY mails from calendar clients, read from a maildir."""
from __future__ import annotations

from email.message import EmailMessage

from sqlalchemy import select

from coaching.attendance.models import Answer, AnswerSource, Attendance
from coaching.calendar.replies import read_replies
from coaching.extensions import db


def _reply(uid: str, email: str, partstat: str, sequence: int) -> bytes:
    ics = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test Client//EN\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\n"
        f"UID:{uid}\r\nSEQUENCE:{sequence}\r\nDTSTAMP:20260110T100000Z\r\nDTSTART:20260210T170000Z\r\n"
        "ORGANIZER:mailto:planung@coaching.example.org\r\n"
        f"ATTENDEE;PARTSTAT={partstat};CN=Someone:mailto:{email.upper()}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    message = EmailMessage()
    message["From"] = email
    message["To"] = "planung@coaching.example.org"
    message["Subject"] = "Angenommen: Termin"
    message.set_content("Accepted")
    message.add_alternative(ics, subtype="calendar", params={"method": "REPLY"})
    return bytes(message)


def _maildir(tmp_path, mails: dict[str, bytes]):
    for sub in ("new", "cur", "tmp"):
        (tmp_path / sub).mkdir()
    for name, data in mails.items():
        (tmp_path / "new" / name).write_bytes(data)
    return tmp_path


def _answer(published, person, index=0) -> Attendance:
    return db.session.scalar(select(Attendance).where(Attendance.session_id == published.sessions[index].id,
                                                      Attendance.person_id == person.id))


def test_reply_records_partstat_and_moves_mail(published, tmp_path):
    ana, omar = published.participants
    session = published.sessions[0]
    plain = EmailMessage()
    plain["From"] = "someone@example.org"
    plain.set_content("Danke!")
    box = _maildir(tmp_path, {
        "1.a": _reply(session.ical_uid, ana.email, "ACCEPTED", 0),
        "2.b": _reply(session.ical_uid, omar.email, "DECLINED", 0),
        "3.c": bytes(plain),
    })
    report = read_replies(box)
    assert (report.processed, report.recorded) == (2, 2)
    row = _answer(published, ana)
    assert row.answer == Answer.ACCEPTED and row.answer_source == AnswerSource.CALENDAR_REPLY
    assert _answer(published, omar).answer == Answer.DECLINED
    assert sorted(p.name for p in (box / "new").iterdir()) == ["3.c"]  # not a reply: left for others
    assert len(list((box / "cur").iterdir())) == 2
    assert read_replies(box).processed == 0


def test_reply_to_an_older_sequence_is_ignored(published, tmp_path):
    ana = published.participants[0]
    row = _answer(published, ana)
    row.invited_sequence = 2
    db.session.commit()
    box = _maildir(tmp_path, {"1": _reply(published.sessions[0].ical_uid, ana.email, "DECLINED", 1)})
    report = read_replies(box)
    assert (report.processed, report.recorded, report.ignored) == (1, 0, 1)
    assert _answer(published, ana).answer == Answer.NEEDS_ACTION


def test_unknown_uid_and_stranger_are_not_recorded(published, tmp_path):
    box = _maildir(tmp_path, {
        "1": _reply("unknown@elsewhere", "x@example.org", "ACCEPTED", 0),
        "2": _reply(published.sessions[0].ical_uid, "stranger@example.org", "ACCEPTED", 0),
    })
    report = read_replies(box)
    assert report.recorded == 0 and report.ignored == 1
    assert [p.name for p in (box / "new").iterdir()] == ["1"]


def test_cli_command(app, published, tmp_path):
    ana = published.participants[0]
    box = _maildir(tmp_path, {"1": _reply(published.sessions[1].ical_uid, ana.email, "TENTATIVE", 0)})
    result = app.test_cli_runner().invoke(args=["calendar", "read-replies", "--maildir", str(box)])
    assert result.exit_code == 0, result.output
    assert "recorded=1" in result.output
    db.session.expire_all()
    assert _answer(published, ana, 1).answer == Answer.TENTATIVE

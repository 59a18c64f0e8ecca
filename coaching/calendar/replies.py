"""Read iTIP REPLY emails (Accept/Decline pressed in a calendar) from the reply mailbox's maildir.

Calendar clients mail a METHOD:REPLY object to the ORGANIZER address. We match UID → session and the
ATTENDEE mailto → person, store the PARTSTAT, and move the mail from `new/` to `cur/`. Replies to an older
SEQUENCE than the one last sent to that person are ignored (they answer a time that no longer holds).
Mails that are not session replies (bounces, people writing back, mentoring replies) stay in `new/` for the
readers that own them.
"""
from __future__ import annotations

import email
import email.policy
import logging
import os
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from icalendar import Calendar
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from coaching.attendance.models import Attendance
from coaching.calendar import rsvp
from coaching.extensions import db
from coaching.people.models import Person
from coaching.scheduling.models import CoachingSession

log = logging.getLogger(__name__)
ICS_TYPES = {"text/calendar", "application/ics"}


@dataclass
class ReplyReport:
    processed: int = 0
    recorded: int = 0
    ignored: int = 0
    skipped_files: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReplyLine:
    uid: str
    sequence: int
    email: str
    partstat: str


def _calendars(message: EmailMessage) -> list[str]:
    found = []
    for part in message.walk():
        if part.get_content_type() in ICS_TYPES or (part.get_filename() or "").lower().endswith(".ics"):
            payload = part.get_payload(decode=True)
            if payload:
                found.append(payload.decode(part.get_content_charset() or "utf-8", errors="replace"))
    return found


def parse_reply(message: EmailMessage) -> list[ReplyLine] | None:
    """The REPLY lines in a mail, or None if it carries no iTIP REPLY at all."""
    lines: list[ReplyLine] = []
    is_reply = False
    for text in _calendars(message):
        try:
            cal = Calendar.from_ical(text)
        except ValueError:
            continue
        if str(cal.get("METHOD", "")).upper() != "REPLY":
            continue
        is_reply = True
        for vevent in cal.walk("VEVENT"):
            attendees = vevent.get("ATTENDEE")
            attendees = attendees if isinstance(attendees, list) else [attendees] if attendees else []
            for attendee in attendees:
                address = str(attendee)
                if address.lower().startswith("mailto:"):
                    address = address[7:]
                lines.append(ReplyLine(uid=str(vevent.get("UID", "")),
                                       sequence=int(vevent.get("SEQUENCE", 0)),
                                       email=address.strip().lower(),
                                       partstat=str(attendee.params.get("PARTSTAT", "NEEDS-ACTION"))))
    return lines if is_reply else None


def _known_session_uids(uids: set[str]) -> set[str]:
    if not uids:
        return set()
    return set(db.session.scalars(select(CoachingSession.ical_uid).where(CoachingSession.ical_uid.in_(uids))))


def record_lines(lines: list[ReplyLine]) -> tuple[int, int]:
    """Store what the lines say; returns (recorded, ignored). Does not commit."""
    recorded = ignored = 0
    for line in lines:
        attendance = db.session.scalar(
            select(Attendance).join(CoachingSession, CoachingSession.id == Attendance.session_id)
            .join(Person, Person.id == Attendance.person_id)
            .where(CoachingSession.ical_uid == line.uid, func.lower(Person.email) == line.email)
            .options(joinedload(Attendance.session))
        )
        if attendance is not None and rsvp.answer_from_calendar(attendance, line.partstat, line.sequence):
            recorded += 1
        else:
            ignored += 1
    return recorded, ignored


def _move_to_cur(path: Path) -> None:
    target = path.parent.parent / "cur" / (path.name if ":2," in path.name else f"{path.name}:2,S")
    os.replace(path, target)


def read_replies(maildir: str | os.PathLike) -> ReplyReport:
    """Process every new mail in the maildir once. Commits once per mail, so a crash loses nothing."""
    root = Path(maildir)
    (root / "cur").mkdir(parents=True, exist_ok=True)
    report = ReplyReport()
    new = root / "new"
    if not new.is_dir():
        return report
    for path in sorted(new.iterdir()):
        if not path.is_file() or path.name.startswith("."):
            continue
        try:
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            lines = parse_reply(message)
        except Exception:  # noqa: BLE001  a broken mail must not stop the others
            log.exception("unreadable mail %s", path.name)
            report.skipped_files.append(path.name)
            continue
        if lines is None:
            continue
        uids = {line.uid for line in lines}
        known = _known_session_uids(uids)
        if uids and not known:
            # Not ours (e.g. a mentoring meeting's reply): leave it for its own reader.
            report.skipped_files.append(path.name)
            continue
        recorded, ignored = record_lines([line for line in lines if line.uid in known])
        db.session.commit()
        _move_to_cur(path)
        report.processed += 1
        report.recorded += recorded
        report.ignored += ignored
    return report


def poll() -> ReplyReport | None:
    """Worker hook: read the reply mailbox, if configured (MAIL_REPLIES_MAILDIR, e.g. filled by fetchmail)."""
    from flask import current_app

    maildir = current_app.config.get("MAIL_REPLIES_MAILDIR")
    return read_replies(maildir) if maildir else None

"""Reading the mail catcher's maildir for the Mailbox page (development only).

Only names found in the maildir's `new/` and `cur/` folders are ever opened, so a crafted name in the URL
cannot reach another file.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from email import message_from_binary_file
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.policy import default
from pathlib import Path

from icalendar import Calendar

from coaching.mail.delivery import KIND_HEADER

PER_PAGE = 50


@dataclass(frozen=True)
class MailSummary:
    name: str
    date: datetime | None
    to: str
    subject: str
    kind: str


@dataclass
class CalendarSummary:
    mime_method: str | None
    method: str | None
    events: list[dict] = field(default_factory=list)
    error: str | None = None


@dataclass
class Attachment:
    filename: str
    content_type: str
    size: int


@dataclass
class MailDetail:
    name: str
    headers: list[tuple[str, str]]
    subject: str
    text: str | None
    html: str | None
    calendar: CalendarSummary | None
    attachments: list[Attachment]


def _files(directory: str | Path) -> dict[str, Path]:
    """name → path for every message, newest first."""
    root = Path(directory)
    folders = [root / sub for sub in ("new", "cur") if (root / sub).is_dir()]
    found = [p for folder in folders for p in folder.iterdir() if p.is_file()]
    found.sort(key=lambda p: (p.stat().st_mtime_ns, p.name), reverse=True)
    return {p.name.split(":", 1)[0]: p for p in found}


def _date(message) -> datetime | None:
    header = message.get("Date")
    return getattr(header, "datetime", None) if header is not None else None


def list_messages(directory: str | Path, page: int = 1) -> tuple[list[MailSummary], int]:
    """One page of the newest messages (only their headers are read) and the total number."""
    files = list(_files(directory).items())
    start = (max(page, 1) - 1) * PER_PAGE
    parser = BytesHeaderParser(policy=default)
    summaries = []
    for name, path in files[start:start + PER_PAGE]:
        with path.open("rb") as fh:
            headers = parser.parse(fh)
        summaries.append(MailSummary(name, _date(headers), str(headers.get("To", "")),
                                     str(headers.get("Subject", "")), str(headers.get(KIND_HEADER, ""))))
    return summaries, len(files)


def _calendar(part: EmailMessage) -> CalendarSummary:
    summary = CalendarSummary(mime_method=part.get_param("method"), method=None)
    try:
        calendar = Calendar.from_ical(part.get_content())
    except ValueError as exc:
        summary.error = str(exc)
        return summary
    summary.method = str(calendar.get("METHOD")) if calendar.get("METHOD") else None
    for event in calendar.walk("VEVENT"):
        start = event.get("DTSTART").dt if event.get("DTSTART") is not None else None
        attendees = event.get("ATTENDEE", [])
        summary.events.append({
            "summary": str(event.get("SUMMARY", "")),
            # Aware instants are shown in Berlin time by the template; dates and floating times as they are.
            "start": start if isinstance(start, datetime) and start.tzinfo else None,
            "start_text": str(start or ""),
            "status": str(event.get("STATUS", "")),
            "sequence": event.get("SEQUENCE"),
            "uid": str(event.get("UID", "")),
            "attendees": len(attendees) if isinstance(attendees, list) else 1,
        })
    return summary


def read_message(directory: str | Path, name: str) -> MailDetail | None:
    path = _files(directory).get(name)
    if path is None:
        return None
    with path.open("rb") as fh:
        message: EmailMessage = message_from_binary_file(fh, policy=default)  # type: ignore[assignment]
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    calendar_part = next((p for p in message.walk() if p.get_content_type() == "text/calendar"), None)
    attachments = [
        Attachment(part.get_filename() or "", part.get_content_type(),
                   len(part.get_payload(decode=True) or b""))
        for part in message.iter_attachments()
    ]
    return MailDetail(
        name=name,
        headers=[(k, str(v)) for k, v in message.items()],
        subject=str(message.get("Subject", "")),
        text=text.get_content() if text is not None else None,
        html=html.get_content() if html is not None else None,
        calendar=_calendar(calendar_part) if calendar_part is not None else None,
        attachments=attachments,
    )

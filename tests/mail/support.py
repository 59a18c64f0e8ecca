"""Helpers for the mail tests: invitation iCalendar text, filling the outbox, counting by status."""
from __future__ import annotations

from datetime import datetime

from icalendar import Calendar, Event, vCalAddress
from sqlalchemy import func, select

from coaching.core import clock
from coaching.extensions import db
from coaching.mail import outbox
from coaching.mail.compose import RenderedEmail
from coaching.mail.models import OutboxMessage


def invitation_ical(method: str = "REQUEST", to: str = "person@example.org", sequence: int = 0) -> str:
    cal = Calendar()
    cal.add("PRODID", "-//Elternarbeit@Ost//Coaching//DE")
    cal.add("VERSION", "2.0")
    cal.add("METHOD", method)
    event = Event()
    event.add("UID", "abc123@coaching.example.org")
    event.add("SEQUENCE", sequence)
    event.add("DTSTAMP", datetime(2026, 11, 1, 9, 0, tzinfo=clock.UTC))
    event.add("DTSTART", datetime(2026, 12, 3, 17, 0, tzinfo=clock.UTC))
    event.add("DTEND", datetime(2026, 12, 3, 18, 30, tzinfo=clock.UTC))
    event.add("SUMMARY", "Das duale Ausbildungssystem – Übersicht")
    event.add("ORGANIZER", vCalAddress("mailto:planung@coaching.example.org"))
    attendee = vCalAddress(f"mailto:{to}")
    attendee.params["RSVP"] = "TRUE"
    event.add("ATTENDEE", attendee)
    if method == "CANCEL":
        event.add("STATUS", "CANCELLED")
    cal.add_component(event)
    return cal.to_ical().decode("utf-8")


def queue(count: int, *, prefix: str = "p", ical_method: str | None = None, kind: str = "test",
          organisation_id: int | None = None, session_id: int | None = None, person_id: int | None = None,
          headers: dict | None = None, send_after: datetime | None = None, commit: bool = True,
          domain: str = "example.org") -> list[OutboxMessage]:
    """Queue `count` messages to prefix0@…, prefix1@…; invitations when `ical_method` is given."""
    rows = []
    for i in range(count):
        to = f"{prefix}{i}@{domain}"
        email = RenderedEmail(subject=f"Einladung {i}: Größe & Übersicht", text=f"Hallo {i},\nwillkommen.\n",
                              html=f"<p>Hallo {i}, <b>willkommen</b>.</p>", language="de")
        rows.append(outbox.enqueue(
            kind=kind, key=outbox.idempotency_key(kind, f"obj:{prefix}", to, 0), to_email=to, email=email,
            organisation_id=organisation_id, session_id=session_id, person_id=person_id,
            ical=invitation_ical(ical_method, to) if ical_method else None, ical_method=ical_method,
            headers=headers, send_after=send_after,
        ))
    if commit:
        db.session.commit()
    return rows


def statuses() -> dict[str, int]:
    db.session.expire_all()
    return {str(k): v for k, v in db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))}


"""Writing to the outbox. Callers add messages inside their own transaction and commit once.

Delivery happens later in the worker, so a rolled-back change never sends mail, and a committed one
always does (at least once).
"""
from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import select

from coaching.core import clock
from coaching.extensions import db
from coaching.mail.compose import RenderedEmail
from coaching.mail.models import OutboxMessage


def idempotency_key(kind: str, obj: str, recipient: str, version: int | str = 0) -> str:
    return f"{kind}:{obj}:{recipient.lower()}:{version}"


def enqueue(
    *,
    kind: str,
    key: str,
    to_email: str,
    email: RenderedEmail,
    person_id: int | None = None,
    organisation_id: int | None = None,
    session_id: int | None = None,
    meeting_id: int | None = None,
    ical: str | None = None,
    ical_method: str | None = None,
    headers: dict | None = None,
    send_after: datetime | None = None,
) -> OutboxMessage | None:
    """Queue one message; a key that was queued before is skipped (returns None)."""
    if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.idempotency_key == key)) is not None:
        return None
    if any(m.idempotency_key == key for m in db.session.new if isinstance(m, OutboxMessage)):
        return None
    message = OutboxMessage(
        idempotency_key=key,
        kind=kind,
        recipient_email=to_email,
        recipient_person_id=person_id,
        organisation_id=organisation_id,
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
        language=email.language,
        subject=email.subject,
        body_text=email.text,
        body_html=email.html,
        ical=ical,
        ical_method=ical_method,
        headers=headers or {},
        session_id=session_id,
        meeting_id=meeting_id,
        send_after=send_after or clock.now(),
    )
    db.session.add(message)
    return message

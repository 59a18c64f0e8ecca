from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from coaching.core.db import CreatedAtMixin, UTCDateTime
from coaching.core.enums import enum_type
from coaching.extensions import db


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    RETRYING = "retrying"
    FAILED = "failed"
    CANCELLED = "cancelled"


class OutboxMessage(CreatedAtMixin, db.Model):
    """One email to one recipient, written in the transaction of the change that causes it."""

    __table_args__ = (
        Index("ix_outbox_due", "status", "send_after"),
        Index("ix_outbox_session", "session_id", "status"),
        Index("ix_outbox_meeting", "meeting_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # (kind, object, recipient, version): the same key is never queued twice.
    idempotency_key: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    status: Mapped[OutboxStatus] = mapped_column(
        enum_type(OutboxStatus, "outbox_status"), default=OutboxStatus.PENDING
    )
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    recipient_email: Mapped[str] = mapped_column(String(254))
    recipient_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    sender: Mapped[str] = mapped_column(String(300))
    language: Mapped[str] = mapped_column(String(5), default="de")
    subject: Mapped[str | None] = mapped_column(String(300))
    body_text: Mapped[str | None] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    # The iCalendar object (REQUEST/CANCEL) when the mail is an invitation.
    ical: Mapped[str | None] = mapped_column(Text)
    ical_method: Mapped[str | None] = mapped_column(String(10))
    headers: Mapped[dict] = mapped_column(JSON, default=dict)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("coaching_session.id", ondelete="SET NULL"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("mentoring_meeting.id", ondelete="SET NULL"))
    send_after: Mapped[datetime] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    message_id: Mapped[str | None] = mapped_column(String(255))
    # Bodies are personal data: deleted after the retention period, the row stays for the figures.
    body_deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class WorkerHeartbeat(db.Model):
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    info: Mapped[dict] = mapped_column(JSON, default=dict)


class AddressSuppression(CreatedAtMixin, db.Model):
    """An address that failed permanently (5.x.x); no mail goes to it until an organiser clears it."""

    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    reason: Mapped[str] = mapped_column(String(500))

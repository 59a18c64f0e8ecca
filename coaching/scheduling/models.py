from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coaching.cohorts.models import Cohort
from coaching.core.db import CreatedAtMixin, TimestampMixin, UTCDateTime
from coaching.core.enums import enum_type
from coaching.extensions import db
from coaching.people.models import Person


class SessionStatus(enum.StrEnum):
    PLANNED = "planned"
    CANCELLED = "cancelled"


class CoachingSession(TimestampMixin, db.Model):
    """One dated meeting of a cohort. Times are UTC; `ical_uid`/`ical_sequence` follow RFC 5545."""

    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="positive_duration"),
        CheckConstraint("headcount IS NULL OR headcount >= 0", name="headcount_not_negative"),
        Index("ix_coaching_session_cohort_start", "cohort_id", "starts_at"),
        Index("ix_coaching_session_coach_start", "coach_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    topic: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    venue_name: Mapped[str | None] = mapped_column(String(200))
    venue_address: Mapped[str | None] = mapped_column(String(300))
    room: Mapped[str | None] = mapped_column(String(100))
    online_url: Mapped[str | None] = mapped_column(String(500))
    capacity: Mapped[int | None] = mapped_column(Integer)
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    status: Mapped[SessionStatus] = mapped_column(
        enum_type(SessionStatus, "session_status"), default=SessionStatus.PLANNED
    )
    is_public: Mapped[bool] = mapped_column(Boolean, default=False)
    # Open parent evenings record a count of anonymous attendees instead of names.
    is_headcount: Mapped[bool] = mapped_column(Boolean, default=False)
    headcount: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str | None] = mapped_column(Text)
    # Generated once (random@domain), never reused; SEQUENCE rises with every change that is sent.
    ical_uid: Mapped[str] = mapped_column(String(255), unique=True)
    ical_sequence: Mapped[int] = mapped_column(Integer, default=0)
    # SEQUENCE of the last invitation/update actually queued; lower than ical_sequence = update owed.
    sent_sequence: Mapped[int | None] = mapped_column(Integer)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attendance_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    cohort: Mapped[Cohort] = relationship()
    coach: Mapped[Person | None] = relationship()

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def is_online(self) -> bool:
        return bool(self.online_url) and not self.venue_name


class ChangeKind(enum.StrEnum):
    CREATED = "created"
    RESCHEDULED = "rescheduled"
    MOVED = "moved"  # venue or online link changed
    COACH_CHANGED = "coach_changed"
    DETAILS_CHANGED = "details_changed"
    CANCELLED = "cancelled"


class SessionChange(CreatedAtMixin, db.Model):
    """What changed in a session and at which SEQUENCE, so updates reach exactly those affected."""

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("coaching_session.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ChangeKind] = mapped_column(enum_type(ChangeKind, "change_kind"))
    sequence: Mapped[int] = mapped_column(Integer)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    details: Mapped[dict] = mapped_column(JSON, default=dict)

    session: Mapped[CoachingSession] = relationship()

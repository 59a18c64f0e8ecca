from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coaching.core.db import CreatedAtMixin, TimestampMixin, UTCDateTime
from coaching.core.enums import enum_type
from coaching.extensions import db
from coaching.people.models import Person


class MentorProfile(TimestampMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), unique=True)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))
    capacity: Mapped[int] = mapped_column(Integer, default=2)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    notes: Mapped[str | None] = mapped_column(Text)

    person: Mapped[Person] = relationship()


class PairingKind(enum.StrEnum):
    BEIRAT_PEER = "beirat_peer"  # new Beirat member with an experienced one
    COACH_BEIRAT = "coach_beirat"  # Beirat member with a coach
    BEIRAT_PARENT = "beirat_parent"  # Beirat member with a parent family


class PairingStatus(enum.StrEnum):
    PROPOSED = "proposed"
    ACTIVE = "active"
    PAUSED = "paused"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Pairing(TimestampMixin, db.Model):
    __table_args__ = (
        CheckConstraint("mentor_id <> mentee_id", name="distinct_people"),
        Index("ix_pairing_mentor_status", "mentor_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programme.id"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    mentee_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    kind: Mapped[PairingKind] = mapped_column(enum_type(PairingKind, "pairing_kind"))
    status: Mapped[PairingStatus] = mapped_column(
        enum_type(PairingStatus, "pairing_status"), default=PairingStatus.PROPOSED
    )
    planned_end_on: Mapped[date | None] = mapped_column(Date)
    started_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    # Pairing a mentor beyond their capacity needs a stated reason.
    capacity_override_reason: Mapped[str | None] = mapped_column(String(300))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    mentor: Mapped[Person] = relationship(foreign_keys=[mentor_id])
    mentee: Mapped[Person] = relationship(foreign_keys=[mentee_id])


class MeetingStatus(enum.StrEnum):
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    COUNTER_PROPOSED = "counter_proposed"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    HELD = "held"
    NOT_HELD = "not_held"


class MentoringMeeting(TimestampMixin, db.Model):
    __table_args__ = (
        CheckConstraint("parents_counselled IS NULL OR parents_counselled >= 0", name="parents_not_negative"),
        Index("ix_mentoring_meeting_status_expires", "status", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairing.id", ondelete="CASCADE"), index=True)
    status: Mapped[MeetingStatus] = mapped_column(
        enum_type(MeetingStatus, "meeting_status"), default=MeetingStatus.PROPOSED
    )
    # The confirmed slot; null until the mentor picks one of the options.
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    venue: Mapped[str | None] = mapped_column(String(300))
    online_url: Mapped[str | None] = mapped_column(String(500))
    message: Mapped[str | None] = mapped_column(Text)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    proposed_by_mentee: Mapped[bool] = mapped_column(Boolean, default=False)
    ical_uid: Mapped[str] = mapped_column(String(255), unique=True)
    ical_sequence: Mapped[int] = mapped_column(Integer, default=0)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    response_note: Mapped[str | None] = mapped_column(Text)
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When the current request went to the mentor (set again when new times are proposed).
    proposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The log the mentor fills in after the meeting.
    took_place: Mapped[bool | None] = mapped_column(Boolean)
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    parents_counselled: Mapped[int | None] = mapped_column(Integer)
    private_notes: Mapped[str | None] = mapped_column(Text)
    logged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    followup_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    pairing: Mapped[Pairing] = relationship()
    options: Mapped[list[MeetingOption]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingOption.starts_at"
    )


class MeetingOption(CreatedAtMixin, db.Model):
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="positive_duration"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("mentoring_meeting.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    suggested_by_mentor: Mapped[bool] = mapped_column(Boolean, default=False)

    meeting: Mapped[MentoringMeeting] = relationship(back_populates="options")

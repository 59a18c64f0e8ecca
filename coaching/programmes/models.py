from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coaching.core.db import CreatedAtMixin
from coaching.core.enums import enum_type
from coaching.extensions import db


class Programme(CreatedAtMixin, db.Model):
    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    funder_line: Mapped[str | None] = mapped_column(String(300))
    # Send participant emails in German plus the participant's language.
    bilingual_emails: Mapped[bool] = mapped_column(Boolean, default=False)
    # Share of a cohort's held sessions a person must attend for a certificate.
    certificate_threshold: Mapped[float] = mapped_column(Numeric(3, 2), default=0.75)

    rules: Mapped[list[NotificationRule]] = relationship(
        back_populates="programme", cascade="all, delete-orphan", order_by="NotificationRule.id"
    )

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


class RuleKind(enum.StrEnum):
    SESSION_REMINDER = "session_reminder"
    SESSION_FOLLOWUP = "session_followup"
    MENTOR_REMINDER = "mentor_reminder"
    MEETING_FOLLOWUP = "meeting_followup"


class NotificationRule(db.Model):
    """When reminders and follow-ups go out, relative to a session or meeting (minutes; negative = before)."""

    __table_args__ = (UniqueConstraint("programme_id", "kind", "offset_minutes"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), index=True)
    kind: Mapped[RuleKind] = mapped_column(enum_type(RuleKind, "rule_kind"))
    offset_minutes: Mapped[int] = mapped_column(Integer)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)

    programme: Mapped[Programme] = relationship(back_populates="rules")


DEFAULT_RULES: tuple[tuple[RuleKind, int], ...] = (
    (RuleKind.SESSION_REMINDER, -3 * 24 * 60),
    (RuleKind.SESSION_REMINDER, -3 * 60),
    (RuleKind.SESSION_FOLLOWUP, 2 * 60),
    (RuleKind.MENTOR_REMINDER, 2 * 24 * 60),
    (RuleKind.MEETING_FOLLOWUP, 60),
)

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coaching.core.db import CreatedAtMixin, UTCDateTime
from coaching.core.enums import enum_type
from coaching.extensions import db
from coaching.people.models import Person
from coaching.scheduling.models import CoachingSession


class Answer(enum.StrEnum):
    """iCalendar PARTSTAT values, lower-cased."""

    NEEDS_ACTION = "needs_action"
    ACCEPTED = "accepted"
    TENTATIVE = "tentative"
    DECLINED = "declined"


class AnswerSource(enum.StrEnum):
    LINK = "link"
    CALENDAR_REPLY = "calendar_reply"
    MANUAL = "manual"


class Outcome(enum.StrEnum):
    ATTENDED = "attended"
    EXCUSED = "excused"
    NO_SHOW = "no_show"


# Counting rules (see README): who counts as reached and who as attended.
ATTENDED_OUTCOMES = frozenset({Outcome.ATTENDED})
REACHED_OUTCOMES = frozenset({Outcome.ATTENDED})


class Attendance(CreatedAtMixin, db.Model):
    """A person × session: their answer to the invitation and what happened on the day."""

    __table_args__ = (
        UniqueConstraint("session_id", "person_id"),
        Index("ix_attendance_person_outcome", "person_id", "outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("coaching_session.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    answer: Mapped[Answer] = mapped_column(enum_type(Answer, "answer"), default=Answer.NEEDS_ACTION)
    answer_source: Mapped[AnswerSource | None] = mapped_column(enum_type(AnswerSource, "answer_source"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[Outcome | None] = mapped_column(enum_type(Outcome, "outcome"))
    outcome_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    walk_in: Mapped[bool] = mapped_column(Boolean, default=False)
    # SEQUENCE of the last invitation/update queued to this person; None = not (or no longer) invited.
    invited_sequence: Mapped[int | None] = mapped_column(Integer)
    cancel_sent_sequence: Mapped[int | None] = mapped_column(Integer)
    # Set when the follow-up was queued, so a later outcome change never sends a second one.
    followup_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    session: Mapped[CoachingSession] = relationship()
    person: Mapped[Person] = relationship()


class SessionDocument(CreatedAtMixin, db.Model):
    """An uploaded file about a session (the scanned signed signature sheet), stored outside static/."""

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("coaching_session.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40), default="signature_sheet")
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


class Certificate(CreatedAtMixin, db.Model):
    __table_args__ = (UniqueConstraint("cohort_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    number: Mapped[str] = mapped_column(String(40), unique=True)
    sessions_attended: Mapped[int] = mapped_column(Integer)
    sessions_held: Mapped[int] = mapped_column(Integer)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    person: Mapped[Person] = relationship()

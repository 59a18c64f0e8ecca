from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coaching.core.db import CreatedAtMixin, TimestampMixin, UTCDateTime
from coaching.core.enums import enum_type
from coaching.extensions import db
from coaching.organisations.models import Organisation, Region
from coaching.people.models import Person
from coaching.programmes.models import Programme


class TargetGroup(enum.StrEnum):
    BEIRAT_MEMBERS = "beirat_members"
    PARENTS = "parents"
    MIXED = "mixed"


class CohortStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class Cohort(TimestampMixin, db.Model):
    __table_args__ = (UniqueConstraint("programme_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    target_group: Mapped[TargetGroup] = mapped_column(enum_type(TargetGroup, "target_group"))
    # Language codes the series is held in, e.g. ["de", "ar"].
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    capacity: Mapped[int | None] = mapped_column(Integer)
    # Topics of the series in order, e.g. "Das duale Ausbildungssystem", "Bewerbung".
    curriculum: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[CohortStatus] = mapped_column(
        enum_type(CohortStatus, "cohort_status"), default=CohortStatus.DRAFT
    )
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    feed_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Set when invitations for the whole series are owed but too many for one web request: the worker
    # sends them session by session and clears it (see calendar.invitations.run_requested).
    invitations_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)

    organisation: Mapped[Organisation] = relationship()
    programme: Mapped[Programme] = relationship()
    region: Mapped[Region] = relationship()


class EnrolmentRole(enum.StrEnum):
    PARTICIPANT = "participant"
    COACH = "coach"


class EnrolmentStatus(enum.StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


class Enrolment(CreatedAtMixin, db.Model):
    __table_args__ = (
        UniqueConstraint("cohort_id", "person_id"),
        Index("ix_enrolment_person_status", "person_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    role: Mapped[EnrolmentRole] = mapped_column(
        enum_type(EnrolmentRole, "enrolment_role"), default=EnrolmentRole.PARTICIPANT
    )
    status: Mapped[EnrolmentStatus] = mapped_column(
        enum_type(EnrolmentStatus, "enrolment_status"), default=EnrolmentStatus.ACTIVE
    )
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    cohort: Mapped[Cohort] = relationship()
    person: Mapped[Person] = relationship()

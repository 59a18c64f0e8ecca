from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coaching.core.db import CreatedAtMixin, TimestampMixin, UTCDateTime
from coaching.core.enums import enum_type
from coaching.extensions import db
from coaching.organisations.models import Council, Organisation, Region

LANGUAGES = ("de", "en", "ar", "fa", "uk", "ru", "tr")
RTL_LANGUAGES = frozenset({"ar", "fa"})


class PersonKind(enum.StrEnum):
    BEIRAT_MEMBER = "beirat_member"
    PARENT = "parent"
    COACH = "coach"
    MENTOR = "mentor"
    STAFF = "staff"


class Person(TimestampMixin, db.Model):
    __table_args__ = (Index("ix_person_org_name", "organisation_id", "last_name", "first_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The partner organisation that holds this person's data; organisers see only their own.
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    kind: Mapped[PersonKind] = mapped_column(enum_type(PersonKind, "person_kind"))
    first_name: Mapped[str] = mapped_column(String(120))
    last_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    postal_address: Mapped[str | None] = mapped_column(String(400))
    preferred_language: Mapped[str] = mapped_column(String(5), default="de")
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)
    council_id: Mapped[int | None] = mapped_column(ForeignKey("council.id"), index=True)
    notes: Mapped[str | None] = mapped_column(Text)

    # Personal calendar feed: only a hash of the secret token is stored.
    feed_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Opted out of reminders and follow-ups (never of invitations).
    unsubscribed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Permanent delivery failure: no more mail until an organiser fixes the address.
    email_bounced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    email_bounce_reason: Mapped[str | None] = mapped_column(String(300))
    # Erased on request (DSGVO): personal fields pseudonymised, aggregates kept.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    organisation: Mapped[Organisation] = relationship()
    region: Mapped[Region | None] = relationship()
    council: Mapped[Council | None] = relationship()

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def can_receive_email(self) -> bool:
        return bool(self.email) and self.email_bounced_at is None and self.erased_at is None

    def __repr__(self) -> str:
        return f"<Person {self.id}>"


# Duplicate checks and imports look people up by lower-cased email within an organisation.
Index("ix_person_org_email", Person.organisation_id, func.lower(Person.email))


class ConsentRecord(CreatedAtMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(60))
    wording_version: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(5))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    person: Mapped[Person] = relationship()

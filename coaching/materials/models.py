from __future__ import annotations

import enum

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coaching.core.db import CreatedAtMixin, TimestampMixin
from coaching.core.enums import enum_type
from coaching.extensions import db


class MaterialStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


class Audience(enum.StrEnum):
    BEIRAT_MEMBERS = "beirat_members"
    PARENTS = "parents"
    ORGANISERS = "organisers"


class Material(TimestampMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    topic: Mapped[str] = mapped_column(String(120), index=True)
    audience: Mapped[Audience] = mapped_column(enum_type(Audience, "audience"))
    licence: Mapped[str] = mapped_column(String(200), default="Freie Nutzung für nicht-kommerzielle Zwecke")
    status: Mapped[MaterialStatus] = mapped_column(
        enum_type(MaterialStatus, "material_status"), default=MaterialStatus.DRAFT
    )

    files: Mapped[list[MaterialFile]] = relationship(back_populates="material", cascade="all, delete-orphan")


class MaterialFile(TimestampMixin, db.Model):
    """The current file of a material in one language; replacing it keeps the public link."""

    __table_args__ = (UniqueConstraint("material_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("material.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(5))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)
    download_count: Mapped[int] = mapped_column(Integer, default=0)

    material: Mapped[Material] = relationship(back_populates="files")


class SessionMaterial(CreatedAtMixin, db.Model):
    """A material attached to a session; it appears in the session's follow-up email."""

    session_id: Mapped[int] = mapped_column(
        ForeignKey("coaching_session.id", ondelete="CASCADE"), primary_key=True
    )
    material_id: Mapped[int] = mapped_column(ForeignKey("material.id", ondelete="CASCADE"), primary_key=True)

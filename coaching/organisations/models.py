from __future__ import annotations

import enum

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coaching.core.db import CreatedAtMixin
from coaching.core.enums import enum_type
from coaching.extensions import db


class FederalState(enum.StrEnum):
    """ISO 3166-2:DE subdivision codes, as the `holidays` package expects them."""

    BW = "BW"
    BY = "BY"
    BE = "BE"
    BB = "BB"
    HB = "HB"
    HH = "HH"
    HE = "HE"
    MV = "MV"
    NI = "NI"
    NW = "NW"
    RP = "RP"
    SL = "SL"
    SN = "SN"
    ST = "ST"
    SH = "SH"
    TH = "TH"


class Organisation(CreatedAtMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    short_name: Mapped[str] = mapped_column(String(60))
    # Shown on signature sheets and certificates ("gefördert vom …").
    funder_line: Mapped[str | None] = mapped_column(String(300))

    def __repr__(self) -> str:
        return f"<Organisation {self.short_name}>"


class Region(CreatedAtMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    federal_state: Mapped[FederalState] = mapped_column(enum_type(FederalState, "federal_state"))


class Council(CreatedAtMixin, db.Model):
    """A municipal foreigners', integration or migration council (Beirat)."""

    __table_args__ = (UniqueConstraint("region_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    email: Mapped[str | None] = mapped_column(String(254))

    region: Mapped[Region] = relationship()

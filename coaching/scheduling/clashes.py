"""Clashes between planned sessions and what is already booked, found with ONE query for a whole series.

A coach booked in two places at once, or two sessions in one room, are warnings: the organiser decides.
Only planned sessions of the same organisation count (another organisation's rooms are not ours to see).
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import false, func, or_, select
from sqlalchemy.orm import joinedload

from coaching.cohorts.models import Cohort
from coaching.core import clock
from coaching.extensions import db
from coaching.scheduling.models import CoachingSession, SessionStatus


@dataclass(frozen=True)
class Slot:
    """A session as planned or edited; `key` identifies it to the caller (row index or session id)."""

    key: Hashable
    starts_at: datetime
    ends_at: datetime
    coach_id: int | None
    venue_name: str | None
    room: str | None
    label: str = ""


def _room(venue_name: str | None, room: str | None) -> tuple[str, str] | None:
    if not venue_name or not venue_name.strip():
        return None
    return venue_name.strip().casefold(), (room or "").strip().casefold()


def _overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    return a_start < b_end and b_start < a_end


def _when(start: datetime, end: datetime) -> str:
    local_start, local_end = clock.to_local(start), clock.to_local(end)
    return f"{local_start:%d.%m.%Y %H:%M}–{local_end:%H:%M}"


def _booked(slots: list[Slot], organisation_id: int, exclude_ids: set[int]) -> list[Slot]:
    coach_ids = {s.coach_id for s in slots if s.coach_id}
    venues = {s.venue_name.strip().lower() for s in slots if _room(s.venue_name, s.room)}
    who_or_where = or_(
        CoachingSession.coach_id.in_(coach_ids) if coach_ids else false(),
        func.lower(CoachingSession.venue_name).in_(venues) if venues else false(),
    )
    query = (
        select(CoachingSession)
        .join(Cohort, Cohort.id == CoachingSession.cohort_id)
        .where(
            Cohort.organisation_id == organisation_id,
            CoachingSession.status == SessionStatus.PLANNED,
            CoachingSession.starts_at < max(s.ends_at for s in slots),
            CoachingSession.ends_at > min(s.starts_at for s in slots),
            who_or_where,
        )
        .options(joinedload(CoachingSession.cohort))
    )
    if exclude_ids:
        query = query.where(CoachingSession.id.not_in(exclude_ids))
    return [
        Slot(("session", s.id), s.starts_at, s.ends_at, s.coach_id, s.venue_name, s.room,
             label=f"{s.cohort.name}: {s.topic}")
        for s in db.session.scalars(query)
    ]


def _describe(slot: Slot, other: Slot) -> list[str]:
    found = []
    when = _when(other.starts_at, other.ends_at)
    if slot.coach_id and slot.coach_id == other.coach_id:
        found.append(str(_l("Der Coach ist zur selben Zeit schon eingeplant: %(what)s (%(when)s).",
                            what=other.label, when=when)))
    room = _room(slot.venue_name, slot.room)
    if room and room == _room(other.venue_name, other.room):
        found.append(str(_l("Der Raum ist zur selben Zeit schon belegt: %(what)s (%(when)s).",
                            what=other.label, when=when)))
    return found


def find_clashes(slots: Iterable[Slot], organisation_id: int,
                 exclude_ids: Iterable[int] = ()) -> dict[Hashable, list[str]]:
    """Warnings per slot key, against booked sessions (one query) and against the other slots."""
    slots = [s for s in slots if s.starts_at and s.ends_at]
    if not slots:
        return {}
    booked = _booked(slots, organisation_id, set(exclude_ids))
    warnings: dict[Hashable, list[str]] = {}
    for i, slot in enumerate(slots):
        others = booked + slots[:i] + slots[i + 1:]
        for other in others:
            if _overlaps(slot.starts_at, slot.ends_at, other.starts_at, other.ends_at):
                warnings.setdefault(slot.key, []).extend(_describe(slot, other))
    return {key: found for key, found in warnings.items() if found}

"""The one module that owns time.

The database stores aware UTC; people plan and read Europe/Berlin. Nothing else reads the clock, so tests
can freeze it (time-machine) and every conversion is DST-safe in one place.
"""
from __future__ import annotations

from datetime import UTC as _UTC
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

UTC = _UTC
LOCAL = ZoneInfo("Europe/Berlin")


class NonexistentLocalTime(ValueError):
    """A wall-clock time skipped by the spring DST change (e.g. 02:30 on the last Sunday of March)."""


def now() -> datetime:
    return datetime.now(UTC)


def today_local() -> date:
    return now().astimezone(LOCAL).date()


def as_utc(value: datetime | None) -> datetime | None:
    """Normalise a datetime from any source to aware UTC; naive values are taken as UTC (SQLite)."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def local_to_utc(day: date, at: time) -> datetime:
    """Berlin wall-clock time on a day → UTC. Refuses times that do not exist; ambiguous: the first."""
    naive = datetime.combine(day, at.replace(tzinfo=None))
    aware = naive.replace(tzinfo=LOCAL, fold=0)
    # A wall time in the spring gap does not survive the round trip through UTC.
    round_trip = aware.astimezone(UTC).astimezone(LOCAL).replace(tzinfo=None)
    if round_trip != naive:
        raise NonexistentLocalTime(naive.isoformat(timespec="minutes"))
    return aware.astimezone(UTC)


def to_local(value: datetime) -> datetime:
    return as_utc(value).astimezone(LOCAL)


def local_date(value: datetime) -> date:
    return to_local(value).date()


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    """UTC instants of the start and end of a Berlin calendar day (23 or 25 hours long on DST days)."""
    start = datetime.combine(day, time(0), tzinfo=LOCAL).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=LOCAL).astimezone(UTC)
    return start, end


def utc_stamp(value: datetime) -> str:
    """Compact UTC form used in calendar links: 20261124T180000Z."""
    return as_utc(value).strftime("%Y%m%dT%H%M%SZ")

"""Pure pattern generation for a coaching series: dates, local times and topics, no database, no clock.

Dates are Berlin calendar days and times are Berlin wall-clock times; converting to UTC happens per session
(`clock.local_to_utc`), so a series at 18:00 stays at 18:00 across the change to and from summer time.
"""
from __future__ import annotations

import enum
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l

from coaching.core import clock
from coaching.core.errors import DomainError

MAX_SESSIONS = 100
# Anything outside this range is a typing mistake (e.g. "1900"), never a real plan.
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2100, 12, 31)
MAX_MINUTES = 12 * 60


class Frequency(enum.StrEnum):
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"


LAST = -1  # ordinal for "the last <weekday> of the month"


@dataclass(frozen=True)
class Pattern:
    frequency: Frequency
    start_day: date
    count: int | None = None
    until: date | None = None
    # Monthly only: e.g. ordinal 2, weekday 1 = "2nd Tuesday" (weekday as in date.weekday(), Monday = 0).
    ordinal: int | None = None
    weekday: int | None = None


@dataclass
class PlannedSession:
    """One row of a series before it is saved; `starts_at`/`ends_at` are UTC once `resolve` succeeded."""

    day: date
    start_time: time
    minutes: int
    topic: str
    skip: bool = False
    # The topic the planner last gave this row; while the row still shows it, the planner may replace it.
    # None (or a different topic) means the organiser typed the topic by hand: it stays as typed.
    auto_topic: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def topic_is_auto(self) -> bool:
        return self.auto_topic is not None and self.topic.strip() == self.auto_topic.strip()

    def resolve(self) -> None:
        """Compute the UTC instants, or note why this row cannot exist."""
        problem = check_day(self.day) or check_minutes(self.minutes)
        if problem:
            self.errors.append(problem)
            return
        try:
            self.starts_at = clock.local_to_utc(self.day, self.start_time)
        except clock.NonexistentLocalTime:
            self.errors.append(str(nonexistent_message(self.day, self.start_time)))
            return
        self.ends_at = self.starts_at + timedelta(minutes=self.minutes)


def nonexistent_message(day: date, at: time):
    return _l("%(day)s um %(time)s gibt es nicht: In dieser Nacht wird die Uhr auf Sommerzeit vorgestellt. "
              "Bitte wählen Sie eine andere Uhrzeit.",
              day=day.strftime("%d.%m.%Y"), time=at.strftime("%H:%M"))


def check_day(day: date) -> str | None:
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        return str(_l("Das Datum %(day)s liegt außerhalb des möglichen Bereichs (%(first)s bis %(last)s).",
                      day=day.strftime("%d.%m.%Y"), first=EARLIEST_DAY.year, last=LATEST_DAY.year))
    return None


def check_minutes(minutes: int | None) -> str | None:
    if minutes is None or minutes <= 0:
        return str(_l("Die Dauer muss größer als null sein (das Ende muss nach dem Beginn liegen)."))
    if minutes > MAX_MINUTES:
        return str(_l("Ein Termin darf höchstens %(hours)s Stunden dauern.", hours=MAX_MINUTES // 60))
    return None


def nth_weekday(year: int, month: int, weekday: int, ordinal: int) -> date | None:
    """The ordinal-th weekday of a month (LAST = the last one); None if the month has no such day (5th)."""
    days_in_month = monthrange(year, month)[1]
    if ordinal == LAST:
        last = date(year, month, days_in_month)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    day = first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (ordinal - 1))
    return day if day.month == month else None


def _check_pattern(pattern: Pattern) -> None:
    for day, name in ((pattern.start_day, "start_day"), (pattern.until, "until")):
        if day is not None and (problem := check_day(day)):
            raise DomainError(problem, field=name)
    if pattern.count is None and pattern.until is None:
        raise DomainError(_l("Bitte geben Sie die Anzahl der Termine oder ein Enddatum an."), field="count")
    if pattern.count is not None and pattern.until is not None:
        raise DomainError(_l("Bitte geben Sie entweder die Anzahl der Termine oder ein Enddatum an, "
                             "nicht beides."), field="count")
    if pattern.count is not None and pattern.count < 1:
        raise DomainError(_l("Eine Serie braucht mindestens einen Termin."), field="count")
    if pattern.count is not None and pattern.count > MAX_SESSIONS:
        raise too_many()
    if pattern.until is not None and pattern.until < pattern.start_day:
        raise DomainError(_l("Das Enddatum liegt vor dem Startdatum."), field="until")
    if pattern.frequency == Frequency.MONTHLY and (
        pattern.weekday not in range(7) or pattern.ordinal not in (1, 2, 3, 4, LAST)
    ):
        raise DomainError(_l("Bitte wählen Sie für eine monatliche Serie Wochentag und Woche im Monat."),
                          field="ordinal")


def too_many() -> DomainError:
    return DomainError(_l("Eine Serie kann höchstens %(n)s Termine haben. Bitte teilen Sie sie auf.",
                          n=MAX_SESSIONS), field="count")


def _candidates(pattern: Pattern):
    if pattern.frequency in (Frequency.WEEKLY, Frequency.BIWEEKLY):
        step = timedelta(weeks=1 if pattern.frequency == Frequency.WEEKLY else 2)
        day = pattern.start_day
        while day <= LATEST_DAY:
            yield day
            day += step
        return
    year, month = pattern.start_day.year, pattern.start_day.month
    while year <= LATEST_DAY.year:
        day = nth_weekday(year, month, pattern.weekday, pattern.ordinal)
        if day is not None and day >= pattern.start_day:
            yield day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def generate_dates(pattern: Pattern) -> list[date]:
    """The days of a series; refuses more than MAX_SESSIONS without ever building a longer list."""
    _check_pattern(pattern)
    days: list[date] = []
    for day in _candidates(pattern):
        if pattern.until is not None and day > pattern.until:
            break
        if len(days) == MAX_SESSIONS:
            raise too_many()
        days.append(day)
        if pattern.count is not None and len(days) == pattern.count:
            break
    if not days:
        raise DomainError(_l("In diesem Zeitraum liegt kein Termin. Bitte prüfen Sie Start- und Enddatum."),
                          field="until")
    return days


def assign_topics(rows: list[PlannedSession], curriculum: list[str]) -> None:
    """Give the held rows the curriculum topics in order; numbered placeholders only once they run out.

    A skipped date does not skip a topic: the next held row gets it. A topic typed by hand stays, and if it
    is one of the curriculum's, that topic is not given out a second time. Skipped rows keep what they show.
    """
    queue = [topic.strip()[:200] for topic in curriculum if topic.strip()]
    for row in rows:
        if not row.skip and not row.topic_is_auto and row.topic.strip() in queue:
            queue.remove(row.topic.strip())
    held = 0
    for row in rows:
        if row.skip:
            continue
        held += 1
        if row.topic_is_auto:
            row.topic = row.auto_topic = queue.pop(0) if queue else str(_l("Termin %(n)s", n=held))


def plan(pattern: Pattern, start_time: time, minutes: int, curriculum: list[str]) -> list[PlannedSession]:
    rows = [PlannedSession(day=day, start_time=start_time, minutes=minutes, topic="", auto_topic="")
            for day in generate_dates(pattern)]
    assign_topics(rows, curriculum)
    for row in rows:
        row.resolve()
    return rows

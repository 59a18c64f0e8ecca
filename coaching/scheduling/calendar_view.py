"""The staff calendar: which days a view shows, and the sessions in them, in a constant number of queries."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from babel.dates import get_day_names
from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager, joinedload

from coaching.cohorts.models import Cohort
from coaching.core import clock
from coaching.core.permissions import scoped
from coaching.extensions import db
from coaching.organisations.models import Region
from coaching.people.models import Person, PersonKind
from coaching.programmes.models import Programme
from coaching.scheduling.models import CoachingSession
from coaching.scheduling.series import EARLIEST_DAY, LATEST_DAY

VIEWS = ("monat", "woche", "liste")
AGENDA_DAYS = 28
FILTERS = ("region", "programme", "cohort", "coach")


@dataclass
class CalendarWindow:
    view: str
    anchor: date
    first: date
    last: date
    previous: date
    next: date
    filters: dict[str, int] = field(default_factory=dict)

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]

    @property
    def weeks(self) -> list[list[date]]:
        days = self.days
        return [days[i:i + 7] for i in range(0, len(days), 7)]


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _clamp(day: date) -> date:
    return min(max(day, EARLIEST_DAY + timedelta(days=7)), LATEST_DAY - timedelta(days=45))


def window(view: str, anchor: date, filters: dict[str, int]) -> CalendarWindow:
    """Days shown: a Monday-first month grid, a Monday-first week, or four weeks of agenda from the anchor."""
    anchor = _clamp(anchor)
    if view == "woche":
        first = _monday(anchor)
        return CalendarWindow(view, anchor, first, first + timedelta(days=6),
                              anchor - timedelta(days=7), anchor + timedelta(days=7), filters)
    if view == "liste":
        span = timedelta(days=AGENDA_DAYS)
        return CalendarWindow(view, anchor, anchor, anchor + span - timedelta(days=1),
                              anchor - span, anchor + span, filters)
    month_start = anchor.replace(day=1)
    month_end = _add_months(month_start, 1) - timedelta(days=1)
    first = _monday(month_start)
    last = _monday(month_end) + timedelta(days=6)
    return CalendarWindow("monat", anchor, first, last, _add_months(month_start, -1),
                          _add_months(month_start, 1), filters)


# A view shows at most this many sessions (a national month has thousands): the page says so and asks to filter.
MAX_IN_VIEW = 400
# A month cell lists this many; "+N weitere" leads to that week.
PER_DAY_IN_MONTH = 4


class SessionsInView(dict):
    """Sessions by local day; `truncated` when more exist than MAX_IN_VIEW."""

    truncated: bool = False


def sessions_in(win: CalendarWindow, user) -> SessionsInView:
    """Sessions in view by local day, in ONE query (cohort joined, coach eager-loaded), at most MAX_IN_VIEW."""
    start = clock.local_day_bounds(win.first)[0]
    end = clock.local_day_bounds(win.last)[1]
    query = (
        select(CoachingSession)
        .join(CoachingSession.cohort)
        .options(contains_eager(CoachingSession.cohort), joinedload(CoachingSession.coach))
        .where(CoachingSession.starts_at >= start, CoachingSession.starts_at < end)
        .order_by(CoachingSession.starts_at, CoachingSession.id)
    )
    columns = {"region": Cohort.region_id, "programme": Cohort.programme_id,
               "cohort": CoachingSession.cohort_id, "coach": CoachingSession.coach_id}
    for name, value in win.filters.items():
        query = query.where(columns[name] == value)
    query = scoped(query, Cohort.organisation_id, user).limit(MAX_IN_VIEW + 1)
    found = list(db.session.scalars(query).unique())
    grouped = SessionsInView()
    for session in found[:MAX_IN_VIEW]:
        grouped.setdefault(clock.local_date(session.starts_at), []).append(session)
    grouped.truncated = len(found) > MAX_IN_VIEW
    return grouped


def filter_options(user) -> dict[str, list[tuple[int, str]]]:
    """Choices for the filter bar, one query each, limited to what the user may see."""
    cohorts = db.session.execute(
        scoped(select(Cohort.id, Cohort.name), Cohort.organisation_id, user).order_by(Cohort.name)
    ).all()
    coaches = db.session.execute(
        scoped(
            select(Person.id, Person.first_name, Person.last_name).where(
                Person.erased_at.is_(None),
                or_(Person.kind == PersonKind.COACH,
                    Person.id.in_(select(CoachingSession.coach_id).where(CoachingSession.coach_id.is_not(None)))),
            ),
            Person.organisation_id, user,
        ).order_by(Person.last_name, Person.first_name)
    ).all()
    regions = db.session.execute(select(Region.id, Region.name).order_by(Region.name)).all()
    programmes = db.session.execute(select(Programme.id, Programme.name).order_by(Programme.name)).all()
    return {
        "region": [(r.id, r.name) for r in regions],
        "programme": [(p.id, p.name) for p in programmes],
        "cohort": [(c.id, c.name) for c in cohorts],
        "coach": [(c.id, f"{c.first_name} {c.last_name}") for c in coaches],
    }


def weekday_names(locale: str, width: str = "wide") -> list[str]:
    names = get_day_names(width, locale=locale)
    return [names[i] for i in range(7)]

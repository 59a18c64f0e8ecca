"""What the home page shows: next sessions, things to act on, key figures, a weekly chart, the worker's pulse.

Every figure is computed by the database (COUNT, COUNT DISTINCT, SUM over CASE) in a fixed number of
queries, whatever the data size. The user decides the scope: an organiser sees their organisation, a coach
only their own sessions, an admin everything or one organisation picked in the filter.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import format_timedelta
from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    case,
    cast,
    distinct,
    false,
    func,
    literal_column,
    null,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import contains_eager

from coaching.accounts.models import Role
from coaching.attendance.models import Answer, Attendance
from coaching.attendance.rules import ATTENDED, REACHED
from coaching.cohorts.models import Cohort, CohortStatus, Enrolment, EnrolmentRole, EnrolmentStatus
from coaching.core import clock
from coaching.core.db import UTCDateTime
from coaching.extensions import db
from coaching.mail.models import OutboxMessage, OutboxStatus
from coaching.mentoring.lifecycle import NEEDS_ACTION, OCCUPYING
from coaching.mentoring.models import MeetingStatus, MentoringMeeting, Pairing
from coaching.organisations.models import Organisation
from coaching.people.models import Person
from coaching.programmes.models import Programme
from coaching.scheduling.models import CoachingSession, SessionStatus

UPCOMING_DAYS = 14
UPCOMING_LIMIT = 10
UNRECORDED_DAYS = 30
ENDING_DAYS = 30
CHART_WEEKS = 8
ITEMS_SHOWN = 5  # per kind of open item listed by name under the counts
WORKER_STALE_SECONDS = 600
# Meetings an organiser must look at: still waiting for the mentor, or answered in a way that needs a step.
OPEN_MEETING_STATUSES = (MeetingStatus.PROPOSED, *NEEDS_ACTION)


@dataclass(frozen=True)
class Scope:
    """Whose data the dashboard shows. `organisation_id` None = every organisation (admins only)."""

    organisation_id: int | None
    coach_person_id: int | None = None
    coach_only: bool = False

    @property
    def staff(self) -> bool:
        return not self.coach_only


def scope_for(user, organisation_id: int | None = None) -> Scope:
    if user.is_admin:
        return Scope(organisation_id)
    if user.role == Role.COACH:
        return Scope(user.organisation_id, user.person_id, coach_only=True)
    return Scope(user.organisation_id)


def _org(column, scope: Scope) -> ColumnElement[bool]:
    return true() if scope.organisation_id is None else column == scope.organisation_id


def _sessions_of(scope: Scope) -> ColumnElement[bool]:
    """Condition on a query that joins CoachingSession to Cohort."""
    condition = _org(Cohort.organisation_id, scope)
    if not scope.coach_only:
        return condition
    if scope.coach_person_id is None:
        return false()
    coached = select(Enrolment.cohort_id).where(
        Enrolment.person_id == scope.coach_person_id,
        Enrolment.role == EnrolmentRole.COACH,
        Enrolment.status == EnrolmentStatus.ACTIVE,
    )
    return and_(condition, or_(CoachingSession.coach_id == scope.coach_person_id,
                               CoachingSession.cohort_id.in_(coached)))


def _count(query) -> ColumnElement[int]:
    return query.with_only_columns(func.count()).scalar_subquery()


def list_organisations(user) -> list[Organisation]:
    """The admin's filter choices; for everyone else their own organisation (for the heading)."""
    query = select(Organisation).order_by(Organisation.name)
    if not user.is_admin:
        query = query.where(Organisation.id == user.organisation_id)
    return list(db.session.scalars(query))


def pick_organisation(user, raw: str | None, organisations: list[Organisation]) -> tuple[int | None, bool]:
    """Admin's filter value → (organisation id or None for all, whether the value was refused)."""
    if not user.is_admin or not raw:
        return None, False
    known = {o.id for o in organisations}
    if raw.isdigit() and int(raw) in known:
        return int(raw), False
    return None, True


@dataclass
class UpcomingSession:
    session: CoachingSession
    accepted: int = 0
    declined: int = 0
    no_answer: int = 0


def list_next_sessions(user, organisation_id: int | None = None) -> list[UpcomingSession]:
    scope = scope_for(user, organisation_id)
    now = clock.now()
    sessions = db.session.scalars(
        select(CoachingSession).join(CoachingSession.cohort)
        .options(contains_eager(CoachingSession.cohort))
        .where(_sessions_of(scope), CoachingSession.status != SessionStatus.CANCELLED,
               CoachingSession.starts_at >= now, CoachingSession.starts_at < now + timedelta(days=UPCOMING_DAYS))
        .order_by(CoachingSession.starts_at, CoachingSession.id)
        .limit(UPCOMING_LIMIT)
    ).all()
    rows = {s.id: UpcomingSession(s) for s in sessions}
    for session_id, answer, number in count_answers(list(rows)):
        row = rows[session_id]
        if answer == Answer.ACCEPTED:
            row.accepted = number
        elif answer == Answer.DECLINED:
            row.declined = number
        elif answer == Answer.NEEDS_ACTION:
            row.no_answer = number
    return list(rows.values())


def count_answers(session_ids: list[int]) -> list[tuple[int, Answer, int]]:
    """(session, answer, how many) for the given sessions: one GROUP BY."""
    if not session_ids:
        return []
    return db.session.execute(
        select(Attendance.session_id, Attendance.answer, func.count())
        .where(Attendance.session_id.in_(session_ids))
        .group_by(Attendance.session_id, Attendance.answer)
    ).all()


@dataclass
class ActionCounts:
    failed_emails: int = 0
    bounced_people: int = 0
    unrecorded_sessions: int = 0
    open_meetings: int = 0
    ending_pairings: int = 0
    draft_cohorts: int = 0

    @property
    def total(self) -> int:
        return (self.failed_emails + self.bounced_people + self.unrecorded_sessions + self.open_meetings
                + self.ending_pairings + self.draft_cohorts)


def _unrecorded_sessions(scope: Scope, now: datetime):
    return (
        select(CoachingSession).join(CoachingSession.cohort)
        .where(_sessions_of(scope), CoachingSession.status != SessionStatus.CANCELLED,
               CoachingSession.attendance_recorded_at.is_(None),
               CoachingSession.starts_at < now,
               CoachingSession.starts_at >= now - timedelta(days=UNRECORDED_DAYS))
    )


def _bounced_people(scope: Scope):
    return select(Person).where(_org(Person.organisation_id, scope), Person.email_bounced_at.is_not(None),
                                Person.erased_at.is_(None))


def _draft_cohorts(scope: Scope):
    has_sessions = select(CoachingSession.id).where(CoachingSession.cohort_id == Cohort.id).exists()
    return select(Cohort).where(_org(Cohort.organisation_id, scope), Cohort.status == CohortStatus.DRAFT,
                                has_sessions)


def count_actions(user, organisation_id: int | None = None) -> ActionCounts:
    """All counts in one statement (a row of scalar subqueries). Coaches only see their unrecorded sessions."""
    scope = scope_for(user, organisation_id)
    now = clock.now()
    figures = {"unrecorded_sessions": _count(_unrecorded_sessions(scope, now))}
    if scope.staff:
        ending_by = clock.today_local() + timedelta(days=ENDING_DAYS)
        figures |= {
            "failed_emails": _count(select(OutboxMessage).where(
                _org(OutboxMessage.organisation_id, scope), OutboxMessage.status == OutboxStatus.FAILED)),
            "bounced_people": _count(_bounced_people(scope)),
            "open_meetings": _count(select(MentoringMeeting).join(MentoringMeeting.pairing).where(
                _org(Pairing.organisation_id, scope), MentoringMeeting.status.in_(OPEN_MEETING_STATUSES))),
            "ending_pairings": _count(select(Pairing).where(
                _org(Pairing.organisation_id, scope), Pairing.status.in_(OCCUPYING),
                Pairing.planned_end_on.is_not(None), Pairing.planned_end_on <= ending_by)),
            "draft_cohorts": _count(_draft_cohorts(scope)),
        }
    row = db.session.execute(select(*(value.label(name) for name, value in figures.items()))).one()
    return ActionCounts(**row._asdict())


@dataclass(frozen=True)
class ActionItem:
    kind: str  # "session", "cohort" or "person"
    id: int
    label: str
    detail: str | None
    at: datetime | None


def _item_columns(query, kind: str, id_, label, detail, at):
    return query.with_only_columns(
        literal_column(f"'{kind}'", String).label("kind"), id_.label("id"), label.label("label"),
        detail.label("detail"), at.label("at"),
    )


def list_action_items(user, organisation_id: int | None = None) -> dict[str, list[ActionItem]]:
    """The first few unrecorded sessions, draft cohorts and bounced people by name, in one UNION query."""
    scope = scope_for(user, organisation_id)
    no_time = cast(null(), UTCDateTime())
    no_text = cast(null(), String(200))
    branches = [
        _item_columns(_unrecorded_sessions(scope, clock.now()), "session", CoachingSession.id,
                      CoachingSession.topic, Cohort.name, CoachingSession.starts_at)
        .order_by(CoachingSession.starts_at.desc()),
    ]
    if scope.staff:
        branches += [
            _item_columns(_draft_cohorts(scope), "cohort", Cohort.id, Cohort.name, no_text, no_time)
            .order_by(Cohort.name),
            _item_columns(_bounced_people(scope), "person", Person.id,
                          Person.first_name + " " + Person.last_name, Person.email, no_time)
            .order_by(Person.last_name, Person.first_name),
        ]
    # Each branch is wrapped so that its own ORDER BY/LIMIT is allowed inside the UNION on every database.
    wrapped = [select(branch.limit(ITEMS_SHOWN).subquery().c) for branch in branches]
    query = union_all(*wrapped) if len(wrapped) > 1 else wrapped[0]
    items: dict[str, list[ActionItem]] = {"session": [], "cohort": [], "person": []}
    for row in db.session.execute(query):
        items[row.kind].append(ActionItem(row.kind, row.id, row.label, row.detail, clock.as_utc(row.at)))
    return items


@dataclass
class KeyFigures:
    sessions_held: int = 0
    sessions_planned: int = 0
    sessions_cancelled: int = 0
    people_named: int = 0  # distinct persons with an attended outcome
    headcount: int = 0  # anonymous attendees of held headcount sessions
    attended: int = 0
    outcomes: int = 0
    programmes: list[str] = field(default_factory=list)

    @property
    def people_reached(self) -> int:
        return self.people_named + self.headcount

    @property
    def attendance_rate(self) -> float | None:
        return round(100 * self.attended / self.outcomes) if self.outcomes else None


def count_key_figures(user, organisation_id: int | None = None) -> KeyFigures:
    """Figures of the programmes running today; two statements (programme names, then all numbers)."""
    scope = scope_for(user, organisation_id)
    today, now = clock.today_local(), clock.now()
    current = select(Programme.id, Programme.name).where(Programme.starts_on <= today, Programme.ends_on >= today)
    programmes = [name for _, name in db.session.execute(current.order_by(Programme.starts_on, Programme.name))]
    in_scope = and_(_sessions_of(scope), Cohort.programme_id.in_(current.with_only_columns(Programme.id)))

    cancelled = CoachingSession.status == SessionStatus.CANCELLED
    held = and_(~cancelled, CoachingSession.starts_at < now)

    def total(condition, value=1):
        return func.coalesce(func.sum(case((condition, value), else_=0)), 0)

    sessions = (
        select(total(held).label("sessions_held"),
               total(and_(~cancelled, CoachingSession.starts_at >= now)).label("sessions_planned"),
               total(cancelled).label("sessions_cancelled"),
               total(and_(held, CoachingSession.is_headcount.is_(True)),
                     func.coalesce(CoachingSession.headcount, 0)).label("headcount"))
        .select_from(CoachingSession).join(CoachingSession.cohort).where(in_scope)
    ).subquery()
    attended = Attendance.outcome.in_(ATTENDED)
    attendance = (
        select(func.count(distinct(case((Attendance.outcome.in_(REACHED), Attendance.person_id)))).label(
                   "people_named"),
               total(attended).label("attended"),
               func.count(Attendance.outcome).label("outcomes"))
        .select_from(Attendance).join(CoachingSession, Attendance.session_id == CoachingSession.id)
        .join(CoachingSession.cohort).where(in_scope, ~cancelled)
    ).subquery()
    row = db.session.execute(select(sessions, attendance).select_from(sessions).join(attendance, true())).one()
    return KeyFigures(**{k: int(v or 0) for k, v in row._asdict().items()}, programmes=programmes)


@dataclass(frozen=True)
class WeekBar:
    starts_on: date
    week: int
    sessions: int


def count_sessions_per_week(user, organisation_id: int | None = None) -> list[WeekBar]:
    """Planned sessions in each Berlin calendar week from this one on: one row of SUM(CASE …)."""
    scope = scope_for(user, organisation_id)
    today = clock.today_local()
    monday = today - timedelta(days=today.weekday())
    days = [monday + timedelta(weeks=n) for n in range(CHART_WEEKS + 1)]
    bounds = [clock.local_to_utc(day, time(0)) for day in days]  # midnight always exists in Berlin
    starts = CoachingSession.starts_at
    columns = [
        func.coalesce(func.sum(case((and_(starts >= lo, starts < hi), 1), else_=0)), 0)
        for lo, hi in zip(bounds, bounds[1:], strict=False)
    ]
    row = db.session.execute(
        select(*columns).select_from(CoachingSession).join(CoachingSession.cohort)
        .where(_sessions_of(scope), CoachingSession.status != SessionStatus.CANCELLED,
               starts >= bounds[0], starts < bounds[-1])
    ).one()
    return [WeekBar(day, day.isocalendar().week, int(n)) for day, n in zip(days, row, strict=False)]


@dataclass(frozen=True)
class WorkerState:
    ok: bool
    ago: str | None  # "vor 2 Minuten", None = never seen


def describe_worker(report: dict) -> WorkerState:
    """From `health.check()`: fine if the worker beat within the last ten minutes."""
    seconds = report.get("worker_seconds_ago")
    if seconds is None:
        return WorkerState(False, None)
    ago = format_timedelta(timedelta(seconds=-max(seconds, 0)), add_direction=True, threshold=1)
    return WorkerState(seconds <= WORKER_STALE_SECONDS, ago)


@dataclass
class Dashboard:
    organisations: list[Organisation]
    organisation_id: int | None
    filter_refused: bool
    next_sessions: list[UpcomingSession]
    actions: ActionCounts
    items: dict[str, list[ActionItem]]
    figures: KeyFigures
    weeks: list[WeekBar]


def build_dashboard(user, raw_filter: str | None = None) -> Dashboard:
    organisations = list_organisations(user)
    organisation_id, refused = pick_organisation(user, raw_filter, organisations)
    return Dashboard(
        organisations=organisations,
        organisation_id=organisation_id,
        filter_refused=refused,
        next_sessions=list_next_sessions(user, organisation_id),
        actions=count_actions(user, organisation_id),
        items=list_action_items(user, organisation_id),
        figures=count_key_figures(user, organisation_id),
        weeks=count_sessions_per_week(user, organisation_id),
    )

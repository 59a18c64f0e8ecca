"""Answers by hand, outcomes on the day, walk-ins and headcounts; the figures for the attendance pages.

Every function that changes something takes the acting user and commits once. Figures are counted by the
database (GROUP BY), so pages make the same few queries for 10 or 300 people.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from coaching.attendance import rules
from coaching.attendance.models import Answer, AnswerSource, Attendance, Outcome, SessionDocument
from coaching.audit import services as audit
from coaching.cohorts.models import Cohort, Enrolment, EnrolmentRole, EnrolmentStatus
from coaching.core import clock
from coaching.core.errors import DomainError
from coaching.extensions import db
from coaching.people import services as people
from coaching.people.models import Person
from coaching.scheduling.models import CoachingSession, SessionStatus

WALK_IN_SEARCH_LIMIT = 20
# Empty lines on the signature sheet for people who come without being on the list.
BLANK_SIGNATURE_ROWS = 8


@dataclass(frozen=True)
class Row:
    """One line of a session's list: a person and their attendance record (None = not yet recorded)."""

    person: Person
    attendance: Attendance | None

    @property
    def answer(self) -> Answer:
        return Answer(self.attendance.answer) if self.attendance else Answer.NEEDS_ACTION

    @property
    def outcome(self) -> Outcome | None:
        return Outcome(self.attendance.outcome) if self.attendance and self.attendance.outcome else None


def _active_members(cohort_id: int):
    return select(Enrolment.person_id).where(Enrolment.cohort_id == cohort_id,
                                             Enrolment.status == EnrolmentStatus.ACTIVE)


def session_rows(session: CoachingSession, q: str = "") -> list[Row]:
    """Active members of the cohort plus everyone with a record for the session (coach, walk-ins).

    One query, whatever the number of people."""
    query = (
        select(Person, Attendance)
        .outerjoin(Attendance, and_(Attendance.person_id == Person.id, Attendance.session_id == session.id))
        .where(or_(Person.id.in_(_active_members(session.cohort_id)), Attendance.id.is_not(None)))
        .order_by(Person.last_name, Person.first_name, Person.id)
    )
    for word in q.split()[:4]:
        pattern = f"%{word.lower()}%"
        query = query.where(or_(func.lower(Person.first_name).like(pattern),
                                func.lower(Person.last_name).like(pattern)))
    return [Row(person, attendance) for person, attendance in db.session.execute(query)]


def participants(session: CoachingSession) -> list[Person]:
    """Active participants of the session's cohort, by name (the signature sheet's pre-filled lines)."""
    return db.session.scalars(
        select(Person).join(Enrolment, Enrolment.person_id == Person.id)
        .where(Enrolment.cohort_id == session.cohort_id, Enrolment.status == EnrolmentStatus.ACTIVE,
               Enrolment.role == EnrolmentRole.PARTICIPANT)
        .order_by(Person.last_name, Person.first_name, Person.id)).all()


def summary(session_id: int) -> dict[str, int]:
    """Counts of answers and outcomes for the people on a session's list (the same people `session_rows`
    shows: records plus active members not yet invited, who count as "no answer"). Two queries."""
    counts = {key: 0 for key in (*Answer, *Outcome)} | {"total": 0, "walk_in": 0}
    cohort_id = select(CoachingSession.cohort_id).where(CoachingSession.id == session_id).scalar_subquery()
    without_record = db.session.scalar(
        select(func.count()).select_from(Enrolment)
        .where(Enrolment.cohort_id == cohort_id, Enrolment.status == EnrolmentStatus.ACTIVE,
               ~exists().where(Attendance.session_id == session_id, Attendance.person_id == Enrolment.person_id)))
    counts["total"] += without_record
    counts[Answer.NEEDS_ACTION] += without_record
    query = (select(Attendance.answer, Attendance.outcome, Attendance.walk_in, func.count(Attendance.id))
             .where(Attendance.session_id == session_id)
             .group_by(Attendance.answer, Attendance.outcome, Attendance.walk_in))
    for answer, outcome, walk_in, n in db.session.execute(query):
        counts["total"] += n
        counts[Answer(answer)] += 0 if walk_in else n
        counts["walk_in"] += n if walk_in else 0
        if outcome is not None:
            counts[Outcome(outcome)] += n
    return {str(key): value for key, value in counts.items()}


def documents(session_id: int) -> list[SessionDocument]:
    return db.session.scalars(select(SessionDocument).where(SessionDocument.session_id == session_id)
                              .order_by(SessionDocument.created_at.desc())).all()


# ------------------------------------------------------------------------------------------- changing


def _check_outcomes_open(session: CoachingSession) -> None:
    if session.is_cancelled:
        raise DomainError(_("Dieser Termin wurde abgesagt: Hier wird keine Anwesenheit erfasst."))
    if not rules.outcomes_open(session.starts_at, session.is_cancelled):
        raise DomainError(_("Dieser Termin liegt in der Zukunft. Die Anwesenheit kann ab dem Tag des "
                            "Termins erfasst werden."))


def _row_for(session: CoachingSession, person_id: int) -> Attendance:
    """The person's record for the session, created for an active member; others are not on the list."""
    row = db.session.scalar(select(Attendance).where(Attendance.session_id == session.id,
                                                     Attendance.person_id == person_id))
    if row is not None:
        return row
    if db.session.scalar(_active_members(session.cohort_id).where(Enrolment.person_id == person_id)) is None:
        raise DomainError(_("Diese Person steht nicht auf der Liste dieses Termins."))
    row = Attendance(session_id=session.id, person_id=person_id, answer=Answer.NEEDS_ACTION, walk_in=False)
    db.session.add(row)
    return row


def _set_outcome(session: CoachingSession, row: Attendance, outcome: Outcome, actor, now: datetime) -> None:
    if not rules.may_change_outcome(row.outcome, outcome):
        raise DomainError(_("Diese Änderung ist nicht möglich."))
    # followup_sent_at stays as it is: the follow-up already went out and must not go out twice.
    row.outcome, row.outcome_recorded_at, row.recorded_by_id = outcome, now, getattr(actor, "id", None)
    session.attendance_recorded_at = now


def record_outcome(session: CoachingSession, person_id: int, outcome: str, actor) -> Attendance:
    """Attended / excused / no-show for one person, saved on its own (one tap on the check-in page)."""
    try:
        outcome = Outcome(outcome)
    except ValueError as exc:
        raise DomainError(_("Bitte anwesend, entschuldigt oder nicht erschienen wählen.")) from exc
    _check_outcomes_open(session)
    row = _row_for(session, person_id)
    _set_outcome(session, row, outcome, actor, clock.now())
    db.session.flush()
    audit.record(actor, "attendance.outcome", "attendance", row.id, outcome=outcome.value)
    db.session.commit()
    return row


def record_answer(session: CoachingSession, person_id: int, answer: str, actor) -> Attendance:
    """An answer given by phone or in person, entered by staff (source: manual)."""
    try:
        answer = Answer(answer)
    except ValueError as exc:
        raise DomainError(_("Diese Antwort gibt es nicht."), field="answer") from exc
    if session.is_cancelled:
        raise DomainError(_("Dieser Termin wurde abgesagt."))
    row = _row_for(session, person_id)
    row.answer, row.answer_source, row.answered_at = answer, AnswerSource.MANUAL, clock.now()
    db.session.flush()
    audit.record(actor, "attendance.answer", "attendance", row.id, answer=answer.value)
    db.session.commit()
    return row


def add_walk_in(session: CoachingSession, actor, person: Person | None = None,
                data: dict | None = None) -> Attendance:
    """Someone who came without being on the list: an existing person of the organisation or a new one.

    They get an attendance record (attended) for this session only; they are not enrolled in the cohort.
    """
    _check_outcomes_open(session)
    organisation_id = session.cohort.organisation_id
    if person is None:
        person = people.add_person(data or {}, organisation_id, actor)
    elif person.organisation_id != organisation_id:
        raise DomainError(_("Diese Person gehört zu einer anderen Organisation."))
    row = db.session.scalar(select(Attendance).where(Attendance.session_id == session.id,
                                                     Attendance.person_id == person.id))
    if row is None:
        enrolled = db.session.scalar(
            _active_members(session.cohort_id).where(Enrolment.person_id == person.id))
        row = Attendance(session_id=session.id, person_id=person.id, answer=Answer.NEEDS_ACTION,
                         walk_in=enrolled is None)
        db.session.add(row)
    _set_outcome(session, row, Outcome.ATTENDED, actor, clock.now())
    db.session.flush()
    audit.record(actor, "attendance.walk_in", "attendance", row.id, person_id=person.id)
    db.session.commit()
    return row


def record_headcount(session: CoachingSession, headcount: int | None, actor) -> CoachingSession:
    """Open parent evenings: how many came, without names."""
    if not session.is_headcount:
        raise DomainError(_("Für diesen Termin werden Namen erfasst, keine Personenzahl."), field="headcount")
    if headcount is None or headcount < 0:
        raise DomainError(_("Bitte eine Zahl ab 0 angeben."), field="headcount")
    _check_outcomes_open(session)
    session.headcount = headcount
    session.attendance_recorded_at = clock.now()
    audit.record(actor, "attendance.headcount", "coaching_session", session.id, headcount=headcount)
    db.session.commit()
    return session


def walk_in_candidates(session: CoachingSession, q: str) -> list[Person]:
    """People of the session's organisation matching a search, to add one as a walk-in."""
    words = q.split()[:4]
    if not words:
        return []
    query = select(Person).where(Person.organisation_id == session.cohort.organisation_id,
                                 Person.erased_at.is_(None))
    for word in words:
        pattern = f"%{word.lower()}%"
        query = query.where(or_(func.lower(Person.first_name).like(pattern),
                                func.lower(Person.last_name).like(pattern),
                                func.lower(Person.email).like(pattern)))
    return db.session.scalars(query.order_by(Person.last_name, Person.first_name)
                              .limit(WALK_IN_SEARCH_LIMIT)).all()


# ------------------------------------------------------------------------------------------- figures


def _count_outcome(outcome: Outcome):
    return func.coalesce(func.sum(case((Attendance.outcome == outcome, 1), else_=0)), 0)


def held_sessions(*conditions, named_only: bool = False):
    """Ids of held sessions (not cancelled, already over) matching `conditions`.

    `named_only` leaves out open evenings counted by head: they have no names to count per person."""
    query = select(CoachingSession.id).where(CoachingSession.status != SessionStatus.CANCELLED,
                                             CoachingSession.ends_at <= clock.now(), *conditions)
    return query.where(CoachingSession.is_headcount.is_(False)) if named_only else query


@dataclass(frozen=True)
class SessionRate:
    session: CoachingSession
    listed: int
    attended: int
    excused: int
    no_show: int

    @property
    def rate(self) -> float | None:
        """Share of the people on the session's list who attended (None: nobody on the list)."""
        return self.attended / self.listed if self.listed else None


def cohort_rates(cohort: Cohort) -> list[SessionRate]:
    """Each held session of the cohort with its figures, oldest first: two queries."""
    held = held_sessions(CoachingSession.cohort_id == cohort.id)
    sessions = db.session.scalars(
        select(CoachingSession).where(CoachingSession.id.in_(held)).order_by(CoachingSession.starts_at)).all()
    figures = {
        sid: (listed, attended, excused, no_show)
        for sid, listed, attended, excused, no_show in db.session.execute(
            select(Attendance.session_id, func.count(Attendance.id), _count_outcome(Outcome.ATTENDED),
                   _count_outcome(Outcome.EXCUSED), _count_outcome(Outcome.NO_SHOW))
            .where(Attendance.session_id.in_(held))
            .group_by(Attendance.session_id))
    }
    return [SessionRate(s, *figures.get(s.id, (0, 0, 0, 0))) for s in sessions]


@dataclass(frozen=True)
class CohortFigures:
    cohort: Cohort
    held: int
    attended: int
    excused: int
    no_show: int


def person_figures(person: Person) -> tuple[list[CohortFigures], list[Attendance]]:
    """Per cohort: held sessions and this person's outcomes; and the person's records: three queries."""
    per_cohort = db.session.execute(
        select(CoachingSession.cohort_id, _count_outcome(Outcome.ATTENDED), _count_outcome(Outcome.EXCUSED),
               _count_outcome(Outcome.NO_SHOW))
        .join(Attendance, Attendance.session_id == CoachingSession.id)
        .where(Attendance.person_id == person.id)
        .group_by(CoachingSession.cohort_id)).all()
    cohort_ids = [row[0] for row in per_cohort]
    named = held_sessions(CoachingSession.cohort_id.in_(cohort_ids), named_only=True)
    held = dict(db.session.execute(
        select(CoachingSession.cohort_id, func.count(CoachingSession.id))
        .where(CoachingSession.id.in_(named))
        .group_by(CoachingSession.cohort_id)).all()) if cohort_ids else {}
    records = db.session.scalars(
        select(Attendance).join(Attendance.session).join(CoachingSession.cohort)
        .options(contains_eager(Attendance.session).contains_eager(CoachingSession.cohort))
        .where(Attendance.person_id == person.id)
        .order_by(CoachingSession.starts_at.desc())).all()
    cohorts = {r.session.cohort_id: r.session.cohort for r in records}
    figures = [CohortFigures(cohorts[cid], held.get(cid, 0), a, e, n) for cid, a, e, n in per_cohort]
    figures.sort(key=lambda f: f.cohort.name)
    return figures, records


def session_options() -> list:
    """Loader options for a session with what every attendance page shows."""
    return [joinedload(CoachingSession.cohort).joinedload(Cohort.programme),
            joinedload(CoachingSession.cohort).joinedload(Cohort.organisation),
            joinedload(CoachingSession.coach)]

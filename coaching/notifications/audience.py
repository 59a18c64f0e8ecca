"""Who may receive reminders and follow-ups, as SQL conditions, so every run stays a few set-based queries."""
from __future__ import annotations

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import joinedload
from sqlalchemy.sql.elements import ColumnElement

from coaching.attendance.models import Answer, Attendance
from coaching.cohorts.models import Cohort, CohortStatus, Enrolment, EnrolmentRole, EnrolmentStatus
from coaching.extensions import db
from coaching.mail.models import AddressSuppression
from coaching.people.models import Person
from coaching.programmes.models import Programme
from coaching.scheduling.models import CoachingSession, SessionStatus


def reachable(person=Person) -> ColumnElement[bool]:
    """A deliverable address and no opt-out (invitations do not use this: they always go out)."""
    return and_(
        person.email.is_not(None),
        person.email != "",
        person.email_bounced_at.is_(None),
        person.erased_at.is_(None),
        person.unsubscribed_at.is_(None),
        ~exists().where(func.lower(AddressSuppression.email) == func.lower(person.email)),
    )


def invited_participants(
    *conditions,
) -> list[tuple[CoachingSession, Cohort, Programme, Person, Attendance | None]]:
    """Active participants of published cohorts for planned sessions who have not declined, in one query.

    With their Attendance row, if any: its invitation SEQUENCE makes the answer links of the reminder."""
    stmt = (
        select(CoachingSession, Cohort, Programme, Person, Attendance)
        .join(Cohort, Cohort.id == CoachingSession.cohort_id)
        .join(Programme, Programme.id == Cohort.programme_id)
        .join(Enrolment, Enrolment.cohort_id == Cohort.id)
        .join(Person, Person.id == Enrolment.person_id)
        .outerjoin(
            Attendance, and_(Attendance.session_id == CoachingSession.id, Attendance.person_id == Person.id)
        )
        .where(
            CoachingSession.status == SessionStatus.PLANNED,
            Cohort.status == CohortStatus.PUBLISHED,
            Enrolment.role == EnrolmentRole.PARTICIPANT,
            Enrolment.status == EnrolmentStatus.ACTIVE,
            or_(Attendance.id.is_(None), Attendance.answer != Answer.DECLINED),
            reachable(),
            *conditions,
        )
        .options(joinedload(CoachingSession.coach))
        .order_by(CoachingSession.starts_at, CoachingSession.id, Person.id)
    )
    return [tuple(row) for row in db.session.execute(stmt).unique().all()]


def followup_candidates(*conditions) -> list[tuple[Attendance, CoachingSession, Cohort, Programme, Person]]:
    """Attendance rows whose follow-up is still owed: outcome recorded or invitation declined."""
    stmt = (
        select(Attendance, CoachingSession, Cohort, Programme, Person)
        .join(CoachingSession, CoachingSession.id == Attendance.session_id)
        .join(Cohort, Cohort.id == CoachingSession.cohort_id)
        .join(Programme, Programme.id == Cohort.programme_id)
        .join(Person, Person.id == Attendance.person_id)
        .outerjoin(Enrolment, and_(Enrolment.cohort_id == Cohort.id, Enrolment.person_id == Person.id))
        .where(
            Attendance.followup_sent_at.is_(None),
            or_(Attendance.outcome.is_not(None), Attendance.answer == Answer.DECLINED),
            CoachingSession.status == SessionStatus.PLANNED,
            # Walk-ins without an enrolment get a follow-up too; withdrawn people and coaches do not.
            or_(
                Enrolment.id.is_(None),
                and_(Enrolment.status == EnrolmentStatus.ACTIVE, Enrolment.role == EnrolmentRole.PARTICIPANT),
            ),
            reachable(),
            *conditions,
        )
        .options(joinedload(CoachingSession.coach))
        .order_by(CoachingSession.ends_at, Attendance.id)
    )
    return [tuple(row) for row in db.session.execute(stmt).unique().all()]

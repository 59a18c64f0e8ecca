"""Bring what participants' calendars hold in line with the sessions: invitations, updates, cancellations.

Scheduling and cohort services call `sync_session`/`sync_cohort` after a change, inside their transaction,
before their commit. Per person the Attendance row remembers the SEQUENCE last sent
(`invited_sequence`) and of a cancellation (`cancel_sent_sequence`), so calling these again sends
nothing twice.

Each message names only its recipient as ATTENDEE: participants must not see each other's addresses, and a
withdrawal then only concerns the one who left (CANCEL to them, nothing to the rest).
"""
from __future__ import annotations

from collections.abc import Iterable

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from coaching.attendance.models import Answer, Attendance
from coaching.audit.services import record
from coaching.calendar import events, ical, links, rsvp
from coaching.cohorts.models import Cohort, CohortStatus, Enrolment, EnrolmentStatus
from coaching.core import clock, tokens
from coaching.core.errors import DomainError
from coaching.core.urls import external_url
from coaching.extensions import db
from coaching.mail import outbox
from coaching.mail.compose import render_email
from coaching.people.models import Person
from coaching.scheduling.models import ChangeKind, CoachingSession, SessionChange

KIND_INVITATION = "session_invitation"
KIND_UPDATE = "session_update"
KIND_CANCELLATION = "session_cancellation"
FEED_RENEW_PURPOSE = "feed-renew"


def publish_cohort(cohort: Cohort, actor) -> int:
    """Publish a cohort's series: everyone enrolled gets an invitation per future session. Commits."""
    if cohort.status == CohortStatus.ARCHIVED:
        raise DomainError(_l("Eine archivierte Kohorte kann nicht veröffentlicht werden."))
    if cohort.status != CohortStatus.PUBLISHED:
        cohort.status = CohortStatus.PUBLISHED
        cohort.published_at = clock.now()
    count = sync_cohort(cohort, actor)
    record(actor, "cohort.published", "cohort", cohort.id, messages=count)
    db.session.commit()
    return count


def sync_session(session: CoachingSession, actor=None) -> int:
    """Queue REQUEST/CANCEL mails so everyone affected by `session` has its current state; returns count."""
    return _sync([session], session.cohort)


def sync_cohort(cohort: Cohort, actor=None) -> int:
    """Same for every future session of the cohort (after publish, enrolment or withdrawal).

    A sync that may write more messages than INVITATIONS_INLINE_LIMIT (a 300-person cohort with 40 sessions
    is 12,000 invitations) is only recorded here, in the caller's transaction, and done by the worker."""
    sessions = _future_sessions(cohort)
    if not sessions:
        return 0
    if cohort.status == CohortStatus.PUBLISHED:
        members = db.session.scalar(select(func.count()).select_from(Enrolment).where(
            Enrolment.cohort_id == cohort.id, Enrolment.status == EnrolmentStatus.ACTIVE))
        if len(sessions) * (members + 1) > current_app.config["INVITATIONS_INLINE_LIMIT"]:
            cohort.invitations_requested_at = clock.now()
            return 0
    return _sync(sessions, cohort)


def run_requested() -> int:
    """Worker job: the oldest cohort-wide sync that was too big for a request, one commit per session so
    the sending page shows progress. Safe with several workers: idempotency keys refuse a second copy."""
    cohort = db.session.scalar(select(Cohort).where(Cohort.invitations_requested_at.is_not(None))
                               .order_by(Cohort.invitations_requested_at).limit(1))
    if cohort is None:
        return 0
    requested, count = cohort.invitations_requested_at, 0
    for session in _future_sessions(cohort):
        try:
            count += _sync([session], cohort)
            db.session.commit()
        except IntegrityError:  # another worker queued the same messages first
            db.session.rollback()
    # Cleared only if nobody asked again meanwhile (e.g. an enrolment during the run).
    db.session.execute(update(Cohort).where(Cohort.id == cohort.id,
                                            Cohort.invitations_requested_at == requested)
                       .values(invitations_requested_at=None))
    db.session.commit()
    return count


def _future_sessions(cohort: Cohort) -> list[CoachingSession]:
    return list(db.session.scalars(
        select(CoachingSession).where(CoachingSession.cohort_id == cohort.id,
                                      CoachingSession.starts_at > clock.now())
        .order_by(CoachingSession.starts_at)
    ))


# ------------------------------------------------------------------------------------------------ internals


def _sync(sessions: Iterable[CoachingSession], cohort: Cohort) -> int:
    now = clock.now()
    sessions = [s for s in sessions if clock.as_utc(s.starts_at) > now]
    if not sessions:
        return 0
    db.session.flush()
    ids = [s.id for s in sessions]
    members = _active_members(cohort) if cohort.status == CohortStatus.PUBLISHED else {}
    coach_ids = {s.coach_id for s in sessions if s.coach_id} - members.keys()
    coaches = ({p.id: p for p in db.session.scalars(select(Person).where(Person.id.in_(coach_ids)))}
               if coach_ids else {})
    rows: dict[int, dict[int, Attendance]] = {i: {} for i in ids}
    for row in db.session.scalars(select(Attendance).where(Attendance.session_id.in_(ids))
                                  .options(joinedload(Attendance.person))):
        rows[row.session_id][row.person_id] = row
    moved = _last_reschedule(ids)
    organizer = cohort.organisation.name if cohort.organisation else None
    count = 0
    for session in sessions:
        eligible = dict(members)
        if session.coach_id and cohort.status == CohortStatus.PUBLISHED:
            coach = coaches.get(session.coach_id) or members.get(session.coach_id)
            eligible.setdefault(session.coach_id, coach)
        if session.is_cancelled:
            eligible = {}
        count += _sync_one(session, eligible, rows[session.id], moved.get(session.id), organizer)
    return count


def _active_members(cohort: Cohort) -> dict[int, Person]:
    enrolments = db.session.scalars(
        select(Enrolment).where(Enrolment.cohort_id == cohort.id, Enrolment.status == EnrolmentStatus.ACTIVE)
        .options(selectinload(Enrolment.person))
    ).all()
    return {e.person_id: e.person for e in enrolments}


def _last_reschedule(session_ids: list[int]) -> dict[int, int]:
    """SEQUENCE of the latest time change per session: an earlier answer no longer holds after it."""
    query = (select(SessionChange.session_id, func.max(SessionChange.sequence))
             .where(SessionChange.session_id.in_(session_ids), SessionChange.kind == ChangeKind.RESCHEDULED)
             .group_by(SessionChange.session_id))
    return {sid: seq for sid, seq in db.session.execute(query)}


def _required_sequence(session: CoachingSession, eligible: dict[int, Person | None],
                       rows: dict[int, Attendance]) -> int:
    """Every message must carry a SEQUENCE above what its recipient last got, or clients ignore it."""
    needed = session.ical_sequence or 0
    for person_id, row in rows.items():
        if session.is_cancelled and row.invited_sequence is not None:
            needed = max(needed, row.invited_sequence + 1 if row.invited_sequence >= needed else needed)
        if person_id in eligible and row.invited_sequence is None and row.cancel_sent_sequence is not None:
            # Back after a withdrawal: their calendar saw a CANCEL at that SEQUENCE.
            needed = max(needed, row.cancel_sent_sequence + 1)
    return needed


def _sync_one(session: CoachingSession, eligible: dict[int, Person | None], rows: dict[int, Attendance],
              last_move: int | None, organizer: str | None) -> int:
    session.ical_sequence = _required_sequence(session, eligible, rows)
    sequence = session.ical_sequence
    count = 0
    for person_id, row in rows.items():
        if row.invited_sequence is None or person_id in eligible:
            continue
        # Session cancelled: everyone at the session's SEQUENCE. Person left: one above what they hold.
        cancel_at = sequence if session.is_cancelled else max(sequence, row.invited_sequence) + 1
        if row.person.can_receive_email:
            count += queue_message(session, row, KIND_CANCELLATION, cancel_at, organizer)
        row.invited_sequence = None
        row.cancel_sent_sequence = cancel_at
    for person_id, person in eligible.items():
        if person is None or not person.can_receive_email:
            continue
        row = rows.get(person_id)
        if row is None:
            row = Attendance(session_id=session.id, person_id=person_id, answer=Answer.NEEDS_ACTION)
            row.person = person
            db.session.add(row)
            rows[person_id] = row
        elif row.invited_sequence is not None and row.invited_sequence >= sequence:
            continue
        kind = KIND_INVITATION if row.invited_sequence is None else KIND_UPDATE
        if kind == KIND_UPDATE and last_move is not None and last_move > row.invited_sequence:
            row.answer, row.answer_source, row.answered_at = Answer.NEEDS_ACTION, None, None
        count += queue_message(session, row, kind, sequence, organizer)
        row.invited_sequence = sequence
    session.sent_sequence = sequence
    return count


def queue_message(session: CoachingSession, row: Attendance, kind: str, sequence: int,
                  organizer: str | None = None, version: str | int | None = None) -> int:
    """One REQUEST or CANCEL mail to the person of `row`; the key holds the SEQUENCE (or a given version)."""
    person = row.person
    organizer = organizer or session.cohort.organisation.name
    token = rsvp.make_token(row, sequence)
    language = person.preferred_language or "de"
    with force_locale(language):  # also outside a request (the worker, commands)
        event = events.session_event(session, attendees=(rsvp.attendee_for(row),), sequence=sequence,
                                     organizer_name=organizer)
    cancel = kind == KIND_CANCELLATION
    text = ical.cancellation(event) if cancel else ical.invitation(event)
    rendered = render_email(kind, language, **email_context(session, person, token, language))
    message = outbox.enqueue(
        kind=kind, key=outbox.idempotency_key(kind, f"session:{session.id}", person.email,
                                   sequence if version is None else version),
        to_email=person.email, email=rendered, person_id=person.id,
        organisation_id=session.cohort.organisation_id, session_id=session.id,
        ical=text, ical_method="CANCEL" if cancel else "REQUEST",
        headers={"Auto-Submitted": "auto-generated"},
    )
    return 1 if message is not None else 0


def renew_feed_link(person: Person) -> str:
    return external_url("calendar.renew_person_feed", token=tokens.sign(FEED_RENEW_PURPOSE, {"p": person.id}))


def email_context(session: CoachingSession, person: Person, token: str, language: str = "de") -> dict:
    ics_url = external_url("calendar.rsvp_ics", token=token)
    with force_locale(language):
        event = events.session_event(session)
    return {
        "person": person,
        "session": session,
        "cohort": session.cohort,
        "accept_url": external_url("calendar.rsvp_page", token=token, antwort="accepted"),
        "decline_url": external_url("calendar.rsvp_page", token=token, antwort="declined"),
        "add": links.add_links(event, ics_url),
        "feed_url": renew_feed_link(person),
        "location": events.session_location(session),
    }

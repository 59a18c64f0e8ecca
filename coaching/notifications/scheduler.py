"""What is due now, computed from the database and queued to the outbox. The mail worker calls `run_due()`.

Nothing is remembered in memory: a worker that was down catches up on restart. Reminders are due from
`starts_at + offset` until the session starts (never after); follow-ups from `ends_at + offset` for up to
14 days. Idempotency keys and the `*_sent_at` columns make every run safe to repeat, on any number of
workers (a duplicate key fails the commit of the slower worker, whose run is then simply dropped).
"""
from __future__ import annotations

import importlib
import importlib.util
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, selectinload

from coaching.attendance.models import Attendance
from coaching.cohorts.models import Cohort
from coaching.core import clock
from coaching.extensions import db
from coaching.mail import outbox
from coaching.mail.models import OutboxMessage
from coaching.materials.models import Material, MaterialStatus, SessionMaterial
from coaching.mentoring.models import MeetingStatus, MentoringMeeting, Pairing, PairingStatus
from coaching.notifications import audience, content
from coaching.people.models import Person
from coaching.programmes.models import DEFAULT_RULES, NotificationRule, Programme, RuleKind
from coaching.scheduling.models import CoachingSession, SessionStatus

FOLLOWUP_MAX_AGE = timedelta(days=14)
REMINDER_KIND = "session_reminder"
FOLLOWUP_KIND = "session_followup"
MENTOR_KIND = "mentor_reminder"

Rules = dict[int, list[int]]  # programme id → offsets in minutes


def run_due(now: datetime | None = None) -> dict[str, int]:
    """Queue every reminder and follow-up that is due at `now`; commit once. Returns counts per kind."""
    now = clock.as_utc(now) if now is not None else clock.now()
    rules = enabled_rules()
    # No autoflush: queued rows are inserted together at the commit instead of one by one.
    with db.session.no_autoflush:
        counts = {
            "session_reminders": _queue_reminders(now, rules[RuleKind.SESSION_REMINDER]),
            "session_followups": _queue_followups(now, rules[RuleKind.SESSION_FOLLOWUP]),
            "mentor_reminders": _queue_mentor_reminders(now, rules[RuleKind.MENTOR_REMINDER]),
        }
    try:
        db.session.commit()
    except IntegrityError:
        # Another worker queued the same keys first; what it queued stands, ours is dropped.
        db.session.rollback()
        current_app.logger.info("run_due: another worker was faster, nothing queued by this run")
        return {name: 0 for name in counts}
    return counts


def enabled_rules() -> dict[RuleKind, Rules]:
    rules: dict[RuleKind, Rules] = {kind: defaultdict(list) for kind in RuleKind}
    rows = db.session.execute(
        select(NotificationRule.programme_id, NotificationRule.kind, NotificationRule.offset_minutes)
        .where(NotificationRule.enabled.is_(True))
        .order_by(NotificationRule.offset_minutes)
    )
    for programme_id, kind, offset in rows:
        rules[kind][programme_id].append(offset)
    return rules


def reminder_offset_due(offsets: list[int], starts_at: datetime, now: datetime) -> int | None:
    """The latest reminder rule that is due; earlier ones it supersedes are never sent (no double mail)."""
    if now >= starts_at:
        return None
    due = [o for o in offsets if o < 0 and now >= starts_at + timedelta(minutes=o)]
    return max(due) if due else None


def queue_session_reminder(
    session: CoachingSession, cohort: Cohort, programme: Programme, person: Person, version: str | int,
    attendance: Attendance | None = None,
) -> bool:
    """Queue one reminder (skipped if its key was queued before). Used by the scheduler and "remind now"."""
    key = reminder_key(session, person, version)
    note = content.session_reminder(session, person, programme, attendance)
    queued = outbox.enqueue(
        kind=REMINDER_KIND, key=key, to_email=person.email, email=note.email, person_id=person.id,
        organisation_id=cohort.organisation_id, session_id=session.id, headers=note.headers,
    )
    return queued is not None


def reminder_key(session: CoachingSession, person: Person, version: str | int) -> str:
    # The SEQUENCE is part of the object: a session moved after its reminder went out is reminded again.
    return outbox.idempotency_key(
        REMINDER_KIND, f"session:{session.id}@{session.ical_sequence}", person.email, version)


def _queued_keys(kind: str, column, ids) -> set[str]:
    return set(db.session.scalars(
        select(OutboxMessage.idempotency_key).where(OutboxMessage.kind == kind, column.in_(ids))
    ))


def _queue_reminders(now: datetime, rules: Rules) -> int:
    horizon = max((-o for offsets in rules.values() for o in offsets), default=0)
    if horizon <= 0:
        return 0
    window = and_(CoachingSession.starts_at > now,
                  CoachingSession.starts_at <= now + timedelta(minutes=horizon))
    rows = audience.invited_participants(window, Cohort.programme_id.in_(list(rules)))
    if not rows:
        return 0
    queued = _queued_keys(REMINDER_KIND, OutboxMessage.session_id, select(CoachingSession.id).where(window))
    count = 0
    for session, cohort, programme, person, attendance in rows:
        offset = reminder_offset_due(rules[programme.id], session.starts_at, now)
        if offset is None or reminder_key(session, person, offset) in queued:
            continue
        count += queue_session_reminder(session, cohort, programme, person, offset, attendance)
    return count


def _queue_followups(now: datetime, rules: Rules) -> int:
    earliest = min((o for offsets in rules.values() for o in offsets if o >= 0), default=None)
    if earliest is None:
        return 0
    rows = audience.followup_candidates(
        CoachingSession.ends_at >= now - FOLLOWUP_MAX_AGE,
        CoachingSession.ends_at <= now - timedelta(minutes=earliest),
        Cohort.programme_id.in_(list(rules)),
    )
    due = [row for row in rows if any(o >= 0 and now >= row[1].ends_at + timedelta(minutes=o)
                                      for o in rules[row[3].id])]
    if not due:
        return 0
    session_ids = sorted({row[1].id for row in due})
    materials = _materials_by_session(session_ids)
    next_sessions = _next_session_by_cohort({row[2].id for row in due}, now)
    queued = _queued_keys(FOLLOWUP_KIND, OutboxMessage.session_id, session_ids)
    count = 0
    for attendance, session, cohort, programme, person in due:
        # Marked even when the key exists: a later change of the outcome must never send a second one.
        attendance.followup_sent_at = now
        key = outbox.idempotency_key(FOLLOWUP_KIND, f"session:{session.id}", person.email, 0)
        if key in queued:
            continue
        note = content.session_followup(
            content.followup_variant(attendance), session, person, programme,
            materials.get(session.id, []), next_sessions.get(cohort.id),
        )
        count += outbox.enqueue(
            kind=FOLLOWUP_KIND, key=key, to_email=person.email, email=note.email, person_id=person.id,
            organisation_id=cohort.organisation_id, session_id=session.id, headers=note.headers,
        ) is not None
    return count


def _materials_by_session(session_ids: list[int]) -> dict[int, list[content.MaterialLink]]:
    rows = db.session.execute(
        select(SessionMaterial.session_id, Material)
        .join(Material, Material.id == SessionMaterial.material_id)
        .where(SessionMaterial.session_id.in_(session_ids), Material.status == MaterialStatus.PUBLISHED)
        .options(selectinload(Material.files))
        .order_by(Material.title)
    ).all()
    grouped: dict[int, list[Material]] = defaultdict(list)
    for session_id, material in rows:
        grouped[session_id].append(material)
    return {session_id: content.material_links(items) for session_id, items in grouped.items()}


def _next_session_by_cohort(cohort_ids: set[int], now: datetime) -> dict[int, CoachingSession]:
    upcoming = and_(
        CoachingSession.cohort_id.in_(cohort_ids),
        CoachingSession.starts_at > now,
        CoachingSession.status == SessionStatus.PLANNED,
    )
    first = (
        select(CoachingSession.cohort_id, func.min(CoachingSession.starts_at).label("starts_at"))
        .where(upcoming).group_by(CoachingSession.cohort_id).subquery()
    )
    sessions = db.session.scalars(
        select(CoachingSession)
        .join(first, and_(CoachingSession.cohort_id == first.c.cohort_id,
                          CoachingSession.starts_at == first.c.starts_at))
        .order_by(CoachingSession.id)
    )
    result: dict[int, CoachingSession] = {}
    for session in sessions:
        result.setdefault(session.cohort_id, session)
    return result


def mentor_link_builder() -> Callable[[MentoringMeeting], str] | None:
    """The mentoring feature's link page for a meeting, once it exists (feature-detected, no hard import)."""
    if importlib.util.find_spec("coaching.mentoring.links") is None:
        return None
    return getattr(importlib.import_module("coaching.mentoring.links"), "mentor_meeting_url", None)


def _queue_mentor_reminders(now: datetime, rules: Rules) -> int:
    build_link = mentor_link_builder()
    if build_link is None:
        return 0
    default = [offset for kind, offset in DEFAULT_RULES if kind == RuleKind.MENTOR_REMINDER]
    earliest = min([o for offsets in rules.values() for o in offsets] + default)
    mentor, mentee = aliased(Person), aliased(Person)
    # A request sent again with new times counts from then (the mentoring feature resets reminder_sent_at).
    requested_at = func.coalesce(MentoringMeeting.proposed_at, MentoringMeeting.created_at)
    rows = db.session.execute(
        select(MentoringMeeting, Pairing, mentor, mentee, Programme)
        .join(Pairing, Pairing.id == MentoringMeeting.pairing_id)
        .join(mentor, mentor.id == Pairing.mentor_id)
        .join(mentee, mentee.id == Pairing.mentee_id)
        .outerjoin(Programme, Programme.id == Pairing.programme_id)
        .where(
            MentoringMeeting.status == MeetingStatus.PROPOSED,
            MentoringMeeting.reminder_sent_at.is_(None),
            requested_at <= now - timedelta(minutes=earliest),
            or_(MentoringMeeting.expires_at.is_(None), MentoringMeeting.expires_at > now),
            Pairing.status.in_([PairingStatus.PROPOSED, PairingStatus.ACTIVE]),
            audience.reachable(mentor),
        )
        .options(selectinload(MentoringMeeting.options))
        .order_by(MentoringMeeting.id)
    ).all()
    count = 0
    for meeting, pairing, mentor_person, mentee_person, programme in rows:
        # Pairings outside a programme follow the default rule; a programme follows its own rules.
        offsets = rules.get(pairing.programme_id, []) if pairing.programme_id else default
        since = meeting.proposed_at or meeting.created_at
        if not any(now >= since + timedelta(minutes=o) for o in offsets):
            continue
        meeting.reminder_sent_at = now
        note = content.mentor_reminder(meeting, since, mentor_person, mentee_person, programme,
                                       build_link(meeting))
        count += outbox.enqueue(
            kind=MENTOR_KIND,
            key=outbox.idempotency_key(MENTOR_KIND, f"meeting:{meeting.id}", mentor_person.email,
                                       clock.utc_stamp(since)),
            to_email=mentor_person.email, email=note.email, person_id=mentor_person.id,
            organisation_id=pairing.organisation_id, meeting_id=meeting.id, headers=note.headers,
        ) is not None
    return count

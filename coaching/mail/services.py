"""Rules around delivery that people act on: suppressed addresses, retrying a failed message, the figures."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from coaching.audit import services as audit
from coaching.core import clock
from coaching.core.errors import DomainError
from coaching.core.permissions import scoped
from coaching.extensions import db
from coaching.mail.models import AddressSuppression, OutboxMessage, OutboxStatus, WorkerHeartbeat
from coaching.people.models import Person
from coaching.scheduling.models import CoachingSession

PROBLEM_STATUSES = (OutboxStatus.RETRYING, OutboxStatus.FAILED)
SESSIONS_SHOWN = 20


def suppressed_among(addresses: set[str]) -> dict[str, str]:
    """Suppressed addresses (lower case) among these, with the reason; one query."""
    if not addresses:
        return {}
    rows = db.session.execute(
        select(AddressSuppression.email, AddressSuppression.reason)
        .where(AddressSuppression.email.in_({a.lower() for a in addresses}))
    )
    return {email: reason for email, reason in rows}


def suppress_address(address: str, reason: str) -> None:
    """A permanent refusal: no more mail to this address, and every person with it shows the bounce."""
    address = address.lower()
    try:
        with db.session.begin_nested():
            if db.session.get(AddressSuppression, address) is None:
                db.session.add(AddressSuppression(email=address, reason=reason[:500]))
    except IntegrityError:
        pass  # another worker suppressed it at the same moment: the row exists, which is all we need
    db.session.execute(
        update(Person).where(func.lower(Person.email) == address, Person.email_bounced_at.is_(None))
        .values(email_bounced_at=clock.now(), email_bounce_reason=reason[:300]),
        execution_options={"synchronize_session": False},
    )


def retry_message(message: OutboxMessage, actor) -> None:
    """Queue a failed message again. The organiser vouches for the address, so its suppression is lifted."""
    if message.status != OutboxStatus.FAILED:
        raise DomainError(_("Nur fehlgeschlagene Nachrichten können erneut gesendet werden."))
    if message.body_deleted_at is not None:
        raise DomainError(_("Der Inhalt dieser Nachricht wurde nach Ablauf der Aufbewahrungsfrist gelöscht."))
    address = message.recipient_email.lower()
    suppression = db.session.get(AddressSuppression, address)
    if suppression is not None:
        db.session.delete(suppression)
    if message.recipient_person_id is not None:
        db.session.execute(
            update(Person).where(Person.id == message.recipient_person_id)
            .values(email_bounced_at=None, email_bounce_reason=None),
            execution_options={"synchronize_session": False},
        )
    message.status = OutboxStatus.PENDING
    message.attempts = 0
    message.send_after = clock.now()
    message.last_error = None
    message.claimed_by = None
    message.claimed_at = None
    audit.record(actor, "outbox_retry", "outbox_message", message.id, to=message.recipient_email)
    db.session.commit()


@dataclass(frozen=True)
class SessionFigures:
    session_id: int
    topic: str
    starts_at: datetime
    counts: dict[str, int]


@dataclass(frozen=True)
class DeliveryOverview:
    counts: dict[str, int]
    sessions: list[SessionFigures]
    last_heartbeat: WorkerHeartbeat | None

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def visible_messages(user, session_id: int | None = None):
    """select() of the messages this user may see: their organisation's, or all for admins."""
    query = scoped(select(OutboxMessage), OutboxMessage.organisation_id, user)
    if session_id is not None:
        query = query.where(OutboxMessage.session_id == session_id)
    return query


def delivery_overview(user, session_id: int | None = None) -> DeliveryOverview:
    """Counts by status (overall and for the most recently mailed sessions) and the worker's last beat.

    Three queries whatever the volume: the database groups and counts.
    """
    visible = visible_messages(user, session_id).subquery()
    counts = {str(status): count for status, count in db.session.execute(
        select(visible.c.status, func.count()).group_by(visible.c.status))}
    recent = (
        select(visible.c.session_id).where(visible.c.session_id.is_not(None))
        .group_by(visible.c.session_id).order_by(func.max(visible.c.id).desc()).limit(SESSIONS_SHOWN)
    )
    per_session = db.session.execute(
        select(CoachingSession.id, CoachingSession.topic, CoachingSession.starts_at, visible.c.status,
               func.count())
        .join(visible, visible.c.session_id == CoachingSession.id)
        .where(CoachingSession.id.in_(recent.scalar_subquery()))
        .group_by(CoachingSession.id, CoachingSession.topic, CoachingSession.starts_at, visible.c.status)
        .order_by(CoachingSession.starts_at.desc(), CoachingSession.id)
    ).all()
    sessions: dict[int, SessionFigures] = {}
    for sid, topic, starts_at, status, count in per_session:
        figures = sessions.setdefault(sid, SessionFigures(sid, topic, starts_at, {}))
        figures.counts[str(status)] = count
    heartbeat = db.session.scalars(
        select(WorkerHeartbeat).order_by(WorkerHeartbeat.last_seen_at.desc()).limit(1)
    ).first()
    return DeliveryOverview(counts, list(sessions.values()), heartbeat)


def message_page(user, statuses: tuple[OutboxStatus, ...], session_id: int | None, page: int):
    """One page of messages in these statuses, newest first (a count and a page query)."""
    query = visible_messages(user, session_id).where(OutboxMessage.status.in_(statuses))
    return db.paginate(query.order_by(OutboxMessage.id.desc()), page=page, per_page=25, error_out=False)

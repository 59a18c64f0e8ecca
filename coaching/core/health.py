"""Health report for load balancers and for people: database, outbox backlog, worker heartbeat."""
from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from coaching.core import clock
from coaching.extensions import db
from coaching.mail.models import OutboxMessage, OutboxStatus, WorkerHeartbeat

BACKLOG_STATUSES = (OutboxStatus.PENDING, OutboxStatus.RETRYING, OutboxStatus.SENDING)


def check() -> dict:
    try:
        db.session.execute(text("SELECT 1"))
        backlog = db.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status.in_(BACKLOG_STATUSES))
        )
        last_seen = db.session.scalar(select(func.max(WorkerHeartbeat.last_seen_at)))
    except SQLAlchemyError:
        db.session.rollback()
        return {"database": "unreachable", "outbox_backlog": None, "worker_last_seen": None}
    last_seen = clock.as_utc(last_seen)
    return {
        "database": "ok",
        "outbox_backlog": backlog,
        "worker_last_seen": last_seen.isoformat() if last_seen else None,
        "worker_seconds_ago": round((clock.now() - last_seen).total_seconds()) if last_seen else None,
    }

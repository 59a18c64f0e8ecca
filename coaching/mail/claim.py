"""Moving outbox rows between states safely when several workers share one database.

A row is claimed (status `sending`, `claimed_by` = a token unique to this claim) in its own committed
transaction before anything is sent, so two workers never send one row. On PostgreSQL the due rows are
locked with `FOR UPDATE SKIP LOCKED` (workers take different rows without waiting); SQLite has one writer
at a time, so a single atomic `UPDATE ... WHERE status IN (...) AND id IN (subselect)` is the claim.
Every later transition is guarded by that token: a row recovered from a dead worker and claimed again is
not overwritten by the old one.
"""
from __future__ import annotations

import os
import socket
import threading
import uuid
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, delete, func, select, update

from coaching.core import clock
from coaching.extensions import db
from coaching.mail.models import OutboxMessage, OutboxStatus, WorkerHeartbeat

DUE_STATUSES = (OutboxStatus.PENDING, OutboxStatus.RETRYING)
DONE_STATUSES = (OutboxStatus.SENT, OutboxStatus.FAILED, OutboxStatus.CANCELLED)
HEARTBEAT_KEEP = timedelta(days=7)


def worker_name() -> str:
    """host:pid:thread, readable on the status page and unique among running workers."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{threading.get_ident() % 100000}"


def _due(now: datetime):
    return and_(OutboxMessage.status.in_(DUE_STATUSES), OutboxMessage.send_after <= now)


def claim(worker: str, limit: int) -> list[OutboxMessage]:
    """Claim up to `limit` due rows and commit; returns them detached (usable across later commits)."""
    now = clock.now()
    token = f"{worker[:80]}/{uuid.uuid4().hex[:12]}"
    oldest_first = (OutboxMessage.send_after, OutboxMessage.id)
    claimed = {"status": OutboxStatus.SENDING, "claimed_by": token, "claimed_at": now}
    if db.session.get_bind().dialect.name == "postgresql":
        ids = db.session.scalars(
            select(OutboxMessage.id).where(_due(now)).order_by(*oldest_first).limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        if ids:
            db.session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids)).values(**claimed),
                               execution_options={"synchronize_session": False})
    else:
        due_ids = select(OutboxMessage.id).where(_due(now)).order_by(*oldest_first).limit(limit)
        # The status test is repeated on the outer UPDATE: it is what makes the claim atomic.
        db.session.execute(
            update(OutboxMessage).where(_due(now), OutboxMessage.id.in_(due_ids.scalar_subquery()))
            .values(**claimed),
            execution_options={"synchronize_session": False},
        )
    db.session.commit()
    rows = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.claimed_by == token,
                                    OutboxMessage.status == OutboxStatus.SENDING)
        .order_by(*oldest_first)
    ).all()
    for row in rows:
        db.session.expunge(row)
    db.session.commit()
    return list(rows)


def finish(row: OutboxMessage, **values) -> bool:
    """Record the outcome of a claimed row; False when the claim was lost (recovered by another worker)."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row.id, OutboxMessage.claimed_by == row.claimed_by,
               OutboxMessage.status == OutboxStatus.SENDING)
        .values(**values),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount == 1


def renew(token: str) -> None:
    """Still working on these: move the claim time forward (stuck recovery looks at it)."""
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.claimed_by == token, OutboxMessage.status == OutboxStatus.SENDING)
        .values(claimed_at=clock.now()),
        execution_options={"synchronize_session": False},
    )


def release(rows: list[OutboxMessage]) -> None:
    """Give unsent claimed rows back untouched (graceful stop): due at once, no attempt counted."""
    for row in rows:
        finish(row, status=OutboxStatus.RETRYING if row.attempts else OutboxStatus.PENDING,
               claimed_by=None, claimed_at=None)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: base, 2×base, 4×base, … capped (see docs/mail.md for the table)."""
    config = current_app.config
    seconds = config["OUTBOX_RETRY_BASE_SECONDS"] * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, config["OUTBOX_RETRY_MAX_SECONDS"]))


def recover_stuck() -> int:
    """Rows left `sending` by a crashed or killed worker go back to the queue (the crash counts as a try)."""
    config = current_app.config
    now = clock.now()
    stuck = and_(OutboxMessage.status == OutboxStatus.SENDING,
                 OutboxMessage.claimed_at < now - timedelta(seconds=config["OUTBOX_STUCK_AFTER_SECONDS"]))
    reason = "worker stopped while sending (recovered)"
    exhausted = OutboxMessage.attempts + 1 >= config["OUTBOX_MAX_ATTEMPTS"]
    common = {"attempts": OutboxMessage.attempts + 1, "claimed_by": None, "claimed_at": None,
              "last_error": reason}
    failed = db.session.execute(
        update(OutboxMessage).where(stuck, exhausted).values(status=OutboxStatus.FAILED, **common),
        execution_options={"synchronize_session": False},
    ).rowcount
    retried = db.session.execute(
        update(OutboxMessage).where(stuck).values(status=OutboxStatus.RETRYING, send_after=now, **common),
        execution_options={"synchronize_session": False},
    ).rowcount
    db.session.commit()
    return failed + retried


def delete_old_bodies() -> int:
    """Bodies are personal data: after the retention period only the row (for the figures) remains."""
    now = clock.now()
    cutoff = now - timedelta(days=current_app.config["OUTBOX_RETENTION_DAYS"])
    finished_at = func.coalesce(OutboxMessage.sent_at, OutboxMessage.created_at)
    count = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status.in_(DONE_STATUSES), OutboxMessage.body_deleted_at.is_(None),
               finished_at < cutoff)
        .values(subject=None, body_text=None, body_html=None, ical=None, headers={}, body_deleted_at=now),
        execution_options={"synchronize_session": False},
    ).rowcount
    db.session.commit()
    return count


def beat(worker: str, info: dict) -> None:
    """Heartbeat for the status and health pages; rows of workers gone for a week are dropped."""
    now = clock.now()
    db.session.merge(WorkerHeartbeat(name=worker[:100], last_seen_at=now, info=info))
    db.session.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.last_seen_at < now - HEARTBEAT_KEEP))
    db.session.commit()

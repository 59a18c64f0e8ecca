"""The outbox worker: the only code that delivers mail. Any number may run against one database.

One cycle: recover rows a dead worker left `sending`, claim and send what is due (one SMTP connection per
batch), delete old bodies, run the hooks other features register (reminders, iTIP replies), beat.
"""
from __future__ import annotations

import importlib
import logging
import signal
import threading
from collections import Counter
from collections.abc import Callable

from flask import Flask, current_app

from coaching.core import clock
from coaching.extensions import db
from coaching.mail import claim, delivery, services
from coaching.mail.models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

# Functions run once per cycle after delivery, inside the app context. Features append with `register_hook`.
CYCLE_HOOKS: list[Callable[[], None]] = []

# Hooks found by name, so mail does not import the features that build on it.
OPTIONAL_HOOKS = (
    ("coaching.notifications.scheduler", "run_due"),
    ("coaching.calendar.replies", "poll"),
    ("coaching.mail.bounces", "poll"),
    ("coaching.calendar.invitations", "run_requested"),
    ("coaching.mentoring.services", "expire_stale_meetings"),
    ("coaching.mentoring.services", "queue_meeting_followups"),
)


def register_hook(hook: Callable[[], None]) -> Callable[[], None]:
    if hook not in CYCLE_HOOKS:
        CYCLE_HOOKS.append(hook)
    return hook


def cycle_hooks() -> list[Callable[[], None]]:
    hooks = list(CYCLE_HOOKS)
    for module_name, attribute in OPTIONAL_HOOKS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            # Only "that feature does not exist yet" is quiet; a broken import inside it is not.
            if exc.name is None or not module_name.startswith(exc.name):
                raise
            continue
        hook = getattr(module, attribute, None)
        if hook is not None and hook not in hooks:
            hooks.append(hook)
    return hooks


class Outcomes:
    """Results of a batch, written a few at a time: one commit per message would make the database,
    not SMTP, the bottleneck. A crash loses at most OUTBOX_COMMIT_EVERY results; those rows stay
    `sending`, are recovered and sent again (delivery is at least once, see docs/mail.md)."""

    def __init__(self, counts: Counter, claim_token: str | None):
        self.counts = counts
        self.claim_token = claim_token
        self.every = max(int(current_app.config["OUTBOX_COMMIT_EVERY"]), 1)
        self.items: list[tuple[OutboxMessage, str, dict, str | None]] = []

    def sent(self, row: OutboxMessage, message_id: str) -> None:
        self._add(row, "sent", {"status": OutboxStatus.SENT, "attempts": row.attempts + 1,
                                "sent_at": clock.now(), "message_id": message_id, "last_error": None})

    def failed(self, row: OutboxMessage, error: delivery.DeliveryError) -> None:
        attempts = row.attempts + 1
        values = {"attempts": attempts, "last_error": error.reason}
        if error.permanent or attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
            self._add(row, "failed", {**values, "status": OutboxStatus.FAILED},
                      error.reason if error.bad_address else None)
        else:
            self._add(row, "retrying", {**values, "status": OutboxStatus.RETRYING,
                                        "send_after": clock.now() + claim.retry_delay(attempts)})

    def _add(self, row: OutboxMessage, bucket: str, values: dict, suppress: str | None = None) -> None:
        self.items.append((row, bucket, values, suppress))
        if len(self.items) >= self.every:
            self.flush()

    def flush(self) -> None:
        for row, bucket, values, suppress in self.items:
            if not claim.finish(row, **values):
                log.warning("outbox message %s: claim lost before its result (%s)", row.id, bucket)
                continue
            self.counts[bucket] += 1
            if suppress is not None:
                services.suppress_address(row.recipient_email, suppress)
        self.items.clear()
        if self.claim_token:
            # Renew the lease on the rest of the batch, so a slow server never gets it taken as stuck.
            claim.renew(self.claim_token)
        db.session.commit()


def _send_batch(rows: list[OutboxMessage], counts: Counter, stop: threading.Event | None) -> bool:
    """Send claimed rows over one connection. False when the server is unreachable (stop this cycle)."""
    suppressed = services.suppressed_among({row.recipient_email for row in rows})
    outcomes = Outcomes(counts, rows[0].claimed_by if rows else None)
    connection: delivery.SmtpConnection | None = None
    sent_on_connection = 0
    try:
        for index, row in enumerate(rows):
            if stop is not None and stop.is_set():
                claim.release(rows[index:])
                return False
            reason = suppressed.get(row.recipient_email.lower())
            if reason is not None:
                outcomes.failed(row, delivery.DeliveryError(f"Adresse gesperrt: {reason}", permanent=True))
                continue
            try:
                if connection is None:
                    connection, sent_on_connection = delivery.open_connection(), 0
                message = delivery.build_message(row)
                connection.deliver(message)
            except Exception as exc:
                error = delivery.classify(exc)
                # The original error, not what a later QUIT on the dead socket would say.
                log.warning("outbox message %s to %s not delivered: %s", row.id, row.recipient_email,
                            error.reason)
                if error.connection_lost:
                    fresh = connection is None or sent_on_connection == 0
                    if connection is not None:
                        connection.close()
                    connection = None
                    if fresh:
                        # Unreachable or hanging: the rest of the batch waits for the next try as well.
                        for waiting in rows[index:]:
                            outcomes.failed(waiting, error)
                        return False
                outcomes.failed(row, error)
            else:
                sent_on_connection += 1
                outcomes.sent(row, message.msgId)
    finally:
        if connection is not None:
            connection.close()
        outcomes.flush()
    return True


def _deliver_due(worker: str, counts: Counter, stop: threading.Event | None) -> None:
    config = current_app.config
    while counts["claimed"] < config["OUTBOX_MAX_PER_CYCLE"] and not (stop is not None and stop.is_set()):
        rows = claim.claim(worker, min(config["OUTBOX_BATCH_SIZE"],
                                       config["OUTBOX_MAX_PER_CYCLE"] - counts["claimed"]))
        if not rows:
            return
        counts["claimed"] += len(rows)
        if not _send_batch(rows, counts, stop):
            return


def _run_hooks(counts: Counter) -> None:
    try:
        hooks = cycle_hooks()
    except ImportError:
        log.exception("a worker hook module cannot be imported")
        counts["hook_errors"] += 1
        hooks = list(CYCLE_HOOKS)
    for hook in hooks:
        try:
            hook()
        except Exception:
            db.session.rollback()
            counts["hook_errors"] += 1
            log.exception("worker hook %s failed", getattr(hook, "__qualname__", hook))


def run_once(app: Flask, worker: str | None = None, stop: threading.Event | None = None) -> dict:
    """One cycle; returns the counts (claimed, sent, retrying, failed, recovered, bodies_deleted, …)."""
    worker = worker or claim.worker_name()
    counts: Counter = Counter(claimed=0, sent=0, retrying=0, failed=0)
    with app.app_context():
        try:
            counts["recovered"] = claim.recover_stuck()
            _deliver_due(worker, counts, stop)
            counts["bodies_deleted"] = claim.delete_old_bodies()
            _run_hooks(counts)
            claim.beat(worker, dict(counts))
        finally:
            db.session.rollback()
    level = logging.INFO if any(counts.values()) else logging.DEBUG
    log.log(level, "outbox cycle %s: %s", worker, " ".join(f"{k}={v}" for k, v in sorted(counts.items())))
    return dict(counts)


def run_forever(app: Flask, stop: threading.Event | None = None) -> None:
    """Cycle until SIGTERM/SIGINT (or `stop` is set); a message being sent is finished first."""
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_args: stop.set())
    worker = claim.worker_name()
    poll = float(app.config["WORKER_POLL_SECONDS"])
    log.info("outbox worker %s started (poll every %.1f s)", worker, poll)
    while not stop.is_set():
        try:
            counts = run_once(app, worker, stop)
        except Exception:
            log.exception("outbox cycle failed; trying again")
            counts = {}
        # A full cycle means more is waiting: go on at once; otherwise sleep (woken early by a stop).
        if counts.get("claimed", 0) < app.config["OUTBOX_MAX_PER_CYCLE"]:
            stop.wait(poll)
    log.info("outbox worker %s stopped", worker)

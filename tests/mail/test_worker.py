"""The worker against a real SMTP server: outages, refusals, hangs, crashes, retention."""
from __future__ import annotations

import logging
import threading
from collections import Counter
from datetime import timedelta

import time_machine
from sqlalchemy import select, update

from coaching.core import clock
from coaching.extensions import db
from coaching.mail import claim, delivery, worker
from coaching.mail.models import AddressSuppression, OutboxMessage, OutboxStatus, WorkerHeartbeat
from coaching.people.models import Person
from tests import factories

from .support import queue, statuses

START = factories.utc(2026, 11, 2, 9, 0)


def _travel(traveller, **delta):
    traveller.move_to(clock.now() + timedelta(**delta))


def test_server_down_while_200_invitations_queued_then_all_arrive_once(app, smtp_server):
    with time_machine.travel(START, tick=False) as traveller:
        queue(200, ical_method="REQUEST", kind="invitation")
        first = worker.run_once(app)
        # Nothing listens: one connection attempt, the batch waits with backoff, the cycle stops.
        assert (first["sent"], first["retrying"], first["claimed"]) == (0, 50, 50)
        assert statuses() == {"retrying": 50, "pending": 150}
        row = db.session.scalars(select(OutboxMessage).where(OutboxMessage.status == "retrying")).first()
        assert "Connection refused" in row.last_error and row.attempts == 1
        assert row.send_after == START + timedelta(seconds=app.config["OUTBOX_RETRY_BASE_SECONDS"])

        smtp_server.start()
        _travel(traveller, minutes=2)
        second = worker.run_once(app)
        assert second["sent"] == 200
        assert statuses() == {"sent": 200}
        assert worker.run_once(app)["claimed"] == 0

    assert Counter(smtp_server.handler.recipients()) == Counter(f"p{i}@example.org" for i in range(200))


def test_451_then_250(app, smtp):
    smtp.handler.answers["p0@example.org"] = ["451 4.3.0 Mailbox temporarily unavailable"]
    with time_machine.travel(START, tick=False) as traveller:
        queue(1)
        assert worker.run_once(app)["retrying"] == 1
        row = OutboxMessage.query.one()
        assert row.status == OutboxStatus.RETRYING and row.last_error.startswith("451")
        assert worker.run_once(app)["claimed"] == 0  # not due before the backoff has passed
        _travel(traveller, seconds=61)
        assert worker.run_once(app)["sent"] == 1
    assert smtp.handler.recipients() == ["p0@example.org"]
    assert statuses() == {"sent": 1}


def test_550_for_one_recipient_fails_it_suppresses_the_address_and_others_pass(app, smtp, world):
    bounced = factories.person(world.org_a, email="P3@example.org")
    db.session.commit()
    smtp.handler.refuse["p3@example.org"] = "550 5.1.1 User unknown"
    queue(5, organisation_id=world.org_a.id)

    counts = worker.run_once(app)

    assert (counts["sent"], counts["failed"]) == (4, 1)
    assert sorted(smtp.handler.recipients()) == [f"p{i}@example.org" for i in (0, 1, 2, 4)]
    failed = db.session.scalars(select(OutboxMessage).where(OutboxMessage.status == "failed")).one()
    assert failed.recipient_email == "p3@example.org" and failed.last_error == "550 5.1.1 User unknown"
    assert db.session.get(AddressSuppression, "p3@example.org").reason.startswith("550")
    person = db.session.get(Person, bounced.id)
    assert person.email_bounced_at is not None and "User unknown" in person.email_bounce_reason

    # Later mail to a suppressed address is not sent at all.
    queue(1, prefix="p3", domain="x.org")  # p30@x.org: not suppressed
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id == failed.id)
                       .values(status=OutboxStatus.PENDING))
    db.session.commit()
    again = worker.run_once(app)
    assert (again["sent"], again["failed"]) == (1, 1)
    assert smtp.handler.recipients().count("p3@example.org") == 0
    assert db.session.get(OutboxMessage, failed.id).last_error.startswith("Adresse gesperrt")


def test_server_that_never_answers_times_out_and_is_retried(app, hung_server):
    queue(3)
    counts = worker.run_once(app)  # returns: MAIL_TIMEOUT is 0.3 s here
    assert (counts["sent"], counts["retrying"]) == (0, 3)
    row = db.session.scalars(select(OutboxMessage)).first()
    assert "timed out" in row.last_error


def test_hang_after_greeting_logs_the_original_error(app, smtp, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 0.3)
    smtp.handler.hang_on_data = True
    queue(1)
    with caplog.at_level(logging.WARNING, logger="coaching.mail.worker"):
        counts = worker.run_once(app)
    assert counts["retrying"] == 1
    row = OutboxMessage.query.one()
    assert "timed out" in row.last_error
    assert "timed out" in caplog.text and "please run connect() first" not in caplog.text


def test_gives_up_after_max_attempts(app, smtp, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_MAX_ATTEMPTS", 2)
    smtp.handler.refuse["p0@example.org"] = "452 4.2.2 Mailbox full"
    with time_machine.travel(START, tick=False) as traveller:
        queue(1)
        assert worker.run_once(app)["retrying"] == 1
        _travel(traveller, hours=1)
        assert worker.run_once(app)["failed"] == 1
    row = OutboxMessage.query.one()
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, 2)
    assert db.session.get(AddressSuppression, "p0@example.org") is None  # 4xx never suppresses


def test_backoff_doubles_up_to_the_cap(app):
    delays = [claim.retry_delay(n).total_seconds() for n in range(1, 9)]
    assert delays == [60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_stuck_sending_rows_are_recovered(app, smtp):
    with time_machine.travel(START, tick=False) as traveller:
        queue(2)
        rows = claim.claim("crashed-worker", 10)  # a worker that died right after claiming
        assert len(rows) == 2 and statuses() == {"sending": 2}
        assert worker.run_once(app)["recovered"] == 0  # not stuck yet
        _travel(traveller, seconds=app.config["OUTBOX_STUCK_AFTER_SECONDS"] + 1)
        counts = worker.run_once(app)
    assert (counts["recovered"], counts["sent"]) == (2, 2)
    assert sorted(smtp.handler.recipients()) == ["p0@example.org", "p1@example.org"]
    # The dead worker's late report cannot overwrite the new outcome.
    assert claim.finish(rows[0], status=OutboxStatus.FAILED) is False
    db.session.commit()
    assert statuses() == {"sent": 2}


def test_retention_deletes_old_bodies_only(app, smtp):
    with time_machine.travel(START, tick=False) as traveller:
        queue(2, prefix="old")
        worker.run_once(app)
        _travel(traveller, days=app.config["OUTBOX_RETENTION_DAYS"] - 1)
        queue(1, prefix="new")
        assert worker.run_once(app)["bodies_deleted"] == 0
        _travel(traveller, days=2)
        assert worker.run_once(app)["bodies_deleted"] == 2
    db.session.expire_all()
    old = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient_email.like("old%"))).all()
    assert all(m.subject is None and m.body_text is None and m.body_html is None and m.ical is None
               and m.body_deleted_at is not None and m.status == OutboxStatus.SENT for m in old)
    new = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient_email.like("new%"))).one()
    assert new.body_text and new.body_deleted_at is None


def test_heartbeat_hooks_and_graceful_stop(app, smtp, monkeypatch):
    calls = []
    monkeypatch.setattr(worker, "CYCLE_HOOKS", [lambda: calls.append("hook")])
    counts = worker.run_once(app, worker="w1")
    assert calls == ["hook"]
    beat = db.session.get(WorkerHeartbeat, "w1")
    assert beat is not None and beat.info["claimed"] == counts["claimed"] == 0

    queue(3)
    stop = threading.Event()
    build = delivery.build_message

    def build_then_sigterm(row):
        stop.set()  # SIGTERM arrives while the first message is being sent
        return build(row)

    monkeypatch.setattr(delivery, "build_message", build_then_sigterm)
    counts = worker.run_once(app, stop=stop)
    assert (counts["claimed"], counts["sent"]) == (3, 1)
    assert statuses() == {"sent": 1, "pending": 2}  # the rest went back untouched, due at once
    assert db.session.scalars(select(OutboxMessage.attempts).where(OutboxMessage.status == "pending")).all() \
        == [0, 0]
    monkeypatch.setattr(delivery, "build_message", build)
    assert worker.run_once(app)["sent"] == 2
    assert len(smtp.handler.messages) == 3


def test_a_failing_hook_does_not_stop_delivery(app, smtp, monkeypatch):
    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(worker, "CYCLE_HOOKS", [broken])
    queue(1)
    counts = worker.run_once(app)
    assert (counts["sent"], counts["hook_errors"]) == (1, 1)


def test_flask_worker_once_command(app, smtp):
    queue(2)
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert '"sent": 2' in result.output


def test_results_commit_renews_the_claim_of_the_rest_of_the_batch(app):
    with time_machine.travel(START, tick=False) as traveller:
        queue(3)
        rows = claim.claim("slow-worker", 10)
        _travel(traveller, seconds=app.config["OUTBOX_STUCK_AFTER_SECONDS"] - 1)
        counts = Counter()
        outcomes = worker.Outcomes(counts, rows[0].claimed_by)
        outcomes.sent(rows[0], "<x@coaching.example.org>")
        outcomes.flush()
        _travel(traveller, seconds=2)
        assert claim.recover_stuck() == 0  # the two rows still in hand are not taken away
    assert counts["sent"] == 1 and statuses() == {"sent": 1, "sending": 2}

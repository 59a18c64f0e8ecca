"""Two workers on one database: each message exactly once (SKIP LOCKED on PostgreSQL, UPDATE on SQLite)."""
from __future__ import annotations

import threading
from collections import Counter

from coaching.extensions import db
from coaching.mail import claim, worker
from tests.querycount import count_queries

from .support import queue, statuses

MESSAGES = 1000


def test_two_workers_deliver_1000_messages_once_each(app, smtp, monkeypatch):
    # Small batches so that the two workers interleave many claims.
    monkeypatch.setitem(app.config, "OUTBOX_BATCH_SIZE", 20)
    queue(MESSAGES)
    totals: dict[str, Counter] = {"w1": Counter(), "w2": Counter()}
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def work(name: str) -> None:
        try:
            barrier.wait(timeout=10)
            while True:
                counts = worker.run_once(app, worker=name)
                totals[name].update(counts)
                if counts["claimed"] == 0:
                    return
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(name,)) for name in totals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors, errors
    assert not any(thread.is_alive() for thread in threads)
    received = Counter(smtp.handler.recipients())
    assert received == Counter(f"p{i}@example.org" for i in range(MESSAGES))  # none missing, none twice
    assert statuses() == {"sent": MESSAGES}
    assert totals["w1"]["sent"] + totals["w2"]["sent"] == MESSAGES
    # Both really worked (otherwise this would prove nothing about concurrency).
    assert totals["w1"]["sent"] > 0 and totals["w2"]["sent"] > 0


def test_claim_statement_fits_the_database(app):
    queue(3)
    with count_queries() as queries:
        rows = claim.claim("w", 2)
    assert len(rows) == 2
    sql = " ".join(queries.statements).upper()
    if db.engine.dialect.name == "postgresql":
        assert "FOR UPDATE SKIP LOCKED" in sql
    else:
        assert "UPDATE OUTBOX_MESSAGE SET" in sql and "IN (SELECT" in sql
    assert claim.claim("w2", 5)[0].id not in {r.id for r in rows}

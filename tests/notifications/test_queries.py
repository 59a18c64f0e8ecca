from __future__ import annotations

from datetime import time, timedelta

from coaching.attendance.models import Answer, Attendance, Outcome
from coaching.extensions import db
from coaching.notifications.scheduler import run_due
from tests import factories
from tests.notifications.conftest import SESSION_DAY, START, at, published_cohort, queued
from tests.querycount import count_queries

NOW = START - timedelta(hours=2)  # reminders of today's sessions and follow-ups of yesterday's are due


def _add_sessions(setup, n: int) -> None:
    """n sessions starting in two hours and n that ended yesterday, each with one participant."""
    for _ in range(n):
        cohort = published_cohort(setup.world, setup.programme)
        person = factories.person(setup.world.org_a)
        factories.enrol(cohort, person)
        factories.session(cohort, SESSION_DAY, time(18, 0))
        past = factories.session(cohort, SESSION_DAY - timedelta(days=1), time(10, 0))
        db.session.add(Attendance(session_id=past.id, person_id=person.id, answer=Answer.ACCEPTED,
                                  outcome=Outcome.ATTENDED))
    db.session.commit()


def _count_run() -> tuple[int, dict]:
    db.session.expire_all()
    with at(NOW), count_queries() as counter:
        counts = run_due()
    return counter.count, counts


def test_run_due_queries_do_not_grow_with_the_number_of_sessions(setup):
    _add_sessions(setup, 1)
    first_small, counts = _count_run()
    assert counts["session_reminders"] == 2 and counts["session_followups"] == 1
    idle_small, counts = _count_run()
    assert sum(counts.values()) == 0

    _add_sessions(setup, 49)
    first_large, counts = _count_run()
    assert counts["session_reminders"] == 49 and counts["session_followups"] == 49
    idle_large, counts = _count_run()
    assert sum(counts.values()) == 0

    # The cycle a worker runs every few seconds costs the same for 1 or 50 sessions.
    assert idle_large == idle_small
    # When mail is due, the only growth is per queued message: the outbox's duplicate-key check and the
    # row's INSERT (SQLite inserts rows one by one); finding what is due stays a fixed set of queries.
    extra_messages = (49 + 49) - (2 + 1)
    assert first_large - first_small <= 2 * extra_messages
    assert len(queued()) == 2 + 1 + 49 + 49

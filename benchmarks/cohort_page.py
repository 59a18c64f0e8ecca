"""Median time and query count of the cohort page with 300 participants and 40 sessions.

Run: `.venv/bin/python benchmarks/cohort_page.py [--rounds 20] [--members 300] [--sessions 40]`.
Uses the Flask test client on a temporary SQLite database: it measures the app (queries + rendering).
Every participant has an answer for every session, so the answer summary has real rows to count.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

from coaching import create_app  # noqa: E402
from coaching.accounts.models import Role  # noqa: E402
from coaching.attendance.models import Answer, Attendance  # noqa: E402
from coaching.cohorts.models import EnrolmentRole  # noqa: E402
from coaching.extensions import db  # noqa: E402
from coaching.people.models import PersonKind  # noqa: E402
from tests import factories  # noqa: E402
from tests.querycount import count_queries  # noqa: E402


def _setup(members: int, sessions: int):
    org = factories.organisation()
    organiser = factories.user(Role.ORGANISER, org)
    cohort = factories.cohort(org)
    coach = factories.person(org, kind=PersonKind.COACH)
    factories.enrol(cohort, coach, role=EnrolmentRole.COACH)
    people = [factories.person(org, email=None if i % 4 == 0 else "auto") for i in range(members)]
    for person in people:
        factories.enrol(cohort, person)
    answers = (Answer.ACCEPTED, Answer.DECLINED, Answer.NEEDS_ACTION)
    for i in range(sessions):
        session = factories.session(cohort, topic=f"Thema {i + 1}", coach_id=coach.id)
        db.session.add_all(Attendance(session_id=session.id, person_id=p.id, answer=answers[(i + j) % 3])
                           for j, p in enumerate(people))
    db.session.commit()
    return organiser, cohort.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--members", type=int, default=300)
    parser.add_argument("--sessions", type=int, default=40)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="coaching-bench-"))
    try:
        app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
                                     "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
        with app.app_context():
            db.create_all()
            organiser, cohort_id = _setup(args.members, args.sessions)
            client = app.test_client()
            login = client.post("/konto/anmelden",
                                data={"email": organiser.email, "password": factories.PASSWORD})
            assert login.status_code == 302, "login failed"
            path = f"/kohorten/{cohort_id}"
            first = client.get(path)
            assert first.status_code == 200 and first.data.count(b"data-person-id=") == args.members
            db.session.expire_all()
            with count_queries() as counter:
                client.get(path)
            times = []
            for _ in range(args.rounds):
                start = time.perf_counter()
                assert client.get(path).status_code == 200
                times.append(time.perf_counter() - start)
            print(f"cohort page, {args.members} participants, {args.sessions} sessions: "
                  f"median {statistics.median(times) * 1000:.1f} ms, {counter.count} SQL queries")
            db.engine.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Median time of a person's calendar feed with 200 sessions, and of its 304 (If-None-Match) path.

Run: `.venv/bin/python benchmarks/feeds.py [--rounds 30]`. Uses the Flask test client on a temporary SQLite
database, so it measures the app (queries + iCalendar building), not a network.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

from coaching import create_app  # noqa: E402
from coaching.calendar import services  # noqa: E402
from coaching.cohorts.models import CohortStatus  # noqa: E402
from coaching.core import clock  # noqa: E402
from coaching.extensions import db  # noqa: E402
from tests import factories  # noqa: E402


def _setup() -> str:
    org = factories.organisation()
    cohort = factories.cohort(org)
    cohort.status = CohortStatus.PUBLISHED
    person = factories.person(org)
    factories.enrol(cohort, person)
    first = clock.today_local() + timedelta(days=1)
    for i in range(200):
        factories.session(cohort, day=first + timedelta(days=i))
    db.session.commit()
    return services.renew_person_feed(person).https.split("/kalender/", 1)[1]


def _median(call, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="coaching-bench-"))
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}"})
    with app.app_context():
        db.create_all()
        path = f"/kalender/{_setup()}"
        client = app.test_client()
        first = client.get(path)
        assert first.status_code == 200 and first.data.count(b"BEGIN:VEVENT") == 200
        etag = first.headers["ETag"]

        def full():
            assert client.get(path).status_code == 200

        def cached():
            assert client.get(path, headers={"If-None-Match": etag}).status_code == 304

        print(f"personal feed, 200 sessions: median {_median(full, args.rounds):.1f} ms")
        print(f"personal feed, 304 path:     median {_median(cached, args.rounds):.1f} ms")


if __name__ == "__main__":
    main()

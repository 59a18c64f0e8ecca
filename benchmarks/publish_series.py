"""Publishing a large cohort's series: 300 participants × 40 sessions = 12,000 personal invitations.

Run: `.venv/bin/python benchmarks/publish_series.py [--people 300 --sessions 40]`. Prints how long the web
request takes (it only records the publication) and how long the worker takes to queue every invitation
(iCalendar + text + HTML in each person's language), on a temporary SQLite database.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coaching import create_app  # noqa: E402
from coaching.calendar import invitations  # noqa: E402
from coaching.core import clock  # noqa: E402
from coaching.extensions import db  # noqa: E402
from tests import factories  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--sessions", type=int, default=40)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="coaching-bench-"))
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}"})
    with app.app_context():
        db.create_all()
        org = factories.organisation()
        cohort = factories.cohort(org)
        languages = ("de", "ar", "uk", "tr", "fa", "ru", "en")
        for i in range(args.people):
            factories.enrol(cohort, factories.person(org, language=languages[i % len(languages)]))
        first = clock.today_local() + timedelta(days=1)
        for i in range(args.sessions):
            factories.session(cohort, day=first + timedelta(days=7 * i))
        db.session.commit()

        start = time.perf_counter()
        invitations.publish_cohort(cohort, None)
        request_ms = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        queued = invitations.run_requested()
        worker_s = time.perf_counter() - start
    print(f"publish request (records the publication): {request_ms:.1f} ms")
    print(f"worker queued {queued} invitations in {worker_s:.1f} s "
          f"({queued / worker_s:.0f} per second, {worker_s / max(queued, 1) * 1000:.1f} ms each)")


if __name__ == "__main__":
    main()

"""Time to issue and render certificates of participation for a whole cohort (one combined PDF).

Run: `.venv/bin/python benchmarks/certificates.py [--members 300] [--sessions 8]`.
Uses a temporary SQLite database and the same path as the "all at once" button (POST through the test
client): eligibility query, numbering, bilingual texts and WeasyPrint. Prints seconds and ms per certificate.
"""
from __future__ import annotations

import argparse
import io
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

from pypdf import PdfReader  # noqa: E402

from coaching import create_app  # noqa: E402
from coaching.accounts.models import Role  # noqa: E402
from coaching.attendance.models import Answer, Attendance, Outcome  # noqa: E402
from coaching.core import clock  # noqa: E402
from coaching.extensions import db  # noqa: E402
from tests import factories  # noqa: E402

# A mix of scripts, so shaping (Arabic) and font fallback are part of the measurement.
NAMES = [("محمد", "الأحمد", "ar"), ("Олена", "Шевченко", "uk"), ("Ayşe", "Yılmaz", "tr"),
         ("Jana", "Krause", "de")]


def _setup(members: int, sessions: int):
    org = factories.organisation()
    organiser = factories.user(Role.ORGANISER, org)
    cohort = factories.cohort(org)
    people = []
    for i in range(members):
        first, last, lang = NAMES[i % len(NAMES)]
        people.append(factories.person(org, first_name=first, last_name=f"{last} {i}", language=lang,
                                       email=None))
        factories.enrol(cohort, people[-1])
    today = clock.today_local()
    for s in range(sessions):
        session = factories.session(cohort, day=today - timedelta(days=7 * (s + 1)), topic=f"Thema {s + 1}")
        db.session.add_all(Attendance(session_id=session.id, person_id=p.id, answer=Answer.ACCEPTED,
                                      outcome=Outcome.ATTENDED) for p in people)
    db.session.commit()
    return organiser, cohort.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=300)
    parser.add_argument("--sessions", type=int, default=8)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="coaching-bench-"))
    try:
        app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
                                     "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                                     "UPLOAD_DIR": str(folder / "uploads")})
        with app.app_context():
            db.create_all()
            organiser, cohort_id = _setup(args.members, args.sessions)
            client = app.test_client()
            client.post("/konto/anmelden", data={"email": organiser.email, "password": factories.PASSWORD})
            started = time.perf_counter()
            response = client.post(f"/kohorten/{cohort_id}/teilnahmebescheinigungen")
            seconds = time.perf_counter() - started
            assert response.status_code == 200, response.status_code
            pages = len(PdfReader(io.BytesIO(response.data)).pages)
        print(f"certificates: {args.members} people, {pages} pages, {len(response.data) / 1024:.0f} KB")
        print(f"total: {seconds:.2f} s, per certificate: {1000 * seconds / args.members:.1f} ms")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

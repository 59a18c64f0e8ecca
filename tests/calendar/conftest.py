"""Fixtures for the calendar tests, and the independent judges of our iCalendar output.

Judges nobody here wrote: Mozilla ical.js (node, `npm ci --prefix tests/js`), libical 3 through the system
python's gi bindings (`apt-get install -y --no-install-recommends gir1.2-ical-3.0 python3-gi`), vobject (one
file per process: it caches VTIMEZONEs per TZID) and a real Radicale CalDAV server.
"""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as dtime
from pathlib import Path

import pytest
import time_machine

from coaching.cohorts.models import CohortStatus, EnrolmentRole
from coaching.extensions import db
from coaching.people.models import PersonKind
from tests import factories

JS_DIR = Path(__file__).resolve().parent.parent / "js"
SYSTEM_PYTHON = "/usr/bin/python3"
NOW = datetime(2026, 1, 10, 9, 0, tzinfo=factories.clock.UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@dataclass
class Series:
    cohort: object
    participants: list
    coach: object
    no_email: object
    sessions: list


@pytest.fixture
def series(world, frozen) -> Series:
    """A cohort in Dresden with three participants (one without email), a coach and three future sessions."""
    cohort = factories.cohort(world.org_a, world.programme, world.region)
    ana = factories.person(world.org_a, first_name="Ana", last_name="Ramos", language="de")
    omar = factories.person(world.org_a, first_name='Omar "Abu Ali"', last_name="الحسن\nعلي 😀",
                            language="ar")
    no_email = factories.person(world.org_a, email=None, first_name="Ohne", last_name="Mail")
    coach = factories.person(world.org_a, kind=PersonKind.COACH, first_name="Clara", last_name="Coach")
    for p in (ana, omar, no_email):
        factories.enrol(cohort, p)
    factories.enrol(cohort, coach, EnrolmentRole.COACH)
    sessions = [
        factories.session(cohort, day=date(2026, 2, 10), at=dtime(18, 0), coach_id=coach.id),
        factories.session(cohort, day=date(2026, 3, 29), at=dtime(10, 0), coach_id=coach.id),
        factories.session(cohort, day=date(2026, 7, 1), at=dtime(18, 0), coach_id=coach.id),
    ]
    db.session.commit()
    return Series(cohort=cohort, participants=[ana, omar], coach=coach, no_email=no_email, sessions=sessions)


@pytest.fixture
def published(series, world) -> Series:
    from coaching.calendar.invitations import publish_cohort

    publish_cohort(series.cohort, world.organiser_a)
    assert series.cohort.status == CohortStatus.PUBLISHED
    return series


# ------------------------------------------------------------------------------------------------ judges


def _ical_js_available() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed"
    if not (JS_DIR / "node_modules" / "ical.js").is_dir():
        return "ical.js is not installed: run `npm ci --prefix tests/js`"
    return None


def ical_js(text: str) -> dict:
    """What Mozilla ical.js (Thunderbird's parser) reads from `text`: METHOD and UTC times per VEVENT."""
    reason = _ical_js_available()
    if reason:
        pytest.skip(reason)
    result = subprocess.run(["node", str(JS_DIR / "ical_utc.mjs")], input=text, capture_output=True,
                            text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


LIBICAL_SCRIPT = textwrap.dedent("""
    import json, sys
    import gi
    gi.require_version("ICalGLib", "3.0")
    from gi.repository import ICalGLib as ICal
    text = sys.stdin.read()
    comp = ICal.Component.new_from_string(text)
    ok = comp.check_restrictions()
    errors = []
    def walk(c):
        prop = c.get_first_property(ICal.PropertyKind.XLICERROR_PROPERTY)
        while prop is not None:
            errors.append(prop.get_xlicerror())
            prop = c.get_next_property(ICal.PropertyKind.XLICERROR_PROPERTY)
        sub = c.get_first_component(ICal.ComponentKind.ANY_COMPONENT)
        while sub is not None:
            walk(sub)
            sub = c.get_next_component(ICal.ComponentKind.ANY_COMPONENT)
    walk(comp)
    print(json.dumps({"ok": bool(ok), "errors": errors, "method": str(comp.get_method())}))
""")


def libical_check(text: str) -> dict:
    """libical 3's iTIP restriction check (per METHOD) through the system python's gi bindings."""
    if not Path(SYSTEM_PYTHON).exists():
        pytest.skip("system /usr/bin/python3 not found")
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import gi; gi.require_version('ICalGLib', '3.0')"],
                           capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        pytest.skip("libical gi bindings missing: apt-get install -y --no-install-recommends "
                    "gir1.2-ical-3.0 python3-gi")
    result = subprocess.run([SYSTEM_PYTHON, "-c", LIBICAL_SCRIPT], input=text, capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


VOBJECT_SCRIPT = textwrap.dedent("""
    import json, sys
    from datetime import timezone
    import vobject
    cal = vobject.readOne(sys.stdin.read())
    out = [{"uid": ev.uid.value, "start_utc": ev.dtstart.value.astimezone(timezone.utc).isoformat()}
           for ev in getattr(cal, "vevent_list", [])]
    print(json.dumps(out))
""")


def vobject_read(text: str) -> list[dict]:
    """vobject in its own process: it caches a VTIMEZONE per TZID for the whole process."""
    result = subprocess.run([sys.executable, "-c", VOBJECT_SCRIPT], input=text, capture_output=True,
                            text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def radicale_url(tmp_path):
    """A real Radicale CalDAV server on loopback, fresh storage, any login accepted; always stopped."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--server-hosts", f"127.0.0.1:{port}", "--auth-type", "none",
         "--storage-filesystem-folder", str(tmp_path / "collections"), "--rights-type", "owner_only",
         "--web-type", "none", "--logging-level", "warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"radicale did not start: {proc.stderr.read().decode() if proc.stderr else ''}")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

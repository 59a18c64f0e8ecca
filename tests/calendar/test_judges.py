"""Our invitations, updates, cancellations and feeds as parsers and a server nobody here wrote read them."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from icalendar import Calendar

from coaching.calendar import ical
from coaching.core import clock
from tests.calendar.conftest import ical_js, libical_check, vobject_read

# Local 10:00 on a winter day, a summer day and both DST change days of 2026.
CASES = [
    ("winter", datetime(2026, 2, 10, 9, 0, tzinfo=clock.UTC)),
    ("spring-forward", datetime(2026, 3, 29, 8, 0, tzinfo=clock.UTC)),
    ("summer", datetime(2026, 7, 1, 8, 0, tzinfo=clock.UTC)),
    ("fall-back", datetime(2026, 10, 25, 9, 0, tzinfo=clock.UTC)),
]


def _event(start: datetime, sequence: int = 0, uid: str = "session-judge@coaching.example.org",
           name: str = 'Ana "Die Beste" Ramos\nالحسن 😀') -> ical.CalendarEvent:
    return ical.CalendarEvent(uid=uid, sequence=sequence, starts_at=start,
                              ends_at=start + timedelta(minutes=90), summary="Das duale Ausbildungssystem",
                              description="Bitte\nZeugnisse mitbringen",
                              location="Bürgerhaus, Hauptstraße 1", url="https://coaching.example.org/t",
                              attendees=(ical.Attendee("ana@example.org", name),))


def _builders():
    return {"request": ical.invitation, "update": lambda e: ical.invitation(
        ical.CalendarEvent(**{**e.__dict__, "sequence": e.sequence + 1})), "cancel": ical.cancellation}


@pytest.mark.parametrize(("label", "start"), CASES)
@pytest.mark.parametrize("kind", ["request", "update", "cancel"])
def test_ical_js_reads_the_right_utc_start(frozen, label, start, kind):
    text = _builders()[kind](_event(start))
    parsed = ical_js(text)
    assert parsed["method"] == ("CANCEL" if kind == "cancel" else "REQUEST")
    (event,) = parsed["events"]
    assert event["tzid"] == "Europe/Berlin"
    assert event["start_utc"] == start.strftime("%Y-%m-%dT%H:%M:%SZ"), label
    assert event["end_utc"] == (start + timedelta(minutes=90)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert event["sequence"] == (1 if kind == "update" else 0)
    assert event["attendees"] == ["mailto:ana@example.org"]


def test_ical_js_reads_a_feed_across_both_dst_changes(frozen):
    events = [_event(start, uid=f"s{i}@coaching.example.org") for i, (_l, start) in enumerate(CASES)]
    parsed = ical_js(ical.feed(events, "Feed"))
    assert parsed["method"] is None
    assert [e["start_utc"] for e in parsed["events"]] == [s.strftime("%Y-%m-%dT%H:%M:%SZ") for _l, s in CASES]


@pytest.mark.parametrize("kind", ["request", "update", "cancel"])
def test_libical_itip_restrictions_pass(frozen, kind):
    result = libical_check(_builders()[kind](_event(CASES[1][1])))
    assert result["errors"] == []
    assert result["ok"] is True


def test_libical_notices_a_broken_request(frozen):
    """The judge is not blind: a REQUEST without ORGANIZER breaks the iTIP rules."""
    text = ical.invitation(_event(CASES[0][1]))
    broken = "\r\n".join(line for line in text.split("\r\n") if not line.startswith("ORGANIZER"))
    result = libical_check(broken)
    assert result["errors"] != [] or result["ok"] is False


@pytest.mark.parametrize(("label", "start"), CASES)
def test_vobject_reads_the_right_utc_start(frozen, label, start):
    (event,) = vobject_read(ical.invitation(_event(start)))
    assert datetime.fromisoformat(event["start_utc"]) == start, label


def test_radicale_stores_at_the_right_slot_and_updates_in_place(frozen, radicale_url):
    caldav = pytest.importorskip("caldav")
    client = caldav.DAVClient(url=radicale_url, username="organiser", password="x", timeout=30)
    calendar = client.principal().make_calendar(name="Test")
    start = CASES[1][1]  # 10:00 on the spring-forward day = 08:00 UTC
    calendar.save_event(ical.single_download(_event(start)))

    def found(begin, end):
        return calendar.search(start=begin, end=end, event=True, expand=False)

    assert len(found(start, start + timedelta(minutes=30))) == 1
    assert found(start - timedelta(hours=2), start - timedelta(minutes=1)) == []  # not at 10:00 UTC+1

    moved = start + timedelta(days=2, hours=3)
    calendar.save_event(ical.single_download(_event(moved, sequence=1)))
    events = calendar.events()
    assert len(events) == 1  # same UID replaced the entry
    stored = Calendar.from_ical(events[0].data)
    (vevent,) = stored.walk("VEVENT")
    assert vevent.decoded("DTSTART").astimezone(clock.UTC) == moved
    assert vevent["UID"] == "session-judge@coaching.example.org"
    assert found(start, start + timedelta(minutes=30)) == []
    assert len(found(moved, moved + timedelta(minutes=30))) == 1


def test_a_thousand_events_feed_stays_valid(frozen):
    base = datetime(2026, 1, 5, 17, 0, tzinfo=clock.UTC)
    events = [_event(base + timedelta(days=i // 3, hours=i % 3), uid=f"s{i}@coaching.example.org")
              for i in range(1000)]
    text = ical.feed(events, "Viele Termine")
    assert len(Calendar.from_ical(text).walk("VEVENT")) == 1000
    parsed = ical_js(text)
    assert len(parsed["events"]) == 1000
    assert parsed["events"][999]["start_utc"] == (base + timedelta(days=333)).strftime("%Y-%m-%dT%H:%M:%SZ")

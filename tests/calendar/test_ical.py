"""The iCalendar text itself, read back with icalendar; the Berlin VTIMEZONE against zoneinfo."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from coaching.calendar import ical
from coaching.core import clock
from tests.calendar.conftest import NOW


def _event(**extra) -> ical.CalendarEvent:
    values = dict(uid="session-abc@coaching.example.org", sequence=2,
                  starts_at=datetime(2026, 3, 29, 8, 0, tzinfo=clock.UTC),
                  ends_at=datetime(2026, 3, 29, 9, 30, tzinfo=clock.UTC),
                  summary="Bewerbung", description="Zeile 1\nZeile 2", location="Bürgerhaus, Raum 2",
                  url="https://coaching.example.org/x",
                  attendees=(ical.Attendee("ana@example.org", "Ana Ramos"),))
    values.update(extra)
    return ical.CalendarEvent(**values)


def _vevent(text: str):
    cal = Calendar.from_ical(text)
    (vevent,) = cal.walk("VEVENT")
    return cal, vevent


def test_invitation_is_a_request_with_organizer_attendee_and_local_time(frozen):
    cal, vevent = _vevent(ical.invitation(_event()))
    assert cal["METHOD"] == "REQUEST"
    assert "UID" not in cal  # Calendar.new() adds one; invitations must not carry it
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert vevent["UID"] == "session-abc@coaching.example.org"
    assert vevent["SEQUENCE"] == 2
    assert vevent.decoded("DTSTAMP") == NOW
    assert vevent["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert vevent.decoded("DTSTART").astimezone(clock.UTC) == datetime(2026, 3, 29, 8, 0, tzinfo=clock.UTC)
    assert str(vevent["ORGANIZER"]) == "mailto:planung@coaching.example.org"
    attendee = vevent["ATTENDEE"]
    assert str(attendee) == "mailto:ana@example.org"
    assert attendee.params["PARTSTAT"] == "NEEDS-ACTION" and attendee.params["RSVP"] == "TRUE"
    assert vevent["STATUS"] == "CONFIRMED"
    assert vevent["DESCRIPTION"] == "Zeile 1\nZeile 2"


def test_invitation_without_attendee_is_refused(frozen):
    with pytest.raises(ValueError):
        ical.invitation(_event(attendees=()))


def test_cancellation_is_cancel_with_cancelled_status(frozen):
    cal, vevent = _vevent(ical.cancellation(_event(sequence=3)))
    assert cal["METHOD"] == "CANCEL"
    assert vevent["STATUS"] == "CANCELLED"
    assert vevent["SEQUENCE"] == 3
    assert str(vevent["ORGANIZER"]) == "mailto:planung@coaching.example.org"


def test_single_download_is_publish_without_attendees(frozen):
    cal, vevent = _vevent(ical.single_download(_event()))
    assert cal["METHOD"] == "PUBLISH"
    assert "ATTENDEE" not in vevent


def test_feed_has_names_refresh_hints_and_no_method_or_attendee(frozen):
    text = ical.feed([_event(), _event(uid="other@coaching.example.org")], "Meine Termine")
    cal = Calendar.from_ical(text)
    assert "METHOD" not in cal and "UID" not in cal
    assert cal["NAME"] == "Meine Termine" and cal["X-WR-CALNAME"] == "Meine Termine"
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in text
    assert "X-PUBLISHED-TTL:PT1H" in text
    assert len(cal.walk("VEVENT")) == 2
    assert "ATTENDEE" not in text and "ORGANIZER" not in text


@pytest.mark.parametrize("name", ['Omar "Abu Ali"\nالحسن', "Zeile\r\neins\x00\x1b", "😀 Émile ;:, Test"])
def test_names_are_sanitised_in_cn(frozen, name):
    text = ical.invitation(_event(attendees=(ical.Attendee("x@example.org", name),)))
    _cal, vevent = _vevent(text)
    cn = vevent["ATTENDEE"].params["CN"]
    assert '"' not in cn and "\n" not in cn and "\r" not in cn
    assert not any(ord(ch) < 32 for ch in cn)
    assert str(vevent["ATTENDEE"]) == "mailto:x@example.org"


def test_summary_line_breaks_become_spaces(frozen):
    _cal, vevent = _vevent(ical.invitation(_event(summary="Eins\nZwei")))
    assert vevent["SUMMARY"] == "Eins Zwei"


def test_berlin_vtimezone_matches_zoneinfo_every_day_2020_to_2040():
    """The RRULE-form zone in every file must agree with the tz database; catches a future rule change."""
    (component,) = Calendar.from_ical(_zone_calendar()).walk("VTIMEZONE")
    tz = component.to_tz()
    berlin = ZoneInfo("Europe/Berlin")
    day = date(2020, 1, 1)
    mismatches = []
    while day <= date(2040, 12, 31):
        for hour in (0, 1, 2, 12):  # the changes happen at 01:00 UTC
            instant = datetime(day.year, day.month, day.day, hour, 30, tzinfo=clock.UTC)
            if instant.astimezone(tz).utcoffset() != instant.astimezone(berlin).utcoffset():
                mismatches.append(instant)
        day += timedelta(days=1)
    assert mismatches == []


def _zone_calendar() -> str:
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n" + ical.BERLIN_VTIMEZONE.replace("\n", "\r\n") + \
        "END:VCALENDAR\r\n"

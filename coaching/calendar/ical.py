"""The one module that builds iCalendar text: invitations (REQUEST), cancellations (CANCEL), feeds, downloads.

Rules that real clients need (see shared CALENDAR_AND_MAIL.md): times as `TZID=Europe/Berlin` with the
RRULE-form VTIMEZONE below (icalendar's generated RDATE form is misread by ical.js, vobject and Radicale),
no calendar-level UID, DTSTAMP = send time, ORGANIZER = the reply mailbox on every message of an event's life,
CN parameters without quotes or control characters.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

from flask import current_app
from icalendar import Calendar, Event, Timezone, vCalAddress, vDuration

from coaching.core import clock

PRODID = "-//Elternarbeit@Ost//Coaching und Mentoring//DE"

BERLIN_VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/Berlin
X-LIC-LOCATION:Europe/Berlin
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
"""

FEED_REFRESH = timedelta(hours=1)
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\u0085]+")


@dataclass(frozen=True)
class Attendee:
    email: str
    name: str = ""
    partstat: str = "NEEDS-ACTION"
    role: str = "REQ-PARTICIPANT"
    rsvp: bool = True


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    status: str = "CONFIRMED"
    # None = the configured reply mailbox (MAIL_REPLY_ADDRESS): the same on every message, so clients match.
    organizer_email: str | None = None
    organizer_name: str | None = None
    attendees: tuple[Attendee, ...] = field(default_factory=tuple)
    # When the object last changed: DTSTAMP of feed entries (RFC 5545 3.8.7.2 for objects without METHOD).
    last_modified: datetime | None = None


def clean_cn(name: str | None, limit: int = 120) -> str:
    """A CN parameter value: no quotes (they end the parameter), no control characters or line breaks."""
    text = _CONTROL.sub(" ", (name or "").replace('"', "'"))
    return " ".join(text.split())[:limit].strip()


def _single_line(text: str | None) -> str:
    """SUMMARY/LOCATION are shown on one line; line breaks from user input become spaces."""
    return " ".join(_CONTROL.sub(" ", text or "").split())


@lru_cache(maxsize=1)
def _vtimezone_text() -> str:
    return BERLIN_VTIMEZONE.replace("\n", "\r\n")


def _calendar(method: str | None, name: str | None = None) -> Calendar:
    cal = Calendar.new(prodid=PRODID, method=method)
    # Calendar.new() adds a calendar-level UID; invitations must not carry one and feeds need none.
    cal.pop("UID", None)
    if name:
        cal.add("NAME", _single_line(name))
        cal.add("X-WR-CALNAME", _single_line(name))
    cal.add_component(Timezone.from_ical(_vtimezone_text()))
    return cal


def _address(email: str, name: str | None) -> vCalAddress:
    address = vCalAddress(f"mailto:{email.strip()}")
    cn = clean_cn(name)
    if cn:
        address.params["CN"] = cn
    return address


def _organizer(event: CalendarEvent) -> vCalAddress:
    email = event.organizer_email or current_app.config["MAIL_REPLY_ADDRESS"]
    return _address(email, event.organizer_name or "Elternarbeit@Ost")


def _event(event: CalendarEvent, *, status: str, with_organizer: bool, attendees: Iterable[Attendee],
           stamp: datetime) -> Event:
    vevent = Event()
    vevent.add("UID", event.uid)
    vevent.add("SEQUENCE", event.sequence)
    vevent.add("DTSTAMP", stamp)
    vevent.add("DTSTART", clock.to_local(event.starts_at))
    vevent.add("DTEND", clock.to_local(event.ends_at))
    vevent.add("SUMMARY", _single_line(event.summary))
    if event.description:
        vevent.add("DESCRIPTION", event.description.replace("\r\n", "\n"))
    if event.location:
        vevent.add("LOCATION", _single_line(event.location))
    if event.url:
        vevent.add("URL", event.url)
    vevent.add("STATUS", status)
    vevent.add("TRANSP", "OPAQUE")
    if with_organizer:
        vevent.add("ORGANIZER", _organizer(event))
    for attendee in attendees:
        address = _address(attendee.email, attendee.name)
        address.params["ROLE"] = attendee.role
        address.params["PARTSTAT"] = attendee.partstat
        address.params["CUTYPE"] = "INDIVIDUAL"
        if attendee.rsvp:
            address.params["RSVP"] = "TRUE"
        vevent.add("ATTENDEE", address)
    return vevent


@lru_cache(maxsize=512)
def _shell(method: str | None, name: str | None = None) -> tuple[str, str]:
    """The calendar around the events (properties and VTIMEZONE), serialised once per method and name:
    it never changes, and parsing the VTIMEZONE for every message made publishing a series slow."""
    cal = _calendar(method, name=name)
    if method is None:
        cal.add("REFRESH-INTERVAL", vDuration(FEED_REFRESH), parameters={"VALUE": "DURATION"})
        cal.add("X-PUBLISHED-TTL", vDuration(FEED_REFRESH))
    head, tail = cal.to_ical().decode("utf-8").rsplit("END:VCALENDAR", 1)
    return head, f"END:VCALENDAR{tail}"


def _wrap(method: str | None, entries: Iterable[str], name: str | None = None) -> str:
    head, tail = _shell(method, name)
    return head + "".join(entries) + tail


def _serialised(event: CalendarEvent, *, status: str, attendees: Iterable[Attendee]) -> str:
    vevent = _event(event, status=status, with_organizer=True, attendees=attendees, stamp=clock.now())
    return vevent.to_ical().decode("utf-8")


def invitation(event: CalendarEvent) -> str:
    """METHOD:REQUEST: a new invitation or an update (same UID, higher SEQUENCE)."""
    if not event.attendees:
        raise ValueError("an invitation needs at least one attendee")
    return _wrap("REQUEST", [_serialised(event, status=event.status, attendees=event.attendees)])


def cancellation(event: CalendarEvent) -> str:
    """METHOD:CANCEL with STATUS:CANCELLED (REQUEST + CANCELLED would leave the entry in many calendars)."""
    return _wrap("CANCEL", [_serialised(event, status="CANCELLED", attendees=event.attendees)])


def single_download(event: CalendarEvent) -> str:
    """METHOD:PUBLISH, for "add to calendar" downloads: no attendees, nothing to answer."""
    return _wrap("PUBLISH", [_serialised(event, status=event.status, attendees=())])


def feed(events: Iterable[CalendarEvent], name: str) -> str:
    """A subscription feed: no METHOD, no ATTENDEE/ORGANIZER, refresh hints for clients that honour them."""
    now = clock.now()
    return _wrap(None, (_feed_entry(event, event.last_modified or now) for event in events), name=name)


@lru_cache(maxsize=50_000)
def _feed_entry(event: CalendarEvent, stamp: datetime) -> str:
    """One serialised VEVENT. Serialising is the costly part of a feed and an entry only changes with its
    row (the key holds every field and the last change), so entries are cached across requests."""
    entry = _event(event, status=event.status, with_organizer=False, attendees=(), stamp=stamp)
    return entry.to_ical().decode()


__all__ = ["Attendee", "CalendarEvent", "cancellation", "clean_cn", "feed", "invitation", "single_download"]

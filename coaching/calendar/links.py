"""Links that put a session into someone's calendar: Google/Outlook.com "add" links and feed subscriptions.

Add-links carry UTC times (`...Z`), so no web calendar has to guess a zone. Feed links are offered as
`webcal://` (Apple, Outlook, Thunderbird open it as a subscription) and as Google's `render?cid=`.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

from coaching.calendar.ical import CalendarEvent
from coaching.core import clock

GOOGLE_RENDER = "https://calendar.google.com/calendar/render"
OUTLOOK_COMPOSE = "https://outlook.live.com/calendar/0/deeplink/compose"
# Web calendars cut long query strings; the description is only a teaser with the link to the details.
_DETAILS_LIMIT = 600


@dataclass(frozen=True)
class AddLinks:
    google: str
    outlook: str
    ics: str


@dataclass(frozen=True)
class FeedLinks:
    https: str
    webcal: str
    google: str


def _details(event: CalendarEvent) -> str:
    text = (event.description or "")[:_DETAILS_LIMIT]
    return f"{text}\n\n{event.url}".strip() if event.url else text


def google_add(event: CalendarEvent) -> str:
    dates = f"{clock.utc_stamp(event.starts_at)}/{clock.utc_stamp(event.ends_at)}"
    query = {"action": "TEMPLATE", "text": event.summary, "dates": dates, "details": _details(event),
             "location": event.location or "", "ctz": "Europe/Berlin"}
    return f"{GOOGLE_RENDER}?{urlencode(query)}"


def _iso_utc(value) -> str:
    return clock.as_utc(value).strftime("%Y-%m-%dT%H:%M:%SZ")


def outlook_add(event: CalendarEvent) -> str:
    query = {"path": "/calendar/action/compose", "rru": "addevent", "subject": event.summary,
             "startdt": _iso_utc(event.starts_at), "enddt": _iso_utc(event.ends_at),
             "body": _details(event), "location": event.location or ""}
    return f"{OUTLOOK_COMPOSE}?{urlencode(query)}"


def add_links(event: CalendarEvent, ics_url: str) -> AddLinks:
    return AddLinks(google=google_add(event), outlook=outlook_add(event), ics=ics_url)


def feed_links(feed_url: str) -> FeedLinks:
    """`feed_url` is the absolute http(s) URL of the feed."""
    parts = urlsplit(feed_url)
    webcal = urlunsplit(("webcal", parts.netloc, parts.path, parts.query, ""))
    return FeedLinks(https=feed_url, webcal=webcal, google=f"{GOOGLE_RENDER}?{urlencode({'cid': webcal})}")

"""Turn sessions and mentoring meetings into `CalendarEvent`s: one mapping for mails, feeds, links."""
from __future__ import annotations

from flask_babel import gettext as _

from coaching.calendar.ical import Attendee, CalendarEvent
from coaching.mentoring.models import MentoringMeeting
from coaching.scheduling.models import CoachingSession


def session_summary(session: CoachingSession) -> str:
    return f"{session.topic} ({session.cohort.name})"


def session_location(session: CoachingSession) -> str:
    parts = [session.venue_name, session.room, session.venue_address]
    place = ", ".join(p.strip() for p in parts if p and p.strip())
    return place or (session.online_url or "")


def session_description(session: CoachingSession) -> str:
    lines = [session.description or ""]
    if session.online_url:
        lines.append(_("Online-Teilnahme: %(url)s", url=session.online_url))
    return "\n\n".join(line for line in lines if line).strip()


def session_event(session: CoachingSession, attendees: tuple[Attendee, ...] = (), url: str = "",
                  sequence: int | None = None, organizer_name: str | None = None) -> CalendarEvent:
    summary = session_summary(session)
    status = "CANCELLED" if session.is_cancelled else "CONFIRMED"
    if session.is_cancelled:
        # Subscribed calendars keep the entry until the next refresh: make the state visible in the title.
        summary = _("Abgesagt: %(summary)s", summary=summary)
    return CalendarEvent(
        uid=session.ical_uid,
        sequence=session.ical_sequence if sequence is None else sequence,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        summary=summary,
        description=session_description(session),
        location=session_location(session),
        url=url,
        status=status,
        organizer_name=organizer_name,
        attendees=attendees,
        last_modified=session.updated_at,
    )


def meeting_event(meeting: MentoringMeeting) -> CalendarEvent:
    pairing = meeting.pairing
    summary = _("Mentoring: %(mentor)s und %(mentee)s", mentor=pairing.mentor.full_name,
                mentee=pairing.mentee.full_name)
    return CalendarEvent(
        uid=meeting.ical_uid,
        sequence=meeting.ical_sequence,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=summary,
        description=_("Online-Teilnahme: %(url)s", url=meeting.online_url) if meeting.online_url else "",
        location=meeting.venue or meeting.online_url or "",
        last_modified=meeting.updated_at,
    )

"""What the mentor's own pages show: their pairings and meetings, and the link each meeting needs."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from coaching.core import clock
from coaching.extensions import db
from coaching.mentoring import links
from coaching.mentoring.lifecycle import MEETING_LABELS, PAIRING_LABELS
from coaching.mentoring.models import MeetingOption, MeetingStatus, MentoringMeeting, Pairing
from coaching.people.models import Person

LOGGABLE = (MeetingStatus.CONFIRMED, MeetingStatus.HELD, MeetingStatus.NOT_HELD)


@dataclass
class MeetingView:
    meeting: MentoringMeeting
    options: list[MeetingOption]
    suggested: list[MeetingOption]
    status_label: str


def meeting_view(meeting: MentoringMeeting) -> MeetingView:
    return MeetingView(
        meeting=meeting,
        options=[o for o in meeting.options if not o.suggested_by_mentor],
        suggested=[o for o in meeting.options if o.suggested_by_mentor],
        status_label=str(MEETING_LABELS[meeting.status]),
    )


def action_link(meeting: MentoringMeeting) -> str | None:
    """The mentor's next step for a meeting: answer the request, or fill in / correct the log."""
    if meeting.status == MeetingStatus.PROPOSED:
        return links.mentor_meeting_url(meeting)
    if meeting.status in LOGGABLE and meeting.starts_at and meeting.starts_at <= clock.now():
        return links.meeting_log_url(meeting)
    return None


def portal_overview(person: Person) -> dict:
    """Pairings (mentee loaded) and meetings split into upcoming and past: three queries whatever the size."""
    pairings = db.session.scalars(
        select(Pairing)
        .where(Pairing.mentor_id == person.id)
        .options(joinedload(Pairing.mentee))
        .order_by(Pairing.created_at.desc())
    ).all()
    meetings = db.session.scalars(
        select(MentoringMeeting)
        .join(MentoringMeeting.pairing)
        .where(Pairing.mentor_id == person.id)
        .options(
            contains_eager(MentoringMeeting.pairing).joinedload(Pairing.mentee),
            selectinload(MentoringMeeting.options),
        )
        .order_by(MentoringMeeting.created_at.desc())
        .limit(200)
    ).all()
    now = clock.now()

    def when(m: MentoringMeeting):
        return m.starts_at or (m.options[0].starts_at if m.options else m.created_at)

    upcoming = sorted(
        (m for m in meetings if when(m) >= now and m.status != MeetingStatus.CANCELLED), key=when
    )
    past = sorted((m for m in meetings if m not in upcoming), key=when, reverse=True)
    return {
        "pairings": pairings,
        "upcoming": upcoming,
        "past": past,
        "when": when,
        "action_link": action_link,
        "meeting_labels": MEETING_LABELS,
        "pairing_labels": PAIRING_LABELS,
    }

"""Signed links in mentoring emails: one purpose (salt) per action, each bound to the person it was sent to.

Meeting links also carry the meeting's SEQUENCE: after a change that was sent, an older link is refused and
the page offers a fresh one (mailed to the address on file, never shown to whoever holds the old link).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flask import abort
from sqlalchemy.orm import joinedload, selectinload

from coaching.core import tokens
from coaching.core.urls import external_url
from coaching.extensions import db
from coaching.mentoring.models import MentoringMeeting, Pairing
from coaching.people.models import Person

DAY = 24 * 3600
MEETING_PURPOSE = "mentoring.meeting"  # confirm / decline / suggest another time
LOG_PURPOSE = "mentoring.log"  # the meeting log form after the meeting
PORTAL_PURPOSE = "mentoring.portal"  # "my mentoring"
MENTEE_PURPOSE = "mentoring.mentee-propose"  # a mentee proposes a meeting

MAX_AGE = {
    MEETING_PURPOSE: 14 * DAY,
    LOG_PURPOSE: 30 * DAY,
    PORTAL_PURPOSE: 30 * DAY,
    MENTEE_PURPOSE: 30 * DAY,
}


class LinkState(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    STALE = "stale"  # signed for an earlier SEQUENCE of the meeting


def _meeting_payload(meeting: MentoringMeeting) -> dict:
    return {"p": meeting.pairing.mentor_id, "m": meeting.id, "s": meeting.ical_sequence}


def mentor_meeting_url(meeting: MentoringMeeting, **query) -> str:
    """Absolute URL, with a fresh token, of the mentor's page for this meeting (confirm/decline/suggest)."""
    token = tokens.sign(MEETING_PURPOSE, _meeting_payload(meeting))
    return external_url("mentor_portal.meeting", token=token, **query)


def meeting_log_url(meeting: MentoringMeeting) -> str:
    return external_url("mentor_portal.log", token=tokens.sign(LOG_PURPOSE, _meeting_payload(meeting)))


def mentor_portal_url(person: Person | int) -> str:
    person_id = person if isinstance(person, int) else person.id
    return external_url("mentor_portal.home", token=tokens.sign(PORTAL_PURPOSE, {"p": person_id}))


def mentee_proposal_url(pairing: Pairing) -> str:
    token = tokens.sign(MENTEE_PURPOSE, {"p": pairing.mentee_id, "pr": pairing.id})
    return external_url("mentor_portal.mentee_propose", token=token)


def _read(purpose: str, token: str) -> tuple[dict, LinkState]:
    payload, expired = tokens.read_link(purpose, token, MAX_AGE[purpose])
    return payload, LinkState.EXPIRED if expired else LinkState.VALID


@dataclass
class MeetingLink:
    meeting: MentoringMeeting
    mentor: Person
    state: LinkState


def open_meeting_link(purpose: str, token: str) -> MeetingLink:
    """Meeting and mentor of a token; 404 when tampered or not the pairing's mentor; expired/stale flagged."""
    payload, state = _read(purpose, token)
    meeting = db.session.get(
        MentoringMeeting,
        payload.get("m"),
        options=[
            joinedload(MentoringMeeting.pairing).joinedload(Pairing.mentor),
            joinedload(MentoringMeeting.pairing).joinedload(Pairing.mentee),
            selectinload(MentoringMeeting.options),
        ],
    )
    if meeting is None or meeting.pairing.mentor_id != payload.get("p") or meeting.pairing.mentor.erased_at:
        abort(404)
    if state is LinkState.VALID and payload.get("s") != meeting.ical_sequence:
        state = LinkState.STALE
    return MeetingLink(meeting=meeting, mentor=meeting.pairing.mentor, state=state)


def open_person_link(purpose: str, token: str) -> tuple[Person, dict, LinkState]:
    payload, state = _read(purpose, token)
    person = db.session.get(Person, payload.get("p"))
    if person is None or person.erased_at is not None:
        abort(404)
    return person, payload, state

"""Participants' answers to session invitations, from email links or from their calendar (iTIP REPLY).

Link tokens carry (session, person, SEQUENCE): an answer always concerns the version of the session the
person saw. Answers are stored on the Attendance row; they never touch the outcome (attended/no-show).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from coaching.attendance.models import Answer, AnswerSource, Attendance
from coaching.calendar.ical import Attendee
from coaching.cohorts.models import Cohort
from coaching.core import clock, tokens
from coaching.core.errors import DomainError
from coaching.extensions import db
from coaching.scheduling.models import CoachingSession

RSVP_PURPOSE = "session-rsvp"
# Links stay usable for a season; an expired one leads to a page that sends a fresh one.
RSVP_MAX_AGE = 200 * 24 * 3600

PARTSTAT_TO_ANSWER = {
    "ACCEPTED": Answer.ACCEPTED,
    "TENTATIVE": Answer.TENTATIVE,
    "DECLINED": Answer.DECLINED,
    "NEEDS-ACTION": Answer.NEEDS_ACTION,
}
ANSWER_TO_PARTSTAT = {answer: partstat for partstat, answer in PARTSTAT_TO_ANSWER.items()}
LINK_ANSWERS = (Answer.ACCEPTED, Answer.TENTATIVE, Answer.DECLINED)


@dataclass(frozen=True)
class RsvpLink:
    attendance: Attendance
    sequence: int
    expired: bool

    @property
    def outdated(self) -> bool:
        """The session changed since this link was sent: show the new state before recording anything."""
        current = self.attendance.invited_sequence
        return current is not None and self.sequence < current


def make_token(attendance: Attendance, sequence: int) -> str:
    return tokens.sign(RSVP_PURPOSE, {"s": attendance.session_id, "p": attendance.person_id, "q": sequence})


def attendee_for(attendance: Attendance) -> Attendee:
    person = attendance.person
    return Attendee(email=person.email or "", name=person.full_name,
                    partstat=ANSWER_TO_PARTSTAT[attendance.answer or Answer.NEEDS_ACTION])


def load_link(token: str) -> RsvpLink:
    """Resolve a link token; tampered or unknown → 404, expired → `expired=True` (to offer a new link)."""
    payload, expired = tokens.read_link(RSVP_PURPOSE, token, RSVP_MAX_AGE)
    if not {"s", "p", "q"} <= payload.keys():
        abort(404)
    attendance = db.session.scalar(
        select(Attendance)
        .where(Attendance.session_id == payload["s"], Attendance.person_id == payload["p"])
        .options(joinedload(Attendance.person),
                 joinedload(Attendance.session).joinedload(CoachingSession.cohort).joinedload(Cohort.organisation))
    )
    if attendance is None:
        abort(404)
    return RsvpLink(attendance=attendance, sequence=int(payload["q"]), expired=expired)


def _apply(attendance: Attendance, answer: Answer, source: AnswerSource) -> bool:
    """Set the answer; returns whether it changed (the same answer twice changes nothing)."""
    if attendance.answer == answer and attendance.answer_source is not None:
        return False
    attendance.answer = answer
    attendance.answer_source = source
    attendance.answered_at = clock.now()
    return True


def answer_from_link(link: RsvpLink, answer: Answer) -> bool:
    """Record an answer given on the RSVP page. Commits."""
    if answer not in LINK_ANSWERS:
        raise DomainError("invalid answer", field="answer")
    attendance = link.attendance
    if link.expired or link.outdated:
        raise DomainError("stale link")
    if attendance.invited_sequence is None or attendance.session.is_cancelled:
        raise DomainError("not invited")
    if attendance.session.ends_at <= clock.now():
        raise DomainError("session over")
    changed = _apply(attendance, answer, AnswerSource.LINK)
    db.session.commit()
    return changed


def answer_from_calendar(attendance: Attendance, partstat: str, sequence: int) -> bool:
    """Record a PARTSTAT from an iTIP REPLY; replies to an older SEQUENCE than last sent are ignored.

    Does not commit: the reply reader commits once per mail.
    """
    answer = PARTSTAT_TO_ANSWER.get(partstat.upper())
    if answer is None or answer == Answer.NEEDS_ACTION:
        return False
    if attendance.invited_sequence is None or sequence < attendance.invited_sequence:
        return False
    return _apply(attendance, answer, AnswerSource.CALENDAR_REPLY)

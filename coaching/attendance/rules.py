"""The status table: what answers and outcomes mean for the funder's figures, and which changes are allowed.

Answers (from links, calendar replies or staff) say what a person intended; outcomes (recorded on the day)
say what happened. Only outcomes count: an accepted invitation is not a person reached. docs/attendance.md
explains the table in words.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l

from coaching.attendance.models import Answer, AnswerSource, Outcome
from coaching.core import clock


@dataclass(frozen=True)
class Status:
    label: object  # a lazy string
    reached: bool  # counts as "reached" (each person once) in reports
    attended: bool  # counts as "attended" for rates and certificates
    badge: str  # Bootstrap colour


ANSWERS: dict[Answer, Status] = {
    Answer.NEEDS_ACTION: Status(_l("keine Antwort"), reached=False, attended=False, badge="secondary"),
    Answer.ACCEPTED: Status(_l("zugesagt"), reached=False, attended=False, badge="success"),
    Answer.TENTATIVE: Status(_l("vielleicht"), reached=False, attended=False, badge="info"),
    Answer.DECLINED: Status(_l("abgesagt"), reached=False, attended=False, badge="warning"),
}

OUTCOMES: dict[Outcome, Status] = {
    Outcome.ATTENDED: Status(_l("anwesend"), reached=True, attended=True, badge="success"),
    Outcome.EXCUSED: Status(_l("entschuldigt"), reached=False, attended=False, badge="warning"),
    Outcome.NO_SHOW: Status(_l("nicht erschienen"), reached=False, attended=False, badge="danger"),
}

SOURCES: dict[AnswerSource, object] = {
    AnswerSource.LINK: _l("über den Link"),
    AnswerSource.CALENDAR_REPLY: _l("aus dem Kalender"),
    AnswerSource.MANUAL: _l("von Hand eingetragen"),
}

ATTENDED = frozenset(o for o, s in OUTCOMES.items() if s.attended)
REACHED = frozenset(o for o, s in OUTCOMES.items() if s.reached)
# A headcount counts its number as reached; it never adds named (distinct) people.
HEADCOUNT_COUNTS_AS_REACHED = True

# Staff may set any answer by hand (people phone in); a recorded outcome never changes the answer.
MANUAL_ANSWERS = (Answer.ACCEPTED, Answer.TENTATIVE, Answer.DECLINED, Answer.NEEDS_ACTION)
# Any outcome may be corrected into any other; a follow-up already sent stays sent (followup_sent_at kept).
OUTCOME_CHANGES: dict[Outcome | None, frozenset[Outcome]] = {
    before: frozenset(Outcome) for before in (None, *Outcome)
}


def is_attended(outcome: Outcome | None) -> bool:
    return outcome is not None and OUTCOMES[Outcome(outcome)].attended


def is_reached(outcome: Outcome | None) -> bool:
    return outcome is not None and OUTCOMES[Outcome(outcome)].reached


def may_change_outcome(before: Outcome | None, after: Outcome) -> bool:
    return Outcome(after) in OUTCOME_CHANGES[None if before is None else Outcome(before)]


def outcomes_open(starts_at: datetime, cancelled: bool, now: datetime | None = None) -> bool:
    """Outcomes can be recorded from the session's day on (Berlin time), never for a cancelled session."""
    if cancelled:
        return False
    now = now or clock.now()
    return clock.as_utc(starts_at) <= now or clock.local_date(starts_at) <= clock.local_date(now)


def certificate_due(attended: int, held: int, threshold: float) -> bool:
    """Attended at least `threshold` of the held sessions (and at least one)."""
    return held > 0 and attended > 0 and attended >= float(threshold) * held - 1e-9

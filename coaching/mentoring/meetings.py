"""Meetings of a pairing: proposed by an organiser or the mentee, answered by the mentor, logged afterwards.

SEQUENCE rule: the first calendar invitation goes out with the SEQUENCE the meeting has; every later change
that is sent (new times, cancellation) bumps it first, which also makes older email links stale.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from flask import current_app
from flask_babel import gettext as _

from coaching.audit import services as audit
from coaching.core import clock, tokens
from coaching.core.errors import DomainError
from coaching.extensions import db
from coaching.mentoring import notices
from coaching.mentoring.lifecycle import (
    MEETING_ALLOWED,
    MEETING_LABELS,
    PAIRING_LABELS,
    check_meeting_transition,
)
from coaching.mentoring.models import MeetingOption, MeetingStatus, MentoringMeeting, Pairing
from coaching.people.models import Person

MAX_OPTIONS = 3


class Outcome(StrEnum):
    DONE = "done"
    ALREADY = "already"  # the same answer was given before: nothing changed


@dataclass
class Proposal:
    options: list[tuple[date, time, int]]  # Berlin day, Berlin time, minutes
    venue: str | None = None
    online_url: str | None = None
    message: str | None = None


@dataclass
class MeetingLog:
    took_place: bool
    duration_minutes: int | None = None
    topics: list[str] = field(default_factory=list)
    parents_counselled: int | None = None
    private_notes: str | None = None


def expiry_days() -> int:
    return int(current_app.config["MENTORING_REQUEST_EXPIRY_DAYS"])


def _slots(proposal: Proposal, now: datetime) -> list[tuple[datetime, datetime]]:
    if not 1 <= len(proposal.options) <= MAX_OPTIONS:
        raise DomainError(_("Bitte geben Sie einen bis drei Terminvorschläge an."), field="options")
    slots = []
    for day, at, minutes in proposal.options:
        try:
            starts = clock.local_to_utc(day, at)
        except clock.NonexistentLocalTime as exc:
            raise DomainError(
                _(
                    "%(day)s um %(time)s gibt es wegen der Zeitumstellung nicht. Bitte wählen Sie "
                    "eine andere Uhrzeit.",
                    day=day.strftime("%d.%m.%Y"),
                    time=at.strftime("%H:%M"),
                ),
                field="options",
            ) from exc
        if starts <= now:
            raise DomainError(_("Terminvorschläge müssen in der Zukunft liegen."), field="options")
        if not 15 <= minutes <= 8 * 60:
            raise DomainError(_("Die Dauer muss zwischen 15 Minuten und 8 Stunden liegen."), field="options")
        slots.append((starts, starts + timedelta(minutes=minutes)))
    if len(set(slots)) != len(slots):
        raise DomainError(_("Zwei Terminvorschläge sind gleich."), field="options")
    return sorted(slots)


def _apply_proposal(meeting: MentoringMeeting, proposal: Proposal, now: datetime) -> None:
    if not (proposal.venue or proposal.online_url):
        raise DomainError(
            _("Bitte geben Sie einen Ort oder einen Link für ein Online-Treffen an."), field="venue"
        )
    slots = _slots(proposal, now)
    meeting.options = [MeetingOption(starts_at=s, ends_at=e) for s, e in slots]
    meeting.venue, meeting.online_url, meeting.message = proposal.venue, proposal.online_url, proposal.message
    meeting.starts_at = meeting.ends_at = meeting.responded_at = meeting.response_note = None
    meeting.reminder_sent_at = None
    meeting.proposed_at = now
    meeting.expires_at = min(now + timedelta(days=expiry_days()), slots[0][0])


def _check_pairing_open(pairing: Pairing) -> None:
    if pairing.status not in MEETING_ALLOWED:
        raise DomainError(
            _(
                "Für dieses Paar können keine Treffen mehr vereinbart werden (Status: %(s)s).",
                s=PAIRING_LABELS[pairing.status],
            )
        )


def propose_meeting(user, pairing: Pairing, proposal: Proposal, by_mentee: bool = False) -> MentoringMeeting:
    """A new request to the mentor with one to three options; `user` is None when the mentee proposes."""
    _check_pairing_open(pairing)
    if not pairing.mentor.can_receive_email:
        raise DomainError(
            _(
                "Die Mentorin oder der Mentor hat keine nutzbare E-Mail-Adresse. Bitte tragen Sie "
                "zuerst eine ein."
            )
        )
    now = clock.now()
    meeting = MentoringMeeting(
        pairing=pairing,
        status=MeetingStatus.PROPOSED,
        ical_uid=tokens.new_uid("meeting"),
        ical_sequence=0,
        proposed_by_id=getattr(user, "id", None),
        proposed_by_mentee=by_mentee,
        topics=[],
    )
    _apply_proposal(meeting, proposal, now)
    db.session.add(meeting)
    db.session.flush()
    notices.meeting_request(meeting)
    audit.record(user, "meeting_proposed", "mentoring_meeting", meeting.id, by_mentee=by_mentee)
    db.session.commit()
    return meeting


def repropose_meeting(user, meeting: MentoringMeeting, proposal: Proposal) -> MentoringMeeting:
    """New times for a request that was declined, answered with another time, expired or is still open."""
    if meeting.status in (MeetingStatus.CONFIRMED, MeetingStatus.HELD, MeetingStatus.NOT_HELD):
        raise DomainError(
            _(
                "Ein bestätigtes Treffen kann nicht neu angefragt werden. Sagen Sie es ab und "
                "schlagen Sie ein neues vor."
            )
        )
    check_meeting_transition(meeting.status, MeetingStatus.PROPOSED)
    _check_pairing_open(meeting.pairing)
    _apply_proposal(meeting, proposal, clock.now())
    meeting.status = MeetingStatus.PROPOSED
    meeting.proposed_by_id = getattr(user, "id", meeting.proposed_by_id)
    meeting.ical_sequence += 1  # older links to the previous request stop working
    notices.meeting_request(meeting)
    audit.record(user, "meeting_reproposed", "mentoring_meeting", meeting.id, sequence=meeting.ical_sequence)
    db.session.commit()
    return meeting


def _answerable(meeting: MentoringMeeting, same_answer: MeetingStatus) -> Outcome | None:
    """ALREADY when the mentor gave this answer before; DomainError when the request is closed."""
    if meeting.status == same_answer:
        return Outcome.ALREADY
    if meeting.status != MeetingStatus.PROPOSED:
        raise DomainError(_("Diese Anfrage ist nicht mehr offen (Status: %(s)s).", s=MEETING_LABELS[meeting.status]))
    return None


def confirm_meeting(mentor: Person, meeting: MentoringMeeting, option_id: int | None) -> Outcome:
    if (already := _answerable(meeting, MeetingStatus.CONFIRMED)) is not None:
        return already
    choices = [o for o in meeting.options if not o.suggested_by_mentor]
    option = next((o for o in choices if o.id == option_id), choices[0] if len(choices) == 1 else None)
    if option is None:
        raise DomainError(_("Bitte wählen Sie einen der vorgeschlagenen Termine."), field="option")
    if option.starts_at <= clock.now():
        raise DomainError(
            _("Dieser Termin liegt schon in der Vergangenheit. Bitte schlagen Sie einen anderen vor."),
            field="option",
        )
    _confirm(meeting, option)
    audit.record(None, "meeting_confirmed", "mentoring_meeting", meeting.id, person_id=mentor.id)
    db.session.commit()
    return Outcome.DONE


def _confirm(meeting: MentoringMeeting, option: MeetingOption) -> None:
    check_meeting_transition(meeting.status, MeetingStatus.CONFIRMED)
    meeting.status = MeetingStatus.CONFIRMED
    meeting.starts_at, meeting.ends_at = option.starts_at, option.ends_at
    meeting.responded_at = meeting.responded_at or clock.now()
    notices.meeting_invitations(meeting)


def decline_meeting(mentor: Person, meeting: MentoringMeeting, note: str | None) -> Outcome:
    if (already := _answerable(meeting, MeetingStatus.DECLINED)) is not None:
        return already
    meeting.status = MeetingStatus.DECLINED
    meeting.responded_at, meeting.response_note = clock.now(), note or None
    notices.meeting_answer(meeting)
    audit.record(None, "meeting_declined", "mentoring_meeting", meeting.id, person_id=mentor.id)
    db.session.commit()
    return Outcome.DONE


def suggest_other_time(
    mentor: Person, meeting: MentoringMeeting, day: date, at: time, minutes: int, note: str | None
) -> Outcome:
    if (already := _answerable(meeting, MeetingStatus.COUNTER_PROPOSED)) is not None:
        return already
    ((starts, ends),) = _slots(Proposal(options=[(day, at, minutes)]), clock.now())
    meeting.options.append(MeetingOption(starts_at=starts, ends_at=ends, suggested_by_mentor=True))
    meeting.status = MeetingStatus.COUNTER_PROPOSED
    meeting.responded_at, meeting.response_note = clock.now(), note or None
    notices.meeting_answer(meeting)
    audit.record(None, "meeting_counter_proposed", "mentoring_meeting", meeting.id, person_id=mentor.id)
    db.session.commit()
    return Outcome.DONE


def accept_counter_proposal(user, meeting: MentoringMeeting) -> MentoringMeeting:
    """The organiser takes the mentor's suggested time: the meeting is confirmed, invitations go out."""
    suggested = [o for o in meeting.options if o.suggested_by_mentor]
    if meeting.status != MeetingStatus.COUNTER_PROPOSED or not suggested:
        raise DomainError(_("Es liegt kein Gegenvorschlag der Mentorin oder des Mentors vor."))
    if suggested[-1].starts_at <= clock.now():
        raise DomainError(_("Der vorgeschlagene Termin liegt schon in der Vergangenheit."))
    _confirm(meeting, suggested[-1])
    audit.record(user, "meeting_counter_accepted", "mentoring_meeting", meeting.id)
    db.session.commit()
    return meeting


def cancel_meeting(user, meeting: MentoringMeeting) -> MentoringMeeting:
    check_meeting_transition(meeting.status, MeetingStatus.CANCELLED)
    was_confirmed = meeting.status == MeetingStatus.CONFIRMED
    meeting.status = MeetingStatus.CANCELLED
    meeting.ical_sequence += 1
    if was_confirmed:
        notices.meeting_cancellations(meeting)
    audit.record(user, "meeting_cancelled", "mentoring_meeting", meeting.id, sequence=meeting.ical_sequence)
    db.session.commit()
    return meeting


def log_meeting(mentor: Person, meeting: MentoringMeeting, log: MeetingLog) -> MentoringMeeting:
    """The mentor's log after the meeting; sending it again corrects it."""
    if meeting.status not in (MeetingStatus.CONFIRMED, MeetingStatus.HELD, MeetingStatus.NOT_HELD):
        raise DomainError(_("Nur bestätigte Treffen können protokolliert werden."))
    if meeting.starts_at is None or meeting.starts_at > clock.now():
        raise DomainError(
            _("Das Treffen hat noch nicht begonnen. Bitte füllen Sie das Protokoll danach aus.")
        )
    if log.took_place and not log.duration_minutes:
        raise DomainError(
            _("Bitte geben Sie an, wie lange das Treffen gedauert hat."), field="duration_minutes"
        )
    target = MeetingStatus.HELD if log.took_place else MeetingStatus.NOT_HELD
    check_meeting_transition(meeting.status, target)
    meeting.status = target
    meeting.took_place = log.took_place
    meeting.duration_minutes = log.duration_minutes if log.took_place else None
    meeting.topics = list(log.topics) if log.took_place else []
    meeting.parents_counselled = log.parents_counselled if log.took_place else None
    meeting.private_notes = log.private_notes or None
    meeting.logged_at = clock.now()
    audit.record(None, "meeting_logged", "mentoring_meeting", meeting.id, person_id=mentor.id)
    db.session.commit()
    return meeting


def request_fresh_link(meeting: MentoringMeeting, purpose: str) -> bool:
    """Mail a current link to the mentor's address on file (never shown to the holder of the old link)."""
    queued = notices.fresh_meeting_link(meeting, purpose)
    db.session.commit()
    return queued


def request_fresh_portal_link(person: Person) -> bool:
    queued = notices.fresh_portal_link(person)
    db.session.commit()
    return queued

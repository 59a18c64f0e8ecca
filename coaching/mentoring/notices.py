"""The emails of mentoring: who gets which message, in which language, with which links and calendar data.

Every function only adds outbox rows to the caller's transaction; the calling service commits once.
Idempotency keys carry the meeting's SEQUENCE, so a retried request never queues the same mail twice.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from coaching.accounts.models import User
from coaching.calendar import ical
from coaching.core import clock
from coaching.core.urls import external_url
from coaching.extensions import db
from coaching.mail import outbox
from coaching.mail.compose import render_email
from coaching.mentoring import links
from coaching.mentoring.models import MentoringMeeting
from coaching.people.models import Person

AUTO_HEADERS = {"Auto-Submitted": "auto-generated"}


def _queue(
    kind: str,
    meeting: MentoringMeeting,
    *,
    email: str,
    language: str,
    person_id: int | None,
    version,
    template: str,
    ical_text: str | None = None,
    ical_method: str | None = None,
    headers: dict | None = None,
    **context,
) -> bool:
    rendered = render_email(template, language, meeting=meeting, pairing=meeting.pairing, **context)
    message = outbox.enqueue(
        kind=kind,
        key=outbox.idempotency_key(kind, f"meeting:{meeting.id}", email, version),
        to_email=email,
        email=rendered,
        person_id=person_id,
        organisation_id=meeting.pairing.organisation_id,
        meeting_id=meeting.id,
        ical=ical_text,
        ical_method=ical_method,
        headers=headers,
    )
    return message is not None


def _to_person(kind: str, meeting: MentoringMeeting, person: Person, version, template: str, **kw) -> bool:
    if not person.can_receive_email:
        return False
    return _queue(
        kind,
        meeting,
        email=person.email,
        language=person.preferred_language or "de",
        person_id=person.id,
        version=version,
        template=template,
        recipient=person,
        **kw,
    )


def _organiser(meeting: MentoringMeeting) -> User | None:
    """Who proposed the meeting, or (for a mentee's proposal) who created the pairing."""
    user_id = meeting.proposed_by_id or meeting.pairing.created_by_id
    user = db.session.get(User, user_id) if user_id else None
    return user if user is not None and user.active else None


def meeting_request(meeting: MentoringMeeting) -> bool:
    mentor = meeting.pairing.mentor
    return _to_person(
        "meeting_request",
        meeting,
        mentor,
        meeting.ical_sequence,
        "meeting_request",
        link=links.mentor_meeting_url(meeting),
        portal_link=links.mentor_portal_url(mentor),
    )


def _calendar(meeting: MentoringMeeting, language: str, method: str) -> str | None:
    pairing = meeting.pairing
    people = [p for p in (pairing.mentor, pairing.mentee) if p.can_receive_email]
    with force_locale(language):
        event = ical.CalendarEvent(
            uid=meeting.ical_uid,
            sequence=meeting.ical_sequence,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            summary=_(
                "Mentoring-Treffen: %(mentor)s und %(mentee)s",
                mentor=pairing.mentor.full_name,
                mentee=pairing.mentee.full_name,
            ),
            description=meeting.message or "",
            location=meeting.venue or meeting.online_url or "",
            url=meeting.online_url or "",
            status="CANCELLED" if method == "CANCEL" else "CONFIRMED",
            attendees=tuple(ical.Attendee(email=p.email, name=p.full_name) for p in people),
        )
        return ical.cancellation(event) if method == "CANCEL" else ical.invitation(event)


def _calendar_mail(kind: str, meeting: MentoringMeeting, method: str, template: str) -> int:
    pairing = meeting.pairing
    sent = 0
    for person, link in (
        (pairing.mentor, links.mentor_portal_url(pairing.mentor)),
        (pairing.mentee, links.mentee_proposal_url(pairing)),
    ):
        language = person.preferred_language or "de"
        calendar = _calendar(meeting, language, method) if person.can_receive_email else None
        sent += _to_person(
            kind,
            meeting,
            person,
            meeting.ical_sequence,
            template,
            ical_text=calendar,
            ical_method=method if calendar else None,
            link=link,
            is_mentor=person.id == pairing.mentor_id,
        )
    return sent


def meeting_invitations(meeting: MentoringMeeting) -> int:
    """Calendar invitations (REQUEST) to mentor and mentee once the meeting is confirmed."""
    return _calendar_mail("meeting_invitation", meeting, "REQUEST", "meeting_invitation")


def meeting_cancellations(meeting: MentoringMeeting) -> int:
    return _calendar_mail("meeting_cancellation", meeting, "CANCEL", "meeting_cancelled")


def meeting_answer(meeting: MentoringMeeting) -> int:
    """Tell the organiser and the mentee that the mentor declined or suggested another time."""
    kind = f"meeting_{meeting.status.value}"  # meeting_declined / meeting_counter_proposed
    sent = 0
    organiser = _organiser(meeting)
    if organiser is not None:
        from_url = external_url("mentoring.meeting", meeting_id=meeting.id)
        sent += _queue(
            kind,
            meeting,
            email=organiser.email,
            language=organiser.language or "de",
            person_id=None,
            version=meeting.ical_sequence,
            template="meeting_answer",
            recipient_name=organiser.display_name,
            link=from_url,
            for_staff=True,
        )
    pairing = meeting.pairing
    sent += _to_person(
        kind,
        meeting,
        pairing.mentee,
        meeting.ical_sequence,
        "meeting_answer",
        recipient_name=pairing.mentee.full_name,
        link=links.mentee_proposal_url(pairing),
        for_staff=False,
    )
    return sent


def fresh_meeting_link(meeting: MentoringMeeting, purpose: str) -> bool:
    """A new link to the mentor's address on file (at most one per day and meeting version)."""
    mentor = meeting.pairing.mentor
    link = (
        links.meeting_log_url(meeting) if purpose == links.LOG_PURPOSE else links.mentor_meeting_url(meeting)
    )
    version = f"{meeting.ical_sequence}:{purpose}:{clock.today_local().isoformat()}"
    return _to_person("mentor_fresh_link", meeting, mentor, version, "mentor_fresh_link", link=link)


def fresh_portal_link(person: Person) -> bool:
    if not person.can_receive_email:
        return False
    rendered = render_email(
        "mentor_portal_link",
        person.preferred_language or "de",
        recipient=person,
        link=links.mentor_portal_url(person),
    )
    key = outbox.idempotency_key(
        "mentor_portal_link", f"person:{person.id}", person.email, clock.today_local().isoformat()
    )
    return (
        outbox.enqueue(
            kind="mentor_portal_link",
            key=key,
            to_email=person.email,
            email=rendered,
            person_id=person.id,
            organisation_id=person.organisation_id,
        )
        is not None
    )


def meeting_followups(meeting: MentoringMeeting, materials) -> int:
    """After the meeting: the mentor is asked for the log, the mentee gets materials."""
    pairing = meeting.pairing
    sent = 0
    if pairing.mentor.unsubscribed_at is None:
        sent += _to_person(
            "meeting_followup_mentor",
            meeting,
            pairing.mentor,
            meeting.ical_sequence,
            "meeting_followup_mentor",
            headers=AUTO_HEADERS,
            link=links.meeting_log_url(meeting),
            portal_link=links.mentor_portal_url(pairing.mentor),
        )
    if pairing.mentee.unsubscribed_at is None:
        sent += _to_person(
            "meeting_followup_mentee",
            meeting,
            pairing.mentee,
            meeting.ical_sequence,
            "meeting_followup_mentee",
            headers=AUTO_HEADERS,
            materials=materials,
            link=links.mentee_proposal_url(pairing),
        )
    return sent

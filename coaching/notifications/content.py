"""Reminder, follow-up and mentor-reminder emails, in the recipient's language.

German is the source text. When a programme sends bilingual emails, the German version follows the
recipient's language in the same message (text and HTML), rendered through the same templates.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime

from flask_babel import gettext as _

from coaching.attendance.models import Answer, Attendance, Outcome
from coaching.calendar import invitations, rsvp
from coaching.mail.compose import RenderedEmail, render_email
from coaching.materials.models import Material
from coaching.mentoring.models import MentoringMeeting
from coaching.notifications import links
from coaching.people.models import Person
from coaching.programmes.models import Programme
from coaching.scheduling.models import CoachingSession

# The German copy of a bilingual email is rendered without the surrounding layout, then embedded.
FRAGMENT_LAYOUT = "notifications/_email_fragment.html"
SOURCE_LANGUAGE = "de"


class FollowupVariant(enum.StrEnum):
    ATTENDED = "attended"
    MISSED = "missed"  # no-show or excused
    DECLINED = "declined"


def followup_variant(attendance: Attendance) -> FollowupVariant:
    """What happened decides the wording; a recorded attendance beats an earlier decline."""
    if attendance.outcome == Outcome.ATTENDED:
        return FollowupVariant.ATTENDED
    if attendance.answer == Answer.DECLINED:
        return FollowupVariant.DECLINED
    return FollowupVariant.MISSED


@dataclass(frozen=True)
class MaterialLink:
    title: str
    url: str
    languages: tuple[str, ...]


@dataclass(frozen=True)
class Notification:
    email: RenderedEmail
    headers: dict[str, str]


def material_links(materials: list[Material]) -> list[MaterialLink]:
    return [
        MaterialLink(m.title, links.material_url(m.slug), tuple(sorted(f.language for f in m.files)))
        for m in materials
    ]


def _render(name: str, person: Person, programme: Programme | None, **context) -> RenderedEmail:
    language = person.preferred_language or SOURCE_LANGUAGE
    context = {**context, "person": person}
    if programme is None or not programme.bilingual_emails or language == SOURCE_LANGUAGE:
        return render_email(name, language, **context)
    german = render_email(name, SOURCE_LANGUAGE, layout=FRAGMENT_LAYOUT, is_second=True, **context)
    email = render_email(name, language, second=german, **context)
    return replace(email, subject=f"{email.subject} / {german.subject}")


def _personal(name: str, person: Person, programme: Programme | None, **context) -> Notification:
    """An automatic email with the unsubscribe link in the body and in the List-Unsubscribe headers."""
    unsubscribe = links.unsubscribe_url(person)
    email = _render(name, person, programme, unsubscribe_link=unsubscribe, **context)
    return Notification(email, links.unsubscribe_headers(unsubscribe))


def session_reminder(session: CoachingSession, person: Person, programme: Programme | None,
                     attendance: Attendance | None = None) -> Notification:
    return _personal("session_reminder", person, programme, **_answer_links(session, person, attendance),
                     session=session, cohort=session.cohort)


def _answer_links(session: CoachingSession, person: Person, attendance: Attendance | None) -> dict:
    """The invitation's answer and calendar links (`emails/session_actions.*`), for invited people only:
    the link token is bound to the version of the session their invitation showed."""
    if attendance is None or attendance.invited_sequence is None:
        return {}
    token = rsvp.make_token(attendance, attendance.invited_sequence)
    context = invitations.email_context(session, person, token, person.preferred_language or SOURCE_LANGUAGE)
    return {key: value for key, value in context.items() if key not in {"person", "session", "cohort"}}


def session_followup(
    variant: FollowupVariant,
    session: CoachingSession,
    person: Person,
    programme: Programme | None,
    materials: list[MaterialLink],
    next_session: CoachingSession | None,
) -> Notification:
    return _personal(
        f"session_followup_{variant}", person, programme,
        session=session, cohort=session.cohort, materials=materials, next_session=next_session,
        # The subject is read by the organisers who receive the feedback: staff language.
        feedback_link=links.feedback_url(_("Rückmeldung: %(topic)s", topic=session.topic)),
    )


def mentor_reminder(
    meeting: MentoringMeeting, requested_at: datetime, mentor: Person, mentee: Person,
    programme: Programme | None, link: str,
) -> Notification:
    return _personal("mentor_reminder", mentor, programme, meeting=meeting, requested_at=requested_at,
                     mentee=mentee, link=link)

"""Calendar actions people take: renew a feed link, ask for a fresh answer or feed link by email."""
from __future__ import annotations

from flask import abort

from coaching.attendance.models import Attendance
from coaching.audit.services import record
from coaching.calendar import invitations, links
from coaching.calendar.invitations import FEED_RENEW_PURPOSE
from coaching.cohorts.models import Cohort
from coaching.core import clock, tokens
from coaching.core.urls import external_url
from coaching.extensions import db
from coaching.mail import outbox
from coaching.mail.compose import render_email
from coaching.people.models import Person

FEED_RENEW_MAX_AGE = 365 * 24 * 3600


def person_feed_links(secret: str) -> links.FeedLinks:
    return links.feed_links(external_url("calendar.person_feed", token=secret))


def cohort_feed_links(secret: str) -> links.FeedLinks:
    return links.feed_links(external_url("calendar.cohort_feed", token=secret))


def renew_person_feed(person: Person, actor=None) -> links.FeedLinks:
    """A new secret feed link; the old one stops working at once. Commits."""
    secret, person.feed_token_hash = tokens.new_secret()
    record(actor, "person.feed_renewed", "person", person.id)
    db.session.commit()
    return person_feed_links(secret)


def renew_cohort_feed(cohort: Cohort, actor) -> links.FeedLinks:
    secret, cohort.feed_token_hash = tokens.new_secret()
    record(actor, "cohort.feed_renewed", "cohort", cohort.id)
    db.session.commit()
    return cohort_feed_links(secret)


def person_for_renew_token(token: str) -> tuple[Person, bool]:
    """The person a renewal link is for, and whether the link has expired; tampered → 404."""
    payload, expired = tokens.read_link(FEED_RENEW_PURPOSE, token, FEED_RENEW_MAX_AGE)
    person = db.session.get(Person, payload.get("p"))
    if person is None or person.erased_at is not None:
        abort(404)
    return person, expired


def send_fresh_feed_link(person: Person) -> bool:
    """Email a new renewal link (once per day at most). Commits."""
    if not person.can_receive_email:
        return False
    rendered = render_email("session_feed_link", person.preferred_language or "de", person=person,
                            renew_url=invitations.renew_feed_link(person))
    queued = outbox.enqueue(
        kind="session_feed_link", key=outbox.idempotency_key("session_feed_link", f"person:{person.id}",
                                                             person.email, clock.today_local().isoformat()),
        to_email=person.email, email=rendered, person_id=person.id, organisation_id=person.organisation_id,
        headers={"Auto-Submitted": "auto-generated"},
    )
    db.session.commit()
    return queued is not None


def send_fresh_rsvp_link(attendance: Attendance) -> bool:
    """Send the current invitation again (new links) when an old link expired (once per day). Commits."""
    session = attendance.session
    if attendance.invited_sequence is None or session.is_cancelled or session.starts_at <= clock.now():
        return False
    count = invitations.queue_message(session, attendance, invitations.KIND_INVITATION,
                                      attendance.invited_sequence,
                                      version=f"{attendance.invited_sequence}-{clock.today_local().isoformat()}")
    db.session.commit()
    return count > 0

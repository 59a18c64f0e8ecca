"""Subscription feeds: a person's sessions and mentoring meetings, a cohort's series, a region's public ones.

Each feed is two cheap steps. `fingerprint` asks the database for counts and latest changes (one aggregate
query per kind of entry) to answer conditional requests with 304 without building anything; `build` loads
the entries in a constant number of queries and renders them with `ical.feed`.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import joinedload

from coaching.calendar import events, ical
from coaching.cohorts.models import Cohort, CohortStatus, Enrolment, EnrolmentStatus
from coaching.core import clock, tokens
from coaching.extensions import db
from coaching.mentoring.models import MeetingStatus, MentoringMeeting, Pairing
from coaching.organisations.models import Region
from coaching.people.models import Person
from coaching.scheduling.models import CoachingSession

DAYS_BACK = 90
DAYS_AHEAD = 400
# Bump when the feed's content format changes, so clients fetch the new form.
FORMAT_VERSION = "1"
SHOWN_MEETINGS = (MeetingStatus.CONFIRMED, MeetingStatus.HELD)


@dataclass(frozen=True)
class FeedSpec:
    """Which sessions (and meetings) a feed shows, in the language its owner reads."""

    name: str
    session_filter: object
    meeting_filter: object | None = None
    language: str = "de"
    key: str = ""


@dataclass(frozen=True)
class Fingerprint:
    etag: str
    last_modified: datetime


def window() -> tuple[datetime, datetime]:
    now = clock.now()
    day = datetime(now.year, now.month, now.day, tzinfo=clock.UTC)  # stable for the whole day: good ETags
    return day - timedelta(days=DAYS_BACK), day + timedelta(days=DAYS_AHEAD)


# ------------------------------------------------------------------------------------------ who sees what


def person_by_token(token: str) -> Person | None:
    person = db.session.scalar(select(Person).where(Person.feed_token_hash == tokens.hash_secret(token)))
    if person is None or person.erased_at is not None:
        return None
    if not tokens.secret_matches(token, person.feed_token_hash):
        return None
    return person


def cohort_by_token(token: str) -> Cohort | None:
    cohort = db.session.scalar(select(Cohort).where(Cohort.feed_token_hash == tokens.hash_secret(token)))
    if cohort is None or not tokens.secret_matches(token, cohort.feed_token_hash):
        return None
    return cohort


def person_spec(person: Person) -> FeedSpec:
    enrolled = exists().where(
        Enrolment.cohort_id == CoachingSession.cohort_id, Enrolment.person_id == person.id,
        Enrolment.status == EnrolmentStatus.ACTIVE,
    )
    sessions = and_(Cohort.status == CohortStatus.PUBLISHED,
                    or_(enrolled, CoachingSession.coach_id == person.id))
    meetings = and_(or_(Pairing.mentor_id == person.id, Pairing.mentee_id == person.id),
                    MentoringMeeting.status.in_(SHOWN_MEETINGS))
    with force_locale(person.preferred_language or "de"):
        name = _("Meine Termine – Elternarbeit@Ost")
    return FeedSpec(name=name, session_filter=sessions, meeting_filter=meetings,
                    language=person.preferred_language or "de",
                    key=f"person:{person.id}:{person.feed_token_hash}")


def cohort_spec(cohort: Cohort) -> FeedSpec:
    return FeedSpec(name=cohort.name, session_filter=CoachingSession.cohort_id == cohort.id,
                    key=f"cohort:{cohort.id}:{cohort.feed_token_hash}")


def region_spec(region: Region) -> FeedSpec:
    sessions = and_(Cohort.region_id == region.id, Cohort.status == CohortStatus.PUBLISHED,
                    CoachingSession.is_public.is_(True))
    return FeedSpec(name=_("Öffentliche Termine %(region)s", region=region.name), session_filter=sessions,
                    key=f"region:{region.id}")


# --------------------------------------------------------------------------------------------- queries


def _sessions_query(spec: FeedSpec, columns):
    start, end = window()
    return (select(*columns).select_from(CoachingSession).join(Cohort, Cohort.id == CoachingSession.cohort_id)
            .where(spec.session_filter, CoachingSession.starts_at >= start, CoachingSession.starts_at < end))


def _meetings_query(spec: FeedSpec, columns):
    start, end = window()
    return (select(*columns).select_from(MentoringMeeting)
            .join(Pairing, Pairing.id == MentoringMeeting.pairing_id)
            .where(spec.meeting_filter, MentoringMeeting.starts_at.is_not(None),
                   MentoringMeeting.ends_at.is_not(None),
                   MentoringMeeting.starts_at >= start, MentoringMeeting.starts_at < end))


def fingerprint(spec: FeedSpec) -> Fingerprint:
    """What changes whenever the feed's content would: counts, id sums and latest updates per kind."""
    parts = [FORMAT_VERSION, spec.key, spec.language, window()[0].date().isoformat()]
    stamps: list[datetime] = []
    row = db.session.execute(_sessions_query(spec, (
        func.count(CoachingSession.id), func.sum(CoachingSession.id), func.sum(CoachingSession.ical_sequence),
        func.max(CoachingSession.updated_at), func.max(Cohort.updated_at)))).one()
    parts.append(repr(tuple(row[:3])))
    stamps.extend(clock.as_utc(v) for v in row[3:] if v is not None)
    if spec.meeting_filter is not None:
        row = db.session.execute(_meetings_query(spec, (
            func.count(MentoringMeeting.id), func.sum(MentoringMeeting.id),
            func.sum(MentoringMeeting.ical_sequence), func.max(MentoringMeeting.updated_at)))).one()
        parts.append(repr(tuple(row[:3])))
        stamps.extend(clock.as_utc(v) for v in row[3:] if v is not None)
    last = max(stamps) if stamps else datetime(2020, 1, 1, tzinfo=clock.UTC)
    parts.append(last.isoformat())
    return Fingerprint(etag=hashlib.sha256("|".join(parts).encode()).hexdigest()[:32],
                       last_modified=last.replace(microsecond=0))


def build(spec: FeedSpec) -> str:
    sessions = db.session.scalars(
        _sessions_query(spec, (CoachingSession,))
        .options(joinedload(CoachingSession.cohort)).order_by(CoachingSession.starts_at)
    ).all()
    meetings = []
    if spec.meeting_filter is not None:
        meetings = db.session.scalars(
            _meetings_query(spec, (MentoringMeeting,))
            .options(joinedload(MentoringMeeting.pairing).joinedload(Pairing.mentor),
                     joinedload(MentoringMeeting.pairing).joinedload(Pairing.mentee))
            .order_by(MentoringMeeting.starts_at)
        ).all()
    with force_locale(spec.language):
        entries = [events.session_event(s) for s in sessions] + [events.meeting_event(m) for m in meetings]
        return ical.feed(entries, spec.name)

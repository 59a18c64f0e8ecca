"""Idempotent loading of the demo content declared in `coaching.demo.data`.

Rows are found by natural keys (organisation name, region name, user email, person (organisation, email or
name), programme name, cohort (programme, name), session (cohort, topic), pairing (programme, mentor,
mentee), meeting (pairing, message), material slug) and created only when missing. Reference data
(organisations, regions, councils, programmes) is brought up to date; everything else is left as it is, so
what someone changed while trying the demo survives a re-run, and a second run adds nothing. Sessions are
keyed by topic rather than date so that a run on a later day does not add a second "live" series.
Commits once, at the end.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

import holidays
from sqlalchemy import func, select

from coaching.accounts.models import Role, User
from coaching.accounts.services import create_user, find_user_by_email
from coaching.attendance.models import Answer, AnswerSource, Attendance, Outcome
from coaching.cohorts.models import Cohort, CohortStatus, Enrolment, EnrolmentRole
from coaching.core import clock, tokens
from coaching.demo import data
from coaching.extensions import db
from coaching.materials.models import Material, MaterialStatus
from coaching.mentoring.models import MeetingOption, MeetingStatus, MentoringMeeting, MentorProfile, Pairing
from coaching.organisations.models import Council, FederalState, Organisation, Region
from coaching.people.models import Person
from coaching.programmes.models import DEFAULT_RULES, NotificationRule, Programme
from coaching.scheduling.models import ChangeKind, CoachingSession, SessionChange, SessionStatus

M = TypeVar("M")

# In order: each step needs what the ones before it loaded.
STEPS = ("organisations", "programmes", "people_and_accounts", "cohorts", "mentoring", "materials")

# Invitations of sessions starting within this time are shown as already sent; later ones are left to send.
INVITE_AHEAD = timedelta(days=14)
# Fixed patterns instead of randomness: the same day always gives the same demo.
_OUTCOMES = (Outcome.NO_SHOW, Outcome.EXCUSED, Outcome.EXCUSED) + (Outcome.ATTENDED,) * 7
_ANSWERS = (Answer.ACCEPTED, Answer.ACCEPTED, Answer.TENTATIVE, Answer.NEEDS_ACTION, Answer.DECLINED)


@dataclass(frozen=True)
class PlannedSession:
    topic: str
    day: date
    at: time
    minutes: int
    is_public: bool = False
    is_headcount: bool = False
    headcount: int | None = None
    description: str | None = None
    online: bool = False
    cancelled: bool = False


def live_anchor(programme: Programme, today: date) -> date:
    """The demo's "today": the real one, kept inside the live programme so its series stay within it."""
    earliest = programme.starts_on + timedelta(weeks=6)
    latest = programme.ends_on - timedelta(weeks=10)
    return min(max(today, earliest), latest)


def _public_holidays(state: FederalState) -> holidays.HolidayBase:
    return holidays.country_holidays("DE", subdiv=state.value)


def series_days(series: data.Series, count: int, anchor: date, state: FederalState) -> list[date]:
    day = series.first_day
    if day is None:
        day = anchor - timedelta(weeks=series.weeks_before_today)
        day -= timedelta(days=(day.weekday() - series.weekday) % 7)
    public_holidays = _public_holidays(state)
    days: list[date] = []
    while len(days) < count:
        if day not in public_holidays:
            days.append(day)
        day += timedelta(weeks=series.every_weeks)
    return days


def plan_sessions(spec: data.CohortSpec, anchor: date, state: FederalState) -> list[PlannedSession]:
    planned: list[PlannedSession] = []
    if spec.series is not None:
        days = series_days(spec.series, len(spec.curriculum), anchor, state)
        planned += [
            PlannedSession(topic, day, spec.series.at, spec.series.minutes,
                           online=topic in spec.online_topics, cancelled=topic == spec.cancelled_topic)
            for topic, day in zip(spec.curriculum, days, strict=True)
        ]
    for extra in spec.extras:
        day = extra.day or (anchor + timedelta(weeks=extra.weeks_from_today,
                                               days=extra.weekday - anchor.weekday()))
        while day in _public_holidays(state):
            day -= timedelta(days=1)
        planned.append(PlannedSession(extra.topic, day, extra.at, extra.minutes, extra.is_public,
                                      extra.is_headcount, extra.headcount, extra.description))
    return sorted(planned, key=lambda p: (p.day, p.at))


class _Loader:
    def __init__(self) -> None:
        self.now = clock.now()
        self.created = 0
        self.orgs: dict[str, Organisation] = {}
        self.regions: dict[str, Region] = {}
        self.councils: dict[str, Council] = {}
        self.people: dict[str, Person] = {}
        self.organisers: dict[int, User] = {}  # by organisation id
        self.programmes: dict[str, Programme] = {}
        self.pairings: dict[str, Pairing] = {}
        self.counts: dict[str, int] = {}
        self.anchor = clock.today_local()

    # -- helpers -------------------------------------------------------------------------------------------
    def _add(self, obj: M, flush: bool = True) -> M:
        db.session.add(obj)
        if flush:  # only rows whose id is needed next; the rest go in one batch
            db.session.flush()
        self.created += 1
        return obj

    def _find(self, model: type[M], *where: Any) -> M | None:
        return db.session.scalars(select(model).where(*where).limit(1)).first()

    def _get_or_add(self, model: type[M], where: tuple, **fields: Any) -> tuple[M, bool]:
        found = self._find(model, *where)
        return (found, False) if found is not None else (self._add(model(**fields)), True)

    def _upsert(self, model: type[M], where: tuple, **fields: Any) -> M:
        obj, created = self._get_or_add(model, where, **fields)
        if not created:
            for name, value in fields.items():
                setattr(obj, name, value)
        return obj

    def _day(self, value: date | int | None) -> date | None:
        if value is None or isinstance(value, date):
            return value
        return self.anchor + timedelta(days=value)

    def _not_after_now(self, value: datetime) -> datetime:
        return min(value, self.now)

    def _id_of(self, mapping: dict[str, Any], key: str | None) -> int | None:
        return mapping[key].id if key else None

    # -- steps ---------------------------------------------------------------------------------------------
    def load_organisations(self) -> None:
        for spec in data.ORGANISATIONS:
            self.orgs[spec.key] = self._upsert(
                Organisation, (Organisation.name == spec.name,),
                name=spec.name, short_name=spec.short_name, funder_line=spec.funder_line)
        for name, state in data.REGIONS:
            self.regions[name] = self._upsert(Region, (Region.name == name,), name=name, federal_state=state)
        for region_name, name, email in data.COUNCILS:
            region = self.regions[region_name]
            self.councils[name] = self._upsert(
                Council, (Council.region_id == region.id, Council.name == name),
                name=name, region_id=region.id, email=email)
        self.counts.update(organisations=len(self.orgs), regions=len(self.regions),
                           councils=len(self.councils))

    def load_programmes(self) -> None:
        for spec in data.PROGRAMMES:
            programme = self._upsert(
                Programme, (Programme.name == spec.name,), name=spec.name, starts_on=spec.starts_on,
                ends_on=spec.ends_on, funder_line=spec.funder_line, bilingual_emails=spec.bilingual_emails)
            self.programmes[spec.key] = programme
            for kind, offset in DEFAULT_RULES:
                self._get_or_add(
                    NotificationRule,
                    (NotificationRule.programme_id == programme.id, NotificationRule.kind == kind,
                     NotificationRule.offset_minutes == offset),
                    programme_id=programme.id, kind=kind, offset_minutes=offset)
        self.anchor = live_anchor(self.programmes[data.LIVE_PROGRAMME], clock.today_local())
        self.counts["programmes"] = len(self.programmes)

    def load_people_and_accounts(self) -> None:
        for spec in data.PEOPLE:
            org = self.orgs[spec.org]
            if spec.email:
                where = (Person.organisation_id == org.id, func.lower(Person.email) == spec.email.lower())
            else:
                where = (Person.organisation_id == org.id, Person.email.is_(None),
                         Person.first_name == spec.first_name, Person.last_name == spec.last_name)
            self.people[spec.key], _ = self._get_or_add(
                Person, where, organisation_id=org.id, kind=spec.kind, first_name=spec.first_name,
                last_name=spec.last_name, email=spec.email, phone=spec.phone,
                preferred_language=spec.language,
                region_id=self._id_of(self.regions, spec.region),
                council_id=self._id_of(self.councils, spec.council))
        for key, (languages, topics, capacity, region) in data.MENTOR_PROFILES.items():
            person = self.people[key]
            self._get_or_add(MentorProfile, (MentorProfile.person_id == person.id,), person_id=person.id,
                             languages=list(languages), topics=list(topics), capacity=capacity,
                             region_id=self.regions[region].id)
        for spec in data.USERS:
            user = find_user_by_email(spec.email)
            if user is None:
                user = create_user(
                    email=spec.email, password=data.DEMO_PASSWORD, role=spec.role,
                    display_name=spec.display_name, organisation_id=self._id_of(self.orgs, spec.org),
                    person_id=self._id_of(self.people, spec.person))
                db.session.flush()
                self.created += 1
            if spec.role == Role.ORGANISER and user.organisation_id is not None:
                self.organisers[user.organisation_id] = user
        self.counts.update(people=len(self.people), users=len(data.USERS))

    def load_cohorts(self) -> None:
        sessions = 0
        for spec in data.COHORTS:
            programme, region = self.programmes[spec.programme], self.regions[spec.region]
            published_at = None
            if spec.status != CohortStatus.DRAFT:
                published_at = self._not_after_now(clock.local_to_utc(programme.starts_on, time(9, 0)))
            cohort, _ = self._get_or_add(
                Cohort, (Cohort.programme_id == programme.id, Cohort.name == spec.name),
                organisation_id=self.orgs[spec.org].id, programme_id=programme.id, region_id=region.id,
                name=spec.name, target_group=spec.target_group, languages=list(spec.languages),
                capacity=spec.capacity, curriculum=list(spec.curriculum), description=spec.description,
                status=spec.status, published_at=published_at)
            roles = [(k, EnrolmentRole.COACH) for k in spec.coaches]
            roles += [(k, EnrolmentRole.PARTICIPANT) for k in spec.participants]
            for key, role in roles:
                person = self.people[key]
                self._get_or_add(
                    Enrolment, (Enrolment.cohort_id == cohort.id, Enrolment.person_id == person.id),
                    cohort_id=cohort.id, person_id=person.id, role=role)
            participants = [self.people[k] for k in spec.participants]
            coach = self.people[spec.coaches[0]] if spec.coaches else None
            for index, planned in enumerate(plan_sessions(spec, self.anchor, region.federal_state)):
                self._session(cohort, spec, planned, index, coach, participants)
                sessions += 1
        self.counts.update(cohorts=len(data.COHORTS), sessions=sessions)

    def _session(self, cohort: Cohort, spec: data.CohortSpec, planned: PlannedSession, index: int,
                 coach: Person | None, participants: list[Person]) -> None:
        if self._find(CoachingSession, CoachingSession.cohort_id == cohort.id,
                      CoachingSession.topic == planned.topic) is not None:
            return
        starts = clock.local_to_utc(planned.day, planned.at)
        ends = starts + timedelta(minutes=planned.minutes)
        past = ends <= self.now
        invited = starts <= self.now + INVITE_AHEAD
        sequence = 1 if planned.cancelled else 0
        venue = (None, None, None) if planned.online else data.VENUES.get(spec.region, (None, None, None))
        session = self._add(CoachingSession(
            cohort_id=cohort.id, topic=planned.topic, starts_at=starts, ends_at=ends,
            venue_name=venue[0], venue_address=venue[1], room=venue[2],
            online_url=data.ONLINE_URL if planned.online else None, coach_id=coach.id if coach else None,
            is_public=planned.is_public, is_headcount=planned.is_headcount,
            headcount=planned.headcount if past else None, description=planned.description,
            ical_uid=tokens.new_uid("session"), ical_sequence=sequence,
            sent_sequence=sequence if invited else None,
            status=SessionStatus.CANCELLED if planned.cancelled else SessionStatus.PLANNED,
        ))
        recorder = self.organisers.get(cohort.organisation_id)
        if planned.cancelled:
            session.cancelled_at = self._not_after_now(starts - timedelta(days=5))
            self._add(SessionChange(session_id=session.id, kind=ChangeKind.CANCELLED, sequence=1,
                                    changed_by_id=recorder.id if recorder else None,
                                    details={"reason": data.CANCEL_REASON}))
        if past and not planned.cancelled and (planned.is_headcount or participants):
            session.attendance_recorded_at = self._not_after_now(ends + timedelta(hours=1))
        if planned.is_headcount or not invited:
            return  # open evenings are counted by head; later sessions are not sent yet
        for position, person in enumerate(participants):
            self._add(self._attendance(session, person, position, index, past and not planned.cancelled,
                                       planned.cancelled, recorder), flush=False)

    def _attendance(self, session: CoachingSession, person: Person, i: int, j: int, held: bool,
                    cancelled: bool, recorder: User | None) -> Attendance:
        reachable = bool(person.email)
        outcome = _OUTCOMES[(i * 7 + j * 3) % len(_OUTCOMES)] if held else None
        if outcome is not None:
            answer = Answer.DECLINED if outcome == Outcome.EXCUSED else Answer.ACCEPTED
        else:
            answer = _ANSWERS[(i + j) % len(_ANSWERS)]
        answered = answer != Answer.NEEDS_ACTION
        recorded_at = self._not_after_now(session.ends_at + timedelta(hours=1))
        return Attendance(
            session_id=session.id, person_id=person.id, answer=answer,
            answer_source=(AnswerSource.LINK if reachable else AnswerSource.MANUAL) if answered else None,
            answered_at=self._not_after_now(session.starts_at - timedelta(days=2)) if answered else None,
            outcome=outcome,
            outcome_recorded_at=recorded_at if outcome else None,
            recorded_by_id=recorder.id if outcome and recorder else None,
            invited_sequence=0 if reachable else None,
            cancel_sent_sequence=1 if cancelled and reachable else None,
            # Already followed up, so starting the worker does not mail every past session at once.
            followup_sent_at=self._not_after_now(session.ends_at + timedelta(hours=2)) if outcome else None,
        )

    def load_mentoring(self) -> None:
        for spec in data.PAIRINGS:
            programme, org = self.programmes[spec.programme], self.orgs[spec.org]
            mentor, mentee = self.people[spec.mentor], self.people[spec.mentee]
            organiser = self.organisers.get(org.id)
            self.pairings[spec.key], _ = self._get_or_add(
                Pairing,
                (Pairing.programme_id == programme.id, Pairing.mentor_id == mentor.id,
                 Pairing.mentee_id == mentee.id),
                organisation_id=org.id, programme_id=programme.id, mentor_id=mentor.id, mentee_id=mentee.id,
                kind=spec.kind, status=spec.status, started_on=self._day(spec.started_on),
                planned_end_on=self._day(spec.planned_end_on), ended_on=self._day(spec.ended_on),
                created_by_id=organiser.id if organiser else None)
        for spec in data.MEETINGS:
            pairing = self.pairings[spec.pairing]
            if self._find(MentoringMeeting, MentoringMeeting.pairing_id == pairing.id,
                          MentoringMeeting.message == spec.message) is None:
                self._meeting(pairing, spec)
        self.counts.update(pairings=len(data.PAIRINGS), meetings=len(data.MEETINGS))

    def _meeting(self, pairing: Pairing, spec: data.MeetingSpec) -> None:
        day = self._day(spec.day)
        starts = clock.local_to_utc(day, spec.at) if day else None
        ends = starts + timedelta(minutes=spec.minutes) if starts else None
        organiser = self.organisers.get(pairing.organisation_id)
        meeting = self._add(MentoringMeeting(
            pairing_id=pairing.id, status=spec.status, starts_at=starts, ends_at=ends, venue=spec.venue,
            online_url=spec.online_url, message=spec.message,
            proposed_by_id=organiser.id if organiser else None,
            ical_uid=tokens.new_uid("meeting"), ical_sequence=0,
            responded_at=self._not_after_now(starts - timedelta(days=3)) if starts else None,
        ))
        if spec.status == MeetingStatus.PROPOSED:
            meeting.proposed_at = self._not_after_now(clock.local_to_utc(self.anchor - timedelta(days=2), time(9, 0)))
            meeting.expires_at = clock.local_to_utc(self.anchor + timedelta(days=5), time(12, 0))
        for offset, at in spec.options:
            option_start = clock.local_to_utc(self.anchor + timedelta(days=offset), at)
            self._add(MeetingOption(meeting_id=meeting.id, starts_at=option_start,
                                    ends_at=option_start + timedelta(minutes=spec.minutes)))
        if spec.log is not None and ends is not None:
            meeting.took_place = spec.log.took_place
            meeting.duration_minutes = spec.log.duration_minutes
            meeting.topics = list(spec.log.topics)
            meeting.parents_counselled = spec.log.parents_counselled
            meeting.logged_at = self._not_after_now(ends + timedelta(hours=20))
            meeting.followup_sent_at = self._not_after_now(ends + timedelta(hours=1))

    def load_materials(self) -> None:
        for spec in data.MATERIALS:
            self._get_or_add(Material, (Material.slug == spec.slug,), organisation_id=self.orgs[spec.org].id,
                             slug=spec.slug, title=spec.title, description=spec.description, topic=spec.topic,
                             audience=spec.audience, status=MaterialStatus.PUBLISHED)
        self.counts["materials"] = len(data.MATERIALS)


def load_demo_data(on_step: Callable[[str], None] | None = None) -> dict[str, int]:
    """Load (or complete) the demo data and commit once. Returns how many of each the demo holds,
    plus `created`: the rows added by this run (0 on a re-run)."""
    loader = _Loader()
    try:
        for name in STEPS:
            getattr(loader, f"load_{name}")()
            if on_step is not None:
                on_step(name)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return {**loader.counts, "created": loader.created}


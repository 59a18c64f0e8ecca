"""Rules for planning a series and changing single sessions. Every function commits at most once.

Every change to a saved session raises its iCalendar SEQUENCE by one, is written as a SessionChange and is
handed to `invitations.sync_session` inside the same transaction, so the right people get exactly one update.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from coaching.audit.services import record
from coaching.calendar import invitations
from coaching.cohorts.models import Cohort, Enrolment, EnrolmentRole, EnrolmentStatus
from coaching.core import clock, tokens
from coaching.core.errors import DomainError
from coaching.extensions import db
from coaching.people.models import Person, PersonKind
from coaching.scheduling import series
from coaching.scheduling.clashes import Slot, find_clashes
from coaching.scheduling.holidays import holidays_between
from coaching.scheduling.models import ChangeKind, CoachingSession, SessionChange, SessionStatus
from coaching.scheduling.series import PlannedSession


@dataclass(frozen=True)
class Place:
    venue_name: str | None = None
    venue_address: str | None = None
    room: str | None = None
    online_url: str | None = None

    @classmethod
    def of(cls, session: CoachingSession) -> Place:
        return cls(session.venue_name, session.venue_address, session.room, session.online_url)

    def cleaned(self) -> Place:
        def tidy(value: str | None) -> str | None:
            return (value or "").strip() or None

        return Place(tidy(self.venue_name), tidy(self.venue_address), tidy(self.room), tidy(self.online_url))

    def as_dict(self) -> dict:
        return {"venue_name": self.venue_name, "venue_address": self.venue_address, "room": self.room,
                "online_url": self.online_url}


@dataclass(frozen=True)
class SeriesSettings:
    """What every session of a series shares."""

    minutes: int
    place: Place
    coach_id: int | None = None


# ---------------------------------------------------------------------------------------------- checks


def _check_place(place: Place) -> Place:
    place = place.cleaned()
    if not place.venue_name and not place.online_url:
        raise DomainError(_l("Bitte geben Sie einen Ort oder einen Online-Link an."), field="venue_name")
    if place.online_url and not place.online_url.lower().startswith(("https://", "http://")):
        raise DomainError(_l("Der Online-Link muss mit https:// beginnen."), field="online_url")
    return place


def _check_coach(cohort: Cohort, coach_id: int | None) -> None:
    if coach_id is None:
        return
    coach = db.session.get(Person, coach_id)
    if coach is None or coach.organisation_id != cohort.organisation_id or coach.erased_at is not None:
        raise DomainError(_l("Diesen Coach gibt es in Ihrer Organisation nicht."), field="coach_id")


def _check_settings(cohort: Cohort, settings: SeriesSettings) -> SeriesSettings:
    if problem := series.check_minutes(settings.minutes):
        raise DomainError(problem, field="minutes")
    _check_coach(cohort, settings.coach_id)
    return SeriesSettings(settings.minutes, _check_place(settings.place), settings.coach_id)


def _period_problem(cohort: Cohort, day: date) -> str | None:
    programme = cohort.programme
    if programme.covers(day):
        return None
    return str(_l("Der Termin liegt außerhalb des Programmzeitraums (%(first)s bis %(last)s).",
                  first=programme.starts_on.strftime("%d.%m.%Y"),
                  last=programme.ends_on.strftime("%d.%m.%Y")))


def _past_problem(row: PlannedSession) -> str | None:
    if row.starts_at is not None and row.starts_at <= clock.now():
        return str(_l("Der Termin liegt in der Vergangenheit."))
    return None


def check_rows(cohort: Cohort, rows: list[PlannedSession], settings: SeriesSettings,
               language: str = "de") -> None:
    """Give the held rows their curriculum topics, then annotate rows in place: errors (cannot be saved)
    and warnings (holidays, clashes)."""
    series.assign_topics(rows, list(cohort.curriculum or []))
    for row in rows:
        row.minutes = settings.minutes
        row.errors, row.warnings = [], []
        if not row.topic.strip():
            row.errors.append(str(_l("Bitte geben Sie ein Thema an.")))
        row.resolve()
        if row.starts_at is not None:
            row.errors.extend(p for p in (_period_problem(cohort, row.day), _past_problem(row)) if p)
    active = [(i, r) for i, r in enumerate(rows) if not r.skip and r.starts_at is not None]
    if active:
        days = [r.day for _, r in active]
        names = holidays_between(cohort.region.federal_state, min(days), max(days), language)
        for _, row in active:
            if row.day in names:
                row.warnings.append(str(_l("Feiertag: %(name)s", name=names[row.day])))
    place = settings.place
    slots = [Slot(i, r.starts_at, r.ends_at, settings.coach_id, place.venue_name, place.room,
                  label=str(_l("diese Serie, %(topic)s", topic=r.topic))) for i, r in active]
    for i, found in find_clashes(slots, cohort.organisation_id).items():
        rows[i].warnings.extend(found)


def propose_series(cohort: Cohort, pattern: series.Pattern, start_time: time, settings: SeriesSettings,
                   language: str = "de") -> list[PlannedSession]:
    settings = _check_settings(cohort, settings)
    rows = series.plan(pattern, start_time, settings.minutes, list(cohort.curriculum or []))
    check_rows(cohort, rows, settings, language)
    return rows


# ---------------------------------------------------------------------------------------------- saving


def _new_change(session: CoachingSession, kind: ChangeKind, actor, **details) -> SessionChange:
    change = SessionChange(session=session, kind=kind, sequence=session.ical_sequence,
                           changed_by_id=getattr(actor, "id", None), details=details)
    db.session.add(change)
    return change


def save_series(cohort: Cohort, rows: list[PlannedSession], settings: SeriesSettings, actor,
                language: str = "de") -> list[CoachingSession]:
    """Re-check every row as submitted (the preview is never trusted), then create the sessions."""
    settings = _check_settings(cohort, settings)
    if len(rows) > series.MAX_SESSIONS:
        raise series.too_many()
    check_rows(cohort, rows, settings, language)
    if any(r.errors for r in rows if not r.skip):
        raise DomainError(_l("Bitte korrigieren Sie die markierten Termine oder lassen Sie sie aus."))
    keep = [r for r in rows if not r.skip]
    if not keep:
        raise DomainError(_l("Alle Termine sind ausgelassen: Es gibt nichts zu speichern."))
    created = []
    for row in keep:
        session = CoachingSession(
            cohort=cohort, topic=row.topic.strip()[:200], starts_at=row.starts_at, ends_at=row.ends_at,
            coach_id=settings.coach_id, status=SessionStatus.PLANNED, ical_uid=tokens.new_uid("session"),
            ical_sequence=0, **settings.place.as_dict(),
        )
        db.session.add(session)
        _new_change(session, ChangeKind.CREATED, actor, after=_snapshot(session))
        created.append(session)
    db.session.flush()
    # One cohort-wide sync: a long series for a large published cohort is handed to the worker.
    invitations.sync_cohort(cohort, actor)
    record(actor, "series.created", "cohort", cohort.id, sessions=len(created))
    db.session.commit()
    return created


# ---------------------------------------------------------------------------------------------- changes


def _snapshot(session: CoachingSession) -> dict:
    return {
        "starts_at": clock.as_utc(session.starts_at).isoformat(),
        "ends_at": clock.as_utc(session.ends_at).isoformat(),
        "topic": session.topic,
        "coach_id": session.coach_id,
        "status": str(session.status),
        **Place.of(session).as_dict(),
    }


def _editable(session: CoachingSession, future_only: bool = True) -> None:
    if session.is_cancelled:
        raise DomainError(_l("Dieser Termin ist abgesagt und kann nicht mehr geändert werden."))
    if future_only and clock.as_utc(session.starts_at) <= clock.now():
        raise DomainError(_l("Dieser Termin hat schon begonnen oder liegt in der Vergangenheit. "
                             "Er kann nicht mehr verschoben oder abgesagt werden."))


def _apply(session: CoachingSession, kind: ChangeKind, actor, changes: dict, sync: bool = True,
           **extra) -> None:
    """Set the new values, raise SEQUENCE, log before/after of what changed and queue the updates."""
    before = _snapshot(session)
    for name, value in changes.items():
        setattr(session, name, value)
    after = _snapshot(session)
    changed = [name for name in after if after[name] != before[name]]
    session.ical_sequence = (session.ical_sequence or 0) + 1
    _new_change(session, kind, actor, before={k: before[k] for k in changed},
                after={k: after[k] for k in changed}, **extra)
    if sync:
        invitations.sync_session(session, actor)


def _warnings_for(session: CoachingSession, language: str) -> list[str]:
    slot = Slot(session.id, session.starts_at, session.ends_at, session.coach_id, session.venue_name,
                session.room)
    clashes = find_clashes([slot], session.cohort.organisation_id, exclude_ids=[session.id])
    found = list(clashes.get(session.id, []))
    day = clock.local_date(session.starts_at)
    names = holidays_between(session.cohort.region.federal_state, day, day, language)
    found.extend(str(_l("Feiertag: %(name)s", name=name)) for name in names.values())
    return found


def reschedule_session(session: CoachingSession, day: date, at: time, minutes: int, actor,
                       language: str = "de") -> list[str]:
    """Move a future session to a new local date/time; returns warnings (clashes, holiday) to show."""
    _editable(session)
    row = PlannedSession(day=day, start_time=at, minutes=minutes, topic=session.topic)
    row.resolve()
    if row.starts_at is not None:
        row.errors.extend(p for p in (_period_problem(session.cohort, day), _past_problem(row)) if p)
    if row.errors:
        raise DomainError(row.errors[0], field="day")
    if (row.starts_at, row.ends_at) == (clock.as_utc(session.starts_at), clock.as_utc(session.ends_at)):
        raise DomainError(_l("Datum und Uhrzeit sind unverändert."), field="day")
    _apply(session, ChangeKind.RESCHEDULED, actor, {"starts_at": row.starts_at, "ends_at": row.ends_at})
    warnings = _warnings_for(session, language)
    db.session.commit()
    return warnings


def move_session(session: CoachingSession, place: Place, actor, language: str = "de") -> list[str]:
    """Change the venue or switch between on-site and online."""
    _editable(session)
    place = _check_place(place)
    if place == Place.of(session).cleaned():
        raise DomainError(_l("Der Ort ist unverändert."), field="venue_name")
    _apply(session, ChangeKind.MOVED, actor, place.as_dict())
    warnings = _warnings_for(session, language)
    db.session.commit()
    return warnings


def change_coach(session: CoachingSession, coach_id: int | None, actor, language: str = "de") -> list[str]:
    _editable(session)
    _check_coach(session.cohort, coach_id)
    if coach_id == session.coach_id:
        raise DomainError(_l("Dieser Coach ist schon eingetragen."), field="coach_id")
    _apply(session, ChangeKind.COACH_CHANGED, actor, {"coach_id": coach_id})
    warnings = _warnings_for(session, language)
    db.session.commit()
    return warnings


def edit_topic(session: CoachingSession, topic: str, actor) -> None:
    """The topic can be corrected after the session, too (the record should say what was covered)."""
    _editable(session, future_only=False)
    topic = (topic or "").strip()
    if not topic:
        raise DomainError(_l("Bitte geben Sie ein Thema an."), field="topic")
    if topic == session.topic:
        raise DomainError(_l("Das Thema ist unverändert."), field="topic")
    _apply(session, ChangeKind.DETAILS_CHANGED, actor, {"topic": topic[:200]})
    db.session.commit()


def _cancel(session: CoachingSession, actor, reason: str | None, sync: bool = True) -> None:
    now = clock.now()
    _apply(session, ChangeKind.CANCELLED, actor, {"status": SessionStatus.CANCELLED, "cancelled_at": now},
           sync=sync, reason=(reason or "").strip()[:500] or None)


def cancel_session(session: CoachingSession, actor, reason: str | None = None) -> None:
    _editable(session)
    _cancel(session, actor, reason)
    db.session.commit()


def cancel_rest_of_series(session: CoachingSession, actor, reason: str | None = None) -> int:
    """Cancel this session and every later planned session of its cohort; returns how many."""
    _editable(session)
    later = db.session.scalars(
        select(CoachingSession)
        .where(CoachingSession.cohort_id == session.cohort_id,
               CoachingSession.status == SessionStatus.PLANNED,
               CoachingSession.starts_at >= session.starts_at,
               CoachingSession.starts_at > clock.now())
        .order_by(CoachingSession.starts_at)
    ).all()
    for each in later:
        _cancel(each, actor, reason, sync=False)
    if later:
        invitations.sync_cohort(session.cohort, actor)
    record(actor, "series.cancelled", "cohort", session.cohort_id, from_session=session.id,
           sessions=len(later))
    db.session.commit()
    return len(later)



def check_series(cohort: Cohort, rows: list[PlannedSession], settings: SeriesSettings,
                 language: str = "de") -> None:
    """Re-check edited preview rows without saving."""
    settings = _check_settings(cohort, settings)
    if len(rows) > series.MAX_SESSIONS:
        raise series.too_many()
    check_rows(cohort, rows, settings, language)


def coach_options(organisation_id: int, cohort_id: int | None = None) -> list[tuple[int, str]]:
    """Coaches to choose from: the cohort's own coaches first, then every coach of the organisation."""
    in_cohort = (
        select(Enrolment.person_id)
        .where(Enrolment.cohort_id == cohort_id, Enrolment.role == EnrolmentRole.COACH,
               Enrolment.status == EnrolmentStatus.ACTIVE)
    )
    is_own = Person.id.in_(in_cohort)
    rows = db.session.execute(
        select(Person.id, Person.first_name, Person.last_name, is_own.label("own"))
        .where(Person.organisation_id == organisation_id, Person.erased_at.is_(None),
               or_(Person.kind == PersonKind.COACH, is_own))
        .order_by(is_own.desc(), Person.last_name, Person.first_name)
    ).all()
    return [(row.id, f"{row.first_name} {row.last_name}".strip()) for row in rows]


"""Cohorts and their members. Services take the acting user, hold the rules and commit once."""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from coaching.attendance.models import Answer, Attendance
from coaching.audit import services as audit
from coaching.calendar.invitations import sync_cohort
from coaching.cohorts.models import (
    Cohort,
    CohortStatus,
    Enrolment,
    EnrolmentRole,
    EnrolmentStatus,
    TargetGroup,
)
from coaching.core import clock
from coaching.core.errors import DomainError
from coaching.core.permissions import scoped
from coaching.extensions import db
from coaching.organisations.models import Organisation, Region
from coaching.people import importing
from coaching.people import services as people
from coaching.people.models import LANGUAGES, Person, PersonKind
from coaching.programmes.models import Programme
from coaching.scheduling.models import CoachingSession, SessionStatus


def _name_taken() -> DomainError:
    return DomainError(_("In diesem Programm gibt es schon eine Kohorte mit diesem Namen."), field="name")


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def list_cohorts(user, filters: dict, page: int = 1, per_page: int = 25) -> Page:
    """Visible cohorts with their member and session counts, counted by the database (three queries)."""
    members = (select(Enrolment.cohort_id, func.count(Enrolment.id).label("n"))
               .where(Enrolment.status == EnrolmentStatus.ACTIVE, Enrolment.role == EnrolmentRole.PARTICIPANT)
               .group_by(Enrolment.cohort_id).subquery())
    sessions = (select(CoachingSession.cohort_id, func.count(CoachingSession.id).label("n"))
                .where(CoachingSession.status == SessionStatus.PLANNED)
                .group_by(CoachingSession.cohort_id).subquery())
    query = scoped(select(Cohort), Cohort.organisation_id, user)
    if filters.get("programme"):
        query = query.where(Cohort.programme_id == filters["programme"])
    if filters.get("region"):
        query = query.where(Cohort.region_id == filters["region"])
    if filters.get("status") in {s.value for s in CohortStatus}:
        query = query.where(Cohort.status == CohortStatus(filters["status"]))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    page = max(1, min(page, math.ceil(total / per_page) or 1))
    rows = db.session.execute(
        query.add_columns(func.coalesce(members.c.n, 0), func.coalesce(sessions.c.n, 0))
        .outerjoin(members, members.c.cohort_id == Cohort.id)
        .outerjoin(sessions, sessions.c.cohort_id == Cohort.id)
        .options(joinedload(Cohort.programme), joinedload(Cohort.region))
        .order_by(Cohort.name, Cohort.id).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return Page(items=[tuple(row) for row in rows], page=page, per_page=per_page, total=total)


def lookup_lists() -> dict:
    return {
        "programmes": db.session.scalars(select(Programme).order_by(Programme.starts_on.desc())).all(),
        "regions": db.session.scalars(select(Region).order_by(Region.name)).all(),
    }


def form_choices(user, organisation_id: int | None) -> dict:
    """Lookup lists for the cohort form; coaches are the organisation's people of kind coach."""
    coaches = select(Person).options(joinedload(Person.organisation)).where(
        Person.kind == PersonKind.COACH, Person.erased_at.is_(None))
    if organisation_id is not None:
        coaches = coaches.where(Person.organisation_id == organisation_id)
    return {
        **lookup_lists(),
        "organisations": db.session.scalars(select(Organisation).order_by(Organisation.name)).all(),
        "coaches": db.session.scalars(scoped(coaches, Person.organisation_id, user)
                                      .order_by(Person.last_name, Person.first_name)).all(),
    }


def _apply(cohort: Cohort, data: dict) -> None:
    name = (data.get("name") or "").strip()
    if not name:
        raise DomainError(_("Bitte einen Namen angeben."), field="name")
    for key, model, message in (("programme_id", Programme, _("Dieses Programm gibt es nicht.")),
                                ("region_id", Region, _("Diese Region gibt es nicht."))):
        if not data.get(key) or db.session.get(model, data[key]) is None:
            raise DomainError(message, field=key)
    taken = select(Cohort.id).where(Cohort.programme_id == data["programme_id"],
                                    func.lower(Cohort.name) == name.lower())
    if db.session.scalar(taken if cohort.id is None else taken.where(Cohort.id != cohort.id)) is not None:
        raise _name_taken()
    languages = [code for code in LANGUAGES if code in (data.get("languages") or [])]
    if not languages:
        raise DomainError(_("Bitte mindestens eine Sprache wählen."), field="languages")
    capacity = data.get("capacity")
    if capacity is not None and capacity < _participant_count(cohort):
        raise DomainError(_("Es sind schon mehr Teilnehmende aufgenommen, als Plätze angegeben sind."),
                          field="capacity")
    cohort.name = name
    cohort.programme_id = data["programme_id"]
    cohort.region_id = data["region_id"]
    cohort.target_group = TargetGroup(data.get("target_group") or TargetGroup.MIXED)
    cohort.languages = languages
    cohort.capacity = capacity
    cohort.curriculum = [topic[:200] for topic in data.get("curriculum") or []]
    cohort.description = (data.get("description") or "").strip() or None


def _set_coaches(cohort: Cohort, coach_ids: list[int]) -> None:
    """Coaches are enrolments with role coach; people of other organisations or kinds are refused."""
    wanted = set(coach_ids or [])
    valid = set(db.session.scalars(select(Person.id).where(
        Person.id.in_(wanted), Person.organisation_id == cohort.organisation_id,
        Person.kind == PersonKind.COACH))) if wanted else set()
    if wanted - valid:
        raise DomainError(_("Als Coach können nur Coaches Ihrer Organisation gewählt werden."),
                          field="coach_ids")
    existing = {e.person_id: e for e in db.session.scalars(
        select(Enrolment).where(Enrolment.cohort_id == cohort.id))}
    for person_id in wanted:
        _activate(cohort, person_id, existing.get(person_id), EnrolmentRole.COACH)
    for person_id, enrolment in existing.items():
        if (enrolment.role == EnrolmentRole.COACH and person_id not in wanted
                and enrolment.status == EnrolmentStatus.ACTIVE):
            enrolment.status, enrolment.withdrawn_at = EnrolmentStatus.WITHDRAWN, clock.now()


def _commit_cohort(cohort: Cohort) -> None:
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise _name_taken() from exc


def create_cohort(data: dict, organisation_id: int, actor) -> Cohort:
    if db.session.get(Organisation, organisation_id) is None:
        raise DomainError(_("Diese Organisation gibt es nicht."), field="organisation_id")
    cohort = Cohort(organisation_id=organisation_id)
    _apply(cohort, data)
    db.session.add(cohort)
    db.session.flush()
    _set_coaches(cohort, data.get("coach_ids"))
    audit.record(actor, "cohort.create", "cohort", cohort.id, name=cohort.name)
    _commit_cohort(cohort)
    return cohort


def update_cohort(cohort: Cohort, data: dict, actor) -> Cohort:
    _apply(cohort, data)
    _set_coaches(cohort, data.get("coach_ids"))
    audit.record(actor, "cohort.update", "cohort", cohort.id)
    sync_cohort(cohort, actor)
    _commit_cohort(cohort)
    return cohort


def coach_ids(cohort: Cohort) -> list[int]:
    return list(db.session.scalars(select(Enrolment.person_id).where(
        Enrolment.cohort_id == cohort.id, Enrolment.role == EnrolmentRole.COACH,
        Enrolment.status == EnrolmentStatus.ACTIVE)))


# --- the cohort page ---------------------------------------------------------------------------------


def page_data(cohort: Cohort) -> dict:
    """Sessions, members and each member's answers: four queries whatever the size of the cohort."""
    sessions = db.session.scalars(
        select(CoachingSession).options(selectinload(CoachingSession.coach))
        .where(CoachingSession.cohort_id == cohort.id).order_by(CoachingSession.starts_at)
    ).all()
    enrolments = db.session.scalars(
        select(Enrolment).join(Enrolment.person).options(contains_eager(Enrolment.person))
        .where(Enrolment.cohort_id == cohort.id, Enrolment.status == EnrolmentStatus.ACTIVE)
        .order_by(Enrolment.role.desc(), Person.last_name, Person.first_name, Person.id)
    ).all()
    answers: dict[int, dict[str, int]] = defaultdict(lambda: {"accepted": 0, "declined": 0})
    for person_id, answer, n in db.session.execute(
        select(Attendance.person_id, Attendance.answer, func.count(Attendance.id))
        .join(CoachingSession, Attendance.session_id == CoachingSession.id)
        .where(CoachingSession.cohort_id == cohort.id,
               Attendance.answer.in_([Answer.ACCEPTED, Answer.DECLINED]))
        .group_by(Attendance.person_id, Attendance.answer)
    ):
        answers[person_id][Answer(answer).value] = n
    participants = [e for e in enrolments if e.role == EnrolmentRole.PARTICIPANT]
    return {
        "sessions": sessions,
        "coaches": [e for e in enrolments if e.role == EnrolmentRole.COACH],
        "participants": participants,
        "answers": answers,
        "free_places": None if cohort.capacity is None else max(0, cohort.capacity - len(participants)),
    }


# --- members ---------------------------------------------------------------------------------------------


def _participant_count(cohort: Cohort) -> int:
    if cohort.id is None:
        return 0
    return db.session.scalar(select(func.count(Enrolment.id)).where(
        Enrolment.cohort_id == cohort.id, Enrolment.status == EnrolmentStatus.ACTIVE,
        Enrolment.role == EnrolmentRole.PARTICIPANT)) or 0


def _check_capacity(cohort: Cohort, adding: int) -> None:
    if cohort.capacity is None or adding <= 0:
        return
    free = cohort.capacity - _participant_count(cohort)
    if adding > free:
        raise DomainError(
            _("Die Kohorte ist voll: %(capacity)s Plätze, davon noch %(free)s frei. Erhöhen Sie die "
              "Platzzahl oder tragen Sie jemanden aus.", capacity=cohort.capacity, free=max(free, 0))
            if adding == 1 else
            _("Zu wenig Plätze: %(free)s frei, aber %(adding)s Personen sollen aufgenommen werden. "
              "Nichts wurde übernommen.", free=max(free, 0), adding=adding)
        )


def _activate(cohort: Cohort, person_id: int, existing: Enrolment | None,
              role: EnrolmentRole = EnrolmentRole.PARTICIPANT) -> Enrolment:
    """New enrolment, or the earlier one again (one row per cohort and person)."""
    enrolment = existing or Enrolment(cohort_id=cohort.id, person_id=person_id)
    enrolment.role, enrolment.status, enrolment.withdrawn_at = role, EnrolmentStatus.ACTIVE, None
    db.session.add(enrolment)
    return enrolment


def enrol_person(cohort: Cohort, person: Person, actor) -> Enrolment:
    if person.organisation_id != cohort.organisation_id or person.erased_at is not None:
        raise DomainError(_("Diese Person gehört nicht zu der Organisation der Kohorte."))
    existing = db.session.scalar(select(Enrolment).where(
        Enrolment.cohort_id == cohort.id, Enrolment.person_id == person.id))
    if existing is not None and existing.status == EnrolmentStatus.ACTIVE:
        raise DomainError(_("%(name)s ist schon in dieser Kohorte.", name=person.full_name))
    _check_capacity(cohort, 1)
    enrolment = _activate(cohort, person.id, existing)
    db.session.flush()
    audit.record(actor, "cohort.enrol", "cohort", cohort.id, person_id=person.id)
    sync_cohort(cohort, actor)
    db.session.commit()
    return enrolment


def create_and_enrol(cohort: Cohort, data: dict, actor) -> Person:
    _check_capacity(cohort, 1)
    person = people.add_person(data, cohort.organisation_id, actor)
    _activate(cohort, person.id, None)
    audit.record(actor, "cohort.enrol", "cohort", cohort.id, person_id=person.id)
    sync_cohort(cohort, actor)
    db.session.commit()
    return person


def withdraw_person(cohort: Cohort, person_id: int, actor) -> Enrolment:
    enrolment = db.session.scalar(select(Enrolment).options(joinedload(Enrolment.person)).where(
        Enrolment.cohort_id == cohort.id, Enrolment.person_id == person_id,
        Enrolment.status == EnrolmentStatus.ACTIVE))
    if enrolment is None:
        raise DomainError(_("Diese Person ist nicht (mehr) in der Kohorte."))
    enrolment.status, enrolment.withdrawn_at = EnrolmentStatus.WITHDRAWN, clock.now()
    audit.record(actor, "cohort.withdraw", "cohort", cohort.id, person_id=person_id)
    sync_cohort(cohort, actor)
    db.session.commit()
    return enrolment


def candidates(cohort: Cohort, user, q: str, limit: int = 20) -> list[Person]:
    """People of the cohort's organisation matching `q` who are not active members yet."""
    if not q.strip():
        return []
    members = select(Enrolment.person_id).where(Enrolment.cohort_id == cohort.id,
                                                Enrolment.status == EnrolmentStatus.ACTIVE)
    query = people.search_query(user, q).where(Person.organisation_id == cohort.organisation_id,
                                                Person.id.not_in(members))
    return db.session.scalars(query.limit(limit)).all()


@dataclass
class ImportResult:
    created: int
    enrolled: int
    skipped: int


def import_members(cohort: Cohort, preview: importing.Preview, actor) -> ImportResult:
    """Write the confirmed preview: new people and enrolments in one transaction, or nothing at all."""
    rows = preview.rows
    importing.match(rows, cohort)  # the data may have changed since the preview was made
    usable = [row for row in rows if row.status in ("new", "match")]
    if not usable:
        raise DomainError(_("Die Liste enthält niemanden, der aufgenommen werden kann."))
    _check_capacity(cohort, len(usable))
    new_people = [
        Person(organisation_id=cohort.organisation_id, kind=PersonKind(row.kind), first_name=row.first_name,
               last_name=row.last_name, email=row.email, phone=row.phone, preferred_language=row.language,
               region_id=cohort.region_id, council_id=row.council_id)
        for row in usable if row.status == "new"
    ]
    db.session.add_all(new_people)
    db.session.flush()
    person_ids = [row.person_id for row in usable if row.status == "match"] + [p.id for p in new_people]
    existing = {e.person_id: e for e in db.session.scalars(
        select(Enrolment).where(Enrolment.cohort_id == cohort.id))}
    for person_id in person_ids:
        _activate(cohort, person_id, existing.get(person_id))
    result = ImportResult(created=len(new_people), enrolled=len(person_ids), skipped=len(rows) - len(usable))
    audit.record(actor, "cohort.import", "cohort", cohort.id, file=preview.filename, created=result.created,
                 enrolled=result.enrolled, skipped=result.skipped)
    sync_cohort(cohort, actor)
    db.session.commit()
    return result

"""People: create, edit, find. Services take the acting user, hold the rules and commit once."""
from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload

from coaching.attendance.models import Attendance
from coaching.audit import services as audit
from coaching.cohorts.models import Enrolment
from coaching.core.errors import DomainError
from coaching.core.permissions import scoped
from coaching.extensions import db
from coaching.organisations.models import Council, Organisation, Region
from coaching.people.models import LANGUAGES, Person, PersonKind
from coaching.scheduling.models import CoachingSession

EDITABLE = ("kind", "first_name", "last_name", "email", "phone", "postal_address",
            "preferred_language", "region_id", "council_id")


def normalise_email(raw: str | None) -> str | None:
    """Blank → None; otherwise a syntactically valid address (no DNS lookup: we may be offline)."""
    value = (raw or "").strip()
    if not value:
        return None
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise DomainError(_("Bitte eine gültige E-Mail-Adresse angeben."), field="email") from exc


def find_by_email(organisation_id: int, email: str, exclude_id: int | None = None) -> Person | None:
    query = select(Person).where(Person.organisation_id == organisation_id,
                                 func.lower(Person.email) == email.lower())
    if exclude_id is not None:
        query = query.where(Person.id != exclude_id)
    return db.session.scalars(query.limit(1)).first()


def _clean(data: dict, organisation_id: int, exclude_id: int | None = None) -> dict:
    clean = {key: data.get(key) for key in EDITABLE}
    clean["first_name"] = (clean["first_name"] or "").strip()
    clean["last_name"] = (clean["last_name"] or "").strip()
    if not clean["first_name"] or not clean["last_name"]:
        raise DomainError(_("Vorname und Nachname werden gebraucht."), field="last_name")
    clean["kind"] = PersonKind(clean["kind"] or PersonKind.BEIRAT_MEMBER)
    if clean["preferred_language"] not in LANGUAGES:
        raise DomainError(_("Diese Sprache gibt es hier nicht."), field="preferred_language")
    for key in ("phone", "postal_address"):
        clean[key] = (clean[key] or "").strip() or None
    clean["email"] = normalise_email(clean["email"])
    if clean["email"]:
        other = find_by_email(organisation_id, clean["email"], exclude_id)
        if other is not None:
            raise DomainError(
                _("Die E-Mail-Adresse %(email)s gehört in Ihrer Organisation schon zu %(name)s.",
                  email=clean["email"], name=other.full_name),
                field="email",
            )
    if clean["region_id"] and db.session.get(Region, clean["region_id"]) is None:
        raise DomainError(_("Diese Region gibt es nicht."), field="region_id")
    if clean["council_id"] and db.session.get(Council, clean["council_id"]) is None:
        raise DomainError(_("Diesen Beirat gibt es nicht."), field="council_id")
    return clean


def add_person(data: dict, organisation_id: int, actor) -> Person:
    """Validated new person in the current transaction (no commit: enrolment and import build on it)."""
    person = Person(organisation_id=organisation_id, **_clean(data, organisation_id))
    db.session.add(person)
    db.session.flush()
    audit.record(actor, "person.create", "person", person.id)
    return person


def create_person(data: dict, organisation_id: int, actor) -> Person:
    if db.session.get(Organisation, organisation_id) is None:
        raise DomainError(_("Diese Organisation gibt es nicht."), field="organisation_id")
    person = add_person(data, organisation_id, actor)
    db.session.commit()
    return person


def update_person(person: Person, data: dict, actor) -> Person:
    clean = _clean(data, person.organisation_id, exclude_id=person.id)
    changed = sorted(key for key, value in clean.items() if getattr(person, key) != value)
    for key, value in clean.items():
        setattr(person, key, value)
    audit.record(actor, "person.update", "person", person.id, fields=changed)
    db.session.commit()
    return person


def search_query(user, q: str | None, kind: str | None = None) -> Select:
    """People visible to `user`, matching name or email, ordered by name."""
    query = scoped(select(Person).where(Person.erased_at.is_(None)), Person.organisation_id, user)
    for word in (q or "").split()[:4]:
        pattern = f"%{word.lower()}%"
        query = query.where(or_(func.lower(Person.first_name).like(pattern),
                                func.lower(Person.last_name).like(pattern),
                                func.lower(Person.email).like(pattern)))
    if kind in {k.value for k in PersonKind}:
        query = query.where(Person.kind == PersonKind(kind))
    return query.order_by(Person.last_name, Person.first_name, Person.id)


def person_overview(person: Person) -> dict:
    """The person's cohorts and attendance records, two queries whatever their number."""
    enrolments = db.session.scalars(
        select(Enrolment).options(joinedload(Enrolment.cohort))
        .where(Enrolment.person_id == person.id).order_by(Enrolment.created_at.desc())
    ).all()
    attendance = db.session.scalars(
        select(Attendance)
        .join(CoachingSession, Attendance.session_id == CoachingSession.id)
        .options(joinedload(Attendance.session).joinedload(CoachingSession.cohort))
        .where(Attendance.person_id == person.id).order_by(CoachingSession.starts_at.desc())
    ).all()
    return {"enrolments": enrolments, "attendance": attendance}


def form_choices() -> dict:
    """Organisations, regions and councils for the person form (three small lookup queries)."""
    return {
        "organisations": db.session.scalars(select(Organisation).order_by(Organisation.name)).all(),
        "regions": db.session.scalars(select(Region).order_by(Region.name)).all(),
        "councils": db.session.scalars(
            select(Council).options(joinedload(Council.region)).order_by(Council.name)).all(),
    }

"""Certificates of participation: who has earned one, issuing (numbered, once per person and cohort), the PDF.

Eligible: an active participant who attended at least the programme's `certificate_threshold` share of the
cohort's held sessions (not cancelled, already over; open headcount evenings have no names and do not count).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, func, select

from coaching.attendance import pdf, rules, services
from coaching.attendance.models import Attendance, Certificate, Outcome
from coaching.audit import services as audit
from coaching.cohorts.models import Cohort, Enrolment, EnrolmentRole, EnrolmentStatus
from coaching.core import clock
from coaching.core.errors import DomainError
from coaching.core.i18n import text_direction
from coaching.core.templating import local_date
from coaching.extensions import db
from coaching.people.models import Person
from coaching.scheduling.models import CoachingSession


@dataclass(frozen=True)
class Candidate:
    person: Person
    attended: int
    held: int
    eligible: bool
    certificate: Certificate | None


def _held_for_certificates(cohort_id: int):
    return services.held_sessions(CoachingSession.cohort_id == cohort_id, named_only=True)


def candidates(cohort: Cohort, person_ids: list[int] | None = None) -> list[Candidate]:
    """Active participants with their attended count (one GROUP BY query), held count and certificate."""
    held = db.session.scalar(select(func.count()).select_from(_held_for_certificates(cohort.id).subquery()))
    query = (
        select(Person, func.count(Attendance.id))
        .join(Enrolment, and_(Enrolment.person_id == Person.id, Enrolment.cohort_id == cohort.id))
        .outerjoin(Attendance, and_(Attendance.person_id == Person.id, Attendance.outcome == Outcome.ATTENDED,
                                    Attendance.session_id.in_(_held_for_certificates(cohort.id))))
        .where(Enrolment.status == EnrolmentStatus.ACTIVE, Enrolment.role == EnrolmentRole.PARTICIPANT)
        .group_by(Person.id)
        .order_by(Person.last_name, Person.first_name, Person.id)
    )
    if person_ids is not None:
        query = query.where(Person.id.in_(person_ids))
    issued = {c.person_id: c for c in db.session.scalars(
        select(Certificate).where(Certificate.cohort_id == cohort.id))}
    threshold = cohort.programme.certificate_threshold
    return [Candidate(person, attended, held, rules.certificate_due(attended, held, threshold),
                      issued.get(person.id))
            for person, attended in db.session.execute(query)]


def _number(certificate_id: int) -> str:
    prefix = current_app.config.get("CERTIFICATE_PREFIX", "EAO")
    return f"{prefix}-{clock.today_local().year}-{certificate_id:06d}"


def issue(cohort: Cohort, actor, person_ids: list[int] | None = None) -> list[Certificate]:
    """Certificates for the given (or all) eligible participants; an existing one keeps its number."""
    chosen = [c for c in candidates(cohort, person_ids) if c.eligible]
    if not chosen:
        raise DomainError(_("Niemand erfüllt (noch) die Voraussetzungen für eine Teilnahmebescheinigung."))
    certificates, fresh = [], []
    for candidate in chosen:
        certificate = candidate.certificate
        if certificate is None:
            # A unique placeholder until the id is known; the number is derived from the id.
            certificate = Certificate(cohort_id=cohort.id, person_id=candidate.person.id,
                                      number=f"pending-{candidate.person.id}-{cohort.id}")
            db.session.add(certificate)
            fresh.append(certificate)
        certificate.sessions_attended, certificate.sessions_held = candidate.attended, candidate.held
        certificate.issued_by_id = getattr(actor, "id", None)
        certificate.person = candidate.person
        certificates.append(certificate)
    db.session.flush()
    for certificate in fresh:
        certificate.number = _number(certificate.id)
    audit.record(actor, "attendance.certificates", "cohort", cohort.id, count=len(certificates))
    db.session.commit()
    return certificates


def _texts(language: str, person: Person, certificate: Certificate, cohort: Cohort, period: str) -> dict:
    """The certificate's wording in one language (German now; translations arrive through the catalogues)."""
    with force_locale(language):
        return {
            "language": language,
            "dir": text_direction(language),
            "title": _("Teilnahmebescheinigung"),
            "intro": _("Hiermit wird bestätigt, dass"),
            "body": _("an der Reihe „%(cohort)s“ im Programm „%(programme)s“ teilgenommen hat: an "
                      "%(attended)s von %(held)s Terminen (%(period)s).", cohort=cohort.name,
                      programme=cohort.programme.name, attended=certificate.sessions_attended,
                      held=certificate.sessions_held, period=period),
            "number": _("Nummer: %(number)s", number=certificate.number),
            "issued": _("Ausgestellt am %(day)s", day=local_date(clock.now(), "long")),
            "signature": _("Unterschrift, Stempel"),
        }


def _period(cohort: Cohort) -> str:
    first, last = db.session.execute(
        select(func.min(CoachingSession.starts_at), func.max(CoachingSession.starts_at))
        .where(CoachingSession.id.in_(_held_for_certificates(cohort.id)))).one()
    if first is None:
        return ""
    return f"{local_date(clock.as_utc(first))} – {local_date(clock.as_utc(last))}"


def render(cohort: Cohort, certificates: list[Certificate]) -> bytes:
    """One PDF, one page per certificate: German, and the participant's language beside it."""
    period = _period(cohort)
    pages = []
    for certificate in certificates:
        person = certificate.person
        extra = person.preferred_language
        languages = ["de"] + ([extra] if extra and extra != "de" else [])
        pages.append({"person": person, "name_dir": pdf.text_direction_of(person.full_name),
                      "blocks": [_texts(lang, person, certificate, cohort, period) for lang in languages]})
    return pdf.render_pdf("pdf/certificate.html", cohort=cohort, pages=pages,
                          funder_line=pdf.funder_line(cohort))

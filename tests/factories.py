"""Tiny builders for test data; each adds to the session and flushes, the test decides when to commit."""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from coaching.accounts.models import Role, User
from coaching.accounts.passwords import hash_password
from coaching.cohorts.models import Cohort, Enrolment, EnrolmentRole, TargetGroup
from coaching.core import clock, tokens
from coaching.extensions import db
from coaching.organisations.models import Council, FederalState, Organisation, Region
from coaching.people.models import Person, PersonKind
from coaching.programmes.models import Programme
from coaching.scheduling.models import CoachingSession

PASSWORD = "richtig-pferd-batterie"
_seq = itertools.count(1)


def _n() -> int:
    return next(_seq)


def organisation(name: str | None = None) -> Organisation:
    n = _n()
    org = Organisation(name=name or f"Träger {n}", short_name=f"T{n}")
    db.session.add(org)
    db.session.flush()
    return org


def region(name: str | None = None, state: FederalState = FederalState.SN) -> Region:
    reg = Region(name=name or f"Region {_n()}", federal_state=state)
    db.session.add(reg)
    db.session.flush()
    return reg


def council(region_: Region, name: str | None = None) -> Council:
    c = Council(name=name or f"Integrationsbeirat {_n()}", region_id=region_.id)
    db.session.add(c)
    db.session.flush()
    return c


def user(role: Role = Role.ORGANISER, org: Organisation | None = None, email: str | None = None,
         language: str = "de") -> User:
    n = _n()
    u = User(email=email or f"user{n}@example.org", password_hash=hash_password(PASSWORD), role=role,
             organisation_id=org.id if org else None, display_name=f"Nutzer {n}", language=language)
    db.session.add(u)
    db.session.flush()
    return u


def person(org: Organisation, kind: PersonKind = PersonKind.BEIRAT_MEMBER, email: str | None = "auto",
           language: str = "de", first_name: str | None = None, last_name: str | None = None,
           region_: Region | None = None) -> Person:
    n = _n()
    p = Person(organisation_id=org.id, kind=kind, first_name=first_name or f"Vorname{n}",
               last_name=last_name or f"Nachname{n}",
               email=(f"person{n}@example.org" if email == "auto" else email),
               preferred_language=language, region_id=region_.id if region_ else None)
    db.session.add(p)
    db.session.flush()
    return p


def programme(starts_on: date = date(2026, 1, 1), ends_on: date = date(2027, 12, 31)) -> Programme:
    prog = Programme(name=f"Programm {_n()}", starts_on=starts_on, ends_on=ends_on,
                     funder_line="Gefördert vom BMBF im Rahmen der Initiative Bildungsketten")
    db.session.add(prog)
    db.session.flush()
    return prog


def cohort(org: Organisation, prog: Programme | None = None, region_: Region | None = None,
           target_group: TargetGroup = TargetGroup.BEIRAT_MEMBERS) -> Cohort:
    c = Cohort(organisation_id=org.id, programme_id=(prog or programme()).id,
               region_id=(region_ or region()).id, name=f"Kohorte {_n()}", target_group=target_group,
               languages=["de"], curriculum=["Das duale Ausbildungssystem", "Bewerbung"])
    db.session.add(c)
    db.session.flush()
    return c


def enrol(cohort_: Cohort, person_: Person, role: EnrolmentRole = EnrolmentRole.PARTICIPANT) -> Enrolment:
    e = Enrolment(cohort_id=cohort_.id, person_id=person_.id, role=role)
    db.session.add(e)
    db.session.flush()
    return e


def session(cohort_: Cohort, day: date = date(2026, 12, 3), at: time = time(18, 0),
            minutes: int = 90, topic: str = "Das duale Ausbildungssystem", **extra) -> CoachingSession:
    start = clock.local_to_utc(day, at)
    s = CoachingSession(cohort_id=cohort_.id, topic=topic, starts_at=start,
                        ends_at=start + timedelta(minutes=minutes), venue_name="Bürgerhaus",
                        venue_address="Hauptstraße 1, 01067 Dresden", ical_uid=tokens.new_uid("session"),
                        **extra)
    db.session.add(s)
    db.session.flush()
    return s


@dataclass
class World:
    org_a: Organisation
    org_b: Organisation
    organiser_a: User
    organiser_b: User
    coach_a: User
    admin: User
    region: Region
    programme: Programme


def two_organisations() -> World:
    org_a = organisation("Bildungszentrum Lernen+Technik gGmbH Dresden")
    org_b = organisation("Bildungswerk der Thüringer Wirtschaft e. V.")
    w = World(
        org_a=org_a,
        org_b=org_b,
        organiser_a=user(Role.ORGANISER, org_a),
        organiser_b=user(Role.ORGANISER, org_b),
        coach_a=user(Role.COACH, org_a),
        admin=user(Role.ADMIN, None),
        region=region("Dresden", FederalState.SN),
        programme=programme(),
    )
    db.session.commit()
    return w


def utc(year, month, day, hour=0, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=clock.UTC)


__all__ = ["timedelta"]

"""A small mentoring cast: a mentee who speaks Arabic in Dresden, and mentors who fit more or less well."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

import pytest
import time_machine

from coaching.core import clock
from coaching.extensions import db
from coaching.mail.models import OutboxMessage
from coaching.mentoring import services
from coaching.mentoring.models import MentorProfile, Pairing, PairingKind, PairingStatus
from coaching.organisations.models import FederalState
from coaching.people.models import Person, PersonKind
from tests import factories

# All tests run on a frozen clock: Tuesday 2026-11-10, 09:00 in Berlin.
NOW = datetime(2026, 11, 10, 8, 0, tzinfo=clock.UTC)
LINK = re.compile(r"https?://\S+/mentor/treffen/[\w.\-]+")


@dataclass
class Cast:
    world: factories.World
    mentee: Person
    arabic_far: Person  # speaks Arabic, other region
    german_near: Person  # German only, same region
    arabic_full: Person  # Arabic, same region, no free place
    busy_mentee: Person


def profile(person: Person, languages, region=None, capacity: int = 2, topics=()) -> MentorProfile:
    p = MentorProfile(
        person_id=person.id,
        languages=list(languages),
        topics=list(topics),
        region_id=region.id if region else None,
        capacity=capacity,
        active=True,
    )
    db.session.add(p)
    db.session.flush()
    return p


def pairing(world, mentor: Person, mentee: Person, status=PairingStatus.ACTIVE) -> Pairing:
    p = Pairing(
        organisation_id=mentee.organisation_id,
        mentor_id=mentor.id,
        mentee_id=mentee.id,
        kind=PairingKind.BEIRAT_PEER,
        status=status,
        created_by_id=world.organiser_a.id,
    )
    db.session.add(p)
    db.session.commit()
    return p


@pytest.fixture(autouse=True)
def _request_context(app):
    """Services translate their messages; Flask-Babel needs a request context to pick the language."""
    with app.test_request_context():
        yield


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def cast(world, frozen) -> Cast:
    org = world.org_a
    leipzig = factories.region("Leipzig", FederalState.SN)
    mentee = factories.person(
        org, language="ar", region_=world.region, first_name="Samira", last_name="Haddad"
    )
    arabic_far = factories.person(
        org, PersonKind.MENTOR, language="de", region_=leipzig, first_name="Omar", last_name="Aziz"
    )
    german_near = factories.person(
        org, PersonKind.MENTOR, language="de", region_=world.region, first_name="Gisela", last_name="Berg"
    )
    arabic_full = factories.person(
        org, PersonKind.MENTOR, language="ar", region_=world.region, first_name="Karim", last_name="Nasser"
    )
    busy_mentee = factories.person(org, first_name="Lena", last_name="Vogel")
    profile(arabic_far, ["de", "ar"], leipzig, capacity=3, topics=["Bewerbung"])
    profile(german_near, ["de"], world.region, capacity=2)
    profile(arabic_full, ["ar", "de"], world.region, capacity=1)
    db.session.commit()
    pairing(world, arabic_full, busy_mentee)
    return Cast(world, mentee, arabic_far, german_near, arabic_full, busy_mentee)


def proposal(*slots, venue="Bürgerhaus Dresden, Raum 2") -> services.Proposal:
    return services.Proposal(
        options=[(d, t, m) for d, t, m in slots], venue=venue, message="Erstes Kennenlernen"
    )


FIRST = (date(2026, 11, 17), time(17, 30), 60)
SECOND = (date(2026, 11, 19), time(10, 0), 90)


def outbox(kind: str | None = None) -> list[OutboxMessage]:
    rows = db.session.query(OutboxMessage).order_by(OutboxMessage.id).all()
    return [r for r in rows if kind is None or r.kind == kind]


def meeting_link(text: str) -> str:
    match = LINK.search(text)
    assert match, text
    return match.group(0)

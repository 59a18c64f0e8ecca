"""Attendance fixtures: a frozen clock on a session day, a cohort whose members write in several scripts."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

import pytest
import time_machine

from coaching.cohorts.models import Cohort
from coaching.core import clock
from coaching.extensions import db
from coaching.people.models import Person, PersonKind
from coaching.scheduling.models import CoachingSession
from tests import factories

# Names in Arabic, Cyrillic and Turkish (Latin with ş, ı, ğ, ç) scripts, and a German one.
NAMES = [("محمد", "الأحمد", "ar"), ("Олена", "Шевченко", "uk"), ("Ayşe", "Yılmaz Çağrı", "tr"),
         ("Jürgen", "Müller", "de")]
# Thursday 3 December 2026, 19:30 Berlin: the 18:00 session has just ended.
NOW = datetime(2026, 12, 3, 18, 30, tzinfo=clock.UTC)


@pytest.fixture(autouse=True)
def _request(app):
    with app.test_request_context():
        yield


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@dataclass
class Setup:
    world: factories.World
    cohort: Cohort
    people: list[Person]
    today: CoachingSession  # 18:00–19:30 today
    future: CoachingSession  # next week


@pytest.fixture
def setup(world, frozen) -> Setup:
    cohort = factories.cohort(world.org_a, world.programme, world.region)
    people = [factories.person(world.org_a, PersonKind.BEIRAT_MEMBER, first_name=first, last_name=last,
                               language=lang) for first, last, lang in NAMES]
    for person in people:
        factories.enrol(cohort, person)
    today = factories.session(cohort, day=date(2026, 12, 3), at=time(18, 0), topic="Bewerbung")
    future = factories.session(cohort, day=date(2026, 12, 10), at=time(18, 0), topic="Praktikum")
    db.session.commit()
    return Setup(world, cohort, people, today, future)


def members(cohort: Cohort, count: int, org) -> list[Person]:
    people = [factories.person(org, email=None) for _ in range(count)]
    for person in people:
        factories.enrol(cohort, person)
    return people

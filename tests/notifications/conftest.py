"""A published cohort with a session on Thursday 3 December 2026, 18:00–19:30 Berlin, and its participants."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

import pytest
import time_machine
from sqlalchemy import select

from coaching.cohorts.models import Cohort, CohortStatus
from coaching.core import clock
from coaching.extensions import db
from coaching.mail.models import OutboxMessage
from coaching.people.models import Person
from coaching.programmes.models import Programme
from coaching.programmes.services import ensure_default_rules
from coaching.scheduling.models import CoachingSession
from tests import factories

SESSION_DAY = date(2026, 12, 3)
START = clock.local_to_utc(SESSION_DAY, time(18, 0))  # 17:00 UTC
END = clock.local_to_utc(SESSION_DAY, time(19, 30))


@dataclass
class Setup:
    world: factories.World
    programme: Programme
    cohort: Cohort
    session: CoachingSession
    people: list[Person] = field(default_factory=list)

    def add_participant(self, **kwargs) -> Person:
        person = factories.person(self.world.org_a, **kwargs)
        factories.enrol(self.cohort, person)
        self.people.append(person)
        return person


def published_cohort(world, programme) -> Cohort:
    cohort = factories.cohort(world.org_a, programme, world.region)
    cohort.status = CohortStatus.PUBLISHED
    return cohort


@pytest.fixture
def setup(world) -> Setup:
    programme = world.programme
    ensure_default_rules(programme)
    cohort = published_cohort(world, programme)
    session = factories.session(cohort, SESSION_DAY, time(18, 0), minutes=90)
    s = Setup(world, programme, cohort, session)
    s.add_participant(first_name="Amira")
    db.session.commit()
    return s


def queued(kind: str | None = None) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return list(db.session.scalars(query))


def key_version(message: OutboxMessage) -> str:
    return message.idempotency_key.rsplit(":", 1)[1]


def unsubscribe_links(message: OutboxMessage) -> list[str]:
    return re.findall(r"<([^>]+)>", message.headers["List-Unsubscribe"])


def path_of(url: str) -> str:
    return url.replace("http://coaching.test", "")


def at(dt: datetime):
    """Freeze the clock (no ticking) at an aware instant."""
    return time_machine.travel(dt, tick=False)

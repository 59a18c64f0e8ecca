"""Scheduling fixtures: a frozen clock early in 2026 and a cohort with a coach in organisation A."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest
import time_machine

from coaching.cohorts.models import Cohort, EnrolmentRole
from coaching.core import clock
from coaching.extensions import db
from coaching.people.models import Person, PersonKind
from tests import factories


@pytest.fixture
def frozen():
    """5 January 2026, 09:00 UTC: the programme (2026–2027) lies ahead."""
    with time_machine.travel(datetime(2026, 1, 5, 9, 0, tzinfo=clock.UTC), tick=False) as traveller:
        yield traveller


@dataclass
class Plan:
    world: factories.World
    cohort: Cohort
    coach: Person


@pytest.fixture
def plan(world, frozen) -> Plan:
    cohort = factories.cohort(world.org_a, world.programme, world.region)
    cohort.curriculum = ["Das duale Ausbildungssystem", "Bewerbung", "Praktikum"]
    coach = factories.person(world.org_a, PersonKind.COACH, first_name="Clara", last_name="Coach")
    factories.enrol(cohort, coach, EnrolmentRole.COACH)
    db.session.commit()
    return Plan(world, cohort, coach)


def series_form(**overrides) -> dict:
    """A valid series form: weekly, Thursdays 18:00–19:30 in the Bürgerhaus."""
    data = {
        "frequency": "weekly", "start_day": "2026-03-05", "count": "3", "until": "", "ordinal": "2",
        "weekday": "1", "start_time": "18:00", "minutes": "90", "venue_name": "Bürgerhaus",
        "venue_address": "Hauptstraße 1, 01067 Dresden", "room": "Saal 2", "online_url": "", "coach_id": "",
        "generate": "Termine berechnen",
    }
    data.update(overrides)
    return data


def booked(cohort, day, at, minutes: int = 90, **attrs):
    """An existing session (the shared factory fixes the venue; here any attribute can be set)."""
    session = factories.session(cohort, day=day, at=at, minutes=minutes)
    for name, value in attrs.items():
        setattr(session, name, value)
    db.session.flush()
    return session

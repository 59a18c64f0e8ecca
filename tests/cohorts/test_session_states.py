"""The cohort page tells planned, past, held and cancelled sessions apart; archived cohorts cannot be published."""
from __future__ import annotations

from datetime import date, time

import time_machine
from bs4 import BeautifulSoup

from coaching.cohorts.models import CohortStatus
from coaching.core import clock
from coaching.extensions import db
from coaching.scheduling.models import SessionStatus
from tests import factories


def test_session_states_and_publish_button(world, client, login_as):
    cohort = factories.cohort(world.org_a, world.programme, world.region)
    held = factories.session(cohort, day=date(2026, 11, 2), topic="Gehalten")
    held.attendance_recorded_at = clock.now()
    factories.session(cohort, day=date(2026, 11, 9), topic="Vorbei")
    cancelled = factories.session(cohort, day=date(2026, 11, 16), topic="Abgesagt")
    cancelled.status = SessionStatus.CANCELLED
    factories.session(cohort, day=date(2026, 12, 7), at=time(18, 0), topic="Geplant")
    db.session.commit()
    with time_machine.travel("2026-11-24 12:00:00+00:00", tick=False):
        login_as(world.organiser_a)
        page = BeautifulSoup(client.get(f"/kohorten/{cohort.id}").data, "html.parser")
    states = [td["data-state"] for td in page.select("td[data-state]")]
    assert states == ["held", "past", "cancelled", "planned"]
    assert page.find(id="publish-form") is not None

    cohort.status = CohortStatus.ARCHIVED
    db.session.commit()
    with time_machine.travel("2026-11-24 12:05:00+00:00", tick=False):
        page = BeautifulSoup(client.get(f"/kohorten/{cohort.id}").data, "html.parser")
    assert page.find(id="publish-form") is None

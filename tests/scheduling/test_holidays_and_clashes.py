"""Holidays of the federal state and clashes (coach, room, programme period) on the preview rows."""
from __future__ import annotations

from datetime import date, time

import pytest

from coaching.cohorts.models import EnrolmentRole
from coaching.core.errors import DomainError
from coaching.extensions import db
from coaching.organisations.models import FederalState
from coaching.people.models import PersonKind
from coaching.scheduling import services
from coaching.scheduling.holidays import holidays_between
from coaching.scheduling.models import SessionStatus
from coaching.scheduling.series import Frequency, Pattern
from tests import factories
from tests.querycount import count_queries
from tests.scheduling.conftest import booked


def _settings(coach_id=None, venue="Bürgerhaus", room="Saal 2", minutes=90):
    return services.SeriesSettings(minutes, services.Place(venue, "Hauptstraße 1", room), coach_id)


def _propose(cohort, start: date, count: int = 3, settings=None, at=time(18, 0)):
    return services.propose_series(cohort, Pattern(Frequency.WEEKLY, start, count=count), at,
                                   settings or _settings())


@pytest.mark.parametrize("state, reformation_day", [("SN", True), ("TH", True), ("MV", True), ("BE", False)])
def test_reformation_day_only_where_it_is_a_holiday(state, reformation_day):
    days = holidays_between(state, date(2026, 10, 1), date(2026, 10, 31))
    assert days[date(2026, 10, 3)] == "Tag der Deutschen Einheit"
    assert (date(2026, 10, 31) in days) is reformation_day


def test_holiday_warning_on_the_right_row(plan):
    # Saturdays 26 Sep, 3 Oct, 10 Oct 2026
    rows = _propose(plan.cohort, date(2026, 9, 26), settings=_settings(room="Saal 9"))
    assert [any("Tag der Deutschen Einheit" in w for w in r.warnings) for r in rows] == [False, True, False]
    assert all(not r.errors for r in rows)


def test_reformation_day_warns_in_saxony_but_not_in_berlin(plan):
    berlin = factories.region("Berlin", FederalState.BE)
    berlin_cohort = factories.cohort(plan.world.org_a, plan.world.programme, berlin)
    db.session.commit()
    saxony = _propose(plan.cohort, date(2026, 10, 31), count=1, settings=_settings(room="A"))
    berlin_rows = _propose(berlin_cohort, date(2026, 10, 31), count=1, settings=_settings(room="B"))
    assert any("Reformationstag" in w for w in saxony[0].warnings)
    assert berlin_rows[0].warnings == []


def test_coach_double_booked_in_another_cohort(plan):
    other = factories.cohort(plan.world.org_a, plan.world.programme, plan.world.region)
    other.name = "Kohorte Rostock"
    booked(other, date(2026, 3, 12), time(18, 30), coach_id=plan.coach.id, venue_name="Rathaus")
    db.session.commit()
    rows = _propose(plan.cohort, date(2026, 3, 5), settings=_settings(coach_id=plan.coach.id))
    assert rows[0].warnings == [] and rows[2].warnings == []
    assert len(rows[1].warnings) == 1
    assert "Coach" in rows[1].warnings[0] and "Kohorte Rostock" in rows[1].warnings[0]


def test_room_double_booked_but_not_a_different_room_or_a_cancelled_session(plan):
    other = factories.cohort(plan.world.org_a, plan.world.programme, plan.world.region)
    booked(other, date(2026, 3, 5), time(17, 0), venue_name="Bürgerhaus", room="saal 2")
    booked(other, date(2026, 3, 12), time(18, 0), venue_name="Bürgerhaus", room="Saal 3")
    booked(other, date(2026, 3, 19), time(18, 0), venue_name="Bürgerhaus", room="Saal 2",
                      status=SessionStatus.CANCELLED)
    db.session.commit()
    rows = _propose(plan.cohort, date(2026, 3, 5))
    assert any("Raum" in w for w in rows[0].warnings)
    assert rows[1].warnings == [] and rows[2].warnings == []


def test_another_organisations_bookings_do_not_clash(plan):
    foreign = factories.cohort(plan.world.org_b, plan.world.programme, plan.world.region)
    booked(foreign, date(2026, 3, 5), time(18, 0), venue_name="Bürgerhaus", room="Saal 2")
    db.session.commit()
    assert _propose(plan.cohort, date(2026, 3, 5))[0].warnings == []


def test_outside_programme_period_is_an_error(plan):
    plan.world.programme.ends_on = date(2026, 3, 15)
    db.session.commit()
    rows = _propose(plan.cohort, date(2026, 3, 5))
    assert [bool(r.errors) for r in rows] == [False, False, True]
    assert "Programmzeitraum" in rows[2].errors[0]


def test_clash_detection_is_one_query_for_the_whole_preview(plan):
    other = factories.cohort(plan.world.org_a, plan.world.programme, plan.world.region)
    for week in range(20):
        booked(other, date(2026, 3, 5 + week), time(18, 0),
                          coach_id=plan.coach.id)
    db.session.commit()
    rows = _propose(plan.cohort, date(2026, 3, 5), count=30, settings=_settings(coach_id=plan.coach.id))
    services.check_rows(plan.cohort, rows, _settings(coach_id=plan.coach.id))  # warm the identity map
    with count_queries() as few:
        services.check_rows(plan.cohort, rows[:3], _settings(coach_id=plan.coach.id))
    with count_queries() as many:
        services.check_rows(plan.cohort, rows, _settings(coach_id=plan.coach.id))
    assert few.count == many.count == 1
    assert any("Coach" in w for w in rows[0].warnings)


def test_coach_of_another_organisation_is_refused(plan):
    stranger = factories.person(plan.world.org_b, PersonKind.COACH)
    db.session.commit()
    with pytest.raises(DomainError) as err:
        _propose(plan.cohort, date(2026, 3, 5), settings=_settings(coach_id=stranger.id))
    assert err.value.field == "coach_id"


def test_coach_options_list_cohort_coaches_first(plan):
    other_coach = factories.person(plan.world.org_a, PersonKind.COACH, first_name="Anton", last_name="Aal")
    factories.person(plan.world.org_b, PersonKind.COACH, first_name="Fremd")
    participant = factories.person(plan.world.org_a)
    factories.enrol(plan.cohort, participant, EnrolmentRole.PARTICIPANT)
    db.session.commit()
    options = services.coach_options(plan.cohort.organisation_id, plan.cohort.id)
    assert [pid for pid, _ in options] == [plan.coach.id, other_coach.id]


def test_a_place_is_required(plan):
    with pytest.raises(DomainError) as err:
        _propose(plan.cohort, date(2026, 3, 5), settings=services.SeriesSettings(90, services.Place(), None))
    assert err.value.field == "venue_name"

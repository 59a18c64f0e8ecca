from datetime import date, time

import pytest

from coaching.core import clock


def test_evening_session_keeps_local_time_across_dst():
    winter = clock.local_to_utc(date(2026, 3, 28), time(18, 0))
    summer = clock.local_to_utc(date(2026, 3, 30), time(18, 0))
    assert (winter.hour, summer.hour) == (17, 16)
    assert clock.to_local(winter).hour == clock.to_local(summer).hour == 18


def test_spring_gap_is_refused():
    with pytest.raises(clock.NonexistentLocalTime):
        clock.local_to_utc(date(2026, 3, 29), time(2, 30))


def test_autumn_ambiguous_time_takes_first_occurrence():
    first = clock.local_to_utc(date(2026, 10, 25), time(2, 30))
    assert first.hour == 0  # 02:30 CEST = 00:30 UTC


def test_day_bounds_on_dst_days():
    start, end = clock.local_day_bounds(date(2026, 3, 29))
    assert (end - start).total_seconds() == 23 * 3600
    start, end = clock.local_day_bounds(date(2026, 10, 25))
    assert (end - start).total_seconds() == 25 * 3600


def test_naive_values_are_taken_as_utc():
    from datetime import datetime

    assert clock.as_utc(datetime(2026, 1, 1, 12)).tzinfo is clock.UTC

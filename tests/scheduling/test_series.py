"""Pure pattern generation: rhythms, DST, bounds."""
from __future__ import annotations

from datetime import date, time

import pytest

from coaching.core import clock
from coaching.core.errors import DomainError
from coaching.scheduling.series import LAST, Frequency, Pattern, generate_dates, nth_weekday, plan


def _weekly(start: date, count: int) -> Pattern:
    return Pattern(Frequency.WEEKLY, start, count=count)


@pytest.mark.parametrize("start, utc_hours", [
    (date(2026, 3, 12), [17, 17, 17, 16, 16, 16]),  # summer time starts 29 March
    (date(2026, 10, 8), [16, 16, 16, 17, 17, 17]),  # summer time ends 25 October
])
def test_weekly_evening_series_stays_at_18_local_across_dst(start, utc_hours):
    rows = plan(_weekly(start, 6), time(18, 0), 90, ["A", "B"])
    assert [clock.to_local(r.starts_at).strftime("%H:%M") for r in rows] == ["18:00"] * 6
    assert [r.starts_at.hour for r in rows] == utc_hours
    assert [clock.to_local(r.ends_at).strftime("%H:%M") for r in rows] == ["19:30"] * 6
    assert all(not r.errors for r in rows)


def test_topics_follow_the_curriculum_then_get_numbers():
    rows = plan(_weekly(date(2026, 3, 12), 3), time(18, 0), 90, ["Duales System", "Bewerbung"])
    assert [r.topic for r in rows] == ["Duales System", "Bewerbung", "Termin 3"]


def test_every_two_weeks():
    days = generate_dates(Pattern(Frequency.BIWEEKLY, date(2026, 3, 5), count=3))
    assert days == [date(2026, 3, 5), date(2026, 3, 19), date(2026, 4, 2)]


def test_monthly_second_tuesday():
    days = generate_dates(Pattern(Frequency.MONTHLY, date(2026, 1, 1), count=4, ordinal=2, weekday=1))
    assert days == [date(2026, 1, 13), date(2026, 2, 10), date(2026, 3, 10), date(2026, 4, 14)]
    assert all(d.weekday() == 1 and 8 <= d.day <= 14 for d in days)


def test_monthly_skips_a_date_before_the_start_and_supports_last_weekday():
    days = generate_dates(Pattern(Frequency.MONTHLY, date(2026, 1, 20), count=2, ordinal=2, weekday=1))
    assert days == [date(2026, 2, 10), date(2026, 3, 10)]
    assert nth_weekday(2026, 3, 0, LAST) == date(2026, 3, 30)
    assert nth_weekday(2026, 2, 0, 5) is None


def test_end_date_instead_of_count():
    days = generate_dates(Pattern(Frequency.WEEKLY, date(2026, 3, 5), until=date(2026, 3, 26)))
    assert days == [date(2026, 3, 5), date(2026, 3, 12), date(2026, 3, 19), date(2026, 3, 26)]


@pytest.mark.parametrize("pattern, field", [
    (Pattern(Frequency.WEEKLY, date(2026, 3, 5), count=400), "count"),
    (Pattern(Frequency.WEEKLY, date(2026, 3, 5), until=date(2030, 1, 1)), "count"),  # 200 weeks
    (Pattern(Frequency.WEEKLY, date(2026, 3, 5), count=0), "count"),
    (Pattern(Frequency.WEEKLY, date(2026, 3, 5)), "count"),
    (Pattern(Frequency.WEEKLY, date(2026, 3, 5), until=date(2026, 3, 1)), "until"),
    (Pattern(Frequency.WEEKLY, date(1900, 3, 5), count=3), "start_day"),
    (Pattern(Frequency.WEEKLY, date(2101, 3, 5), count=3), "start_day"),
    (Pattern(Frequency.MONTHLY, date(2026, 3, 5), count=3), "ordinal"),
])
def test_bad_patterns_are_refused_with_a_message(pattern, field):
    with pytest.raises(DomainError) as err:
        generate_dates(pattern)
    assert err.value.field == field
    assert str(err.value.message)


def test_400_sessions_message_names_the_limit():
    with pytest.raises(DomainError) as err:
        generate_dates(Pattern(Frequency.WEEKLY, date(2026, 3, 5), count=400))
    assert "100" in str(err.value.message)


def test_spring_gap_time_is_an_error_on_that_row_only():
    rows = plan(_weekly(date(2026, 3, 22), 3), time(2, 30), 60, [])  # 29 March 02:30 does not exist
    assert [bool(r.errors) for r in rows] == [False, True, False]
    assert "Sommerzeit" in rows[1].errors[0]
    assert rows[1].starts_at is None


@pytest.mark.parametrize("minutes", [0, -30])
def test_zero_or_negative_duration_is_an_error(minutes):
    rows = plan(_weekly(date(2026, 3, 5), 1), time(18, 0), minutes, [])
    assert rows[0].errors and rows[0].starts_at is None

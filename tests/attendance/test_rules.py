"""The status table: which answers and outcomes count, which changes are allowed, when outcomes open."""
from __future__ import annotations

from datetime import datetime

import pytest

from coaching.attendance import rules
from coaching.attendance.models import ATTENDED_OUTCOMES, REACHED_OUTCOMES, Answer, Outcome
from coaching.core import clock


def test_only_attended_counts_as_reached_and_attended():
    assert rules.ATTENDED == {Outcome.ATTENDED} == ATTENDED_OUTCOMES
    assert rules.REACHED == {Outcome.ATTENDED} == REACHED_OUTCOMES
    assert [o for o in Outcome if rules.is_attended(o)] == [Outcome.ATTENDED]
    assert not rules.is_attended(None) and not rules.is_reached(None)


@pytest.mark.parametrize("answer", list(Answer))
def test_answers_alone_never_count(answer):
    status = rules.ANSWERS[answer]
    assert (status.reached, status.attended) == (False, False)


def test_every_value_has_a_label():
    assert set(rules.ANSWERS) == set(Answer) and set(rules.OUTCOMES) == set(Outcome)


@pytest.mark.parametrize("before", [None, *Outcome])
@pytest.mark.parametrize("after", list(Outcome))
def test_outcomes_can_be_corrected_both_ways(before, after):
    assert rules.may_change_outcome(before, after)


def _utc(*args):
    return datetime(*args, tzinfo=clock.UTC)


@pytest.mark.parametrize(("starts", "now", "cancelled", "expected"), [
    (_utc(2026, 12, 3, 17), _utc(2026, 12, 3, 18), False, True),  # started
    (_utc(2026, 12, 3, 17), _utc(2026, 12, 3, 8), False, True),  # later the same Berlin day
    (_utc(2026, 12, 3, 17), _utc(2026, 12, 2, 22, 59), False, False),  # 23:59 Berlin the day before
    (_utc(2026, 12, 3, 17), _utc(2026, 12, 2, 23, 0), False, True),  # 00:00 Berlin on the day
    (_utc(2026, 12, 10, 17), _utc(2026, 12, 3, 18), False, False),  # next week
    (_utc(2026, 12, 3, 17), _utc(2026, 12, 3, 18), True, False),  # cancelled
])
def test_outcomes_open_from_the_session_day(starts, now, cancelled, expected):
    assert rules.outcomes_open(starts, cancelled, now) is expected


@pytest.mark.parametrize(("attended", "held", "threshold", "due"), [
    (3, 4, 0.75, True), (2, 4, 0.75, False), (4, 4, 1.0, True), (3, 4, 1.0, False),
    (0, 0, 0.75, False), (0, 4, 0.0, False), (2, 3, 0.66, True), (1, 3, 0.34, False),
])
def test_certificate_threshold(attended, held, threshold, due):
    assert rules.certificate_due(attended, held, threshold) is due

"""Bring what participants' calendars hold in line with the sessions (placeholder until the calendar issue).

Scheduling and cohort services call these after a change, inside their transaction, before their commit.
"""
from __future__ import annotations


def sync_session(session, actor=None) -> int:
    """Queue REQUEST/CANCEL messages so everyone affected by `session` has its current state. Returns count."""
    return 0


def sync_cohort(cohort, actor=None) -> int:
    """Same for every session of a published cohort (after publish, enrolment or withdrawal)."""
    return 0

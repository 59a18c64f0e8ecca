"""Coaching sessions: series planning, clashes, holidays, rescheduling and the change log."""

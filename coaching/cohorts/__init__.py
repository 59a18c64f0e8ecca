"""Cohorts (groups going through a coaching series together) and their enrolments."""

"""Mentor profiles, pairings, meetings that mentors confirm by email, and meeting logs."""

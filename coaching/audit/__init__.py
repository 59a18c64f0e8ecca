"""Audit log: who changed, viewed or exported personal data."""

"""Reminders, follow-ups, notification rules and unsubscribe: what is due is computed from the database."""

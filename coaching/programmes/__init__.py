"""Funded programmes: their period and the notification rules that drive reminders and follow-ups."""

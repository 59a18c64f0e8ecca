"""iCalendar: invitations, updates, cancellations, feeds and answers (RSVP). The one place that builds .ics."""

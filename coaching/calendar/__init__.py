"""iCalendar: invitations, updates, cancellations, feeds and answers (RSVP); the one place for .ics."""

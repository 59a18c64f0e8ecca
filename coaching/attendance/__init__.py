"""Answers to invitations, outcomes on the day, headcounts, signature sheets and certificates."""

"""Outbox, message building and the delivery worker: every email goes through here."""

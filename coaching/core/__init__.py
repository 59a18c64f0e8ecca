"""Shared building blocks: time, database types, permissions, tokens, errors."""

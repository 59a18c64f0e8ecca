"""Count SQL statements, to show that a page or feed makes a small constant number of queries."""
from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from coaching.extensions import db


class QueryCounter:
    def __init__(self):
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)

    def _on_execute(self, conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "PRAGMA")):
            self.statements.append(statement)


@contextmanager
def count_queries():
    counter = QueryCounter()
    engine = db.engine
    event.listen(engine, "before_cursor_execute", counter._on_execute)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", counter._on_execute)

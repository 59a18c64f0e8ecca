"""`flask notifications run-due`: one scheduler pass by hand (the mail worker runs it every cycle)."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from coaching.notifications.scheduler import run_due

group = AppGroup("notifications", help="Erinnerungen und Nachrichten nach Terminen.")


@group.command("run-due")
def run_due_command() -> None:
    """Queue every reminder and follow-up that is due now."""
    counts = run_due()
    click.echo(", ".join(f"{name}: {count}" for name, count in counts.items()))


def register(app: Flask) -> None:
    app.cli.add_command(group)

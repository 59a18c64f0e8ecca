"""`flask calendar ...`: read calendar replies from the reply mailbox."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from coaching.calendar.replies import read_replies

calendar_cli = AppGroup("calendar", help="Kalender: Antworten aus Kalender-Programmen einlesen.")


@calendar_cli.command("read-replies")
@click.option("--maildir", required=True, type=click.Path(file_okay=False),
              help="Maildir des Antwort-Postfachs")
def read_replies_command(maildir: str) -> None:
    """Read iTIP REPLY mails from MAILDIR/new, record the answers, move them to MAILDIR/cur."""
    report = read_replies(maildir)
    click.echo(f"processed={report.processed} recorded={report.recorded} ignored={report.ignored} "
               f"left={len(report.skipped_files)}")


def register(app: Flask) -> None:
    app.cli.add_command(calendar_cli)

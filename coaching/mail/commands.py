"""`flask worker` delivers the outbox; `flask mailcatcher` runs the local catch-all SMTP server."""
from __future__ import annotations

import json
import logging
import signal
import threading

import click
from flask import Flask, current_app
from flask.cli import with_appcontext


def _log_to_console() -> None:
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("coaching.mail").setLevel(logging.INFO)


@click.command("worker")
@click.option("--once", is_flag=True, help="Run one cycle, print its counts as JSON and exit.")
@with_appcontext
def worker_command(once: bool) -> None:
    """Deliver the outbox and run the periodic jobs until SIGTERM."""
    from coaching.mail import worker

    _log_to_console()
    app = current_app._get_current_object()
    if once:
        click.echo(json.dumps(worker.run_once(app), sort_keys=True))
        return
    worker.run_forever(app)


@click.command("mailcatcher")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8025, show_default=True, type=int)
@with_appcontext
def mailcatcher_command(host: str, port: int) -> None:
    """Accept every message over SMTP and keep it in MAIL_CATCHER_DIR (development only)."""
    from coaching.mail import catcher

    _log_to_console()
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command at INFO
    directory = current_app.config["MAIL_CATCHER_DIR"]
    server = catcher.controller(directory, host, port)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_args: stop.set())
    server.start()
    click.echo(f"mail catcher on {host}:{port}, storing into {directory}")
    try:
        while not stop.wait(1.0):
            pass
    finally:
        server.stop()


def register(app: Flask) -> None:
    app.cli.add_command(worker_command)
    app.cli.add_command(mailcatcher_command)

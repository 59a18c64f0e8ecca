"""Messages per second: the outbox worker vs a bare smtplib loop, both into a local aiosmtpd process.

    .venv/bin/python benchmarks/mail_delivery.py [--messages 1000] [--database-url URL]

The worker's figure includes everything it does per message (claim, build the MIME tree, SMTP, record the
outcome with one commit per message); the bare loop sends the same messages, built beforehand, over one
connection, so the ratio is the worker's overhead over pure SMTP. The server runs in its own process (a
server thread in this process would compete with the worker for the GIL and distort the figure).
Not a test: numbers vary by machine and load.
"""
from __future__ import annotations

import argparse
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from coaching import create_app  # noqa: E402
from coaching.extensions import db  # noqa: E402
from coaching.mail import delivery, worker  # noqa: E402
from coaching.mail.compose import RenderedEmail  # noqa: E402
from coaching.mail.models import OutboxMessage  # noqa: E402
from coaching.mail.outbox import enqueue, idempotency_key  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
                               "-c", "aiosmtpd.handlers.Sink"])
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.05)
    server.terminate()
    raise SystemExit("aiosmtpd did not start")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="mail-bench-"))
    port = free_port()
    server = start_server(port)
    app = create_app("testing", {
        "SQLALCHEMY_DATABASE_URI": args.database_url or f"sqlite:///{workdir / 'bench.sqlite'}",
        "MAIL_PORT": port, "OUTBOX_MAX_PER_CYCLE": args.messages, "MAIL_CATCHER_DIR": str(workdir / "mc"),
    })
    try:
        with app.app_context():
            db.drop_all()
            db.create_all()
            for i in range(args.messages):
                to = f"person{i}@example.org"
                email = RenderedEmail(f"Einladung {i}", f"Hallo {i},\nbis bald.\n" * 20,
                                      f"<p>Hallo {i},</p>" + "<p>bis bald.</p>" * 20, "de")
                enqueue(kind="bench", key=idempotency_key("bench", "x", to), to_email=to, email=email)
            db.session.commit()

        started, cpu = time.perf_counter(), time.process_time()
        counts = worker.run_once(app)
        worker_seconds, worker_cpu = time.perf_counter() - started, time.process_time() - cpu
        assert counts["sent"] == args.messages, counts

        with app.app_context():
            prepared = [(app.config["MAIL_REPLY_ADDRESS"], [row.recipient_email],
                         delivery.build_message(row).as_bytes())
                        for row in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]
        started = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", port, local_hostname="bench.local", timeout=15) as smtp:
            for mail_from, rcpt_tos, data in prepared:
                smtp.sendmail(mail_from, rcpt_tos, data)
        bare_seconds = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=10)
        with app.app_context():
            db.engine.dispose()

    worker_rate = args.messages / worker_seconds
    bare_rate = args.messages / bare_seconds
    print(f"database:            {app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}")
    print(f"messages:            {args.messages}")
    print(f"outbox worker:       {worker_rate:8.1f} messages/s ({worker_seconds:.2f} s, "
          f"CPU {worker_cpu * 1000 / args.messages:.2f} ms per message)")
    print(f"bare smtplib loop:   {bare_rate:8.1f} messages/s ({bare_seconds:.2f} s)")
    print(f"worker / bare:       {worker_rate / bare_rate:8.2f}")


if __name__ == "__main__":
    main()

"""Delivery reports that arrive later: 5.x.x suppresses the address and marks the person, 4.x.x does not."""
from __future__ import annotations

from pathlib import Path

from coaching.extensions import db
from coaching.mail import bounces, worker
from coaching.mail.models import AddressSuppression
from coaching.people.models import Person
from tests import factories


def _dsn(recipient: str, status: str, action: str = "failed") -> bytes:
    boundary = "REPORT-BOUNDARY"
    return (
        "From: MAILER-DAEMON@relay.example.org\r\nTo: planung@coaching.example.org\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\n"
        f'Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"\r\n\r\n'
        f"--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe mail could not be delivered.\r\n"
        f"--{boundary}\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; relay.example.org\r\n\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\nAction: {action}\r\nStatus: {status}\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 mailbox unknown\r\n\r\n"
        f"--{boundary}--\r\n"
    ).encode()


def _maildir(tmp_path: Path, **files: bytes) -> Path:
    for sub in ("new", "cur", "tmp"):
        (tmp_path / sub).mkdir()
    for name, data in files.items():
        (tmp_path / "new" / name).write_bytes(data)
    return tmp_path


def test_permanent_bounce_suppresses_and_marks_the_person(world, tmp_path):
    person = factories.person(world.org_a, email="Weg@Example.org")
    db.session.commit()
    maildir = _maildir(tmp_path, bounce=_dsn("weg@example.org", "5.1.1"),
                       reply=b"Subject: Re: Einladung\r\n\r\nIch komme gern.\r\n")
    report = bounces.read_bounces(maildir)
    assert report.suppressed == ["weg@example.org"]
    db.session.expire_all()
    assert db.session.get(AddressSuppression, "weg@example.org").reason.startswith("5.1.1")
    assert db.session.get(Person, person.id).email_bounced_at is not None
    # The report is filed; the human reply stays for whoever reads it.
    assert [p.name for p in (maildir / "new").iterdir()] == ["reply"]
    assert bounces.read_bounces(maildir).files == 0


def test_temporary_report_changes_nothing(world, tmp_path):
    person = factories.person(world.org_a, email="spaeter@example.org")
    db.session.commit()
    maildir = _maildir(tmp_path, delayed=_dsn("spaeter@example.org", "4.4.1", action="delayed"))
    assert bounces.read_bounces(maildir).suppressed == []
    assert db.session.get(AddressSuppression, "spaeter@example.org") is None
    assert db.session.get(Person, person.id).email_bounced_at is None


def test_the_worker_reads_bounces_each_cycle(app, world, tmp_path, monkeypatch):
    factories.person(world.org_a, email="alt@example.org")
    db.session.commit()
    maildir = _maildir(tmp_path, bounce=_dsn("alt@example.org", "5.2.1"))
    monkeypatch.setitem(app.config, "MAIL_REPLIES_MAILDIR", str(maildir))
    monkeypatch.setitem(app.config, "MAIL_SUPPRESS_SEND", True)
    worker.run_once(app)
    db.session.expire_all()
    assert db.session.get(AddressSuppression, "alt@example.org") is not None

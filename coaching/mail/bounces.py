"""Bounces that arrive later, as delivery status notifications (RFC 3464) to the reply mailbox.

A relay that accepted a message may still fail to deliver it and mail back a report. A permanent failure
(status 5.x.x) suppresses the address and marks the person, exactly like a 5xx during sending, so the
organiser sees it on the dashboard and the sending page; temporary reports (4.x.x) change nothing.
"""
from __future__ import annotations

import email
import email.policy
import logging
import os
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from flask import current_app

from coaching.extensions import db
from coaching.mail.services import suppress_address

log = logging.getLogger(__name__)


@dataclass
class BounceReport:
    suppressed: list[str] = field(default_factory=list)
    files: int = 0


def permanent_failures(message: EmailMessage) -> list[tuple[str, str]]:
    """(address, reason) for every recipient the report says failed for good; [] if not a DSN."""
    if message.get_content_type() != "multipart/report" or \
            message.get_param("report-type", "").lower() != "delivery-status":
        return []
    failures = []
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        # The payload is a list of header blocks: one per message, then one per recipient.
        for block in part.get_payload():
            status = str(block.get("Status", "")).strip()
            recipient = str(block.get("Final-Recipient", "")).partition(";")[2].strip()
            if recipient and status.startswith("5") and str(block.get("Action", "")).lower() == "failed":
                diagnostic = " ".join(str(block.get("Diagnostic-Code", "")).split())
                failures.append((recipient.lower(), f"{status} {diagnostic}".strip()))
    return failures


def read_bounces(maildir: str | os.PathLike) -> BounceReport:
    """Process the delivery reports among the new mail; other mail stays for its own reader."""
    report = BounceReport()
    new, cur = Path(maildir) / "new", Path(maildir) / "cur"
    if not new.is_dir():
        return report
    cur.mkdir(parents=True, exist_ok=True)
    for path in sorted(p for p in new.iterdir() if p.is_file() and not p.name.startswith(".")):
        try:
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        except Exception:  # noqa: BLE001  one unreadable file must not stop the others
            log.exception("unreadable mail %s", path.name)
            continue
        if message.get_content_type() != "multipart/report":
            continue
        for address, reason in permanent_failures(message):
            suppress_address(address, reason)
            report.suppressed.append(address)
        db.session.commit()
        os.replace(path, cur / f"{path.name}:2,S")
        report.files += 1
    return report


def poll() -> BounceReport | None:
    """Worker hook: the reply mailbox (MAIL_REPLIES_MAILDIR) also receives bounces (envelope sender)."""
    maildir = current_app.config.get("MAIL_REPLIES_MAILDIR")
    return read_bounces(maildir) if maildir else None

"""A local catch-all SMTP server for development: every message is kept as a file in a maildir.

The worker delivers to it over real SMTP exactly as it would to an organisation's relay; the Mailbox page
(`/postfach`) reads the maildir. Not for production: it accepts mail for any address from anyone.
"""
from __future__ import annotations

import mailbox
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope


class MaildirHandler:
    """aiosmtpd handler: one file per recipient, with Return-Path and Delivered-To like a real MDA."""

    def __init__(self, directory: str | Path):
        self.maildir = mailbox.Maildir(str(directory), create=True)

    async def handle_DATA(self, server: SMTP, session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        for rcpt in envelope.rcpt_tos:
            trace = f"Return-Path: <{envelope.mail_from}>\r\nDelivered-To: {rcpt}\r\n".encode()
            # Maildir.add writes to tmp/ and renames into new/: a reader never sees half a message.
            self.maildir.add(trace + content)
        return "250 Message accepted for delivery"


def controller(directory: str | Path, host: str = "127.0.0.1", port: int = 8025) -> Controller:
    """An aiosmtpd controller (not started) that stores into `directory`."""
    return Controller(MaildirHandler(directory), hostname=host, port=port, ready_timeout=10,
                      data_size_limit=30 * 1024 * 1024)

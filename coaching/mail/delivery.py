"""The one module that turns an OutboxMessage into a MIME message and hands it to an SMTP server.

The MIME tree is built with the stdlib `email` package inside a Flask-Mail `Message` subclass, because
Flask-Mail 0.10's `alts` cannot put `method=REQUEST|CANCEL` on the calendar part (without it Outlook shows
no Accept/Decline). The SMTP connection is a Flask-Mail `Connection` subclass that sets a timeout (Flask-Mail
has none: a hung server would block the worker forever), checks `sendmail()`'s refused recipients (Flask-Mail
ignores them) and never lets a failing QUIT ("please run connect() first") hide the original error.
"""
from __future__ import annotations

import re
import smtplib
import socket
from dataclasses import dataclass
from email import charset
from email.header import Header
from email.headerregistry import Address
from email.message import Message as MIMEMessage
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import format_datetime, make_msgid

from flask import current_app
from flask_mail import BadHeaderError, Connection, Message, email_dispatched

from coaching.core import clock
from coaching.extensions import mail
from coaching.mail.models import OutboxMessage

KIND_HEADER = "X-Coaching-Kind"
# quoted-printable keeps long HTML lines under SMTP's 998-octet limit whatever the server supports.
QUOTED_UTF8 = charset.Charset("utf-8")
QUOTED_UTF8.body_encoding = charset.QP
# Calendar parts go base64, as calendar servers send them.
BASE64_UTF8 = charset.Charset("utf-8")
BASE64_UTF8.body_encoding = charset.BASE64
# smtplib sends bytes as they are: the lines must already end in CRLF.
WIRE = compat32.clone(linesep="\r\n")


def mailbox_header(value: str) -> str:
    """`Name <addr>` with the name quoted when needed: "Elternarbeit@Ost" has an @ that breaks parsers."""
    match = re.fullmatch(r"\s*(.*?)\s*<([^<>\s]+)>\s*", value)
    if match is None:
        return value
    return str(Address(display_name=match[1].strip('"'), addr_spec=match[2]))


class OutboxMail(Message):
    """One outbox row as a Flask-Mail message; `_message()` builds the whole MIME tree with the stdlib."""

    def __init__(self, row: OutboxMessage, domain: str):
        super().__init__(
            subject=row.subject or "",
            recipients=[row.recipient_email],
            body=row.body_text or "",
            html=row.body_html,
            sender=row.sender,
            extra_headers={**(row.headers or {}), KIND_HEADER: row.kind},
        )
        self.msgId = make_msgid(domain=domain)
        self.ical = row.ical
        self.ical_method = (row.ical_method or "REQUEST").upper()

    def _message(self) -> MIMEMessage:  # type: ignore[override]
        # The compat32 `email.mime` classes build this tree several times faster than `EmailMessage`
        # with the modern policy, which was most of the worker's time per message.
        body = MIMEMultipart("alternative")
        body.attach(MIMEText(self.body or "", "plain", QUOTED_UTF8))
        if self.html:
            body.attach(MIMEText(self.html, "html", QUOTED_UTF8))
        msg = body
        if self.ical:
            calendar = MIMEText(self.ical, "calendar", BASE64_UTF8)
            calendar.set_param("method", self.ical_method)
            body.attach(calendar)
            # For people whose client ignores the inline part: the same object as a file to import.
            attachment = MIMEApplication(self.ical.encode("utf-8"), "ics")
            attachment.add_header("Content-Disposition", "attachment", filename="invite.ics")
            msg = MIMEMultipart("mixed")
            msg.attach(body)
            msg.attach(attachment)
        msg["Subject"] = _header(self.subject)
        msg["From"] = mailbox_header(str(self.sender))
        msg["To"] = ", ".join(str(r) for r in self.recipients)
        msg["Date"] = format_datetime(clock.now())
        msg["Message-ID"] = self.msgId
        for name, value in (self.extra_headers or {}).items():
            msg[name] = _header(value)
        return msg


    def as_bytes(self) -> bytes:
        return self._message().as_bytes(policy=WIRE)

    def as_string(self) -> str:
        return self._message().as_string(policy=WIRE)


def _header(value: str) -> str | Header:
    return value if value.isascii() else Header(value, "utf-8")


def build_message(row: OutboxMessage) -> OutboxMail:
    return OutboxMail(row, current_app.config["APP_DOMAIN"])


@dataclass(frozen=True)
class DeliveryError(Exception):
    """What went wrong, in the terms the worker decides on."""

    reason: str
    permanent: bool = False
    # The recipient's address itself was refused for good: suppress it and tell the organiser.
    bad_address: bool = False
    # The connection is unusable afterwards (refused, timed out, dropped, 421).
    connection_lost: bool = False

    def __str__(self) -> str:
        return self.reason


def _reply_text(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip()[:500]


def classify(exc: BaseException) -> DeliveryError:
    """Temporary (4xx, network) errors are retried; 5xx for the recipient fails for good."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()))
        reason = _reply_text(code, text)
        if code >= 500:
            return DeliveryError(reason, permanent=True, bad_address=True)
        return DeliveryError(reason, connection_lost=code == 421)
    if isinstance(exc, smtplib.SMTPDataError) and exc.smtp_code >= 500:
        # The server took the address but refused this message (content, size): retrying cannot help.
        return DeliveryError(_reply_text(exc.smtp_code, exc.smtp_error), permanent=True)
    if isinstance(exc, smtplib.SMTPResponseException):
        # 4xx, or a 5xx about our sender/login: a configuration problem, not the recipient's; retried.
        return DeliveryError(_reply_text(exc.smtp_code, exc.smtp_error), connection_lost=exc.smtp_code == 421)
    if isinstance(exc, BadHeaderError | ValueError):
        # A header with a line break or an unencodable value: the same row would fail every time.
        return DeliveryError(f"{type(exc).__name__}: {exc}"[:500], permanent=True)
    if isinstance(exc, smtplib.SMTPServerDisconnected | ConnectionError | socket.timeout | TimeoutError):
        return DeliveryError(f"{type(exc).__name__}: {exc}"[:500], connection_lost=True)
    if isinstance(exc, OSError | smtplib.SMTPException):
        return DeliveryError(f"{type(exc).__name__}: {exc}"[:500], connection_lost=True)
    return DeliveryError(f"{type(exc).__name__}: {exc}"[:500])


class SmtpConnection(Connection):
    """A Flask-Mail connection with a timeout, a refused-recipients check and a quiet close."""

    def __init__(self, timeout: float, envelope_from: str):
        # Settings are read now, not at app start, and `testing` does not silently suppress sending:
        # the worker only runs where mail is meant to go out (tests point it at their own server).
        super().__init__(mail.init_mail(current_app.config, testing=False))
        self.timeout = timeout
        self.envelope_from = envelope_from
        self.local_hostname = current_app.config["APP_DOMAIN"]

    def configure_host(self) -> smtplib.SMTP:
        cls = smtplib.SMTP_SSL if self.mail.use_ssl else smtplib.SMTP
        host = cls(self.mail.server, self.mail.port, local_hostname=self.local_hostname, timeout=self.timeout)
        try:
            if self.mail.use_tls:
                host.starttls()
            if self.mail.username and self.mail.password:
                host.login(self.mail.username, self.mail.password)
        except BaseException:
            host.close()
            raise
        return host

    def __exit__(self, exc_type, exc_value, tb) -> None:
        self.close()

    def close(self) -> None:
        """QUIT if the server still listens; a dead connection must not raise over the real error."""
        host, self.host = self.host, None
        if host is None:
            return
        try:
            host.quit()
        except (smtplib.SMTPException, OSError):
            host.close()

    def deliver(self, message: OutboxMail) -> None:
        """Send to the one recipient; raises on any refusal (Flask-Mail would drop a partial one)."""
        if message.has_bad_headers():
            raise BadHeaderError("line break in a header")
        if self.host is not None:
            refused = self.host.sendmail(self.envelope_from, [str(r) for r in message.recipients],
                                         message.as_bytes())
            if refused:
                raise smtplib.SMTPRecipientsRefused(refused)
        email_dispatched.send(current_app._get_current_object(), message=message)


def open_connection() -> SmtpConnection:
    config = current_app.config
    connection = SmtpConnection(float(config["MAIL_TIMEOUT"]), config["MAIL_REPLY_ADDRESS"])
    return connection.__enter__()

"""The MIME tree as a mail client sees it: parsed from the bytes a real SMTP server received."""
from __future__ import annotations

import email
import smtplib
from email.policy import default

import pytest
from icalendar import Calendar

from coaching.mail import delivery, worker
from coaching.mail.models import OutboxMessage, OutboxStatus

from .support import queue


def _received(smtp, app, **kwargs):
    queue(1, **kwargs)
    counts = worker.run_once(app)
    assert counts["sent"] == 1, counts
    (received,) = smtp.handler.messages
    return received, email.message_from_bytes(received.data, policy=default)


@pytest.mark.parametrize("method", ["REQUEST", "CANCEL"])
def test_invitation_mime_tree(app, smtp, method):
    received, msg = _received(smtp, app, ical_method=method, kind="invitation")

    assert msg.get_content_type() == "multipart/mixed"
    alternative, attachment = msg.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    plain, html, calendar_part = alternative.get_payload()
    assert plain.get_content_type() == "text/plain"
    assert html.get_content_type() == "text/html"
    assert "Hallo 0" in plain.get_content() and "<b>willkommen</b>" in html.get_content()

    assert calendar_part.get_content_type() == "text/calendar"
    assert calendar_part.get_param("charset") == "utf-8"
    assert calendar_part["Content-Transfer-Encoding"] == "base64"
    calendar = Calendar.from_ical(calendar_part.get_content())
    assert calendar_part.get_param("method") == str(calendar["METHOD"]) == method
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Das duale Ausbildungssystem – Übersicht"

    assert attachment.get_content_type() == "application/ics"
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_filename() == "invite.ics"
    assert Calendar.from_ical(attachment.get_content())["METHOD"] == method


def test_plain_mail_headers_and_envelope(app, smtp):
    unsubscribe = "<https://coaching.test/abmelden/x>, <mailto:planung@coaching.example.org>"
    headers = {"List-Unsubscribe": unsubscribe,
               "List-Unsubscribe-Post": "List-Unsubscribe=One-Click", "Auto-Submitted": "auto-generated"}
    received, msg = _received(smtp, app, headers=headers, kind="reminder")

    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    assert str(msg["Subject"]) == "Einladung 0: Größe & Übersicht"
    assert str(msg["To"]) == "p0@example.org"
    (sender,) = msg["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Elternarbeit@Ost", "planung@coaching.example.org")
    for name, value in headers.items():
        assert str(msg[name]).strip() == value  # long values are folded; unfolding keeps a space
    assert str(msg["X-Coaching-Kind"]) == "reminder"
    message_id = str(msg["Message-ID"])
    assert message_id.endswith("@coaching.example.org>") and "localhost" not in message_id
    # Bounces go to the mailbox that exists; one recipient per message.
    assert received.mail_from == app.config["MAIL_REPLY_ADDRESS"]
    assert received.rcpt_tos == ["p0@example.org"]
    row = OutboxMessage.query.one()
    assert row.status == OutboxStatus.SENT and row.message_id == message_id and row.sent_at is not None


def test_refused_recipient_in_sendmail_result_is_not_ignored(app):
    """Flask-Mail drops sendmail()'s refused dict; our connection raises it."""

    class PartlyRefusing:
        def sendmail(self, *args):
            return {"p0@example.org": (550, b"5.1.1 unknown")}

    (row,) = queue(1)
    connection = delivery.SmtpConnection(1.0, "planung@coaching.example.org")
    connection.host = PartlyRefusing()
    with pytest.raises(smtplib.SMTPRecipientsRefused) as excinfo:
        connection.deliver(delivery.build_message(row))
    error = delivery.classify(excinfo.value)
    assert error.permanent and error.bad_address and error.reason.startswith("550")


@pytest.mark.parametrize(("exc", "permanent", "lost"), [
    (smtplib.SMTPRecipientsRefused({"a@b": (450, b"busy")}), False, False),
    (smtplib.SMTPRecipientsRefused({"a@b": (421, b"closing")}), False, True),
    (smtplib.SMTPDataError(554, b"rejected"), True, False),
    (smtplib.SMTPSenderRefused(553, b"sender", "x@y"), False, False),
    (smtplib.SMTPServerDisconnected("Connection unexpectedly closed: timed out"), False, True),
    (ConnectionRefusedError(111, "Connection refused"), False, True),
    (TimeoutError("timed out"), False, True),
])
def test_classify(exc, permanent, lost):
    error = delivery.classify(exc)
    assert (error.permanent, error.connection_lost, error.bad_address) == (permanent, lost, False)

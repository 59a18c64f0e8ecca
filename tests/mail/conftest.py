"""A real aiosmtpd server on a free loopback port, with scripted answers; helpers to fill the outbox."""
from __future__ import annotations

import asyncio
import socket
import threading
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes


@dataclass
class ScriptedHandler:
    """Accepts everything unless told otherwise: `refuse[addr]` always, `answers[addr]` once each in turn."""

    refuse: dict[str, str] = field(default_factory=dict)
    answers: dict[str, list[str]] = field(default_factory=dict)
    hang_on_data: bool = False
    messages: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        scripted = self.answers.get(address)
        if scripted:
            return scripted.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.hang_on_data:
            await asyncio.sleep(3600)  # cancelled when the controller stops
        with self.lock:
            received = Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content)
            self.messages.append(received)
        return "250 Message accepted"

    def recipients(self) -> list[str]:
        with self.lock:
            return [r for m in self.messages for r in m.rcpt_tos]


class SmtpServer:
    def __init__(self, port: int):
        self.port = port
        self.handler = ScriptedHandler()
        self.controller: Controller | None = None

    def start(self) -> SmtpServer:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, ready_timeout=10)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server(app, monkeypatch):
    """A server on a free port, NOT started (the test decides when it is up)."""
    server = SmtpServer(free_port())
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", server.port)
    yield server
    server.stop()


@pytest.fixture
def smtp(smtp_server):
    """A running server."""
    return smtp_server.start()


@pytest.fixture
def hung_server(app, monkeypatch):
    """Accepts TCP connections (the kernel's backlog) and never says a word."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(50)
    monkeypatch.setitem(app.config, "MAIL_PORT", sock.getsockname()[1])
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 0.3)
    yield sock
    sock.close()

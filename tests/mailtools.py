"""Mail test helpers: the production mail settings, a port that refuses, a local SMTP sink."""

from __future__ import annotations

import socket
from contextlib import contextmanager
from email import message_from_bytes
from email.message import Message as ParsedMessage

import pytest
from aiosmtpd.controller import Controller

QUEUE = "mailer.backend.DbBackend"
SMTP = "django.core.mail.backends.smtp.EmailBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def closed_port() -> int:
    """A localhost port nothing listens on (connecting to it is refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def refused_redis_caches() -> dict:
    """The production cache settings with REDIS_URL set and nothing listening there."""
    return {
        "default": {
            "BACKEND": "config.cache.RedisOrDatabaseCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "FALLBACK": "database",
        },
        "database": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "waypoint_cache",
        },
    }


@pytest.fixture
def smtp_port():
    return closed_port()


@pytest.fixture
def production_mail(settings, smtp_port):
    """Mail as production sends it: queued by send_mail, delivered by the worker over SMTP to
    127.0.0.1:`smtp_port`, where nothing listens until a test starts a sink there."""
    settings.EMAIL_BACKEND = QUEUE
    settings.MAILER_EMAIL_BACKEND = SMTP
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    return settings


class _Sink:
    def __init__(self) -> None:
        self.messages: list[ParsedMessage] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        message = message_from_bytes(envelope.original_content)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"


@contextmanager
def smtp_sink(port: int):
    """An SMTP server on 127.0.0.1:`port` that keeps what it receives (a list of messages)."""
    sink = _Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink.messages
    finally:
        controller.stop()

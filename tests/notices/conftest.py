"""A real SMTP server for the notices tests: aiosmtpd in this process, on a free port of 127.0.0.1,
with the settings pointed at it, so that mails go through Django's SMTP backend and are read back
as the server received them. Nothing to install or start beside the test run.

- fixture ``smtp``: the ``MailServer`` (``.messages``, parsed; ``.refuse`` addresses to refuse,
  ``.refuse_all``, with ``.refusal``, 451 by default); the settings send to it while the test runs.
- ``with_email(user, language=None)``: give a user an address (and, with ``language``, notice
  preferences in that language).
"""

from __future__ import annotations

import email
import logging
import socket
import threading
import time
from email.message import EmailMessage
from email.policy import default

import pytest
from aiosmtpd.controller import Controller

from notices.models import NoticePreferences


class MailServer:
    """What the SMTP server accepted, and whom it refuses."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.refuse: set[str] = set()  # addresses refused with ``refusal``
        self.refuse_all = False
        self.refusal = "451 4.3.0 Mailbox busy, try again later"
        self.delay = 0.0  # seconds each message takes to accept, to make runs overlap
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_all or address in self.refuse:
            return self.refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            time.sleep(self.delay)  # blocks the server's loop on purpose: a slow server
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=default)
        with self._lock:
            self.messages.append(message)
        return "250 2.0.0 Accepted"

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages if message["To"] == address]


# aiosmtpd logs every SMTP command at INFO: quiet, so that a failing test shows its own output.
logging.getLogger("mail.log").setLevel(logging.WARNING)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    server = MailServer()
    controller = Controller(server, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.SITE_URL = "https://styrmodell.example.se"
    try:
        yield server
    finally:
        controller.stop()


def with_email(user, language: str | None = None, **choices):
    """``user`` with an address (their user name at example.se) and, with ``language`` or
    ``choices``, notice preferences."""
    user.email = f"{user.username}@example.se"
    user.save(update_fields=["email"])
    if language or choices:
        NoticePreferences.objects.update_or_create(
            user=user, defaults={"language": language or "sv", **choices}
        )
    return user

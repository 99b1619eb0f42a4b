"""Sending one-time codes by e-mail or SMS through a pluggable sender (setting PORTAL_MESSAGE_SENDER).

Two senders come with the product and neither uses a network: the console sender prints (development),
the outbox sender stores the message in a table (demo, tests, load benchmark). A deployment plugs in a
class with the same ``send`` method that hands the message to its mail or SMS gateway.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from ketenregie.core.models import Municipality


@dataclass(frozen=True)
class Message:
    municipality: Municipality
    channel: str  # "email" or "sms"
    recipient: str
    language: str
    subject: str
    body: str


class Sender(Protocol):
    def send(self, message: Message) -> None: ...


def mask(recipient: str) -> str:
    """'anna.nowak@example.com' -> 'a***@example.com'; '+31612345678' -> '***5678'."""
    if "@" in recipient:
        local, _at, domain = recipient.partition("@")
        return f"{local[:1]}***@{domain}"
    return "***" + recipient[-4:]


class ConsoleSender:
    """Prints the message to standard output, with the recipient masked: for development only."""

    def send(self, message: Message) -> None:
        print(
            f"[portal {message.channel} to {mask(message.recipient)}] {message.subject}\n{message.body}\n",
            file=sys.stdout,
            flush=True,
        )


class OutboxSender:
    """Stores the message in the outbox table (portal.OutboxMessage)."""

    def send(self, message: Message) -> None:
        from ketenregie.portal.models import OutboxMessage

        OutboxMessage.objects.create(
            municipality=message.municipality,
            channel=message.channel,
            recipient=message.recipient,
            language=message.language,
            subject=message.subject,
            body=message.body,
        )


@cache
def _sender_class(path: str) -> type[Sender]:
    sender: type[Sender] = import_string(path)
    return sender


def get_sender() -> Sender:
    return _sender_class(settings.PORTAL_MESSAGE_SENDER)()

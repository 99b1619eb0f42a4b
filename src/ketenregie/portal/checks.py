"""Start-up checks for the portal: a production deployment must send real messages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string

DEVELOPMENT_SENDERS = {"ketenregie.portal.senders.ConsoleSender", "ketenregie.portal.senders.OutboxSender"}


@checks.register(checks.Tags.compatibility)
def check_message_sender(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    path = settings.PORTAL_MESSAGE_SENDER
    try:
        import_string(path)
    except ImportError:
        return [
            checks.Error(
                f"PORTAL_MESSAGE_SENDER={path!r} cannot be imported",
                hint="Give the dotted path of a class with a send(message) method.",
                id="ketenregie.E601",
            )
        ]
    if settings.IS_PRODUCTION and path in DEVELOPMENT_SENDERS:
        return [
            checks.Warning(
                f"PORTAL_MESSAGE_SENDER is {path}: one-time codes do not reach anyone in production",
                hint="Plug in a sender for your mail and SMS gateway.",
                id="ketenregie.W601",
            )
        ]
    return []

"""Telling a reporter what came of their melding.

The sender is pluggable (setting ``SIGNAL_NOTIFIER``): the default sends an e-mail through Django's
e-mail machinery, whose backend is the console in development and an in-memory outbox in tests. A
reporter who left only a phone number is called by staff; the melding page says so.
"""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from ketenregie.signals.models import Signal


class ReporterNotifier(Protocol):
    def inform(self, signal: Signal) -> bool:
        """Send the outcome to the reporter; True when a message went out."""


class EmailNotifier:
    def inform(self, signal: Signal) -> bool:
        if not signal.reporter_email:
            return False
        language = signal.reporter_language if signal.reporter_language in dict(settings.LANGUAGES) else "nl"
        with translation.override(language):
            subject = _("Your melding %(reference)s has been handled") % {"reference": signal.reference}
            body = render_to_string(
                "signals/email/outcome.txt",
                {
                    "signal": signal,
                    "municipality": signal.municipality,
                    "category": signal.category.top.name,
                    "address": signal.address.label if signal.address else signal.location_text,
                    "result": signal.get_result_display(),
                },
            )
        message = EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[signal.reporter_email],
        )
        return message.send(fail_silently=False) > 0


def get_notifier() -> ReporterNotifier:
    path: str = getattr(settings, "SIGNAL_NOTIFIER", "ketenregie.signals.notifications.EmailNotifier")
    notifier: ReporterNotifier = import_string(path)()
    return notifier

"""One-time codes: six digits, sent by e-mail or SMS, valid PORTAL_CODE_MINUTES, PORTAL_CODE_ATTEMPTS
tries, stored only as a keyed hash. A submission is used at most once."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ketenregie.core.models import Municipality
from ketenregie.portal.models import CodeChannel, PendingVerification
from ketenregie.portal.senders import Message, get_sender

MAX_CODES_SENT = 3
# Unused submissions (and the personal data in them) are removed after a day.
PENDING_KEPT = dt.timedelta(days=1)


def _hash(token: str, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{token}:{code}".encode(), hashlib.sha256).hexdigest()


def _new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def _send(pending: PendingVerification, code: str) -> None:
    municipality = pending.municipality
    minutes = settings.PORTAL_CODE_MINUTES
    with translation.override(pending.language):
        subject = _("Your code for the portal of %(municipality)s") % {"municipality": municipality.name}
        if pending.channel == CodeChannel.SMS:
            body = _(
                "%(code)s is your code for %(municipality)s. "
                "It works for %(minutes)d minutes. Do not share it."
            ) % {
                "code": code,
                "municipality": municipality.name,
                "minutes": minutes,
            }
        else:
            body = _(
                "Your code is %(code)s.\n\nType this code on the website within %(minutes)d minutes. "
                "Never give this code to anyone else.\n\nDid you not ask for a code? Then you can ignore "
                "this message. Nothing will change.\n\nMunicipality of %(municipality)s"
            ) % {"code": code, "municipality": municipality.name, "minutes": minutes}
    get_sender().send(
        Message(
            municipality=municipality,
            channel=pending.channel,
            recipient=pending.recipient,
            language=pending.language,
            subject=subject,
            body=body,
        )
    )


@transaction.atomic
def start(
    *,
    municipality: Municipality,
    purpose: str,
    language: str,
    channel: str,
    recipient: str,
    payload: dict[str, Any],
) -> PendingVerification:
    """Keep the submission server-side, and send a code to the visitor."""
    now = timezone.now()
    PendingVerification.objects.filter(created_at__lt=now - PENDING_KEPT).delete()
    token = secrets.token_urlsafe(32)
    code = _new_code()
    pending = PendingVerification.objects.create(
        municipality=municipality,
        token=token,
        purpose=purpose,
        language=language,
        channel=channel,
        recipient=recipient,
        payload=payload,
        code_hash=_hash(token, code),
        code_expires_at=now + dt.timedelta(minutes=settings.PORTAL_CODE_MINUTES),
    )
    _send(pending, code)
    return pending


def find(*, token: str | None, purpose: str) -> PendingVerification | None:
    if not token:
        return None
    return (
        PendingVerification.objects.select_related("municipality")
        .filter(token=token, purpose=purpose, created_at__gte=timezone.now() - PENDING_KEPT)
        .first()
    )


class Outcome(enum.Enum):
    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"
    BLOCKED = "blocked"
    USED = "used"


@dataclass(frozen=True)
class CheckResult:
    outcome: Outcome
    tries_left: int = 0


def check(*, pending: PendingVerification, code: str) -> CheckResult:
    """Compare a code; every try counts, also a right one after the limit."""
    if pending.consumed_at is not None:
        return CheckResult(Outcome.USED)
    if pending.attempts >= settings.PORTAL_CODE_ATTEMPTS:
        return CheckResult(Outcome.BLOCKED)
    PendingVerification.objects.filter(pk=pending.pk).update(attempts=F("attempts") + 1)
    pending.refresh_from_db(fields=["attempts", "code_expires_at", "code_hash"])
    if pending.attempts > settings.PORTAL_CODE_ATTEMPTS:
        return CheckResult(Outcome.BLOCKED)
    tries_left = settings.PORTAL_CODE_ATTEMPTS - pending.attempts
    if not hmac.compare_digest(pending.code_hash, _hash(pending.token, code.strip())):
        return CheckResult(Outcome.WRONG if tries_left else Outcome.BLOCKED, tries_left)
    if timezone.now() > pending.code_expires_at:
        return CheckResult(Outcome.EXPIRED)
    return CheckResult(Outcome.OK)


def resend(*, pending: PendingVerification) -> bool:
    """A new code (the old one stops working) and fresh tries; False when enough codes were sent."""
    if pending.consumed_at is not None or pending.codes_sent >= MAX_CODES_SENT:
        return False
    code = _new_code()
    pending.code_hash = _hash(pending.token, code)
    pending.code_expires_at = timezone.now() + dt.timedelta(minutes=settings.PORTAL_CODE_MINUTES)
    pending.attempts = 0
    pending.codes_sent += 1
    pending.save(update_fields=["code_hash", "code_expires_at", "attempts", "codes_sent"])
    _send(pending, code)
    return True


def consume(*, pending: PendingVerification) -> bool:
    """Mark the submission used, inside the caller's transaction; False when it was used already.

    The row lock makes a double click (or two tabs) apply the update once, never twice.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("consume() belongs inside the transaction that applies the submission")
    locked = PendingVerification.objects.select_for_update().get(pk=pending.pk)
    if locked.consumed_at is not None:
        return False
    now = timezone.now()
    PendingVerification.objects.filter(pk=pending.pk).update(consumed_at=now, verified_at=now, payload={})
    return True

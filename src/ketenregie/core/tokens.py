"""API tokens: made for a limited time, stored as a hash, revoked when the account's trust changes.

A token ends when its lifetime (``API_TOKEN_LIFETIME_HOURS``) is over, when its owner revokes it, and
at once for all of a user's tokens when the password changes, the account is deactivated or its last
active membership ends (see core.signals). Every revocation leaves an event in the audit trail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenregie.core import audit
from ketenregie.core.actor import Actor
from ketenregie.core.models import ApiToken, AuditAction, AuditEvent, RevokedBecause, User
from ketenregie.core.validators import parse_id

# Writing last_used_at on every request would turn each API read into a write as well.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


def hash_key(key: str) -> str:
    # The key is 160 random bits: a plain hash cannot be reversed by guessing, no slow hash needed.
    return hashlib.sha256(key.encode()).hexdigest()


def lifetime() -> dt.timedelta:
    return dt.timedelta(hours=settings.API_TOKEN_LIFETIME_HOURS)


@transaction.atomic
def token_create(*, user: User, name: str = "", actor: Actor | None = None) -> tuple[ApiToken, str]:
    """A new token for the user; returns it with its key, which is not stored and cannot be shown again."""
    key = secrets.token_hex(20)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        key_hash=hash_key(key),
        prefix=key[:8],
        expires_at=timezone.now() + lifetime(),
    )
    _record(token, action=AuditAction.CREATE, actor=actor)
    return token, key


def token_for_key(key: str) -> ApiToken | None:
    return ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()


def token_touch(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's tokens that still work, newest first."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=timezone.now())


@transaction.atomic
def token_revoke(*, user: User, token_id: object, actor: Actor | None = None) -> ApiToken:
    """Revoke one of the user's own tokens that still works.

    ``token_id`` is as the user sent it. Another user's token, one that no longer works and one that never
    existed all raise the same Http404, so the answer tells nobody which tokens exist.
    """
    pk = parse_id(token_id)
    token = None if pk is None else tokens_of(user).select_for_update().filter(pk=pk).first()
    if token is None:
        raise Http404(_("This token does not exist or no longer works."))
    _revoke([token], because=RevokedBecause.OWNER, actor=actor)
    return token


@transaction.atomic
def tokens_revoke_all(*, user: User, because: str, actor: Actor | None = None) -> int:
    """Revoke every token of the user that still works; returns how many."""
    tokens = list(ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True))
    _revoke(tokens, because=because, actor=actor)
    return len(tokens)


def _revoke(tokens: list[ApiToken], *, because: str, actor: Actor | None) -> None:
    now = timezone.now()
    for token in tokens:
        token.revoked_at = now
        token.revoked_because = because
        token.save(update_fields=["revoked_at", "revoked_because"])
        _record(token, action=AuditAction.UPDATE, actor=actor, fields=["revoked_at"], reason=because)


def _record(
    token: ApiToken, *, action: str, actor: Actor | None, fields: list[str] | None = None, reason: str = ""
) -> None:
    if actor is not None:
        audit.record_change(actor, instance=token, action=action, changed_fields=fields or ())
        return
    # A user without an active membership has no actor; a revocation by a change to the account itself
    # (the admin's password form, a command) has no request to name who made it.
    membership = token.user.memberships.select_related("organisation").first()
    by_owner = action == AuditAction.CREATE
    AuditEvent(
        municipality_id=membership.organisation.municipality_id if membership else None,
        user=token.user if by_owner else None,
        username=token.user.get_username() if by_owner else "system:api-tokens",
        organisation=membership.organisation if membership else None,
        organisation_name=membership.organisation.name if membership else "",
        action=action,
        object_type=audit.object_type_of(token),
        object_id=str(token.pk),
        detail={"fields": fields or [], "reason": reason, "owner": token.user_id},
    ).save()

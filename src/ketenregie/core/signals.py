"""Authentication events for the audit trail. Django sends these signals; we only record them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from ketenregie.core.models import AuditAction, AuditEvent, User


def _record(action: str, *, user: User | None, username: str) -> None:
    membership = user.memberships.select_related("organisation").first() if user is not None else None
    AuditEvent(
        municipality_id=membership.organisation.municipality_id if membership else None,
        user=user,
        username=username[:150],
        organisation=membership.organisation if membership else None,
        organisation_name=membership.organisation.name if membership else "",
        action=action,
        object_type="core.user" if user is not None else "",
        object_id=str(user.pk) if user is not None else "",
    ).save()


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    _record(AuditAction.LOGIN, user=user, username=user.get_username())


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        _record(AuditAction.LOGOUT, user=user, username=user.get_username())


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))
    _record(AuditAction.LOGIN_FAILED, user=User.objects.filter(username=username).first(), username=username)

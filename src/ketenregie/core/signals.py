"""Authentication events for the audit trail. Django sends these signals; we only record them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from ketenregie.core.audit import typed_username
from ketenregie.core.models import AuditAction, AuditEvent, User


def _record(action: str, *, user: User | None, username: str) -> None:
    membership = user.memberships.select_related("organisation").first() if user is not None else None
    # An account without a membership yet still belongs to the municipality that created it.
    municipality_id: int | None
    if membership is not None:
        municipality_id = membership.organisation.municipality_id
    else:
        municipality_id = user.municipality_id if user is not None else None
    AuditEvent(
        municipality_id=municipality_id,
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
    user = User.objects.filter(username=username).first()
    # Never the password, and of a name that is no account only its start (see audit.typed_username).
    _record(
        AuditAction.LOGIN_FAILED,
        user=user,
        username=username if user is not None else typed_username(username),
    )

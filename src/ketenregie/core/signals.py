"""Authentication events for the audit trail, and the end of API tokens when an account changes."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from ketenregie.core import audit
from ketenregie.core.audit import typed_username
from ketenregie.core.models import AuditAction, Membership, Organisation, RevokedBecause, User
from ketenregie.core.tokens import tokens_revoke_all

# The backend path Django keeps on a user it authenticated (and in the session); see core/sso.py.
SSO_BACKEND = "ketenregie.core.sso.OidcBackend"


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    detail = {"method": "oidc"} if getattr(user, "backend", "") == SSO_BACKEND else None
    audit.record_authentication(AuditAction.LOGIN, user=user, username=user.get_username(), detail=detail)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        audit.record_authentication(AuditAction.LOGOUT, user=user, username=user.get_username())


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    if "username" not in credentials:
        # A single sign-on callback names no account; core/sso.py records its refusals with the reason.
        return
    username = str(credentials.get("username", ""))
    user = User.objects.filter(username=username).first()
    # Never the password, and of a name that is no account only its start (see audit.typed_username).
    audit.record_authentication(
        AuditAction.LOGIN_FAILED,
        user=user,
        username=username if user is not None else typed_username(username),
    )


# API tokens end when the account's trust changes (see core.tokens). Rooted in the models, so the
# admin's password form, `changepassword`, a deactivation and a removed membership all count.


@receiver(post_save, sender=User)
def _user_saved(sender: Any, instance: User, created: bool, **kwargs: Any) -> None:
    if created:
        return
    # set_password() keeps the raw password in _password until the save; Django's own password_changed
    # hook relies on it too. A hash upgrade at login clears it first: that is no change of password.
    if getattr(instance, "_password", None) is not None:
        tokens_revoke_all(user=instance, because=RevokedBecause.PASSWORD_CHANGED)
    if not instance.is_active:
        tokens_revoke_all(user=instance, because=RevokedBecause.DEACTIVATED)


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def _membership_changed(sender: Any, instance: Membership, **kwargs: Any) -> None:
    if instance.is_active and kwargs.get("signal") is post_save:
        return
    _revoke_without_membership(User.objects.filter(pk=instance.user_id))


@receiver(post_save, sender=Organisation)
def _organisation_saved(sender: Any, instance: Organisation, created: bool, **kwargs: Any) -> None:
    if not created and not instance.is_active:
        _revoke_without_membership(User.objects.filter(memberships__organisation=instance).distinct())


def _revoke_without_membership(users: QuerySet[User]) -> None:
    # The same test as actor_for_user: an active membership of an active organisation.
    for user in users.exclude(memberships__is_active=True, memberships__organisation__is_active=True):
        tokens_revoke_all(user=user, because=RevokedBecause.NO_MEMBERSHIP)

"""Single sign-on for staff: OpenID Connect through mozilla-django-oidc, with roles from a claim.

The provider says who someone is (issuer and subject) and what they do here: the roles claim
(settings.OIDC_ROLES_CLAIM) lists "<organisation's sso_code>:<role>". Each login makes the account's
single sign-on memberships match that list; memberships an administrator granted here are never touched.
An account is found by issuer and subject only: matching on e-mail would hand a local account to anyone
who can put its address on an account at the provider. See docs/sso.md.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx
import jwt
import requests
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from ketenregie.core import audit
from ketenregie.core.actor import Actor
from ketenregie.core.models import AuditAction, Membership, Organisation, Role, User

logger = logging.getLogger(__name__)

# Set on the session at a single sign-on login: logout then also ends the session at the provider, and
# OIDC_REQUIRE_LOCAL_OTP asks for the local second factor.
SSO_SESSION_KEY = "ketenregie.sso"
# The settings a discovery document can fill in, with its field for each.
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_LOGOUT_ENDPOINT": "end_session_endpoint",
    "OIDC_OP_ISSUER": "issuer",
}
DISCOVERY_CACHE_SECONDS = 3600
# Of the claim's values that name nothing here, the trail keeps this many.
MAX_UNKNOWN_IN_TRAIL = 20


class ProviderUnavailable(Exception):
    """The identity provider's discovery document could not be read."""


class SsoRefused(Exception):
    """A login the provider vouched for that this application still refuses, with the reason why."""

    def __init__(self, reason: str, *, user: User | None = None, detail: Mapping[str, Any] | None = None):
        super().__init__(reason)
        self.reason = reason
        self.user = user
        self.detail = dict(detail or {})


def refusal_message(reason: str) -> str:
    """What the login page says about a refused single sign-on."""
    provider = settings.OIDC_PROVIDER_NAME
    if reason == "no_role":
        return _(
            "Your account at %(provider)s gives you no role in an organisation that Ketenregie knows. "
            "Ask your administrator to give you a role for Ketenregie."
        ) % {"provider": provider}
    if reason == "inactive":
        return _("Your Ketenregie account is switched off. Ask your functional administrator.")
    if reason == "unavailable":
        return _("Logging in via %(provider)s is not possible right now. Try again later.") % {
            "provider": provider
        }
    if reason == "cancelled":
        return _("Logging in via %(provider)s was cancelled.") % {"provider": provider}
    return _("Logging in via %(provider)s did not succeed. Try again.") % {"provider": provider}


def discovery() -> dict[str, Any]:
    """The provider's discovery document, read once an hour at most; empty when none is configured."""
    url = settings.OIDC_OP_DISCOVERY
    if not url:
        return {}
    if not url.rstrip("/").endswith("/.well-known/openid-configuration"):
        url = url.rstrip("/") + "/.well-known/openid-configuration"
    key = "oidc-discovery:" + hashlib.sha256(url.encode()).hexdigest()
    document = cache.get(key)
    if document is None:
        try:
            response = httpx.get(url, timeout=settings.OIDC_TIMEOUT)
            response.raise_for_status()
            document = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise ProviderUnavailable(f"discovery document {url}: {exc}") from exc
        if not isinstance(document, dict):
            raise ProviderUnavailable(f"discovery document {url} is no JSON object")
        cache.set(key, document, DISCOVERY_CACHE_SECONDS)
    return document


def oidc_setting(attr: str, *default: Any) -> Any:
    """A setting of mozilla-django-oidc; an empty endpoint is taken from the discovery document."""
    if attr in DISCOVERED and not getattr(settings, attr, ""):
        value = discovery().get(DISCOVERED[attr], "")
        if value:
            return value
        if default:
            return default[0]
        raise ImproperlyConfigured(f"{attr} is not set and the discovery document has no {DISCOVERED[attr]}")
    return import_from_settings(attr, *default)


def _claim(claims: Mapping[str, Any], path: str) -> Any:
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


@dataclass
class RolesClaim:
    grants: set[tuple[Organisation, str]] = field(default_factory=set)
    unknown: list[str] = field(default_factory=list)


def roles_from_claims(claims: Mapping[str, Any]) -> RolesClaim:
    """The memberships the roles claim grants: each value "<sso_code>:<role>" of an active organisation
    and a role the provider may grant (OIDC_GRANTABLE_ROLES); every other value is kept aside as unknown."""
    raw = _claim(claims, settings.OIDC_ROLES_CLAIM)
    if isinstance(raw, str):
        # Some providers give a single role as a string, or several separated by spaces.
        raw = raw.split()
    values = [str(value).strip() for value in raw] if isinstance(raw, list) else []
    result = RolesClaim()
    wanted: dict[str, list[tuple[str, str]]] = {}
    for value in values:
        code, sep, role = value.rpartition(":")
        if not sep or not code or role not in Role.values or role not in settings.OIDC_GRANTABLE_ROLES:
            result.unknown.append(value)
            continue
        wanted.setdefault(code.lower(), []).append((value, role))
    organisations = {
        o.sso_code: o for o in Organisation.objects.filter(sso_code__in=list(wanted), is_active=True)
    }
    for code, pairs in wanted.items():
        for value, role in pairs:
            if code in organisations:
                result.grants.add((organisations[code], role))
            else:
                result.unknown.append(value)
    return result


def _sso_actor(membership: Membership) -> Actor:
    # The grant is the provider's, not a person's here: the trail names it system:sso.
    return Actor.system(membership.organisation.municipality, name="sso")


def sync_memberships(user: User, grants: Iterable[tuple[Organisation, str]]) -> list[Membership]:
    """Make the user's single sign-on memberships exactly ``grants``: add and reactivate what is granted,
    deactivate what no longer is, each change in the audit trail. Local memberships stay as they are,
    also when the claim names the same organisation and role. Returns the memberships changed."""
    wanted = {(organisation.pk, role): organisation for organisation, role in grants}
    existing = {
        (m.organisation_id, m.role): m
        for m in Membership.objects.filter(user=user).select_related("organisation__municipality")
    }
    changed: list[Membership] = []
    for (organisation_id, role), organisation in sorted(wanted.items()):
        membership = existing.get((organisation_id, role))
        if membership is None:
            membership = Membership.objects.create(
                user=user, organisation=organisation, role=role, via_sso=True
            )
            audit.record_membership_change(
                _sso_actor(membership),
                membership=membership,
                action=AuditAction.CREATE,
                changed_fields=["organisation", "role", "user"],
            )
            changed.append(membership)
        elif membership.via_sso and not membership.is_active:
            membership.is_active = True
            membership.save(update_fields=["is_active"])
            audit.record_membership_change(
                _sso_actor(membership),
                membership=membership,
                action=AuditAction.UPDATE,
                changed_fields=["is_active"],
            )
            changed.append(membership)
    for key, membership in existing.items():
        if membership.via_sso and membership.is_active and key not in wanted:
            membership.is_active = False
            membership.save(update_fields=["is_active"])
            audit.record_membership_change(
                _sso_actor(membership),
                membership=membership,
                action=AuditAction.UPDATE,
                changed_fields=["is_active"],
            )
            changed.append(membership)
    return changed


def _username_for(claims: Mapping[str, Any], issuer: str, subject: str) -> str:
    """The provider's user name when no account here has it; otherwise one made from the identity."""
    candidate = str(claims.get("preferred_username") or "").strip()[:150]
    if candidate and not User.objects.filter(username__iexact=candidate).exists():
        return candidate
    return "sso-" + hashlib.sha256(f"{issuer}\n{subject}".encode()).hexdigest()[:16]


def _profile(claims: Mapping[str, Any]) -> dict[str, str]:
    # Shown to colleagues and in the trail's user column; never used to find the account.
    return {
        "first_name": str(claims.get("given_name") or "")[:150],
        "last_name": str(claims.get("family_name") or "")[:150],
        "email": str(claims.get("email") or "")[:254],
    }


class OidcBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, with accounts by issuer and subject and memberships from the claim.

    Django instantiates every backend for every password login and this one for every request of a
    single sign-on session, so nothing is read from the provider until a callback needs it.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.UserModel = User

    get_settings = staticmethod(oidc_setting)

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self) -> str:
        return str(oidc_setting("OIDC_OP_TOKEN_ENDPOINT"))

    @property
    def OIDC_OP_USER_ENDPOINT(self) -> str:
        return str(oidc_setting("OIDC_OP_USER_ENDPOINT", ""))

    @property
    def OIDC_OP_JWKS_ENDPOINT(self) -> str:
        return str(oidc_setting("OIDC_OP_JWKS_ENDPOINT"))

    @property
    def OIDC_RP_CLIENT_ID(self) -> str:
        return str(settings.OIDC_RP_CLIENT_ID)

    @property
    def OIDC_RP_CLIENT_SECRET(self) -> str:
        return str(settings.OIDC_RP_CLIENT_SECRET)

    @property
    def OIDC_RP_SIGN_ALGO(self) -> str:
        return str(settings.OIDC_RP_SIGN_ALGO)

    # The provider's key always comes from its JWKS, never from a shared secret.
    OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        # Only the callback passes a nonce; a password login passes a username and is none of ours.
        if request is None or not settings.OIDC_ENABLED or "nonce" not in kwargs or "username" in kwargs:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except SsoRefused as refusal:
            self._refuse(request, refusal)
        except SuspiciousOperation as exc:
            logger.warning("single sign-on refused: %s", exc)
            self._refuse(request, SsoRefused("invalid_token", detail={"error": str(exc)[:200]}))
        except (requests.RequestException, httpx.HTTPError, ProviderUnavailable, ValueError, KeyError) as exc:
            logger.warning("single sign-on failed at the provider: %s", exc)
            self._refuse(request, SsoRefused("unavailable", detail={"error": type(exc).__name__}))
        return None

    def _refuse(self, request: HttpRequest, refusal: SsoRefused) -> None:
        request.sso_refusal = refusal.reason  # type: ignore[attr-defined]
        # The library stored the tokens before the claims were judged; a refused login keeps none of them.
        for key in ("oidc_id_token", "oidc_access_token"):
            request.session.pop(key, None)
        user = refusal.user
        audit.record_authentication(
            AuditAction.LOGIN_FAILED,
            user=user,
            username=user.get_username() if user is not None else "",
            detail={"method": "oidc", "reason": refusal.reason, **refusal.detail},
        )

    def _verify_jws(self, payload: str, key: Any) -> dict[str, Any]:
        """The library skips the audience; an id_token for another client must not open this one."""
        try:
            header = jwt.get_unverified_header(payload)
        except jwt.InvalidTokenError as exc:
            raise SuspiciousOperation(f"unreadable token: {exc}") from exc
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(
                f"token signed with {header.get('alg')!r}, not {self.OIDC_RP_SIGN_ALGO}"
            )
        issuer = oidc_setting("OIDC_OP_ISSUER", "") or None
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=issuer,
                leeway=60,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.InvalidTokenError as exc:
            raise SuspiciousOperation(f"token refused: {exc}") from exc

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> dict[str, Any]:
        """The id_token's claims, completed from the userinfo endpoint when the provider has one."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            userinfo = super().get_userinfo(access_token, id_token, payload)
            # OpenID Connect Core 5.3.2: userinfo about someone else is to be thrown away.
            if userinfo.get("sub") != payload.get("sub"):
                raise SuspiciousOperation("userinfo is about another subject than the id_token")
            claims.update({key: value for key, value in userinfo.items() if key not in ("iss", "aud", "sub")})
        return claims

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User:
        try:
            claims = self.get_userinfo(access_token, id_token, payload)
        except SuspiciousOperation as exc:
            # The library would swallow this one without a word; the trail and the page should say it.
            raise SsoRefused("invalid_token", detail={"error": str(exc)[:200]}) from exc
        issuer, subject = str(payload["iss"]), str(payload["sub"])
        user = User.objects.filter(oidc_issuer=issuer, oidc_subject=subject).first()
        if user is not None and not user.is_active:
            raise SsoRefused("inactive", user=user)
        roles = roles_from_claims(claims)
        if not roles.grants:
            # The provider took every role away: so does this application, before refusing.
            if user is not None:
                with transaction.atomic():
                    sync_memberships(user, [])
            raise SsoRefused(
                "no_role", user=user, detail={"unknown_roles": roles.unknown[:MAX_UNKNOWN_IN_TRAIL]}
            )
        try:
            with transaction.atomic():
                if user is None:
                    first_organisation = min(roles.grants, key=lambda grant: grant[0].pk)[0]
                    user = User(
                        username=_username_for(claims, issuer, subject),
                        oidc_issuer=issuer,
                        oidc_subject=subject,
                        municipality=first_organisation.municipality,
                        **_profile(claims),
                    )
                    # Only the provider logs this account in: no password works for it here.
                    user.set_unusable_password()
                    user.save()
                    audit.record_change(
                        Actor.system(first_organisation.municipality, name="sso"),
                        instance=user,
                        action=AuditAction.CREATE,
                        changed_fields=["username", "first_name", "last_name", "email"],
                    )
                else:
                    profile = _profile(claims)
                    changed = [name for name, value in profile.items() if getattr(user, name) != value]
                    if changed:
                        for name in changed:
                            setattr(user, name, profile[name])
                        user.save(update_fields=changed)
                sync_memberships(user, roles.grants)
        except IntegrityError:
            # The same person's first login in two tabs at once: the other one created the account.
            user = User.objects.get(oidc_issuer=issuer, oidc_subject=subject)
            with transaction.atomic():
                sync_memberships(user, roles.grants)
        if roles.unknown:
            logger.info("single sign-on of user %s: roles not known here: %s", user.pk, roles.unknown)
        return user

    def get_user(self, user_id: Any) -> User | None:
        # The library's get_user skips the active check; a switched-off account must lose its session.
        return ModelBackend.get_user(self, user_id)


def axes_exempt(request: HttpRequest, credentials: Mapping[str, Any] | None = None) -> bool:
    """django-axes' AXES_WHITELIST_CALLABLE: the callback is no password to guess (its code works once,
    for the browser that holds its state), and it names no user, so axes would count every refused
    single sign-on of an office behind one address against all of them."""
    return request.path_info == reverse("oidc_authentication_callback")


def end_session_url(request: HttpRequest) -> str:
    """The provider's logout for this session (RP-initiated logout), or "" when it has none."""
    try:
        endpoint = str(oidc_setting("OIDC_OP_LOGOUT_ENDPOINT", ""))
    except ProviderUnavailable:
        return ""
    if not endpoint:
        return ""
    params = {
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "post_logout_redirect_uri": request.build_absolute_uri(reverse(settings.LOGOUT_REDIRECT_URL)),
    }
    id_token = request.session.get("oidc_id_token")
    if id_token:
        params["id_token_hint"] = id_token
    separator = "&" if "?" in endpoint else "?"
    return f"{endpoint}{separator}{urlencode(params)}"


def provider_logout_url(request: HttpRequest) -> str:
    """mozilla-django-oidc's OIDC_OP_LOGOUT_URL_METHOD: where /oidc/logout/ sends the browser."""
    return end_session_url(request) or reverse(settings.LOGOUT_REDIRECT_URL)

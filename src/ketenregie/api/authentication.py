"""``Authorization: Token <key>`` as before, checked against core.tokens: expired and revoked keys fail."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from ketenregie.core.tokens import token_for_key, token_touch


class TokenInvalid(exceptions.AuthenticationFailed):
    default_detail = "Token ongeldig."
    default_code = "tokenInvalid"


class TokenExpired(exceptions.AuthenticationFailed):
    default_detail = "Token verlopen. Vraag een nieuw token aan via /api/v1/auth/token."
    default_code = "tokenExpired"


class TokenRevoked(exceptions.AuthenticationFailed):
    default_detail = "Token ingetrokken. Vraag een nieuw token aan via /api/v1/auth/token."
    default_code = "tokenRevoked"


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        token = token_for_key(key)
        if token is None:
            raise TokenInvalid()
        if token.revoked_at is not None or not token.user.is_active:
            raise TokenRevoked()
        if not token.is_usable:
            raise TokenExpired()
        token_touch(token)
        return token.user, token

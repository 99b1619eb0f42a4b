"""DRF's throttles, counting the client by core.network.client_address like every other rate limit.

DRF's own get_ident believes X-Forwarded-For unless NUM_PROXIES is set; with this mixin the API's
throttles, the portal's rate limits and the login lockout agree on who the client is.
"""

from __future__ import annotations

from typing import Any

from rest_framework import throttling

from ketenregie.core.network import client_address


class ClientAddressMixin:
    def get_ident(self, request: Any) -> str:
        return client_address(request)


class AnonRateThrottle(ClientAddressMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientAddressMixin, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(ClientAddressMixin, throttling.ScopedRateThrottle):
    pass

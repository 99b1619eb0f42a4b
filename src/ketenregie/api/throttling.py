"""DRF's throttles, counting the client by core.network.client_address like every other rate limit.

DRF's own get_ident believes X-Forwarded-For unless NUM_PROXIES is set; with this mixin the API's
throttles, the portal's rate limits and the login lockout agree on who the client is.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from rest_framework import throttling
from rest_framework.settings import api_settings

from ketenregie.core.network import client_address


class ClientAddressMixin:
    scope: str | None

    def get_ident(self, request: Any) -> str:
        return client_address(request)

    def get_rate(self) -> str | None:
        # Read when asked, not bound at import as DRF's THROTTLE_RATES is: a changed setting (a test's,
        # or a reloaded configuration) then holds for every throttle at once.
        if not self.scope:
            raise ImproperlyConfigured(f"{type(self).__name__} has no scope")
        try:
            rate = api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        except KeyError:
            raise ImproperlyConfigured(f"no throttle rate for scope '{self.scope}'") from None
        return None if rate is None else str(rate)


class AnonRateThrottle(ClientAddressMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientAddressMixin, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(ClientAddressMixin, throttling.ScopedRateThrottle):
    pass

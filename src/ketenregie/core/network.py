"""Who is on the other end of the connection: the one address every rate limit and lockout counts.

The X-Forwarded-For header is whatever the client sends, unless a proxy we run put it there. Only the
entries appended by the TRUSTED_PROXIES proxies in front of the application can be believed: each
appends the address it saw, so with n trusted proxies the client is the n-th entry from the right and
everything left of it is the client's own invention. With no trusted proxies (the default) the
header is ignored and the connection's address counts.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def client_address(request: Any) -> str:
    """The client's IP address as the trusted proxies saw it (a Django or DRF request)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies: int = settings.TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
    if not entries:
        return remote
    # Fewer entries than proxies means a proxy did not append; the left-most is then the best guess,
    # and one the client could not have chosen.
    candidate = entries[-min(proxies, len(entries))]
    # A proxy passes on garbage it was sent only when misconfigured; never count (or store) garbage.
    return candidate if _valid(candidate) else remote

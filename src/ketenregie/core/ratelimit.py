"""A small cache-based rate limiter for public endpoints: fixed windows per scope and client.

django-ratelimit does this too, but has had no release since 2023; this is the part we need, with no
external service. It counts in Django's default cache: per process with the local-memory cache, shared
between processes with CACHE_URL=redis://… (a production deployment with several workers
should do that).
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from ketenregie.core.network import client_address

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        """'5/10m' is five per ten minutes; '20/h' twenty per hour."""
        match = _RATE.match(text)
        if not match:
            raise ValueError(f"not a rate: {text!r}; use e.g. 5/10m or 100/h")
        count, number, unit = match.groups()
        return cls(count=int(count), seconds=int(number or 1) * _UNITS[unit])

    def scaled(self, factor: int) -> Rate:
        return Rate(count=self.count * factor, seconds=self.seconds)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int


def client_key(request: HttpRequest) -> str:
    """The client's address (core.network.client_address), hashed: the cache never holds it in the clear."""
    address = client_address(request)
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:32]


def hit(*, scope: str, key: str, rate: Rate, now: float | None = None) -> Verdict:
    """Count one request of ``key`` in ``scope``; refuse it when the window's count is used up."""
    now = time.time() if now is None else now
    window = int(now // rate.seconds)
    cache_key = f"ratelimit:{scope}:{key}:{window}"
    # add() is atomic: only the first request of a window creates the counter.
    cache.add(cache_key, 0, timeout=rate.seconds + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # evicted between add and incr
        cache.set(cache_key, 1, timeout=rate.seconds + 5)
        count = 1
    retry_after = int((window + 1) * rate.seconds - now) + 1
    return Verdict(allowed=count <= rate.count, retry_after=retry_after)

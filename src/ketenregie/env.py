"""Typed access to environment variables that fails loudly on a bad value.

Every setting that comes from the environment is read through one of these helpers,
so a typo such as ``DEBUG=ture`` stops the process with a clear message instead of
silently meaning something else.
"""

from __future__ import annotations

import os
from collections.abc import Sequence


class EnvironmentError_(ValueError):
    """An environment variable holds a value that cannot be used."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise EnvironmentError_(f"{name} must be set")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise EnvironmentError_(f"{name}={raw!r} is not a boolean; use one of true/false/1/0/yes/no")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise EnvironmentError_(f"{name}={raw!r} is not a whole number") from None
    if minimum is not None and value < minimum:
        raise EnvironmentError_(f"{name}={value} is below the minimum of {minimum}")
    return value


def env_list(name: str, default: Sequence[str] = ()) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: Sequence[str]) -> str:
    value = env_str(name, default)
    if value not in choices:
        raise EnvironmentError_(f"{name}={value!r} must be one of {', '.join(choices)}")
    return value


def cache_config(url: str) -> dict[str, dict[str, object]]:
    """Django's CACHES from CACHE_URL: empty for the local-memory cache of one process, or a Redis URL.

    The rate limits of the public forms and the API count in this cache, so a deployment with several
    server processes needs the shared (Redis) one for the limits to hold.
    """
    url = url.strip()
    if not url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": "ketenregie",
            }
        }
    scheme = url.split(":", 1)[0]
    raise EnvironmentError_(f"CACHE_URL with scheme {scheme!r} is not supported; use redis://host:port/db")

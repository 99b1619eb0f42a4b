"""Helpers for list pages: the requested export format, and filters kept out of the URL.

Filters that can contain personal data (a name, a BSN) are posted, kept in the session under a
random key, and the URL carries only that key: no personal data in URLs, logs or browser history.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.http import HttpRequest

from ketenregie.web.exports import FORMATS

_SESSION_PREFIX = "ketenregie.filters."
_MAX_STORED = 20


def requested_export(request: HttpRequest) -> str | None:
    value = request.GET.get("export", "")
    return value if value in FORMATS else None


def stash_filters(request: HttpRequest, *, scope: str, data: dict[str, Any]) -> str:
    key = secrets.token_urlsafe(8)
    stored: dict[str, dict[str, Any]] = request.session.get(_SESSION_PREFIX + scope, {})
    stored[key] = {k: v for k, v in data.items() if k != "csrfmiddlewaretoken"}
    while len(stored) > _MAX_STORED:
        stored.pop(next(iter(stored)))
    request.session[_SESSION_PREFIX + scope] = stored
    return key


def stashed_filters(request: HttpRequest, *, scope: str) -> dict[str, Any]:
    key = request.GET.get("f", "")
    if not key:
        return {}
    stored: dict[str, dict[str, Any]] = request.session.get(_SESSION_PREFIX + scope, {})
    return dict(stored.get(key, {}))

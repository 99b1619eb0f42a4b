"""The paths of API 1.0 with a trailing slash, kept for one release.

The NL API Design Rules (/core/no-trailing-slash) want paths without one; clients written against the
old paths keep working until the next release, and each such answer says it is deprecated and names
its successor (RFC 9745 Deprecation, RFC 8288 Link). The OpenAPI document lists only the new paths
(see ``drop_legacy_paths``). Remove ``with_legacy_slash`` in the release after 1.x.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path
from django.urls.resolvers import RoutePattern

# When the slash forms were deprecated (release 1.0.0 of the API), as RFC 9745 writes a date.
DEPRECATED_SINCE = int(dt.datetime(2026, 12, 2, tzinfo=dt.UTC).timestamp())


def _deprecated(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def legacy_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Deprecation"] = f"@{DEPRECATED_SINCE}"
        response["Link"] = f'<{request.path.rstrip("/")}>; rel="successor-version"'
        return response

    legacy_view.legacy_slash = True  # type: ignore[attr-defined]
    return legacy_view


def with_legacy_slash(patterns: list[Any]) -> list[Any]:
    """Each pattern as given (without a trailing slash), then its old form with one."""
    result: list[Any] = []
    for pattern in patterns:
        result.append(pattern)
        if not isinstance(pattern, URLPattern) or not isinstance(pattern.pattern, RoutePattern):
            raise TypeError(f"only path() routes get a legacy form, not {pattern!r}")
        route = str(pattern.pattern)
        result.append(path(route + "/", _deprecated(pattern.callback), pattern.default_args))
    return result


def drop_legacy_paths(endpoints: list[tuple[str, str, str, Any]], **kwargs: Any) -> list[Any]:
    """drf-spectacular pre-processing hook: the document describes only the paths without a slash."""
    return [endpoint for endpoint in endpoints if not getattr(endpoint[3], "legacy_slash", False)]

"""The API's version on every answer, as the NL API Design Rules ask (/core/version-header)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

API_VERSION_HEADER = "API-Version"


class ApiVersionMiddleware:
    """Sets ``API-Version: <full version>`` on every response under the API's base path.

    A middleware rather than a DRF hook, so errors that never reach a view (a 404 for an unknown path,
    a 500, a body too large) carry it too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.base = settings.API_BASE_PATH.rstrip("/")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # path_info: the path within the application, also when it is served under a prefix.
        if request.path_info == self.base or request.path_info.startswith(self.base + "/"):
            response[API_VERSION_HEADER] = settings.API_VERSION
        return response

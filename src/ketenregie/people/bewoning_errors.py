"""The errors of ``POST /api/v1/brp/bewoningen`` in the BRP Bewoning API 2.1.0's own shape.

Clients written for the national API read its ``Foutbericht``: a ``code`` of letters and digits
only (``^[a-zA-Z0-9]{1,25}$``), the Haal Centraal titles in Dutch, and ``invalidParams`` for every
wrong part of the question. The rest of this system's API keeps the general problem+json of
``ketenregie.api.problems``; only this endpoint speaks the BRP dialect, so this module is its whole
error edge: the view uses :func:`bewoning_exception_handler` instead of the global handler, and
:class:`BewoningNegotiation` so that a charset other than UTF-8 is refused as the national API does.

Where the official scenarios fix a text (the 400 title, detail and reasons of the fout-cases),
that text is kept verbatim, even where it does not fit the specification's own patterns (see
docs/brp.md). Every other text here fits them.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404
from django.utils.http import parse_header_parameters
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response

from ketenregie.api.problems import PROBLEM_CONTENT_TYPE
from ketenregie.people.occupancy.request import InvalidParam, problem

logger = logging.getLogger(__name__)

_RFC7231 = "https://datatracker.ietf.org/doc/html/rfc7231#section-"
# (type, title, code, default detail) per status. Titles and codes of the specification's
# components/responses and the Haal Centraal error table; 405 and 415, which the specification does
# not list, as the BRP API's own implementation answers them.
ERRORS: dict[int, tuple[str, str, str, str]] = {
    401: (
        "https://datatracker.ietf.org/doc/html/rfc7235#section-3.1",
        "Niet correct geauthenticeerd.",
        "unauthorized",
        "Geef een geldig token mee in de Authorization header.",
    ),
    403: (
        _RFC7231 + "6.5.3",
        "U bent niet geautoriseerd voor deze operatie.",
        "forbidden",
        "Uw rol geeft geen toegang tot bewoning.",
    ),
    404: (
        _RFC7231 + "6.5.4",
        "Opgevraagde resource bestaat niet.",
        "notFound",
        "Dit pad bestaat niet. Bewoning wordt gevraagd met POST op bewoningen.",
    ),
    405: (
        _RFC7231 + "6.5.5",
        "Gebruikte operatie is niet toegestaan.",
        "methodNotAllowed",
        "Bewoning wordt alleen met POST gevraagd.",
    ),
    406: (
        _RFC7231 + "6.5.6",
        "Gevraagde contenttype wordt niet ondersteund.",
        "notAcceptable",
        "Het antwoord is alleen beschikbaar als JSON in UTF-8 (application json).",
    ),
    415: (
        _RFC7231 + "6.5.13",
        "Media Type wordt niet ondersteund.",
        "unsupportedMediaType",
        "De vraag moet JSON in UTF-8 zijn (Content-Type application json).",
    ),
    413: (
        _RFC7231 + "6.5.11",
        "De body is te groot.",
        "payloadTooLarge",
        "De body is groter dan de server aanneemt.",
    ),
    429: (
        "https://datatracker.ietf.org/doc/html/rfc6585#section-4",
        "Te veel verzoeken.",
        "tooManyRequests",
        "Te veel verzoeken in korte tijd. Probeer het later opnieuw.",
    ),
    500: (
        _RFC7231 + "6.6.1",
        "Interne server fout.",
        "serverError",
        "De fout is gelogd. Probeer het later opnieuw.",
    ),
}
# The specification's pattern for ``detail``: a text outside it is replaced by the default above.
DETAIL_PATTERN = re.compile(r"^[a-zA-Z0-9À-ž \.\-\(\),]{1,200}$")
# What the parser's codes mean, in words that fit the pattern of ``invalidParams.reason``.
_BODY_REASONS = {
    "invalidJson": "De body is geen geldige JSON.",
    "tooDeep": "De body is te diep genest.",
}


def foutbericht(status: int, *, instance: str, detail: str = "") -> dict[str, Any]:
    """The body of an error other than invalid parameters, as the specification's Foutbericht."""
    kind, title, code, default = ERRORS[status]
    return {
        "type": kind,
        "title": title,
        "status": status,
        "detail": fitting_detail(detail, default),
        "instance": instance,
        "code": code,
    }


def fitting_detail(text: str, default: str) -> str:
    """``text``, or as many of its first sentences as fit the specification's pattern, or ``default``.

    A token's "Token verlopen. Vraag een nieuw token aan via /api/…" keeps "Token verlopen.".
    """
    sentences = [s for s in re.split(r"(?<=\.)\s+", str(text).strip()) if s]
    for end in range(len(sentences), 0, -1):
        candidate = " ".join(sentences[:end])
        if DETAIL_PATTERN.match(candidate):
            return candidate
    return default


def _status_of(exc: exceptions.APIException) -> int:
    status = int(exc.status_code)
    if status in ERRORS:
        return status
    # Nothing in this endpoint raises another 4xx; should one appear, it is the caller's request.
    return 500 if status >= 500 else 400


def bewoning_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """Every error of the endpoint as a BRP Foutbericht; never ``None``, so never a Django error page."""
    request = context.get("request")
    instance = request.path if request is not None else ""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        return Response(foutbericht(413, instance=instance), status=413, content_type=PROBLEM_CONTENT_TYPE)
    elif isinstance(exc, SuspiciousOperation):
        exc = exceptions.ParseError(code="badRequest")
    if isinstance(exc, exceptions.APIException) and _status_of(exc) == 400:
        # A body that is not JSON (or not readable): the body is the one invalid parameter.
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) and codes in _BODY_REASONS else "invalidJson"
        body = problem([InvalidParam("body", code, _BODY_REASONS[code])], instance=instance)
        return Response(body, status=400, content_type=PROBLEM_CONTENT_TYPE)
    if not isinstance(exc, exceptions.APIException):
        # Never a traceback or exception text in the answer: it could hold personal data.
        logger.error("Internal error in the BRP Bewoning endpoint", exc_info=exc)
        return Response(foutbericht(500, instance=instance), status=500, content_type=PROBLEM_CONTENT_TYPE)
    status = _status_of(exc)
    headers: dict[str, str] = {}
    if status == 401 and getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = str(exc.auth_header)  # type: ignore[attr-defined]
    if status == 429 and getattr(exc, "wait", None) is not None:
        headers["Retry-After"] = str(int(exc.wait or 0))  # type: ignore[attr-defined]
    detail = str(exc.detail) if status in (401, 403) else ""
    if status == 429 and "Retry-After" in headers:
        detail = f"Te veel verzoeken. Probeer het over {headers['Retry-After']} seconden opnieuw."
    body = foutbericht(status, instance=instance, detail=detail)
    return Response(body, status=status, content_type=PROBLEM_CONTENT_TYPE, headers=headers)


def _is_utf8(params: dict[str, str]) -> bool:
    return params.get("charset", "utf-8").strip().lower() in ("utf-8", "utf8")


class BewoningNegotiation(DefaultContentNegotiation):
    """JSON in UTF-8 only, both ways, as the BRP API's header scenarios ask: a request body declared
    in another charset or as anything but application/json is a 415 (no Content-Type at all means
    JSON), an Accept that allows only another charset a 406."""

    def select_parser(self, request: Any, parsers: Any) -> Any:
        content_type = request.content_type or "application/json"
        main, params = parse_header_parameters(content_type)
        if main.lower() != "application/json" or not _is_utf8(params):
            return None
        return parsers[0] if parsers else None

    def select_renderer(self, request: Any, renderers: Any, format_suffix: str | None = None) -> Any:
        renderer, media_type = super().select_renderer(request, renderers, format_suffix)
        _main, params = parse_header_parameters(media_type)
        if not _is_utf8(params):
            raise exceptions.NotAcceptable()
        return renderer, media_type

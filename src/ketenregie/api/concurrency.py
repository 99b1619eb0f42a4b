"""Versioned updates on the API: optimistic locking of records that carry a version (core.concurrency).

A client reads a record and its ``ETag`` (the version), and sends that back as ``If-Match`` with its
change. ``expected_version`` turns the header into the version a service compares; the answers for a
missing (428), malformed (400) or stale (412, from ``ConcurrentEditError``) precondition all come from
the API's one exception handler (``api.problems``), never from a viewset.
"""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response

from ketenregie.core.validators import parse_number


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = "Stuur If-Match met de ETag (versie) die u las."
    default_code = "preconditionRequired"


class InvalidIfMatch(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = 'If-Match moet een ETag zijn zoals "3".'
    default_code = "invalidIfMatch"


def expected_version(request: Request) -> int:
    """The version the client read, from If-Match (a strong or weak ETag such as ``"3"``)."""
    value = request.headers.get("If-Match", "").strip().removeprefix("W/").strip('"')
    if not value:
        raise PreconditionRequired()
    version = parse_number(value)
    if version is None:
        raise InvalidIfMatch()
    return version


def versioned_response(data: Any, version: int, *, status_code: int = 200) -> Response:
    """A record as the API shows it, with its version as the ETag the next change sends back."""
    response = Response(data, status=status_code)
    response["ETag"] = f'"{version}"'
    return response

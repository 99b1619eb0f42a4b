"""Errors as application/problem+json (RFC 9457), as the Dutch API Design Rules ask.

Field errors go in ``invalidParams`` with the field name, a code and a readable reason, in the
style of the Haal Centraal APIs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from ketenregie.core.concurrency import ConcurrentEditError

PROBLEM_CONTENT_TYPE = "application/problem+json"

_TITLES = {
    400: "Een of meer parameters zijn niet correct.",
    401: "Niet geauthenticeerd.",
    403: "U bent niet geautoriseerd voor deze operatie.",
    404: "Opgevraagde resource bestaat niet.",
    405: "Gebruikte operatie is niet toegestaan.",
    406: "Gevraagde contenttype wordt niet ondersteund.",
    409: "Conflict: de resource is gewijzigd door een ander.",
    412: "Niet voldaan aan de voorwaarde: de resource is gewijzigd sinds u haar las.",
    413: "De body is te groot.",
    415: "Mediatype wordt niet ondersteund.",
    428: "Voorwaarde vereist: stuur If-Match.",
    429: "Te veel verzoeken.",
    500: "Interne serverfout.",
    503: "Bronservice is niet beschikbaar.",
}


def api_name(name: str) -> str:
    """A model's or service's field name as the API spells it: ``closed_on`` is ``closedOn``."""
    if name == NON_FIELD_ERRORS:
        return "nonFieldErrors"
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _django_detail(error: DjangoValidationError, names: Mapping[str, str]) -> Any:
    """A ValidationError from a model or service in the API's words: its fields under the names the
    body used (``names``, from ``api.viewsets.ApiViewSet.body``), or else their camelCase names."""
    if hasattr(error, "error_dict"):
        return {
            names.get(field) or api_name(field): messages for field, messages in error.message_dict.items()
        }
    return error.messages


def _invalid_params(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    params: list[dict[str, str]] = []
    if isinstance(detail, dict):
        for field, value in detail.items():
            name = f"{prefix}.{field}" if prefix else str(field)
            params.extend(
                _invalid_params(value, name if field != "non_field_errors" else prefix or "nonFieldErrors")
            )
    elif isinstance(detail, list):
        for index, item in enumerate(detail):
            if isinstance(item, (dict, list)):
                params.extend(_invalid_params(item, f"{prefix}[{index}]"))
            else:
                params.append(
                    {
                        "name": prefix or "nonFieldErrors",
                        "code": getattr(item, "code", "invalid"),
                        "reason": str(item),
                    }
                )
    else:
        params.append(
            {
                "name": prefix or "nonFieldErrors",
                "code": getattr(detail, "code", "invalid"),
                "reason": str(detail),
            }
        )
    return params


def _problem_body(
    *, status_code: int, detail: str, code: str, instance: str, invalid_params: list[dict[str, str]] | None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"https://datatracker.ietf.org/doc/html/rfc9110#name-{status_code}",
        "title": _TITLES.get(status_code, "Fout"),
        "status": status_code,
        "detail": detail,
        "instance": instance,
        "code": code or str(status_code),
    }
    if invalid_params:
        body["invalidParams"] = invalid_params
    return body


def problem_response(
    *,
    status_code: int,
    detail: str = "",
    code: str = "",
    instance: str = "",
    invalid_params: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body = _problem_body(
        status_code=status_code, detail=detail, code=code, instance=instance, invalid_params=invalid_params
    )
    return Response(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE, headers=headers)


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def problem_http_response(
    request: HttpRequest,
    *,
    status_code: int,
    detail: str = "",
    code: str = "",
    headers: dict[str, str] | None = None,
) -> JsonResponse:
    """A problem+json response outside DRF: Django's error handlers and middleware for /api/ paths.

    The instance is the path only: a query string may hold what the caller typed.
    """
    body = _problem_body(
        status_code=status_code, detail=detail, code=code, instance=request.path, invalid_params=None
    )
    return JsonResponse(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE, headers=headers)


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    request = context.get("request")
    instance = request.get_full_path() if request is not None else ""
    if isinstance(exc, ConcurrentEditError):
        # A versioned update (If-Match, api.concurrency) whose version is stale failed its precondition:
        # 412, in one place for every viewset. A write without If-Match that clashed is a 409.
        if request is not None and request.headers.get("If-Match"):
            return problem_response(
                status_code=status.HTTP_412_PRECONDITION_FAILED,
                detail=str(exc),
                code="preconditionFailed",
                instance=instance,
            )
        return problem_response(
            status_code=status.HTTP_409_CONFLICT, detail=str(exc), code="conflict", instance=instance
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_detail(exc, getattr(request, "api_field_names", {})))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = exception_handler(exc, context)
    if response is None:
        return None
    headers = {
        key: value for key, value in response.items() if key in {"Retry-After", "WWW-Authenticate", "Allow"}
    }
    if isinstance(exc, exceptions.ValidationError):
        return problem_response(
            status_code=response.status_code,
            detail="Controleer de invalidParams.",
            code="paramsValidation",
            instance=instance,
            invalid_params=_invalid_params(exc.detail),
            headers=headers,
        )
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    code = str(getattr(detail, "code", None) or getattr(exc, "default_code", ""))
    return problem_response(
        status_code=response.status_code,
        detail=str(detail),
        code=code,
        instance=instance,
        headers=headers,
    )

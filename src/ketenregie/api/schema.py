"""Post-processing of the generated OpenAPI document, so it describes every answer the API can give.

Every error is application/problem+json (see problems.py) whichever view raises it, so the error
responses are added here once instead of on each view.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from ketenregie.api.middleware import API_VERSION_HEADER
from ketenregie.api.problems import PROBLEM_CONTENT_TYPE
from ketenregie.core.validators import MAX_ID

# The largest primary key PostgreSQL's bigint holds; a larger number can never name a resource.

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An error, as application/problem+json (RFC 9457).",
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 100, "maximum": 599},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "code": {"type": "string"},
        "invalidParams": {
            "type": "array",
            "items": {"$ref": "#/components/schemas/InvalidParam"},
        },
    },
    "required": ["type", "title", "status", "detail", "instance", "code"],
}

INVALID_PARAM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "One invalid field or parameter: its name, a code and a readable reason.",
    "properties": {
        "name": {"type": "string"},
        "code": {"type": "string"},
        "reason": {"type": "string"},
    },
    "required": ["name", "code", "reason"],
}

_DESCRIPTIONS = {
    400: "Invalid parameters or body; the fields are named in invalidParams.",
    401: "Not authenticated, or the token or credentials are wrong.",
    403: "Authenticated, but the caller's role does not allow this.",
    404: "The resource, or the requested page, does not exist (or belongs to another municipality).",
    406: "The Accept header asks for a media type the API does not offer.",
    412: "If-Match names a version that is no longer current: someone else saved first.",
    413: "The body is larger than the API accepts.",
    415: "The body is not application/json.",
    428: "If-Match is missing: send the ETag you read.",
    429: "Too many requests; Retry-After says when to try again.",
    500: "Internal server error.",
}


_RESPONSE_NAMES = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    406: "NotAcceptable",
    412: "PreconditionFailed",
    413: "ContentTooLarge",
    415: "UnsupportedMediaType",
    428: "PreconditionRequired",
    429: "TooManyRequests",
    500: "InternalServerError",
}


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


_VERSION_HEADER_REF = {"$ref": f"#/components/headers/{API_VERSION_HEADER}"}

# Methods whose operations can always be sent something wrong (NL API Design Rules, /core/error-handling).
_WRITES = {"post", "put", "patch"}


def _version_header() -> dict[str, Any]:
    return {
        "description": "The API's full version (semver); its major version is in the URL.",
        "required": True,
        "schema": {"type": "string", "example": settings.API_VERSION},
    }


def _with_version_header(response: dict[str, Any]) -> dict[str, Any]:
    if "$ref" not in response:
        response.setdefault("headers", {})[API_VERSION_HEADER] = _VERSION_HEADER_REF
    return response


def _error_statuses(method: str, operation: dict[str, Any]) -> list[int]:
    parameters = operation.get("parameters", [])
    statuses = [401, 406, 429, 500]
    if parameters or "requestBody" in operation or method in _WRITES:
        statuses.append(400)
    if operation.get("security"):
        statuses.append(403)
    if any(p["in"] == "path" or p["name"] == "page" for p in parameters):
        statuses.append(404)
    if "requestBody" in operation:
        statuses.extend([413, 415])
    if any(p["in"] == "header" and p["name"].lower() == "if-match" for p in parameters):
        statuses.extend([412, 428])
    return sorted(statuses)


def _mark_object_dates(schemas: dict[str, Any]) -> None:
    """A date given as an object (the BRP's ``datum``, which may be partly unknown) says so with
    ``format: date``, as the NL API Design Rules ask of every date field; ``format`` constrains only
    strings, so it changes nothing for validators."""
    for schema in schemas.values():
        for name, prop in schema.get("properties", {}).items():
            if name in ("date", "datum") and "$ref" in prop:
                schema["properties"][name] = {"allOf": [prop], "format": "date"}


def _bound_ids(operation: dict[str, Any]) -> None:
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        if parameter["in"] == "path" and schema.get("type") == "integer":
            schema.update(format="int64", minimum=1, maximum=MAX_ID)


def add_problem_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular post-processing hook: the problem responses, the API-Version header on every
    response and the bounds of ids on every operation.

    A view's own description of an error response is kept; only its body is filled in.
    """
    components = result.setdefault("components", {})
    components.setdefault("schemas", {}).update(Problem=PROBLEM_SCHEMA, InvalidParam=INVALID_PARAM_SCHEMA)
    _mark_object_dates(components["schemas"])
    components["headers"] = {API_VERSION_HEADER: _version_header()}
    components["responses"] = {
        name: _with_version_header(_problem(_DESCRIPTIONS[status]))
        for status, name in _RESPONSE_NAMES.items()
    }
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            _bound_ids(operation)
            responses = operation.setdefault("responses", {})
            for status in _error_statuses(method, operation):
                existing = responses.get(str(status))
                if existing is None:
                    responses[str(status)] = {"$ref": f"#/components/responses/{_RESPONSE_NAMES[status]}"}
                elif "content" not in existing:
                    responses[str(status)] = _problem(existing.get("description") or _DESCRIPTIONS[status])
            # Errors a view documents beyond the common ones (a 409, say) are problem+json too.
            for status_code, response in responses.items():
                is_error = str(status_code).isdigit() and int(status_code) >= 400
                if is_error and "content" not in response and "$ref" not in response:
                    responses[status_code] = _problem(response.get("description", ""))
            for response in responses.values():
                _with_version_header(response)
    return result

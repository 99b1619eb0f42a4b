"""If-Match on the API: optimistic locking of records that carry a version (see core.concurrency)."""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.response import Response

from ketenregie.api.problems import problem_response
from ketenregie.core.validators import parse_number


def if_match_version(request: Request) -> int | Response:
    """The version the client read, from If-Match; or the problem to answer (428 missing, 400 malformed)."""
    value = request.headers.get("If-Match", "").strip().removeprefix("W/").strip('"')
    if not value:
        return problem_response(
            status_code=428,
            detail="Stuur If-Match met de ETag (versie) die u las.",
            code="preconditionRequired",
            instance=request.get_full_path(),
        )
    version = parse_number(value)
    if version is None:
        return problem_response(
            status_code=400,
            detail='If-Match moet een ETag zijn zoals "3".',
            code="invalidIfMatch",
            instance=request.get_full_path(),
        )
    return version

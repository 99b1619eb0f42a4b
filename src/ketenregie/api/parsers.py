"""The API's JSON parser: bad JSON is a 400 in Dutch, never a server error or a Python message, and a
body over the size limit a 413 before it is read.

DRF reads the body from the request stream itself, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE (which
guards ``request.body`` and ``request.POST``) never applies to it. The limit is ``API_MAX_BODY_BYTES``,
or the view's own ``max_body_bytes`` (the delivery endpoints take files' worth of rows); it is checked
on the declared Content-Length and again while reading, for a chunked body or a false length.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser

# Deeper than any request body the API defines; the json module itself recurses and fails at ~1000.
MAX_DEPTH = 64


def _too_deep(data: Any, limit: int) -> bool:
    """Whether ``data`` nests lists and objects deeper than ``limit``, without recursing."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, Mapping) else value if isinstance(value, list) else ()
        for child in children:
            if isinstance(child, (Mapping, list)):
                if depth + 1 > limit:
                    return True
                stack.append((child, depth + 1))
    return False


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "De body is groter dan de server aanneemt."
    # As Django's own refusal of a too large body (web.views.bad_request).
    default_code = "requestTooLarge"


def body_limit(parser_context: Any) -> int:
    view = (parser_context or {}).get("view")
    limit = getattr(view, "max_body_bytes", None)
    return int(limit if limit is not None else settings.API_MAX_BODY_BYTES)


def read_bounded(stream: Any, parser_context: Any) -> bytes:
    """The body, refused (413) when it declares or turns out to be longer than the limit: never more
    than the limit plus one byte is read."""
    limit = body_limit(parser_context)
    request = (parser_context or {}).get("request")
    meta = getattr(request, "META", {}) if request is not None else {}
    try:
        declared = int(meta.get("CONTENT_LENGTH") or 0)
    except (TypeError, ValueError):
        declared = 0
    if declared > limit:
        raise PayloadTooLarge()
    data = stream.read(limit + 1) if stream is not None else b""
    if len(data) > limit:
        raise PayloadTooLarge()
    return bytes(data)


class JSONBodyParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        raw = read_bounded(stream, parser_context)
        try:
            text = raw.decode(encoding)
            data = json.loads(text, parse_constant=self._refuse_constant)
        except RecursionError:
            raise ParseError(f"De body is dieper genest dan {MAX_DEPTH} niveaus.", code="tooDeep") from None
        except (ValueError, LookupError):
            # ValueError covers UnicodeDecodeError and JSONDecodeError; LookupError a charset that names a
            # codec that is not a text encoding (zlib_codec, base64_codec, rot13).
            raise ParseError("De body is geen geldige JSON.", code="invalidJson") from None
        if _too_deep(data, MAX_DEPTH):
            raise ParseError(f"De body is dieper genest dan {MAX_DEPTH} niveaus.", code="tooDeep")
        return data

    @staticmethod
    def _refuse_constant(name: str) -> Any:
        # NaN and Infinity are not JSON (RFC 8259), though Python's json module reads them.
        raise ValueError(name)

"""The API's JSON parser: bad JSON is a 400 in Dutch, never a server error or a Python message."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
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


class JSONBodyParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding)
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

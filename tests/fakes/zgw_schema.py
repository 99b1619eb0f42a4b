"""Validate a ZGW request body against the official Zaken API 1.5.1 schemas (tests/fakes/zgw/), the way a
Zaken API such as Open Zaak reads it.

The OpenAPI 3.0 document is turned into JSON Schema (draft 4) once:
- ``nullable: true`` becomes "null or the schema";
- request mode: a ``readOnly`` property may not be sent (it becomes ``not: {}``) and is no longer required;
- the discriminators are followed by hand: a Rol is checked against ``{betrokkeneType}_Rol``, a ZaakObject
  against ``{objectType}_ZaakObject`` (jsonschema itself ignores ``discriminator``);
- formats are checked strictly by this module (jsonschema skips ``date-time`` and ``uri`` unless optional
  packages are installed): ``date`` is YYYY-MM-DD, ``date-time`` is RFC 3339 with a time zone, ``uri`` is
  an absolute URI, ``uuid`` is a UUID;
- a property the schema does not know is an error too (the schema has no ``additionalProperties: false``,
  but a field the standard does not know is still a mistake of the sender).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import re
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import yaml

SPEC = Path(__file__).parent / "zgw" / "zaken-api-1.5.1.yaml"

# The body kinds of a push and the schema each is read against.
RESOURCES = {
    "zaak": "Zaak",
    "status": "Status",
    "resultaat": "Resultaat",
    "rol": "Rol",
    "zaakobject": "ZaakObject",
}

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")

checker = jsonschema.FormatChecker(formats=())


@checker.checks("date", raises=ValueError)
def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE.match(value):
        raise ValueError("not YYYY-MM-DD")
    dt.date.fromisoformat(value)
    return True


@checker.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE_TIME.match(value):
        raise ValueError("not an RFC 3339 date-time with a time zone")
    dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return True


@checker.checks("uri", raises=ValueError)
def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    if not parts.scheme or not re.fullmatch(r"[a-zA-Z][a-zA-Z0-9+.-]*", parts.scheme):
        raise ValueError("no scheme")
    if parts.scheme in ("http", "https") and not parts.netloc:
        raise ValueError("no host")
    if re.search(r"[\s<>\"{}|\\^`]", value):
        raise ValueError("characters not allowed in a URI")
    return True


@checker.checks("uuid", raises=ValueError)
def _is_uuid(value: object) -> bool:
    if isinstance(value, str):
        uuid.UUID(value)
    return True


def _convert(node: Any) -> Any:
    if isinstance(node, list):
        return [_convert(item) for item in node]
    if not isinstance(node, dict):
        return node
    # Read before converting: a nullable read-only property is wrapped in anyOf by then.
    read_only = {name for name, prop in node.get("properties", {}).items() if prop.get("readOnly")}
    node = {key: _convert(value) for key, value in node.items() if key not in ("discriminator", "example")}
    if "properties" in node:
        for name in read_only:
            node["properties"][name] = {"not": {}}
        if "required" in node:
            node["required"] = [name for name in node["required"] if name not in read_only]
            if not node["required"]:
                del node["required"]
    if node.pop("nullable", False):
        node = {"anyOf": [{"type": "null"}, node]}
    return node


@functools.cache
def _document() -> dict[str, Any]:
    with SPEC.open(encoding="utf-8") as handle:
        spec = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    return {"components": {"schemas": _convert(copy.deepcopy(spec["components"]["schemas"]))}}


@functools.cache
def _validator(schema_name: str) -> jsonschema.Draft4Validator:
    root = {**_document(), "allOf": [{"$ref": f"#/components/schemas/{schema_name}"}]}
    return jsonschema.Draft4Validator(root, format_checker=checker)


def schema_name(kind: str, body: dict[str, Any]) -> str:
    base = RESOURCES[kind]
    if kind == "rol" and isinstance(body.get("betrokkeneType"), str):
        return f"{body['betrokkeneType']}_Rol"
    if kind == "zaakobject" and isinstance(body.get("objectType"), str):
        return f"{body['objectType']}_ZaakObject"
    return base


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = _document()["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _properties(schema: dict[str, Any]) -> dict[str, Any] | None:
    """All properties an object schema (with its allOf parts) knows, or None when it is not an object."""
    schema = _resolve(schema)
    found: dict[str, Any] = {}
    known = False
    if "properties" in schema:
        found.update(schema["properties"])
        known = True
    for part in schema.get("allOf", []):
        sub = _properties(part)
        if sub is not None:
            found.update(sub)
            known = True
    for part in schema.get("anyOf", []):
        if _resolve(part).get("type") != "null":
            sub = _properties(part)
            if sub is not None:
                found.update(sub)
                known = True
    return found if known else None


def _unknown(instance: Any, schema: dict[str, Any], path: str) -> list[str]:
    properties = _properties(schema)
    if properties is None or not isinstance(instance, dict):
        return []
    errors = []
    for key, value in instance.items():
        if key not in properties:
            errors.append(f"{path}{key}: not a property of this resource in the standard")
        else:
            errors.extend(_unknown(value, properties[key], f"{path}{key}."))
    return errors


def errors(kind: str, body: Any) -> list[str]:
    """Every problem with a request body of this kind ("zaak", "status", ...), as readable lines."""
    if not isinstance(body, dict):
        return ["the body is not a JSON object"]
    name = schema_name(kind, body)
    if name not in _document()["components"]["schemas"]:
        return [f"{name}: no such schema (betrokkeneType or objectType unknown)"]
    found = [
        f"{'.'.join(str(p) for p in error.absolute_path) or '(body)'}: {error.message}"
        for error in sorted(_validator(name).iter_errors(body), key=lambda e: list(e.absolute_path))
    ]
    found.extend(_unknown(body, {"$ref": f"#/components/schemas/{name}"}, ""))
    return found


def invalid_params(kind: str, body: Any) -> list[dict[str, str]]:
    """The same problems in the ZGW problem format's ``invalidParams`` shape."""
    return [
        {"name": line.split(":", 1)[0], "code": "invalid", "reason": line.split(":", 1)[1].strip()}
        for line in errors(kind, body)
    ]


def export_errors(export: dict[str, Any]) -> tuple[int, list[str]]:
    """(number of bodies, problems) for one ``zgw export`` object."""
    bodies: list[tuple[str, Any]] = [("zaak", export["zaak"]), ("status", export["status"])]
    if export.get("resultaat") is not None:
        bodies.append(("resultaat", export["resultaat"]))
    bodies += [("zaakobject", body) for body in export["zaakobjecten"]]
    bodies += [("rol", body) for body in export["rollen"]]
    problems = [f"{kind}: {line}" for kind, body in bodies for line in errors(kind, body)]
    return len(bodies), problems

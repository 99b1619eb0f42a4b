"""The request body of ``POST /bewoningen`` as the BRP Bewoning API 2.1.0 specifies it, validated
with the error codes and reasons of its fout-cases scenarios (kept in Dutch, as the API has them)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

PEILDATUM = "BewoningMetPeildatum"
PERIODE = "BewoningMetPeriode"
OBJECT_PATTERN = r"^(?!0{16})[0-9]{16}$"
_OBJECT = re.compile(OBJECT_PATTERN)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
OBJECT_FIELD = "adresseerbaarObjectIdentificatie"
FIELDS = {
    PEILDATUM: (OBJECT_FIELD, "peildatum"),
    PERIODE: (OBJECT_FIELD, "datumVan", "datumTot"),
}
PROBLEM_TYPE = "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.1"
PROBLEM_TITLE = "Een of meerdere parameters zijn niet correct."


@dataclass(frozen=True)
class InvalidParam:
    name: str
    code: str
    reason: str

    def to_api(self) -> dict[str, str]:
        return {"name": self.name, "code": self.code, "reason": self.reason}


@dataclass(frozen=True)
class BewoningRequest:
    kind: str
    object_id: str
    van: dt.date
    tot: dt.date

    @property
    def peildatum(self) -> dt.date:
        return self.van


def _date(value: Any) -> dt.date | None:
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def parse_request(body: Any) -> tuple[BewoningRequest | None, list[InvalidParam]]:
    """The request, or every invalid parameter once (required, pattern, date, unknownParam)."""
    if not isinstance(body, dict):
        return None, [InvalidParam("body", "object", "Het verzoek moet een JSON object zijn.")]
    kind = body.get("type")
    if kind in (None, ""):
        return None, [InvalidParam("type", "required", "Parameter is verplicht.")]
    if not isinstance(kind, str) or kind not in FIELDS:
        return None, [InvalidParam("type", "value", "Waarde is geen geldig zoek type.")]
    fields = FIELDS[kind]
    problems: list[InvalidParam] = []
    values: dict[str, Any] = {}
    for name in fields:
        value = body.get(name)
        if value is None or value == "":
            problems.append(InvalidParam(name, "required", "Parameter is verplicht."))
        elif name == OBJECT_FIELD:
            if not isinstance(value, str) or not _OBJECT.match(value):
                problems.append(
                    InvalidParam(name, "pattern", f"Waarde voldoet niet aan patroon {OBJECT_PATTERN}.")
                )
            else:
                values[name] = value
        else:
            date = _date(value)
            if date is None:
                problems.append(InvalidParam(name, "date", "Waarde is geen geldige datum."))
            else:
                values[name] = date
    problems.extend(
        InvalidParam(name, "unknownParam", "Parameter is niet verwacht.")
        for name in body
        if name != "type" and name not in fields
    )
    if (
        kind == PERIODE
        and "datumVan" in values
        and "datumTot" in values
        and values["datumTot"] <= values["datumVan"]
    ):
        problems.append(InvalidParam("datumTot", "invalidParam", "datumTot moet na datumVan liggen."))
    if problems:
        return None, problems
    if kind == PEILDATUM:
        day = values["peildatum"]
        return BewoningRequest(kind, values[OBJECT_FIELD], day, day + dt.timedelta(days=1)), []
    return BewoningRequest(kind, values[OBJECT_FIELD], values["datumVan"], values["datumTot"]), []


def problem(problems: list[InvalidParam], *, instance: str) -> dict[str, Any]:
    """The problem+json body of a request with invalid parameters, as the fout-cases define it."""
    names = sorted({p.name for p in problems})
    return {
        "type": PROBLEM_TYPE,
        "title": PROBLEM_TITLE,
        "status": 400,
        "detail": f"De foutieve parameter(s) zijn: {', '.join(names)}.",
        "instance": instance,
        "code": "paramsValidation",
        "invalidParams": [p.to_api() for p in problems],
    }

"""The CBS/GBA municipality code list (gemeentecode, Tabel 33 of the BRP).

``data/municipality_codes.csv`` holds the 342 municipalities of 1 January 2023 (unchanged in 2024
and 2025), the former municipalities that BRP records in use still name, and the code 1999 of the
Registratie Niet Ingezetenen. Imports create a municipality (tenant) from it when a record names one
the system does not have yet.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ketenregie.core.models import Municipality, Norms

CODE_LIST = Path(__file__).parent / "data" / "municipality_codes.csv"
RNI_CODE = "1999"


@dataclass(frozen=True)
class MunicipalityCode:
    code: str
    name: str
    ended_on: dt.date | None

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


@cache
def code_list() -> dict[str, MunicipalityCode]:
    with CODE_LIST.open(encoding="utf-8", newline="") as handle:
        return {
            row["code"]: MunicipalityCode(
                code=row["code"],
                name=row["name"],
                ended_on=dt.date.fromisoformat(row["ended_on"]) if row["ended_on"] else None,
            )
            for row in csv.DictReader(handle, delimiter=";")
        }


def lookup(code: str) -> MunicipalityCode | None:
    return code_list().get(code)


def placeholder_name(code: str) -> str:
    return f"Gemeentecode {code}"


def ensure_municipality(code: str) -> tuple[Municipality, bool]:
    """The municipality with this code, created from the code list when missing.

    Returns (municipality, created). A code missing from the list gets a placeholder name, so that
    an extract naming it still imports; callers report such codes.
    """
    existing = Municipality.objects.filter(code=code).first()
    if existing is not None:
        return existing, False
    known = lookup(code)
    municipality = Municipality.objects.create(
        code=code, name=known.name if known else placeholder_name(code)
    )
    Norms.objects.get_or_create(municipality=municipality)
    return municipality, True

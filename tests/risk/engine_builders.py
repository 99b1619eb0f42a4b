"""Small literal input tables for the risk engine's tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from ketenregie.risk.engine import empty
from ketenregie.risk.engine.schema import SCHEMAS

D = dt.date
AS_OF = D(2026, 6, 1)


def frame(table: str, rows: list[tuple[Any, ...]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=SCHEMAS[table], orient="row")


def tables(**rows: list[tuple[Any, ...]]) -> dict[str, pl.DataFrame]:
    """Every engine table, empty unless rows are given for it."""
    result = {name: empty(name) for name in SCHEMAS}
    for name, table_rows in rows.items():
        result[name] = frame(name, table_rows)
    return result


def residents(address_id: int, person_ids: range | list[int], starts_on: dt.date) -> list[tuple[Any, ...]]:
    return [(person, address_id, starts_on, None, "brp") for person in person_ids]

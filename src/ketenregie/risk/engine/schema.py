"""The engine's input tables: names, columns and dtypes, and their validation.

Every table is a polars LazyFrame or DataFrame. Extra columns are allowed and ignored; a column that
is missing or has another dtype is an error that names the table and the column, because a silently
cast or missing column would give plausible but wrong scores. A column that is entirely null (dtype
``Null``, as polars infers for ``[None, None]``) is accepted and cast.

Conventions the producer (the Django app, or the benchmark's Parquet files) must follow:

- Periods are half-open where the registers are: a residence or employment counts on day ``d`` when
  ``starts_on <= d`` and (``ends_on`` is null or ``ends_on > d``), as in ``people.Residence``.
- Quality marks and permits are valid up to and including ``valid_until``; a permit without an end
  date is passed as a far-future date (``datetime.date.max``), because null means "no valid permit".
- ``violations`` holds proven violations only; unproven reports belong nowhere in the engine.
- No table carries nationality, name or BSN: the engine works on identifiers and dates only.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

Frame = pl.LazyFrame | pl.DataFrame
Schema = dict[str, type[pl.DataType] | pl.DataType]

ADDRESSES: Schema = {
    "address_id": pl.Int64,
    "neighbourhood_code": pl.String,
    "floor_area_m2": pl.Float64,
    "residential": pl.Boolean,
    "is_caravan": pl.Boolean,
    "has_bag_id": pl.Boolean,
}
RESIDENCES: Schema = {
    "person_id": pl.Int64,
    "address_id": pl.Int64,
    "starts_on": pl.Date,
    "ends_on": pl.Date,
    "source": pl.String,
}
EMPLOYMENTS: Schema = {
    "person_id": pl.Int64,
    "employer_id": pl.Int64,
    "starts_on": pl.Date,
    "ends_on": pl.Date,
}
EMPLOYERS: Schema = {
    "employer_id": pl.Int64,
    "is_temp_agency": pl.Boolean,
    "sna_certified": pl.Boolean,
}
VIOLATIONS: Schema = {"employer_id": pl.Int64, "occurred_on": pl.Date}
HOUSING: Schema = {
    "address_id": pl.Int64,
    "location_id": pl.Int64,
    "mark_valid_until": pl.Date,
    "permit_valid_until": pl.Date,
}
SIGNALS: Schema = {"address_id": pl.Int64, "received_on": pl.Date, "category": pl.String}
FINDINGS: Schema = {
    "address_id": pl.Int64,
    "found_on": pl.Date,
    "violation": pl.Boolean,
    "measure": pl.Boolean,
}

SCHEMAS: dict[str, Schema] = {
    "addresses": ADDRESSES,
    "residences": RESIDENCES,
    "employments": EMPLOYMENTS,
    "employers": EMPLOYERS,
    "violations": VIOLATIONS,
    "housing": HOUSING,
    "signals": SIGNALS,
    "findings": FINDINGS,
}
TABLE_NAMES: tuple[str, ...] = tuple(SCHEMAS)

# The residence sources the registers know; "rni" is the one a feature looks at.
SOURCES: tuple[str, ...] = ("brp", "rni", "employer", "self_service", "inspection")


class EngineInputError(ValueError):
    """An input table is missing, or one of its columns is missing or has the wrong dtype."""

    def __init__(self, table: str, column: str | None, problem: str) -> None:
        self.table = table
        self.column = column
        where = f"{table}.{column}" if column else table
        super().__init__(f"{where}: {problem}")


def empty(table: str) -> pl.DataFrame:
    """An empty table with the right columns, for callers that have no rows of a kind."""
    return pl.DataFrame(schema=SCHEMAS[table])


def _schema_of(frame: Frame) -> pl.Schema:
    return frame.collect_schema() if isinstance(frame, pl.LazyFrame) else frame.schema


def validate(tables: Mapping[str, Frame]) -> None:
    """Raise EngineInputError naming the first table/column that does not match the schemas."""
    for table, schema in SCHEMAS.items():
        if table not in tables:
            raise EngineInputError(table, None, "table missing")
        frame = tables[table]
        if not isinstance(frame, pl.LazyFrame | pl.DataFrame):
            raise EngineInputError(table, None, f"expected a polars frame, got {type(frame).__name__}")
        actual = _schema_of(frame)
        for column, dtype in schema.items():
            if column not in actual:
                raise EngineInputError(table, column, "column missing")
            if actual[column] != dtype and actual[column] != pl.Null:
                raise EngineInputError(table, column, f"dtype {actual[column]}, expected {dtype}")


def conform(tables: Mapping[str, Frame]) -> dict[str, pl.LazyFrame]:
    """Validate, then give each table as a LazyFrame of exactly its schema's columns and dtypes."""
    validate(tables)
    conformed: dict[str, pl.LazyFrame] = {}
    for table, schema in SCHEMAS.items():
        frame = tables[table].lazy()
        actual = _schema_of(frame)
        conformed[table] = frame.select(
            pl.col(column) if actual[column] == dtype else pl.col(column).cast(dtype)
            for column, dtype in schema.items()
        )
    return conformed

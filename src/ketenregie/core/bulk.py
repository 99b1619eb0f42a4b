"""Inserting many rows fast: COPY on PostgreSQL, ``bulk_create`` elsewhere.

Primary keys are drawn from the table's sequence first, so the caller gets every object back with
its ``pk`` set (as ``bulk_create`` does on PostgreSQL) and can insert the rows that refer to them.
Values go through each field's own database preparation, so JSON, dates and choices are stored as
the ORM would store them; ``auto_now``/``auto_now_add`` fields get their value as in ``save``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import connection, models

M = TypeVar("M", bound=models.Model)


def bulk_insert(model: type[M], objects: Sequence[M], *, batch_size: int = 5000) -> Sequence[M]:
    if not objects:
        return objects
    if connection.vendor != "postgresql":
        return model._default_manager.bulk_create(objects, batch_size=batch_size)
    meta = model._meta
    fields = [f for f in meta.concrete_fields]
    table = connection.ops.quote_name(meta.db_table)
    pk = meta.pk
    assert pk is not None
    with connection.cursor() as cursor:
        missing = [obj for obj in objects if obj.pk is None]
        if missing:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, pk.column, len(missing)],
            )
            for obj, (value,) in zip(missing, cursor.fetchall(), strict=True):
                obj.pk = value
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        raw: Any = cursor.cursor
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in objects:
                copy.write_row([_prepared(field, obj) for field in fields])
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objects


def _prepared(field: models.Field[Any, Any], obj: models.Model) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        value = field.pre_save(obj, add=True)
    else:
        value = getattr(obj, field.attname)
    return field.get_db_prep_save(value, connection)

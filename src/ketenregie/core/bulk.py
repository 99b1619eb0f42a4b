"""Inserting many rows fast: COPY on PostgreSQL, ``bulk_create`` elsewhere.

Primary keys are drawn from the table's sequence first, so the caller gets every object back with
its ``pk`` set (as ``bulk_create`` does on PostgreSQL) and can insert the rows that refer to them.
Values go through each field's own database preparation, so JSON, dates and choices are stored as
the ORM would store them; ``auto_now``/``auto_now_add`` fields get their value as in ``save``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import connection, models

M = TypeVar("M", bound=models.Model)
_PLAIN, _JSON, _NOW = 0, 1, 2


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
        columns = ", ".join(connection.ops.quote_name(f.column or f.attname) for f in fields)
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


def copy_rows(model: type[M], rows: Sequence[dict[str, Any]], *, returning_ids: bool = False) -> list[int]:
    """Insert plain rows (dicts by attribute name; missing fields get their default) without making
    model instances: the fast path for millions of rows. Returns the new primary keys when asked."""
    if not rows:
        return []
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    fields = [f for f in meta.concrete_fields if f is not pk]
    if connection.vendor != "postgresql":
        created = model._default_manager.bulk_create([model(**row) for row in rows], batch_size=2000)
        return [obj.pk for obj in created]
    from django.utils import timezone
    from psycopg.types.json import Jsonb

    now = timezone.now()
    # Per field: where its value comes from. Defaults are computed once (they are only serialised).
    specs: list[tuple[str, int, Any]] = []
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            specs.append((field.attname, _NOW, now))
        elif field.get_internal_type() == "JSONField":
            specs.append((field.attname, _JSON, field.get_default()))
        else:
            specs.append((field.attname, _PLAIN, field.get_default()))
    with connection.cursor() as cursor:
        ids: list[int] = []
        if returning_ids:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, pk.column, len(rows)],
            )
            ids = [value for (value,) in cursor.fetchall()]
        columns = [f.column or f.attname for f in fields] + (
            [pk.column or pk.attname] if returning_ids else []
        )
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        raw: Any = cursor.cursor
        with raw.copy(f"COPY {connection.ops.quote_name(meta.db_table)} ({names}) FROM STDIN") as copy:
            for index, row in enumerate(rows):
                values = [
                    default
                    if kind == _NOW
                    else Jsonb(row.get(name, default))
                    if kind == _JSON
                    else row.get(name, default)
                    for name, kind, default in specs
                ]
                if returning_ids:
                    values.append(ids[index])
                copy.write_row(values)
    return ids


def copy_tuples(
    model: type[M], columns: Sequence[str], rows: Sequence[tuple[Any, ...]], *, returning_ids: bool = False
) -> list[int]:
    """Like ``copy_rows``, for rows given as tuples in the order of ``columns`` (attribute names);
    every other field gets its default. The fastest way in: nothing is looked up per row."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        return copy_rows(
            model, [dict(zip(columns, row, strict=True)) for row in rows], returning_ids=returning_ids
        )
    from django.utils import timezone

    meta = model._meta
    pk = meta.pk
    assert pk is not None
    given = set(columns)
    fields = {f.attname: f for f in meta.concrete_fields if f is not pk}
    # As text: PostgreSQL reads it; a datetime would go through a time-zone adapter on every row.
    now = timezone.now().isoformat()
    rest: list[tuple[str, Any]] = []
    for name, field in fields.items():
        if name in given:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            rest.append((name, now))
        elif field.get_internal_type() == "JSONField":
            # Its text once, not an adapter dumping the same value on every row.
            rest.append((name, json.dumps(field.get_default())))
        else:
            rest.append((name, field.get_default()))
    json_positions = [i for i, name in enumerate(columns) if fields[name].get_internal_type() == "JSONField"]
    constants = tuple(value for _name, value in rest)
    names = [*columns, *(name for name, _value in rest)]
    with connection.cursor() as cursor:
        ids: list[int] = []
        if returning_ids:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, pk.column, len(rows)],
            )
            ids = [value for (value,) in cursor.fetchall()]
            names.append(pk.attname)
        quoted = ", ".join(
            connection.ops.quote_name((fields[n].column if n in fields else pk.column) or n) for n in names
        )
        raw: Any = cursor.cursor
        with raw.copy(f"COPY {connection.ops.quote_name(meta.db_table)} ({quoted}) FROM STDIN") as copy:
            write = copy.write_row
            # JSON goes in as its text (COPY's text format lets PostgreSQL read it): no adapter
            # object per value.
            dumps = json.JSONEncoder().encode
            for index, row in enumerate(rows):
                if json_positions:
                    values = list(row)
                    for position in json_positions:
                        values[position] = dumps(values[position])
                    row = tuple(values)
                if returning_ids:
                    write((*row, *constants, ids[index]))
                else:
                    write((*row, *constants))
    return ids


@contextmanager
def rebuilt_afterwards(
    models_: Sequence[type[models.Model]], *, keep_indexes: Sequence[str] = ()
) -> Iterator[None]:
    """For a load that is large relative to the tables (PostgreSQL only, inside a transaction):
    drop their secondary indexes and foreign keys first and build them again at the end, as
    pg_restore does. One sort per index and one anti-join per foreign key are far cheaper than
    maintaining a trigram index row by row and queueing a deferred check for every row.

    Unique indexes, the primary key and ``keep_indexes`` stay: they guard and serve the load itself.
    The foreign keys come back with the same name and definition; adding them checks every row
    at once, so integrity is checked as before (a violation rolls the transaction back). DDL is
    transactional: on any error the rollback restores the indexes and keys. The tables are locked
    (ACCESS EXCLUSIVE, also the tables the keys refer to) until the transaction ends.
    """
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        yield
        return
    tables = [m._meta.db_table for m in models_]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND NOT i.indisunique
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
              AND NOT (i.indexrelid::regclass::text = ANY(%s))
            ORDER BY 1
            """,
            [tables, list(keep_indexes)],
        )
        indexes: list[tuple[str, str]] = cursor.fetchall()
        cursor.execute(
            """
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
            FROM pg_constraint
            WHERE conrelid = ANY(%s::regclass[]) AND contype = 'f'
            ORDER BY 1, 2
            """,
            [tables],
        )
        keys: list[tuple[str, str, str]] = cursor.fetchall()
        # Rows written before (none in a fresh transaction) must have their checks fired first:
        # PostgreSQL refuses DDL on a table with pending trigger events.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        _restore_deferral(cursor)
        quote = connection.ops.quote_name
        for table, name, _definition in keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # Index builds sort in memory when they can; LOCAL: only for this transaction.
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
        _restore_deferral(cursor)


def _restore_deferral(cursor: Any) -> None:
    """Back to each constraint's own initial mode after SET CONSTRAINTS ALL IMMEDIATE."""
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    cursor.execute(
        "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.conname) FROM pg_constraint c "
        "JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.condeferrable AND NOT c.condeferred"
    )
    for (name,) in cursor.fetchall():
        cursor.execute(f"SET CONSTRAINTS {name} IMMEDIATE")

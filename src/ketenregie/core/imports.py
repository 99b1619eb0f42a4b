"""All-or-nothing CSV imports: every bad row is reported with its number and reason, and a file
with any bad row writes nothing.

A domain app supplies a ``RowImporter``: which columns exist, how one row becomes a record (using a
Django form, so messages are the same as in the staff forms), which rows clash with each other or
with the register, and how the clean set is written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from django import forms
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ketenregie.core import audit
from ketenregie.core.actor import Actor
from ketenregie.core.locks import deliveries_lock
from ketenregie.core.models import AuditAction

T = TypeVar("T")
MAX_REPORTED_ERRORS = 1000


@dataclass(frozen=True, order=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = _("row %(row)d") % {"row": self.row} if self.row else _("file")
        return f"{where}, {self.column}: {self.message}" if self.column else f"{where}: {self.message}"


class ImportConflict(Exception):
    """Another import wrote the same records at the same time; nothing of this one was written."""

    message = gettext_lazy(
        "Another import or delivery changed the same records at the same time. Nothing was written; "
        "deliver or import the file again."
    )

    def __init__(self) -> None:
        super().__init__(str(self.message))


class ImportRejected(Exception):
    def __init__(self, errors: Sequence[RowError]) -> None:
        super().__init__(f"{len(errors)} error(s)")
        self.errors = sorted(errors)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass
class ParsedRow(Generic[T]):
    number: int
    value: T


class RowImporter(Protocol[T]):
    label: str
    required_columns: Sequence[str]
    optional_columns: Sequence[str]

    def parse(self, actor: Actor, row: dict[str, str], number: int) -> tuple[T | None, list[RowError]]: ...

    def check_together(self, actor: Actor, rows: list[ParsedRow[T]]) -> list[RowError]: ...

    def write(self, actor: Actor, rows: list[ParsedRow[T]]) -> ImportResult: ...

    @property
    def model(self) -> Any: ...


def read_csv(
    data: bytes, *, required: Sequence[str], optional: Sequence[str]
) -> tuple[list[tuple[int, dict[str, str]]], list[RowError]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return [], [
            RowError(
                0,
                "",
                _("The file is not UTF-8 text (byte %(pos)d). Save it as CSV UTF-8.") % {"pos": error.start},
            )
        ]
    if not text.strip():
        return [], [RowError(0, "", _("The file is empty."))]
    first_line = text.splitlines()[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip().lower() for name in next(reader)]
    errors: list[RowError] = []
    missing = [name for name in required if name not in header]
    unknown = [name for name in header if name and name not in required and name not in optional]
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if missing:
        errors.append(RowError(1, "", _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}))
    if unknown:
        errors.append(
            RowError(
                1,
                "",
                _("Unknown columns: %(columns)s. Allowed: %(allowed)s.")
                % {"columns": ", ".join(unknown), "allowed": ", ".join([*required, *optional])},
            )
        )
    if duplicated:
        errors.append(
            RowError(1, "", _("Columns named twice: %(columns)s.") % {"columns": ", ".join(duplicated)})
        )
    if errors:
        return [], errors
    rows: list[tuple[int, dict[str, str]]] = []
    for number, values in enumerate(reader, start=2):
        if not any(value.strip() for value in values):
            continue
        if len(values) != len(header):
            errors.append(
                RowError(
                    number,
                    "",
                    _("This row has %(found)d fields; the header has %(expected)d.")
                    % {"found": len(values), "expected": len(header)},
                )
            )
            continue
        rows.append((number, {name: value.strip() for name, value in zip(header, values, strict=True)}))
    if not rows and not errors:
        errors.append(RowError(0, "", _("The file has a header but no rows.")))
    return rows, errors


def chunked(values: Sequence[T], size: int) -> list[Sequence[T]]:
    """Split long ``__in`` lookups: SQLite limits the number of query parameters."""
    return [values[start : start + size] for start in range(0, len(values), size)]


def form_errors(form: forms.Form, number: int) -> list[RowError]:
    return [
        RowError(number, "" if name == "__all__" else name, str(message))
        for name, messages in form.errors.items()
        for message in messages
    ]


def run_import(*, actor: Actor, importer: RowImporter[Any], data: bytes) -> ImportResult:
    """Validate every row; write all of them in one transaction, or none and raise ImportRejected."""
    rows, errors = read_csv(data, required=importer.required_columns, optional=importer.optional_columns)
    return run_rows(actor=actor, importer=importer, rows=rows, errors=errors)


def run_rows(
    *,
    actor: Actor,
    importer: RowImporter[Any],
    rows: Sequence[tuple[int, dict[str, str]]],
    errors: list[RowError] | None = None,
) -> ImportResult:
    """The same all-or-nothing run for rows that did not come from a CSV file (an API request's rows,
    numbered by the caller).

    Rows are parsed outside the transaction (no register reads but the importer's own); the checks
    against the register (``check_together``, e.g. matching delivered people) and the write run in ONE
    transaction, so the write uses what was checked. A delivery importer (``is_delivery``) first takes
    the municipality's delivery lock: two deliveries at once are written one after the other, and the
    second matches against what the first wrote. A clash the checks could not see (a unique key written
    by another import in between) raises ImportConflict, never a bare IntegrityError."""
    errors = list(errors or [])
    parsed: list[ParsedRow[Any]] = []
    for number, row in rows:
        value, row_errors = importer.parse(actor, row, number)
        errors.extend(row_errors)
        if value is not None and not row_errors:
            parsed.append(ParsedRow(number, value))
        if len(errors) >= MAX_REPORTED_ERRORS:
            break
    if not rows and not errors:
        errors.append(RowError(0, "", _("There are no rows: give at least one.")))
    try:
        with transaction.atomic():
            if getattr(importer, "is_delivery", False):
                deliveries_lock(actor.municipality.pk)
            # Clashes between rows are checked on the rows that parsed, so one report lists every problem.
            errors.extend(importer.check_together(actor, parsed))
            if errors:
                raise ImportRejected(errors[:MAX_REPORTED_ERRORS])
            result = importer.write(actor, parsed)
            audit.record_bulk_change(
                actor,
                model=importer.model,
                action=AuditAction.IMPORT,
                count=result.created + result.updated,
                detail={"created": result.created, "updated": result.updated},
            )
    except IntegrityError as error:
        raise ImportConflict() from error
    return result

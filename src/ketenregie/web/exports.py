"""CSV and Excel exports of any list. The selector that produced the rows has already audited them."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from openpyxl import Workbook

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise
else:
    StrOrPromise = str

FORMATS = ("csv", "xlsx")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    header: StrOrPromise
    value: Callable[[Any], Any]


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(rows: Iterable[Any], columns: Sequence[Column]) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff"  # Excel needs the byte-order mark to read UTF-8
    yield writer.writerow([str(c.header) for c in columns])
    for row in rows:
        yield writer.writerow([_csv_safe(_cell(c.value(row))) for c in columns])


def _csv_safe(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text cells (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def export_response(
    *, rows: Iterable[Any], columns: Sequence[Column], file_format: str, filename: str
) -> HttpResponseBase:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if file_format == "csv":
        response: HttpResponseBase = StreamingHttpResponse(
            _csv_lines(rows, columns), content_type=CSV_CONTENT_TYPE
        )
    elif file_format == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=filename[:31])
        sheet.append([str(c.header) for c in columns])
        for row in rows:
            sheet.append([_xlsx_cell(_cell(c.value(row))) for c in columns])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    else:
        raise ValueError(f"unknown export format {file_format!r}")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.{file_format}"'
    response["Cache-Control"] = "no-store"
    return response


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    return _csv_safe(value) if isinstance(value, str) else value

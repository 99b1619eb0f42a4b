"""The shape in which an app hands a key figure to monitoring."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Period:
    """A half-open period [start, end), like residence periods: the end is the first day after it."""

    start: dt.date
    end: dt.date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year + 1, 1, 1))

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    def __str__(self) -> str:
        return f"{self.start.isoformat()} – {self.last_day.isoformat()}"


@dataclass(frozen=True)
class KpiResult:
    value: Decimal
    by_neighbourhood: Mapping[int, Decimal] = field(default_factory=dict)

    @classmethod
    def of(
        cls, value: int | float | Decimal, by_neighbourhood: Mapping[int, int | Decimal] | None = None
    ) -> KpiResult:
        return cls(Decimal(value), {k: Decimal(v) for k, v in (by_neighbourhood or {}).items()})

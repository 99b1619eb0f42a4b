"""State shared by the steps of the synthetic generator."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ketenregie.core.models import Municipality
from ketenregie.demo.profiles import Profile

T = TypeVar("T")
BATCH = 5000


@dataclass
class AddressInfo:
    pk: int
    neighbourhood: int
    floor_area: int | None
    habitable: bool
    lodging: bool
    priority: bool
    migrant_weight: float


@dataclass
class GenerationContext:
    profile: Profile
    municipality: Municipality
    rng: random.Random
    scale: float
    reference_date: dt.date
    progress: Callable[[str], None]
    addresses: list[AddressInfo] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    # Filled by the people step, read by the work and housing steps.
    migrant_ids: list[int] = field(default_factory=list)
    migrant_sector: dict[int, str] = field(default_factory=dict)
    migrant_arrival: dict[int, dt.date] = field(default_factory=dict)
    # Labour migrants placed by an agency in shared or overcrowded housing, by address.
    agency_housed: dict[int, list[int]] = field(default_factory=dict)
    lodging_address_ids: list[int] = field(default_factory=list)
    # Addresses where labour migrants were placed; regular households are not added there.
    migrant_addresses: set[int] = field(default_factory=set)
    # Whether a migrant still lives here (an open residence), and when their last stay ended.
    migrant_left_on: dict[int, dt.date | None] = field(default_factory=dict)
    _bsn_cursor: int = 0

    def scaled(self, value: int, minimum: int = 1) -> int:
        return max(minimum, round(value * self.scale))

    def weighted(self, options: Sequence[tuple[T, float]]) -> T:
        values, weights = zip(*options, strict=True)
        return self.rng.choices(values, weights=weights, k=1)[0]

    def date_between(self, start: dt.date, end: dt.date) -> dt.date:
        span = (end - start).days
        return start + dt.timedelta(days=self.rng.randint(0, max(span, 0)))

    def next_bsn(self) -> str:
        """The next number that passes the 11-test, from a seed-dependent start."""
        if not self._bsn_cursor:
            self._bsn_cursor = 100_000_000 + self.rng.randrange(0, 400_000_000)
        while True:
            self._bsn_cursor += 1
            digits = str(self._bsn_cursor)
            total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - int(digits[8])
            if total % 11 == 0:
                return digits

    def count(self, key: str, value: int) -> None:
        self.counts[key] = self.counts.get(key, 0) + value


def bulk_create(model: Any, objects: list[Any]) -> list[Any]:
    return model.objects.bulk_create(objects, batch_size=BATCH)

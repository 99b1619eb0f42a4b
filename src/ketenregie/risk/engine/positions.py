"""Integer ids as array positions, so that per-address sums are a ``bincount``, not a hash group-by.

At national scale (9.5 million addresses, 16 million current residence rows) a polars hash group-by
or join on ``address_id`` took 4 to 5 seconds each on the two-core machine, while mapping the ids to
positions once and counting with ``numpy.bincount`` takes a few tenths. Register ids are database
keys and therefore nearly dense; when they are not (span more than a few times the number of ids) a
sort-based mapping is used instead, which is slower but gives the same answer.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import numpy as np
import numpy.typing as npt

from .schema import EngineInputError

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

# A lookup table may be this many times larger than the number of ids (plus a constant, so that
# small tables with large ids still use it).
DENSE_FACTOR = 4
DENSE_SLACK = 1_000_000


class AddressIndex:
    """Maps ids that are unique in their table to that table's row positions (-1: not there)."""

    def __init__(self, ids: IntArray, *, table: str, column: str, force_sparse: bool = False) -> None:
        self.size = len(ids)
        self._low = 0
        self._table: npt.NDArray[np.signedinteger[Any]] | None = None
        self._order: IntArray | None = None
        self._sorted: IntArray | None = None
        if self.size == 0:
            return
        low, high = int(ids.min()), int(ids.max())
        span = high - low + 1
        if not force_sparse and span <= DENSE_FACTOR * self.size + DENSE_SLACK:
            # int32 halves the table and the memory traffic of every lookup into it.
            dtype: type[np.signedinteger[Any]] = np.int32 if self.size < 2**31 else np.int64
            lookup: npt.NDArray[np.signedinteger[Any]] = np.full(span, -1, dtype=dtype)
            lookup[ids - low] = np.arange(self.size, dtype=dtype)
            if np.count_nonzero(lookup >= 0) != self.size:
                raise EngineInputError(table, column, "duplicate ids")
            self._low, self._table = low, lookup
        else:
            order = np.argsort(ids, kind="stable")
            ordered = ids[order]
            if self.size > 1 and bool((ordered[1:] == ordered[:-1]).any()):
                raise EngineInputError(table, column, "duplicate ids")
            self._order, self._sorted = order.astype(np.int64), ordered

    def lookup(self, values: IntArray) -> IntArray:
        if self.size == 0 or len(values) == 0:
            return np.full(len(values), -1, dtype=np.int64)
        if self._table is not None:
            offsets = values - self._low
            if int(offsets.min()) >= 0 and int(offsets.max()) < len(self._table):
                return self._table[offsets].astype(np.int64)
            inside = (offsets >= 0) & (offsets < len(self._table))
            result = np.full(len(values), -1, dtype=np.int64)
            result[inside] = self._table[offsets[inside]]
            return result
        assert self._sorted is not None
        assert self._order is not None
        at = np.searchsorted(self._sorted, values)
        at_clipped = np.minimum(at, self.size - 1)
        found = self._sorted[at_clipped] == values
        return np.where(found, self._order[at_clipped], -1)


class KeySpace:
    """Maps ids (repeats allowed, e.g. person ids in residences) to keys in ``range(size)``.

    Different ids get different keys; ids not seen when building map to -1.
    """

    def __init__(self, ids: IntArray, *, force_sparse: bool = False) -> None:
        self._low = 0
        self._uniques: IntArray | None = None
        if len(ids) == 0:
            self.size = 0
            return
        low, high = int(ids.min()), int(ids.max())
        span = high - low + 1
        if not force_sparse and span <= DENSE_FACTOR * len(ids) + DENSE_SLACK:
            self._low, self.size = low, span
        else:
            self._uniques = distinct(ids)
            self.size = len(self._uniques)

    def lookup(self, values: IntArray) -> IntArray:
        if self.size == 0 or len(values) == 0:
            return np.full(len(values), -1, dtype=np.int64)
        if self._uniques is None:
            keys = values - self._low
            inside = (keys >= 0) & (keys < self.size)
            return keys if inside.all() else np.where(inside, keys, -1)
        at = np.searchsorted(self._uniques, values)
        at_clipped = np.minimum(at, self.size - 1)
        return np.where(self._uniques[at_clipped] == values, at_clipped, -1).astype(np.int64)


def count_at(positions: IntArray, size: int, where: BoolArray | None = None) -> IntArray:
    """How often each position in ``range(size)`` occurs (only where ``where`` holds)."""
    chosen = positions if where is None else positions[where]
    return np.bincount(chosen, minlength=size).astype(np.int64, copy=False)


def any_at(positions: IntArray, size: int, flags: BoolArray) -> BoolArray:
    return count_at(positions, size, flags) > 0


@contextlib.contextmanager
def small_pages() -> Iterator[None]:
    """Ask numpy not to back new arrays with transparent huge pages for the duration.

    Counting allocates a dozen zeroed arrays of one int64 per address; on the benchmark's virtual
    machine the huge-page faults made a bincount of 20,000 values into 9.5 million bins take 0.25 s
    instead of 0.02 s. The switch is numpy's own (``NUMPY_MADVISE_HUGEPAGE``) and is restored after.
    """
    switch = getattr(getattr(np, "_core", None), "multiarray", None)
    setter = getattr(switch, "_set_madvise_hugepage", None)
    if setter is None:
        yield
        return
    previous = setter(False)
    try:
        yield
    finally:
        setter(previous)


def distinct(values: IntArray) -> IntArray:
    """The sorted distinct values.

    By sorting: numpy 2.4's ``np.unique`` without other outputs hashes, and took 1.1 s for a
    million int64 values where sorting takes 0.06 s.
    """
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    keep = np.empty(len(ordered), dtype=np.bool_)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]

"""The address features by counting at address positions: the implementation behind ``address_features``.

Same definitions as ``reference`` (tests compare both), computed differently for speed at national
scale: polars reads the tables and evaluates each row's flags (did this residence run on the date,
did it end in the last 12 months, ...), and the per-address totals are ``numpy.bincount`` over the
addresses' row positions (see ``positions``). No table is joined onto the 9.5 million addresses; the
totals are columns in the addresses' own order.

Distinct persons: a person with only one relevant residence row cannot be counted twice, so only the
rows of persons with several rows (a few per cent) are merged per (address, person), as a correction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import polars as pl

from .features import (
    current_employments,
    earlier_findings,
    finish_address_features,
    housing_flags,
    recent_signals,
    relevant_residences,
    residence_flags,
)
from .positions import AddressIndex, BoolArray, IntArray, KeySpace, any_at, count_at, small_pages, sum_at
from .schema import Frame, conform

_FLAGS = ("now", "then_3m", "then_12m", "arrived", "departed", "short", "rni")


def _definite(flags: dict[str, pl.Expr]) -> dict[str, pl.Expr]:
    # A comparison with a null date is null; for counting, "not shown to hold" is false.
    return {name: flag.fill_null(False) for name, flag in flags.items()}


def _count_flag(positions: IntArray, size: int, flag: BoolArray, all_rows: IntArray) -> IntArray:
    """Rows with the flag per position; a flag held by most rows is counted as all minus the rest."""
    if np.count_nonzero(flag) * 2 <= len(flag):
        return count_at(positions, size, flag)
    return all_rows - count_at(positions, size, ~flag)


def _distinct_person_counts(
    positions: IntArray, keys: IntArray, flags: dict[str, BoolArray], key_count: int, size: int
) -> dict[str, IntArray]:
    """Per address position and flag: distinct persons with a row that has the flag.

    Counting rows is right for every person with a single row; for persons with several rows at one
    address (one per source) the row count is corrected by the difference between their rows and
    their merged (address, person) pairs, which touches only those few rows.
    """
    # Most rows are "now", "then_3m" and "then_12m": counting their few exceptions and subtracting
    # from the count of all rows is one large bincount instead of three.
    all_rows = count_at(positions, size)
    counts = {name: _count_flag(positions, size, flag, all_rows) for name, flag in flags.items()}
    repeated = np.bincount(keys, minlength=key_count)[keys] > 1
    if not repeated.any():
        return counts
    # Positions and keys are both below 2**31 for any realistic input, so the pair fits an int64.
    repeated_positions = positions[repeated]
    pairs = repeated_positions * key_count + keys[repeated]
    unique_pairs, inverse = np.unique(pairs, return_inverse=True)
    if len(unique_pairs) == len(pairs):
        return counts
    pair_positions = unique_pairs // key_count
    both = np.concatenate([repeated_positions, pair_positions])
    for name, flag in flags.items():
        row_flags = flag[repeated]
        pair_flags = np.bincount(inverse, weights=row_flags, minlength=len(unique_pairs)) > 0
        excess = np.concatenate([row_flags.astype(np.int64), -pair_flags.astype(np.int64)])
        counts[name] -= sum_at(both, size, excess)
    return counts


def count_address_features(
    tables: Mapping[str, Frame], as_of: dt.date, *, force_sparse: bool = False
) -> pl.DataFrame:
    """Address features in the addresses' row order (``force_sparse``: for tests of the fallback)."""
    with small_pages():
        return _count(tables, as_of, force_sparse=force_sparse)


def _count(tables: Mapping[str, Frame], as_of: dt.date, *, force_sparse: bool) -> pl.DataFrame:
    t = conform(tables)
    addresses, residences, jobs, signals, findings, housing = pl.collect_all(
        [
            t["addresses"],
            relevant_residences(t["residences"], as_of).select(
                "address_id", "person_id", **_definite(residence_flags(as_of))
            ),
            current_employments(t, as_of),
            recent_signals(t["signals"], as_of),
            earlier_findings(t["findings"], as_of),
            t["housing"].select("address_id", **_definite(housing_flags(as_of))),
        ]
    )
    # One chunk per column: the result is reordered by score later, and gathers over many chunks
    # were five times slower.
    addresses = addresses.rechunk()
    size = addresses.height
    index = AddressIndex(
        addresses["address_id"].to_numpy(), table="addresses", column="address_id", force_sparse=force_sparse
    )

    positions = index.lookup(residences["address_id"].to_numpy())
    person_ids = residences["person_id"].to_numpy()
    flags = {name: residences[name].to_numpy() for name in _FLAGS}
    known = positions >= 0
    if not known.all():
        positions, person_ids = positions[known], person_ids[known]
        flags = {name: flag[known] for name, flag in flags.items()}
    people = KeySpace(person_ids, force_sparse=force_sparse)
    keys = people.lookup(person_ids)
    distinct = _distinct_person_counts(positions, keys, flags, people.size, size)
    counts: dict[str, IntArray] = {
        "persons": distinct["now"],
        "persons_change_3m": distinct["now"] - distinct["then_3m"],
        "persons_change_12m": distinct["now"] - distinct["then_12m"],
        "arrivals_12m": distinct["arrived"],
        "departures_12m": distinct["departed"],
        "short_stays": distinct["short"],
        "rni_persons": distinct["rni"],
    }
    now = flags["now"]

    # Employment: only residents who have a current job take part in the join, about one in fifteen.
    job_keys = people.lookup(jobs["person_id"].to_numpy())
    jobs = jobs.with_columns(key=pl.Series(job_keys)).filter(pl.col("key") >= 0)
    employed = np.zeros(people.size, dtype=np.bool_)
    employed[jobs["key"].to_numpy()] = True
    working = now & employed[keys]
    homes = pl.DataFrame({"position": positions[working], "key": keys[working]}).join(jobs, on="key")
    employers = homes.select("position", "employer_id", "is_temp_agency").unique()
    employer_positions = employers["position"].to_numpy()
    counts["distinct_employers"] = count_at(employer_positions, size)
    counts["distinct_temp_agencies"] = count_at(
        employer_positions, size, employers["is_temp_agency"].to_numpy()
    )
    violating = homes.filter(pl.col("violating")).select("position", "key").unique()
    counts["residents_of_violating_employers"] = count_at(violating["position"].to_numpy(), size)

    signal_positions = index.lookup(signals["address_id"].to_numpy())
    overcrowding = signals["overcrowding"].to_numpy()
    counts["signals_12m"] = count_at(signal_positions, size, signal_positions >= 0)
    counts["signals_12m_overcrowding"] = count_at(
        signal_positions, size, (signal_positions >= 0) & overcrowding
    )
    finding_positions = index.lookup(findings["address_id"].to_numpy())
    found = finding_positions >= 0
    counts["earlier_findings"] = count_at(finding_positions, size, found & findings["violation"].to_numpy())
    counts["earlier_measures"] = count_at(finding_positions, size, found & findings["measure"].to_numpy())
    housing_positions = index.lookup(housing["address_id"].to_numpy())
    housed = housing_positions >= 0
    flags_at = {
        name: any_at(housing_positions, size, housed & housing[name].to_numpy())
        for name in housing_flags(as_of)
    }

    counted = addresses.with_columns(
        *(pl.Series(name, values) for name, values in counts.items()),
        *(pl.Series(name, values) for name, values in flags_at.items()),
    )
    return finish_address_features(counted)

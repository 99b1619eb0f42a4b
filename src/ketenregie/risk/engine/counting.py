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
import numpy.typing as npt
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
from .positions import AddressIndex, BoolArray, IntArray, KeySpace, any_at, count_at, distinct, small_pages
from .schema import Frame, conform

_FLAGS = ("now", "then_3m", "then_12m", "arrived", "departed", "short", "rni")
# A residence that ran throughout the last 12 months with nothing happening: by far the most rows.
_PLAIN = 0b111


def _definite(flags: dict[str, pl.Expr]) -> dict[str, pl.Expr]:
    # A comparison with a null date is null; for counting, "not shown to hold" is false.
    return {name: flag.fill_null(False) for name, flag in flags.items()}


def _flag_code(as_of: dt.date) -> pl.Expr:
    """The residence flags packed as bits of one UInt8 (bit i: ``_FLAGS[i]``), one column to hand over."""
    flags = _definite(residence_flags(as_of))
    return pl.sum_horizontal(flags[name].cast(pl.UInt8) * (1 << bit) for bit, name in enumerate(_FLAGS)).cast(
        pl.UInt8
    )


def _bit(codes: npt.NDArray[np.uint8], name: str) -> BoolArray:
    return (codes & (1 << _FLAGS.index(name))) != 0


def _distinct_person_counts(
    positions: IntArray, keys: IntArray, codes: npt.NDArray[np.uint8], key_count: int, size: int
) -> dict[str, IntArray]:
    """Per address position and flag: distinct persons with a row that has the flag.

    Plain rows (there throughout, nothing happened) count towards "now", "then_3m" and "then_12m"
    only, so they are counted once, in total; each flag is counted over the few other rows.
    Counting rows is right for every person with a single row at an address. Only persons with
    several rows at one address (one per source) are counted too often; for those few (address,
    person) pairs the surplus is found and subtracted in place.
    """
    eventful = np.flatnonzero(codes != _PLAIN)
    eventful_positions = positions[eventful]
    eventful_codes = codes[eventful]
    plain_rows = count_at(positions, size) - count_at(eventful_positions, size)
    counts = {}
    for bit, name in enumerate(_FLAGS):
        flagged = count_at(eventful_positions, size, _bit(eventful_codes, name))
        counts[name] = plain_rows + flagged if _PLAIN >> bit & 1 else flagged
    candidates = np.flatnonzero(np.bincount(keys, minlength=key_count)[keys] > 1)
    if not len(candidates):
        return counts
    # Positions and keys are both below 2**31 for any realistic input, so the pair fits an int64.
    pairs = positions[candidates] * key_count + keys[candidates]
    unique_pairs, inverse, rows_per_pair = np.unique(pairs, return_inverse=True, return_counts=True)
    shared = rows_per_pair[inverse] > 1
    if not shared.any():
        return counts
    rows = candidates[shared]
    row_codes = codes[rows]
    pair_ids, pair_of_row = np.unique(inverse[shared], return_inverse=True)
    pair_positions = unique_pairs[pair_ids] // key_count
    for name in _FLAGS:
        with_flag = np.bincount(pair_of_row, weights=_bit(row_codes, name), minlength=len(pair_ids))
        surplus = with_flag.astype(np.int64) - (with_flag > 0)
        counted_twice = surplus > 0
        np.subtract.at(counts[name], pair_positions[counted_twice], surplus[counted_twice])
    return counts


def _distinct_pairs(first: IntArray, second: IntArray, second_count: int) -> IntArray:
    """The distinct (first, second) pairs, encoded as first * second_count + second, sorted."""
    return distinct(first * second_count + second)


def _employment_counts(
    resident_positions: IntArray, resident_keys: IntArray, jobs: pl.DataFrame, people: KeySpace, size: int
) -> dict[str, IntArray]:
    """Distinct employers, temp agencies and residents working for a violating employer, per address.

    A join of current residents with current jobs on the person, done with a sorted search: only
    residents with a job take part (about one in fifteen) and most of them have exactly one.
    """
    job_keys = people.lookup(jobs["person_id"].to_numpy())
    known = job_keys >= 0
    order = np.argsort(job_keys[known], kind="stable")
    job_keys = job_keys[known][order]
    employer_ids = jobs["employer_id"].to_numpy()[known][order]
    temp = jobs["is_temp_agency"].to_numpy()[known][order]
    violating = jobs["violating"].to_numpy()[known][order]
    employed = np.zeros(people.size, dtype=np.bool_)
    employed[job_keys] = True
    at_work = employed[resident_keys]
    resident_positions, resident_keys = resident_positions[at_work], resident_keys[at_work]

    first = np.searchsorted(job_keys, resident_keys, side="left")
    jobs_per_resident = np.searchsorted(job_keys, resident_keys, side="right") - first
    working = np.flatnonzero(jobs_per_resident)
    repeat = jobs_per_resident[working]
    resident_of_job = np.repeat(working, repeat)
    # Each resident's jobs are the consecutive rows first .. first + repeat - 1.
    offsets = np.arange(len(resident_of_job)) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    job_of_pair = np.repeat(first[working], repeat) + offsets
    home_positions = resident_positions[resident_of_job]

    employers = KeySpace(employer_ids)
    employer_keys = employers.lookup(employer_ids[job_of_pair])
    pairs = _distinct_pairs(home_positions, employer_keys, employers.size)
    temp_of_employer = np.zeros(employers.size, dtype=np.bool_)
    temp_of_employer[employers.lookup(employer_ids)] = temp
    pair_positions = pairs // max(employers.size, 1)
    on_violating = violating[job_of_pair]
    violating_pairs = _distinct_pairs(
        home_positions[on_violating], resident_keys[resident_of_job][on_violating], people.size
    )
    return {
        "distinct_employers": count_at(pair_positions, size),
        "distinct_temp_agencies": count_at(
            pair_positions, size, temp_of_employer[pairs % max(employers.size, 1)]
        ),
        "residents_of_violating_employers": count_at(violating_pairs // max(people.size, 1), size),
    }


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
                "address_id", "person_id", code=_flag_code(as_of)
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
    codes = residences["code"].to_numpy()
    known = positions >= 0
    if not known.all():
        positions, person_ids, codes = positions[known], person_ids[known], codes[known]
    people = KeySpace(person_ids, force_sparse=force_sparse)
    keys = people.lookup(person_ids)
    distinct = _distinct_person_counts(positions, keys, codes, people.size, size)
    counts: dict[str, IntArray] = {
        "persons": distinct["now"],
        "persons_change_3m": distinct["now"] - distinct["then_3m"],
        "persons_change_12m": distinct["now"] - distinct["then_12m"],
        "arrivals_12m": distinct["arrived"],
        "departures_12m": distinct["departed"],
        "short_stays": distinct["short"],
        "rni_persons": distinct["rni"],
    }
    now = _bit(codes, "now")

    counts.update(_employment_counts(positions[now], keys[now], jobs, people, size))

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

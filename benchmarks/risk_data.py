"""A synthetic national data set for the risk engine, generated straight into Parquet with numpy.

At scale 1.0: 9,500,000 addresses, 18,000,000 residence records (about 15 million persons, each with
a current residence, plus history, duplicates from a second source, RNI registrations and some
future moves), 1,000,000 labour migrants employed by 60,000 employers, 500,000 meldingen and 100,000
earlier findings. Labour migrants are concentrated on a small share of addresses (as in practice), so
overcrowding, turnover and many employers per address occur and every rule has work to do.

Every table has exactly the dtypes of ``ketenregie.risk.engine.schema``. Nationality is not generated:
the engine never sees it.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import numpy as np
import polars as pl

from ketenregie.risk.engine.schema import SCHEMAS, TABLE_NAMES

AS_OF = dt.date(2026, 6, 1)

ADDRESSES = 9_500_000
RESIDENCES = 18_000_000
PERSONS = 15_000_000
MIGRANTS = 1_000_000
EMPLOYERS = 60_000
SIGNALS = 500_000
FINDINGS = 100_000
VIOLATIONS = 6_000
HOUSING_LOCATIONS = 6_000
NEIGHBOURHOODS = 14_000
CATEGORIES = ("overcrowding", "noise", "waste", "parking", "nuisance", "fire_safety", "registration", "other")

_EPOCH = np.datetime64("1970-01-01", "D")
_AS_OF_DAY = int((np.datetime64(AS_OF.isoformat(), "D") - _EPOCH).astype(np.int64))


def _dates(days: np.ndarray) -> pl.Series:
    """Days since 1970 as a polars Date series (cheap: Date is days since the epoch as Int32)."""
    return pl.Series(days.astype(np.int32)).cast(pl.Date)


def _ago(rng: np.random.Generator, n: int, low_days: int, high_days: int) -> np.ndarray:
    """Days since 1970 of ``n`` dates between ``high_days`` and ``low_days`` before AS_OF."""
    return _AS_OF_DAY - rng.integers(low_days, high_days, n)


def _with_nulls(rng: np.random.Generator, series: pl.Series, share: float) -> pl.Series:
    mask = pl.Series(rng.random(len(series)) < share)
    return pl.select(pl.when(mask).then(None).otherwise(series)).to_series().alias(series.name)


def _frame(table: str, columns: dict[str, pl.Series | np.ndarray]) -> pl.DataFrame:
    frame = pl.DataFrame({name: columns[name] for name in SCHEMAS[table]})
    return frame.cast(SCHEMAS[table])  # type: ignore[arg-type]


def generate(directory: Path, scale: float = 1.0, seed: int = 1) -> dict[str, int]:
    """Write ``<table>.parquet`` for every engine table into ``directory``; returns row counts."""
    rng = np.random.default_rng(seed)
    directory.mkdir(parents=True, exist_ok=True)
    n_addresses = max(int(ADDRESSES * scale), 1_000)
    n_persons = max(int(PERSONS * scale), 1_000)
    n_migrants = max(int(MIGRANTS * scale), 200)
    n_employers = max(int(EMPLOYERS * scale), 50)
    n_residences = max(int(RESIDENCES * scale), int(n_persons * 1.2))
    counts: dict[str, int] = {}

    def write(table: str, frame: pl.DataFrame) -> None:
        frame.write_parquet(directory / f"{table}.parquet", compression="lz4", statistics=False)
        counts[table] = frame.height

    # Addresses: ids are sparse like BAG-derived keys; a few per cent have an unknown floor area, an
    # unknown use purpose or no BAG id at all, as in a real register.
    address_ids = np.arange(n_addresses, dtype=np.int64) * 3 + 1_000_000
    neighbourhood = pl.Series(rng.integers(0, NEIGHBOURHOODS, n_addresses))
    codes = pl.select(pl.format("BU{}", neighbourhood.cast(pl.String).str.zfill(8))).to_series()
    area = np.round(rng.lognormal(np.log(95), 0.55, n_addresses), 1)
    area[rng.random(n_addresses) < 0.004] = 0.0
    caravan = rng.random(n_addresses) < 0.005
    area[caravan] = np.round(rng.uniform(20, 45, int(caravan.sum())), 1)
    residential = pl.Series(rng.random(n_addresses) < 0.9)
    write(
        "addresses",
        _frame(
            "addresses",
            {
                "address_id": address_ids,
                "neighbourhood_code": _with_nulls(rng, codes.alias("neighbourhood_code"), 0.01),
                "floor_area_m2": _with_nulls(rng, pl.Series("floor_area_m2", area), 0.02),
                "residential": _with_nulls(rng, residential.alias("residential"), 0.02),
                "is_caravan": caravan,
                "has_bag_id": rng.random(n_addresses) < 0.99,
            },
        ),
    )

    # Labour migrants (persons 0 .. n_migrants-1) live concentrated on 2% of the addresses; everyone
    # else spreads over all addresses.
    migrant_homes = rng.choice(n_addresses, max(n_addresses // 50, 10), replace=False)
    home = rng.integers(0, n_addresses, n_persons)
    home[:n_migrants] = migrant_homes[rng.integers(0, len(migrant_homes), n_migrants)]
    start = _ago(rng, n_persons, 0, 20 * 365)
    start[:n_migrants] = _ago(rng, n_migrants, 0, 3 * 365)

    extra = n_residences - n_persons
    n_history = extra * 6 // 10
    n_duplicate = extra * 2 // 10
    n_rni = extra - n_history - n_duplicate
    # History: earlier stays that ended, many of them short for migrants.
    h_person = rng.integers(0, n_persons, n_history)
    h_person[: n_history // 3] = rng.integers(0, n_migrants, n_history // 3)
    h_address = rng.integers(0, n_addresses, n_history)
    h_address[: n_history // 3] = migrant_homes[rng.integers(0, len(migrant_homes), n_history // 3)]
    h_end = _ago(rng, n_history, -60, 6 * 365)
    h_start = h_end - rng.integers(10, 1500, n_history)
    # Duplicates: the employer reports the same migrant at the same address as the BRP.
    d_person = rng.integers(0, n_migrants, n_duplicate)
    # RNI registrations: non-residents with a stay address, mostly at migrant addresses.
    r_person = n_persons + np.arange(n_rni)
    r_address = migrant_homes[rng.integers(0, len(migrant_homes), n_rni)]
    r_start = _ago(rng, n_rni, -30, 4 * 365)
    r_end = np.where(rng.random(n_rni) < 0.5, r_start + rng.integers(20, 700, n_rni), -1)

    person = np.concatenate([np.arange(n_persons), h_person, d_person, r_person])
    address = np.concatenate([home, h_address, home[d_person], r_address])
    starts = np.concatenate([start, h_start, start[d_person] + rng.integers(0, 20, n_duplicate), r_start])
    ends = np.concatenate([np.full(n_persons, -1), h_end, np.full(n_duplicate, -1), r_end])
    sources = np.concatenate(
        [
            np.zeros(n_persons, np.int8),
            np.zeros(n_history, np.int8),
            np.full(n_duplicate, 2, np.int8),
            np.ones(n_rni, np.int8),
        ]
    )
    source_names = pl.Series(["brp", "rni", "employer", "self_service", "inspection"])
    write(
        "residences",
        _frame(
            "residences",
            {
                "person_id": person.astype(np.int64),
                "address_id": address_ids[address],
                "starts_on": _dates(starts),
                "ends_on": pl.select(pl.when(pl.Series(ends) >= 0).then(_dates(ends))).to_series(),
                "source": source_names.gather(pl.Series(sources)),
            },
        ),
    )

    # Employment: every migrant has a current job, a fifth also an earlier one; a few large temp
    # agencies employ most of them (Zipf-like).
    n_jobs = n_migrants + n_migrants // 5
    j_person = np.concatenate([np.arange(n_migrants), rng.integers(0, n_migrants, n_migrants // 5)])
    j_employer = np.minimum(rng.zipf(1.3, n_jobs), n_employers) - 1
    j_employer = (j_employer * 7919) % n_employers + 1
    j_start = _ago(rng, n_jobs, 0, 3 * 365)
    j_end = np.concatenate(
        [np.full(n_migrants, -1), j_start[n_migrants:] + rng.integers(30, 400, n_jobs - n_migrants)]
    )
    write(
        "employments",
        _frame(
            "employments",
            {
                "person_id": j_person.astype(np.int64),
                "employer_id": j_employer.astype(np.int64),
                "starts_on": _dates(j_start),
                "ends_on": pl.select(pl.when(pl.Series(j_end) >= 0).then(_dates(j_end))).to_series(),
            },
        ),
    )
    temp = rng.random(n_employers) < 0.2
    certified = pl.Series(np.where(temp, rng.random(n_employers) < 0.7, rng.random(n_employers) < 0.05))
    write(
        "employers",
        _frame(
            "employers",
            {
                "employer_id": np.arange(1, n_employers + 1, dtype=np.int64),
                "is_temp_agency": temp,
                "sna_certified": _with_nulls(rng, certified.alias("sna_certified"), 0.02),
            },
        ),
    )
    n_violations = max(int(VIOLATIONS * scale), 10)
    write(
        "violations",
        _frame(
            "violations",
            {
                "employer_id": rng.integers(1, n_employers + 1, n_violations).astype(np.int64),
                "occurred_on": _dates(_ago(rng, n_violations, -30, 5 * 365)),
            },
        ),
    )

    # Housing locations: about a third of the migrant addresses, grouped into locations.
    n_housing = min(len(migrant_homes) // 3, max(int(HOUSING_LOCATIONS * scale) * 5, 10))
    h_addr = migrant_homes[:n_housing]
    location = rng.integers(1, max(n_housing // 5, 2) + 1, n_housing)
    mark = _with_nulls(rng, _dates(_ago(rng, n_housing, -3 * 365, 365)).alias("mark_valid_until"), 0.15)
    permit = _with_nulls(rng, _dates(_ago(rng, n_housing, -5 * 365, 200)).alias("permit_valid_until"), 0.2)
    write(
        "housing",
        _frame(
            "housing",
            {
                "address_id": address_ids[h_addr],
                "location_id": location.astype(np.int64),
                "mark_valid_until": mark,
                "permit_valid_until": permit,
            },
        ),
    )

    # Meldingen and findings: a third at migrant addresses, the rest anywhere.
    def skewed_addresses(n: int) -> np.ndarray:
        chosen = rng.integers(0, n_addresses, n)
        chosen[: n // 3] = migrant_homes[rng.integers(0, len(migrant_homes), n // 3)]
        return address_ids[chosen]

    n_signals = max(int(SIGNALS * scale), 100)
    category = pl.Series(CATEGORIES).gather(pl.Series(rng.integers(0, len(CATEGORIES), n_signals)))
    write(
        "signals",
        _frame(
            "signals",
            {
                "address_id": skewed_addresses(n_signals),
                "received_on": _dates(_ago(rng, n_signals, -60, 5 * 365)),
                "category": category,
            },
        ),
    )
    n_findings = max(int(FINDINGS * scale), 50)
    write(
        "findings",
        _frame(
            "findings",
            {
                "address_id": skewed_addresses(n_findings),
                "found_on": _dates(_ago(rng, n_findings, -30, 8 * 365)),
                "violation": rng.random(n_findings) < 0.4,
                "measure": rng.random(n_findings) < 0.15,
            },
        ),
    )
    assert set(counts) == set(TABLE_NAMES)
    return counts


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dir", type=Path, default=Path("var/bench-risk"))
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    started = time.perf_counter()
    counts = generate(args.dir, args.scale)
    print(counts, f"{time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()

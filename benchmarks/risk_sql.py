"""Baseline for bench_risk.py: the risk engine's address features and score as one PostgreSQL query.

``load`` copies the Parquet tables into a scratch database (unlogged tables, COPY, then indexes and
ANALYZE; not timed). ``score_sql`` builds the query from a RuleSet with the same definitions as
``ketenregie.risk.engine`` and ``run`` materialises its result as ``risk_scores`` (timed).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import time
from pathlib import Path

import polars as pl
import psycopg

from ketenregie.risk.engine import RuleSet, months_before
from ketenregie.risk.engine.schema import SCHEMAS, TABLE_NAMES

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ketenregie_bench_risk"

_TYPES = {
    pl.Int64: "bigint",
    pl.String: "text",
    pl.Float64: "double precision",
    pl.Boolean: "boolean",
    pl.Date: "date",
}
_INDEXES = {
    "addresses": ["CREATE UNIQUE INDEX ON addresses (address_id)"],
    "residences": [
        "CREATE INDEX ON residences (address_id, person_id)",
        "CREATE INDEX ON residences (person_id)",
        "CREATE INDEX ON residences (ends_on)",
    ],
    "employments": ["CREATE INDEX ON employments (person_id)", "CREATE INDEX ON employments (employer_id)"],
    "employers": ["CREATE UNIQUE INDEX ON employers (employer_id)"],
    "violations": ["CREATE INDEX ON violations (employer_id, occurred_on)"],
    "housing": ["CREATE INDEX ON housing (address_id)"],
    "signals": ["CREATE INDEX ON signals (address_id, received_on)"],
    "findings": ["CREATE INDEX ON findings (address_id)"],
}


def ensure_database(url: str) -> None:
    admin_url, _, name = url.rpartition("/")
    with psycopg.connect(f"{admin_url}/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def loaded_marker(directory: Path) -> str:
    """What was loaded: the data directory and its files' sizes and times (a cheap fingerprint)."""
    files = {
        name: [
            (directory / f"{name}.parquet").stat().st_size,
            (directory / f"{name}.parquet").stat().st_mtime,
        ]
        for name in TABLE_NAMES
    }
    return json.dumps({"directory": str(directory.resolve()), "files": files}, sort_keys=True)


def is_loaded(url: str, directory: Path) -> bool:
    with psycopg.connect(url) as connection:
        exists = connection.execute("SELECT to_regclass('bench_loaded')").fetchone()
        if not exists or exists[0] is None:
            return False
        row = connection.execute("SELECT marker FROM bench_loaded").fetchone()
        return bool(row) and row[0] == loaded_marker(directory)


def load(url: str, directory: Path) -> float:
    """Copy every table from Parquet into PostgreSQL; returns the seconds it took."""
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP TABLE IF EXISTS bench_loaded")
        connection.execute("SET maintenance_work_mem = '1GB'")
        for table in TABLE_NAMES:
            schema = SCHEMAS[table]
            columns = ", ".join(f"{name} {_TYPES[dtype]}" for name, dtype in schema.items())  # type: ignore[index]
            connection.execute(f"DROP TABLE IF EXISTS {table}")
            connection.execute(f"CREATE UNLOGGED TABLE {table} ({columns})")
            frame = pl.scan_parquet(directory / f"{table}.parquet").select(list(schema))
            # In slices, so that the CSV of 18 million rows never sits in memory whole.
            total = frame.select(pl.len()).collect().item()
            with (
                connection.cursor() as cursor,
                cursor.copy(f"COPY {table} ({', '.join(schema)}) FROM STDIN WITH (FORMAT csv)") as copy,
            ):
                for offset in range(0, total, 2_000_000):
                    buffer = io.BytesIO()
                    frame.slice(offset, 2_000_000).collect().write_csv(buffer, include_header=False)
                    copy.write(buffer.getvalue())
            for statement in _INDEXES[table]:
                connection.execute(statement)
            connection.execute(f"ANALYZE {table}")
        connection.execute("CREATE TABLE bench_loaded (marker text)")
        connection.execute("INSERT INTO bench_loaded VALUES (%s)", (loaded_marker(directory),))
    return time.perf_counter() - started


def score_sql(as_of: dt.date, rules: RuleSet) -> str:
    """The feature and score query; dates and settings are literals (they come from code, not users)."""
    d = f"DATE '{as_of.isoformat()}'"
    y = f"DATE '{months_before(as_of, 12).isoformat()}'"
    q = f"DATE '{months_before(as_of, 3).isoformat()}'"
    v = f"DATE '{months_before(as_of, 24).isoformat()}'"
    r = rules

    def on(day: str) -> str:
        return f"(starts_on <= {day} AND (ends_on IS NULL OR ends_on > {day}))"

    departed = f"(ends_on IS NOT NULL AND ends_on > {y} AND ends_on <= {d})"
    return f"""
WITH stays AS (
    SELECT address_id, person_id,
           bool_or({on(d)}) AS now,
           bool_or({on(q)}) AS then_3m,
           bool_or({on(y)}) AS then_12m,
           bool_or(starts_on > {y}) AS arrived,
           bool_or({departed}) AS departed,
           bool_or({departed} AND ends_on - starts_on < 90) AS short,
           bool_or({on(d)} AND source = 'rni') AS rni
    FROM residences
    WHERE starts_on <= {d} AND (ends_on IS NULL OR ends_on > {y})
    GROUP BY address_id, person_id
), by_address AS (
    SELECT address_id,
           count(*) FILTER (WHERE now) AS persons,
           count(*) FILTER (WHERE now) - count(*) FILTER (WHERE then_3m) AS persons_change_3m,
           count(*) FILTER (WHERE now) - count(*) FILTER (WHERE then_12m) AS persons_change_12m,
           count(*) FILTER (WHERE arrived) AS arrivals_12m,
           count(*) FILTER (WHERE departed) AS departures_12m,
           count(*) FILTER (WHERE short) AS short_stays,
           count(*) FILTER (WHERE rni) AS rni_persons
    FROM stays GROUP BY address_id
), violating AS (
    SELECT DISTINCT employer_id FROM violations WHERE occurred_on > {v} AND occurred_on <= {d}
), jobs AS (
    SELECT DISTINCT e.person_id, e.employer_id,
           coalesce(er.is_temp_agency, false) AS is_temp_agency,
           (vi.employer_id IS NOT NULL) AS violating
    FROM employments e
    LEFT JOIN employers er ON er.employer_id = e.employer_id
    LEFT JOIN violating vi ON vi.employer_id = e.employer_id
    WHERE e.starts_on <= {d} AND (e.ends_on IS NULL OR e.ends_on > {d})
), homes AS (
    SELECT s.address_id, s.person_id, j.employer_id, j.is_temp_agency, j.violating
    FROM stays s JOIN jobs j ON j.person_id = s.person_id
    WHERE s.now
), employer_counts AS (
    SELECT address_id,
           count(DISTINCT employer_id) AS distinct_employers,
           count(DISTINCT employer_id) FILTER (WHERE is_temp_agency) AS distinct_temp_agencies,
           count(DISTINCT person_id) FILTER (WHERE violating) AS residents_of_violating_employers
    FROM homes GROUP BY address_id
), housing_flags AS (
    SELECT address_id,
           bool_or(mark_valid_until IS NULL OR mark_valid_until < {d}) AS housing_without_valid_mark,
           bool_or(permit_valid_until IS NULL OR permit_valid_until < {d}) AS housing_without_permit,
           coalesce(bool_or(mark_valid_until >= {d} AND mark_valid_until <= {d} + 90), false)
               AS mark_expiring_90d
    FROM housing GROUP BY address_id
), signal_counts AS (
    SELECT address_id, count(*) AS signals_12m,
           count(*) FILTER (WHERE category = 'overcrowding') AS signals_12m_overcrowding
    FROM signals WHERE received_on > {y} AND received_on <= {d} GROUP BY address_id
), finding_counts AS (
    SELECT address_id,
           count(*) FILTER (WHERE coalesce(violation, false)) AS earlier_findings,
           count(*) FILTER (WHERE coalesce(measure, false)) AS earlier_measures
    FROM findings WHERE found_on <= {d} GROUP BY address_id
), features AS (
    SELECT a.address_id,
           coalesce(b.persons, 0) AS persons,
           CASE WHEN a.floor_area_m2 > 1 THEN a.floor_area_m2 END AS floor_area_m2,
           CASE WHEN coalesce(a.is_caravan, false) THEN {float(r.norm_caravan_m2)!r}::float8
                ELSE {float(r.norm_m2)!r}::float8 END AS norm_m2,
           a.residential,
           coalesce(b.persons_change_3m, 0) AS persons_change_3m,
           coalesce(b.persons_change_12m, 0) AS persons_change_12m,
           coalesce(b.arrivals_12m, 0) AS arrivals_12m,
           coalesce(b.departures_12m, 0) AS departures_12m,
           coalesce(b.short_stays, 0) AS short_stays,
           coalesce(b.rni_persons, 0) AS rni_persons,
           coalesce(ec.distinct_employers, 0) AS distinct_employers,
           coalesce(ec.distinct_temp_agencies, 0) AS distinct_temp_agencies,
           coalesce(ec.residents_of_violating_employers, 0) AS residents_of_violating_employers,
           coalesce(h.housing_without_valid_mark, false) AS housing_without_valid_mark,
           coalesce(h.housing_without_permit, false) AS housing_without_permit,
           coalesce(h.mark_expiring_90d, false) AS mark_expiring_90d,
           coalesce(sc.signals_12m, 0) AS signals_12m,
           coalesce(sc.signals_12m_overcrowding, 0) AS signals_12m_overcrowding,
           coalesce(fc.earlier_findings, 0) AS earlier_findings,
           coalesce(fc.earlier_measures, 0) AS earlier_measures
    FROM addresses a
    LEFT JOIN by_address b ON b.address_id = a.address_id
    LEFT JOIN employer_counts ec ON ec.address_id = a.address_id
    LEFT JOIN housing_flags h ON h.address_id = a.address_id
    LEFT JOIN signal_counts sc ON sc.address_id = a.address_id
    LEFT JOIN finding_counts fc ON fc.address_id = a.address_id
), derived AS (
    SELECT f.*,
           CASE WHEN persons > 0 THEN floor_area_m2 / persons END AS m2_per_person,
           CASE WHEN departures_12m > 0 THEN short_stays::float8 / departures_12m END AS short_stay_share
    FROM features f
)
SELECT address_id, persons,
       (CASE WHEN m2_per_person < norm_m2
             THEN {r.overcrowding_points} + {r.overcrowding_points_per_tenth}
                  * floor((norm_m2 - m2_per_person) * 10 / norm_m2)::bigint
             ELSE 0 END)
     + (CASE WHEN persons >= {r.many_persons_threshold} THEN {r.many_persons_points} ELSE 0 END)
     + (CASE WHEN persons_change_3m >= {r.growth_3m_threshold} THEN {r.growth_3m_points} ELSE 0 END)
     + (CASE WHEN persons_change_12m >= {r.growth_12m_threshold} THEN {r.growth_12m_points} ELSE 0 END)
     + (CASE WHEN arrivals_12m + departures_12m >= {r.turnover_threshold} THEN {r.turnover_points} ELSE 0 END)
     + (CASE WHEN departures_12m >= {r.short_stays_min_departures}
              AND short_stay_share >= {float(r.short_stays_share)!r}::float8
             THEN {r.short_stays_points} ELSE 0 END)
     + (CASE WHEN distinct_employers >= {r.many_employers_threshold}
             THEN {r.many_employers_points} ELSE 0 END)
     + (CASE WHEN distinct_temp_agencies >= {r.temp_agencies_threshold}
             THEN {r.temp_agencies_points} ELSE 0 END)
     + (CASE WHEN residential = false AND persons >= 1 THEN {r.non_residential_points} ELSE 0 END)
     + (CASE WHEN housing_without_valid_mark THEN {r.housing_without_mark_points} ELSE 0 END)
     + (CASE WHEN housing_without_permit THEN {r.housing_without_permit_points} ELSE 0 END)
     + (CASE WHEN mark_expiring_90d THEN {r.mark_expiring_points} ELSE 0 END)
     + least(signals_12m * {r.signals_points_each}, {r.signals_max_points})
     + (CASE WHEN signals_12m_overcrowding >= 1 THEN {r.overcrowding_signals_points} ELSE 0 END)
     + (CASE WHEN earlier_findings >= 1 THEN {r.earlier_findings_points} ELSE 0 END)
     + (CASE WHEN earlier_measures >= 1 THEN {r.earlier_measures_points} ELSE 0 END)
     + (CASE WHEN rni_persons >= {r.rni_persons_threshold} THEN {r.rni_persons_points} ELSE 0 END)
     + (CASE WHEN residents_of_violating_employers >= 1 THEN {r.violating_employers_points} ELSE 0 END)
       AS score
FROM derived
ORDER BY score DESC, address_id
"""


def run(url: str, as_of: dt.date, rules: RuleSet, work_mem: str = "1GB") -> float:
    """Materialise the scores as table risk_scores; returns the seconds the query took."""
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"SET work_mem = '{work_mem}'")
        connection.execute("SET max_parallel_workers_per_gather = 2")
        connection.execute("DROP TABLE IF EXISTS risk_scores")
        started = time.perf_counter()
        connection.execute(f"CREATE UNLOGGED TABLE risk_scores AS {score_sql(as_of, rules)}")  # type: ignore[arg-type]
        return time.perf_counter() - started


def fetch_scores(url: str) -> pl.DataFrame:
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        buffer = io.BytesIO()
        with cursor.copy("COPY risk_scores (address_id, score, persons) TO STDOUT WITH (FORMAT csv)") as copy:
            for block in copy:
                buffer.write(block)
    buffer.seek(0)
    return pl.read_csv(
        buffer,
        has_header=False,
        new_columns=["address_id", "score", "persons"],
        schema_overrides=[pl.Int64] * 3,
    )

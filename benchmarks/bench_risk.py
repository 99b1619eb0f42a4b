"""Risk engine benchmark: score every address in the country from Parquet files.

Generates (or with --reuse, keeps) a national-size data set in columnar form under --dir: 9.5 million
addresses, 18 million residence records, 1 million labour migrants with 60,000 employers, 500,000
meldingen and 100,000 earlier findings (see risk_data.py). Then times a full scoring run, end to end
from the files (``ketenregie.risk.engine.score_from_parquet``: read, features, score, sort), and its
peak memory. Each implementation runs in a subprocess of its own; its peak memory is that process's
maximum resident set size (os.wait4).

Baselines, measured in the same run on the same data:
- the same features and score as one SQL query in PostgreSQL (the Parquet tables loaded into a
  scratch database with COPY and indexes; loading is not timed), materialised as a table;
- an idiomatic vectorised pandas implementation (groupby/merge, no row-wise apply), from the files.
All three must give every address the same score; the run fails if one differs.

Targets: under 8 s and under 4 GB for the engine; at least 5x faster than PostgreSQL and 4x faster
than pandas.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

AS_OF = dt.date(2026, 6, 1)
TARGET_SECONDS = 8.0
TARGET_MB = 4096
ROOT = Path(__file__).resolve().parent.parent


def child(implementation: str, directory: Path, as_of: dt.date, url: str) -> None:
    """Run one implementation, print its timing as JSON and leave its scores for the comparison."""
    import polars as pl

    from ketenregie.risk.engine import RuleSet

    rules = RuleSet()
    out = directory / f"scores_{implementation}.parquet"
    if implementation == "polars":
        from ketenregie.risk.engine import score_from_parquet

        started = time.perf_counter()
        scored = score_from_parquet(directory, as_of, rules)
        seconds = time.perf_counter() - started
        scored.select("address_id", "score", "persons").write_parquet(out)
    elif implementation == "pandas":
        from risk_pandas import score_pandas

        started = time.perf_counter()
        frame = score_pandas(directory, as_of, rules)
        seconds = time.perf_counter() - started
        pl.from_pandas(frame).write_parquet(out)
    else:
        import risk_sql

        seconds = risk_sql.run(url, as_of, rules)
        risk_sql.fetch_scores(url).write_parquet(out)
    print(json.dumps({"seconds": seconds}))


def run_child(implementation: str, args: argparse.Namespace) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        "--child",
        implementation,
        "--dir",
        str(args.dir),
        "--as-of",
        args.as_of.isoformat(),
        "--database-url",
        args.database_url,
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, cwd=ROOT)
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{implementation} failed with exit code {process.returncode}")
    result = json.loads(output.decode().strip().splitlines()[-1])
    result["peak_mb"] = usage.ru_maxrss / 1024  # Linux reports kilobytes
    # CPU seconds of the whole process (reading, imports and writing the scores included): on a shared
    # machine they vary less than wall time.
    result["cpu_seconds"] = usage.ru_utime + usage.ru_stime
    return result


def compare(directory: Path, implementations: list[str]) -> None:
    import polars as pl

    reference = pl.read_parquet(directory / "scores_polars.parquet")
    for other in implementations:
        if other == "polars":
            continue
        theirs = pl.read_parquet(directory / f"scores_{other}.parquet")
        joined = reference.join(theirs, on="address_id", how="full", suffix=f"_{other}", coalesce=True)
        differing = joined.filter(
            (pl.col("score") != pl.col(f"score_{other}")).fill_null(True)
            | (pl.col("persons") != pl.col(f"persons_{other}")).fill_null(True)
        )
        if differing.height:
            print(differing.head(10))
            raise SystemExit(
                f"{other}: {differing.height:,} of {joined.height:,} addresses score differently"
            )
        print(f"scores identical: polars and {other}, {joined.height:,} addresses")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the national size")
    parser.add_argument("--dir", type=Path, default=ROOT / "var" / "bench-risk")
    parser.add_argument("--reuse", action="store_true", help="keep the Parquet files of an earlier run")
    parser.add_argument("--runs", type=int, default=3, help="engine runs (the median is reported)")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-pandas", action="store_true")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=AS_OF)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_RISK_DATABASE_URL", ""))
    parser.add_argument("--child", choices=["polars", "pandas", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    import risk_sql

    args.database_url = args.database_url or risk_sql.DEFAULT_URL
    if args.child:
        child(args.child, args.dir, args.as_of, args.database_url)
        return

    import polars as pl

    import risk_data

    meta = args.dir / "meta.json"
    if args.reuse and meta.exists() and json.loads(meta.read_text()).get("scale") == args.scale:
        counts = json.loads(meta.read_text())["counts"]
        print(f"reusing {args.dir} (scale {args.scale})")
    else:
        started = time.perf_counter()
        counts = risk_data.generate(args.dir, args.scale)
        meta.write_text(json.dumps({"scale": args.scale, "counts": counts}))
        print(f"generated {args.dir} (scale {args.scale}) in {time.perf_counter() - started:.1f} s")
    print("rows: " + ", ".join(f"{table} {rows:,}" for table, rows in counts.items()))
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"as of {args.as_of}; {os.cpu_count()} cores, load average {load}; polars {pl.__version__}")

    results: dict[str, dict[str, Any]] = {}
    runs = [run_child("polars", args) for _ in range(args.runs)]
    seconds = [run["seconds"] for run in runs]
    results["polars"] = {
        "seconds": statistics.median(seconds),
        "peak_mb": max(r["peak_mb"] for r in runs),
        "cpu_seconds": statistics.median(r["cpu_seconds"] for r in runs),
    }
    print(f"engine (polars) runs: {', '.join(f'{s:.2f} s' for s in seconds)}")
    if not args.skip_pandas:
        results["pandas"] = run_child("pandas", args)
        print(f"pandas: {results['pandas']['seconds']:.2f} s")
    if not args.skip_postgres:
        risk_sql.ensure_database(args.database_url)
        if args.reuse and risk_sql.is_loaded(args.database_url, args.dir):
            print(f"reusing the tables in {args.database_url}")
        else:
            seconds = risk_sql.load(args.database_url, args.dir)
            print(f"loaded into {args.database_url} in {seconds:.1f} s (not timed)")
        results["postgres"] = run_child("postgres", args)
        print(f"postgres: {results['postgres']['seconds']:.2f} s")
    compare(args.dir, list(results))
    report(results)


def report(results: dict[str, dict[str, Any]]) -> None:
    engine = results["polars"]["seconds"]
    labels = {
        "polars": "engine: score_from_parquet (polars), median",
        "pandas": "pandas baseline (from the files)",
        "postgres": "PostgreSQL baseline (query only)",
    }
    print(f"\n{'what':<46} {'seconds':>9} {'peak MB':>9} {'CPU s':>7} {'x engine':>9}")
    for name, result in results.items():
        if name == "postgres":  # the work happens in the server, not in the measured client
            peak, cpu = f"{'(server)':>9}", f"{'-':>7}"
        else:
            peak, cpu = f"{result['peak_mb']:9.0f}", f"{result['cpu_seconds']:7.1f}"
        print(f"{labels[name]:<46} {result['seconds']:9.2f} {peak} {cpu} {result['seconds'] / engine:9.1f}")
    peak_mb = results["polars"]["peak_mb"]
    print(
        f"\nengine: {engine:.2f} s (target < {TARGET_SECONDS:.0f} s: {_verdict(engine < TARGET_SECONDS)}), "
        f"peak {peak_mb:,.0f} MB (target < {TARGET_MB:,} MB: {_verdict(peak_mb < TARGET_MB)})"
    )
    for name, target in (("postgres", 5.0), ("pandas", 4.0)):
        if name in results:
            ratio = results[name]["seconds"] / engine
            print(f"{name}/engine: {ratio:.1f}x (target >= {target:.0f}x: {_verdict(ratio >= target)})")


def _verdict(met: bool) -> str:
    return "met" if met else "NOT met"


if __name__ == "__main__":
    main()

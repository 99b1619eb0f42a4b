"""Shared helpers for the benchmarks: a database of their own, timing, and the printed report."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ketenregie_bench"


def use_bench_database() -> str:
    """Point Django at the benchmark database (created when missing) before django.setup()."""
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    import psycopg

    admin_url, _, name = url.rpartition("/")
    with psycopg.connect(f"{admin_url}/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketenregie.settings")
    import django

    django.setup()
    return url


@dataclass
class Timing:
    label: str
    samples_ms: list[float]

    @property
    def p50(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples_ms)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(label: str, action: Callable[[int], object], runs: int, warmup: int = 3) -> Timing:
    for index in range(warmup):
        action(index)
    samples = []
    for index in range(runs):
        started = time.perf_counter()
        action(index)
        samples.append((time.perf_counter() - started) * 1000)
    return Timing(label, samples)


def report(timings: list[Timing], baseline: Timing, target_ms: float | None = None) -> None:
    print(f"\n{'what':<52} {'p50 ms':>8} {'p95 ms':>8} {'p95/baseline':>13}")
    for timing in [baseline, *timings]:
        ratio = timing.p95 / baseline.p95 if baseline.p95 else float("nan")
        flag = ""
        if target_ms is not None and timing is not baseline:
            flag = "  ok" if timing.p95 < target_ms else f"  OVER {target_ms:.0f} ms"
        print(f"{timing.label:<52} {timing.p50:8.1f} {timing.p95:8.1f} {ratio:13.1f}{flag}")

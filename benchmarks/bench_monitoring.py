"""Monitoring benchmark: the yearly report for the Rotterdam profile, and the public dashboard.

Seeds the full Rotterdam profile into PostgreSQL (unless --reuse), then prints:
- the time to compute the key figures of the year and the year before again (what `report annual` does first);
- the time to build and render the yearly report as PDF from the stored figures, and end to end;
- p50/p95 of the public dashboard (and its regional view), against GET /health/ as the baseline.
Targets: the report under 10 s, the dashboard p95 under 300 ms.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import measure, report, use_bench_database


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--reuse", action="store_true", help="keep data seeded by an earlier run")
    args = parser.parse_args()

    url = use_bench_database()
    from django.core.management import call_command
    from django.test import Client

    from ketenregie.demo.generator import seed_municipality
    from ketenregie.demo.models import SeedRun
    from ketenregie.monitoring import services
    from ketenregie.monitoring.report import build_annual_report, render_report_pdf

    print(f"database: {url}")
    call_command("migrate", verbosity=0)
    run = SeedRun.objects.filter(profile="rotterdam", finished_at__isnull=False).first()
    if not (args.reuse and run and run.scale == args.scale):
        started = time.perf_counter()
        run = seed_municipality(profile_key="rotterdam", seed=1, scale=args.scale)
        print(f"seeded Rotterdam at scale {args.scale} in {time.perf_counter() - started:.1f} s")
    municipality = run.municipality

    started = time.perf_counter()
    stored = services.refresh_values(municipality=municipality, years=[args.year - 1, args.year])
    refresh_seconds = time.perf_counter() - started
    started = time.perf_counter()
    built = build_annual_report(actor=services.monitoring_actor(municipality), year=args.year)
    pdf = render_report_pdf(built)
    render_seconds = time.perf_counter() - started
    print(
        f"\nkey figures for the year and the year before computed again: {refresh_seconds:.2f} s "
        f"({stored} values)"
    )
    print(
        f"report built and rendered to PDF from stored figures: {render_seconds:.2f} s "
        f"({len(pdf) // 1024} KB)"
    )
    total = refresh_seconds + render_seconds
    print(
        f"report end to end (as `ketenregie report annual`): {total:.2f} s  "
        f"{'ok' if total < 10 else 'OVER 10 s'}"
    )

    client = Client()
    path = f"/nl/dashboard/{municipality.code}/?jaar={args.year}"

    def get(url: str) -> None:
        assert client.get(url).status_code == 200

    get(path)  # first request fills the caches (neighbourhood centroids)
    baseline = measure("GET /health/ (baseline)", lambda i: get("/health/"), args.runs)
    timings = [
        measure("public dashboard", lambda i: get(path), args.runs),
        measure("public dashboard, another language", lambda i: get(path.replace("/nl/", "/pl/")), args.runs),
        measure(
            "regional view",
            lambda i: get(f"/nl/dashboard/{municipality.code}/regio/?jaar={args.year}"),
            args.runs,
        ),
        measure(
            "dashboard CSV export", lambda i: get(f"/nl/dashboard/{municipality.code}/export.csv"), args.runs
        ),
    ]
    report(timings, baseline, target_ms=300)


if __name__ == "__main__":
    main()

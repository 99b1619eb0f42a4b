"""Foundation benchmark: seed the Rotterdam profile into PostgreSQL and time the address pages.

Prints the time to seed, and p50/p95 of: the address list searched by street, page 1,000 of the
address list, and the page of an address with 100 residence records (residents audited). The
baseline is GET /health/ in the same run: the cost of a request through the whole middleware
stack with one trivial query.
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
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument(
        "--reuse", action="store_true", help="keep data seeded by an earlier run with these arguments"
    )
    args = parser.parse_args()

    url = use_bench_database()
    from django.core.management import call_command
    from django.test import Client

    from ketenregie.core.models import User
    from ketenregie.demo.accounts import ensure_demo_accounts
    from ketenregie.demo.generator import seed_municipality
    from ketenregie.demo.models import SeedRun
    from ketenregie.people.models import Person, Residence
    from ketenregie.places.models import Address

    print(f"database: {url}")
    call_command("migrate", verbosity=0)
    run = SeedRun.objects.filter(profile="rotterdam", finished_at__isnull=False).first()
    if not (args.reuse and run and run.scale == args.scale and run.seed == args.seed):
        started = time.perf_counter()
        run = seed_municipality(
            profile_key="rotterdam",
            seed=args.seed,
            scale=args.scale,
            progress=lambda message: print(message, flush=True),
        )
        seconds = time.perf_counter() - started
        print(f"\nseeded Rotterdam at scale {args.scale} in {seconds:.1f} s")
    else:
        print(f"\nreusing Rotterdam seeded in {run.counts.get('seconds')} s")
    ensure_demo_accounts(run.municipality)
    print(
        f"addresses {Address.objects.count():,}, people {Person.objects.count():,}, "
        f"residence records {Residence.objects.count():,}"
    )

    client = Client()
    client.force_login(User.objects.get(username="enforcement"))
    streets = list(Address.objects.values_list("street", flat=True).distinct().order_by("street")[:200])
    transit = run.counts["transit_address_id"]
    assert Residence.objects.filter(address_id=transit).count() == 100

    def get(url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    baseline = measure("GET /health/ (baseline)", lambda i: get("/health/"), args.runs)
    timings = [
        measure(
            "address list, search by street",
            lambda i: get(f"/app/addresses/?q={streets[i % len(streets)]}"),
            args.runs,
        ),
        measure(
            "address list, search by street and number",
            lambda i: get(f"/app/addresses/?q={streets[i % len(streets)]}+{i % 20 + 1}"),
            args.runs,
        ),
        measure("address list, page 1,000", lambda i: get("/app/addresses/?page=1000"), args.runs),
        measure(
            "address page with 100 residence records", lambda i: get(f"/app/addresses/{transit}/"), args.runs
        ),
        measure("API: addresses, page 1,000", lambda i: get("/api/v1/addresses/?page=1000"), args.runs),
    ]
    report(timings, baseline, target_ms=150)


if __name__ == "__main__":
    main()

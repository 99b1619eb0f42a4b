"""Benchmark: a delivery of 50,000 employments on PostgreSQL (issue 12; goal: well under 60 s).

Prints, for one run on one database:
- baseline: reading and checking the CSV file row by row, without the register (read_csv + parse);
- a first delivery: every row a new employment;
- a second delivery that ends 10% of them (the rest unchanged);
- the same file again (nothing changes).
Each with the time and rows per second. The register holds the people and employers beforehand.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import use_bench_database


def _bsns(count: int) -> list[str]:
    from ketenregie.core.validators import bsn_is_valid

    found, number = [], 100_000_000
    while len(found) < count:
        number += 1
        if bsn_is_valid(str(number)):
            found.append(str(number))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=50_000)
    args = parser.parse_args()
    os.environ.setdefault(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ketenregie_bench_employments"
    )
    url = use_bench_database()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from ketenregie.core.actor import Actor
    from ketenregie.core.imports import read_csv, run_import
    from ketenregie.core.models import Municipality
    from ketenregie.deliveries.employments import EmploymentImporter
    from ketenregie.deliveries.models import Delivery, DeliveryKind
    from ketenregie.deliveries.services import DeliveryContext
    from ketenregie.employers.models import Employer, Employment
    from ketenregie.people.models import Person

    municipality, _ = Municipality.objects.get_or_create(code="0999", defaults={"name": "Benchmarkstad"})
    Employment.objects.filter(municipality=municipality).delete()
    Delivery.objects.filter(municipality=municipality).delete()
    Person.objects.filter(municipality=municipality).delete()
    Employer.objects.filter(municipality=municipality).delete()
    rng = random.Random(12)
    bsns = _bsns(args.rows)
    Person.objects.bulk_create(
        [Person(municipality=municipality, bsn=bsn, surname=f"Nowak{i}") for i, bsn in enumerate(bsns)],
        batch_size=5000,
    )
    agencies = [
        Employer(
            municipality=municipality, kvk_number=f"{30_000_000 + i}", name=f"Flex {i}", kind="temp_agency"
        )
        for i in range(20)
    ]
    hirers = [
        Employer(municipality=municipality, kvk_number=f"{40_000_000 + i}", name=f"Kas {i}", kind="hirer")
        for i in range(200)
    ]
    Employer.objects.bulk_create(agencies + hirers)
    rows = [
        (
            bsn,
            rng.choice(agencies).kvk_number,
            rng.choice(hirers).kvk_number,
            f"2025-{rng.randint(1, 12):02d}-01",
        )
        for bsn in bsns
    ]
    header = "bsn;employer_kvk;hirer_kvk;starts_on;ends_on\n"
    first = (header + "".join(f"{b};{e};{h};{s};\n" for b, e, h, s in rows)).encode()
    ended = {i for i in range(len(rows)) if i % 10 == 0}
    second = (
        header
        + "".join(
            f"{b};{e};{h};{s};{'2026-01-31' if i in ended else ''}\n" for i, (b, e, h, s) in enumerate(rows)
        )
    ).encode()
    actor = Actor.system(municipality, name="bench")

    def importer() -> EmploymentImporter:
        return EmploymentImporter(DeliveryContext(kind=DeliveryKind.EMPLOYMENTS, source="agency"))

    print(f"database: {url.rsplit('@', 1)[-1]}; rows: {len(rows):,}")

    started = time.perf_counter()
    parsed_rows, errors = read_csv(
        first, required=importer().required_columns, optional=importer().optional_columns
    )
    parser_only = importer()
    parsed = [parser_only.parse(actor, row, number) for number, row in parsed_rows]
    assert not errors
    assert all(not e for _v, e in parsed)
    baseline = time.perf_counter() - started
    print(
        f"baseline (read and check the file, no register): {baseline:6.2f} s"
        f"  {len(rows) / baseline:9,.0f} rows/s"
    )

    for label, data, expected in (
        ("first delivery (all new)", first, (len(rows), 0)),
        ("second delivery (10% ended)", second, (0, len(ended))),
        ("the same file again (no change)", second, (0, 0)),
    ):
        started = time.perf_counter()
        result = run_import(actor=actor, importer=importer(), data=data)
        elapsed = time.perf_counter() - started
        assert (result.created, result.updated) == expected, (result, expected)
        print(
            f"{label:48s} {elapsed:6.2f} s  {len(rows) / elapsed:9,.0f} rows/s"
            f"  ({elapsed / baseline:.1f}× baseline)"
        )
    assert Employment.objects.filter(municipality=municipality).count() == len(rows)


if __name__ == "__main__":
    main()
